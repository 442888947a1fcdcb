package io.gemforce.sync.diamond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/**
 * DiamondState against a reference model: a plain selector → facet map, with the rules written
 * the simplest way. Cut sequences are random: most cuts are valid for the model's current state,
 * some are deliberately invalid.
 */
class DiamondStateProperties {
    static final Address DIAMOND = Address.of("0x00000000000000000000000000000000000000d1");
    static final List<Address> FACETS = List.of(
            Address.of("0x00000000000000000000000000000000000000f1"),
            Address.of("0x00000000000000000000000000000000000000f2"),
            Address.of("0x00000000000000000000000000000000000000f3"),
            DIAMOND); // immutable functions live in the diamond itself
    // a small selector space makes collisions (and so every rule) frequent; includes 0x00000000
    static final List<Selector> SELECTORS = java.util.stream.IntStream.range(0, 12)
            .mapToObj(i -> new Selector(i == 0 ? 0 : 0x1000_0000 * (i % 8) + i)).toList();

    /** A step: action, facet index, selector indexes; interpreted against the model's state. */
    record Step(int action, int facet, List<Integer> selectors) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, FACETS.size() - 1),
                Arbitraries.integers().between(0, SELECTORS.size() - 1).list().ofMinSize(1).ofMaxSize(4))
                .as(Step::new);
        return step.list().ofMaxSize(40);
    }

    /** The reference: returns the new map, or null when any rule is broken. */
    static Map<Selector, Address> model(Map<Selector, Address> state, FacetCut cut) {
        Map<Selector, Address> next = new HashMap<>(state);
        if (cut.selectors().isEmpty()) {
            return null;
        }
        for (Selector s : cut.selectors()) {
            Address cur = next.get(s);
            boolean immutable = DIAMOND.equals(cur);
            switch (cut.action()) {
                case ADD -> {
                    if (cut.facetAddress().isZero() || cur != null) {
                        return null;
                    }
                    next.put(s, cut.facetAddress());
                }
                case REPLACE -> {
                    if (cut.facetAddress().isZero() || cur == null || cur.equals(cut.facetAddress()) || immutable) {
                        return null;
                    }
                    next.put(s, cut.facetAddress());
                }
                case REMOVE -> {
                    if (cur == null || immutable) {
                        return null;
                    }
                    next.remove(s);
                }
                default -> throw new IllegalStateException();
            }
        }
        return next;
    }

    static FacetCut toCut(Step st) {
        FacetCut.Action action = FacetCut.Action.fromCode(st.action());
        List<Selector> sels = st.selectors().stream().map(SELECTORS::get).toList();
        Address facet = action == FacetCut.Action.REMOVE ? Address.ZERO : FACETS.get(st.facet());
        return new FacetCut(facet, action, sels);
    }

    @Property(tries = 400)
    void everyCutSequenceMatchesTheReferenceModel(@ForAll("steps") List<Step> steps) {
        DiamondState state = DiamondState.empty();
        Map<Selector, Address> model = new HashMap<>();
        int accepted = 0;
        for (Step st : steps) {
            FacetCut cut = toCut(st);
            Map<Selector, Address> expected = model(model, cut);
            if (expected == null) {
                DiamondState before = state;
                assertThatThrownBy(() -> before.apply(DIAMOND, List.of(cut)))
                        .isInstanceOf(InvalidCutException.class)
                        .satisfies(e -> assertThat(((InvalidCutException) e).cut()).isEqualTo(cut));
                assertThat(state.selectorMap()).isEqualTo(model); // unchanged
            } else {
                state = state.apply(DIAMOND, List.of(cut));
                model = expected;
                accepted++;
            }
            assertThat(state.selectorMap()).isEqualTo(model);
            assertThat(state.selectorCount()).isEqualTo(model.size());
            assertThat(state.facetCount()).isEqualTo((int) model.values().stream().distinct().count());
            assertThat(state.facets()).allSatisfy(f -> assertThat(f.selectors()).isNotEmpty());
            assertThat(DiamondState.of(state.facets())).isEqualTo(state);
        }
        assertThat(accepted).isLessThanOrEqualTo(steps.size());
    }

    /**
     * A large diamond taken from a loupe, then a long history of cuts (a few of them invalid) over
     * many selectors: states share their predecessor's map and fold their changes in from time to
     * time, and every state along the way, old ones included, still reads as the model did then.
     */
    @Property(tries = 60)
    void aLongHistoryOverALargeDiamondMatchesTheModelAtEveryStep(@ForAll("loupe") Map<Integer, Integer> loupe,
            @ForAll("history") List<List<Integer>> history) {
        Map<Selector, Address> model = new HashMap<>();
        loupe.forEach((sel, facet) -> model.put(new Selector(sel), FACETS.get(facet)));
        Map<Address, List<Selector>> byFacet = new java.util.TreeMap<>();
        model.forEach((sel, facet) -> byFacet.computeIfAbsent(facet, k -> new ArrayList<>()).add(sel));
        List<Facet> facets = new ArrayList<>();
        byFacet.forEach((facet, sels) -> facets.add(new Facet(facet, sels)));
        DiamondState state = DiamondState.of(facets);
        List<DiamondState> states = new ArrayList<>(List.of(state));
        List<Map<Selector, Address>> models = new ArrayList<>(List.of(Map.copyOf(model)));
        for (List<Integer> h : history) {
            // h: action, facet, then selector values; the values are few, so cuts meet the loupe's selectors
            FacetCut.Action action = FacetCut.Action.fromCode(h.get(0));
            Address facet = action == FacetCut.Action.REMOVE ? Address.ZERO : FACETS.get(h.get(1));
            List<Selector> sels = h.subList(2, h.size()).stream().distinct().map(Selector::new).toList();
            FacetCut cut = new FacetCut(facet, action, sels);
            Map<Selector, Address> expected = model(models.get(models.size() - 1), cut);
            DiamondState before = state;
            if (expected == null) {
                assertThatThrownBy(() -> before.apply(DIAMOND, List.of(cut))).isInstanceOf(InvalidCutException.class);
                continue;
            }
            state = state.apply(DIAMOND, List.of(cut));
            states.add(state);
            models.add(Map.copyOf(expected));
            for (Selector sel : sels) {
                assertThat(state.facetOf(sel)).isEqualTo(java.util.Optional.ofNullable(expected.get(sel)));
            }
        }
        for (int i = 0; i < states.size(); i++) {
            assertThat(states.get(i).selectorMap()).isEqualTo(models.get(i));
            assertThat(states.get(i).selectorCount()).isEqualTo(models.get(i).size());
            assertThat(DiamondState.of(states.get(i).facets())).isEqualTo(states.get(i));
            assertThat(states.get(i).hashCode()).isEqualTo(DiamondState.of(states.get(i).facets()).hashCode());
        }
    }

    @Provide
    Arbitrary<Map<Integer, Integer>> loupe() {
        return Arbitraries.maps(Arbitraries.integers().between(0, 299), Arbitraries.integers().between(0, 2))
                .ofMinSize(0).ofMaxSize(200);
    }

    @Provide
    Arbitrary<List<List<Integer>>> history() {
        Arbitrary<List<Integer>> cut = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 299).list().ofMinSize(1)
                        .ofMaxSize(3))
                .as((a, f, sels) -> {
                    List<Integer> h = new ArrayList<>(List.of(a, f));
                    h.addAll(sels);
                    return h;
                });
        return cut.list().ofMinSize(50).ofMaxSize(400);
    }

    @Property(tries = 200)
    void aMultiCutTransactionIsAtomic(@ForAll("steps") List<Step> steps) {
        // apply all steps as one diamondCut: either the whole sequence is valid or nothing changes
        List<FacetCut> cuts = steps.stream().map(DiamondStateProperties::toCut).toList();
        Map<Selector, Address> model = new HashMap<>();
        boolean valid = true;
        for (FacetCut c : cuts) {
            Map<Selector, Address> next = model(model, c);
            if (next == null) {
                valid = false;
                break;
            }
            model = next;
        }
        if (valid) {
            assertThat(DiamondState.empty().apply(DIAMOND, cuts).selectorMap()).isEqualTo(model);
        } else {
            assertThatThrownBy(() -> DiamondState.empty().apply(DIAMOND, cuts)).isInstanceOf(InvalidCutException.class);
        }
    }

    @Property(tries = 200)
    void orderIsAFunctionOfContentOnly(@ForAll("steps") List<Step> steps) {
        DiamondState state = DiamondState.empty();
        for (Step st : steps) {
            FacetCut cut = toCut(st);
            try {
                state = state.apply(DIAMOND, List.of(cut));
            } catch (InvalidCutException rejected) {
                // keep going from the unchanged state
            }
        }
        // facets by address, selectors by unsigned value, whatever path led here
        List<Facet> facets = state.facets();
        for (int i = 1; i < facets.size(); i++) {
            assertThat(facets.get(i - 1).facetAddress()).isLessThan(facets.get(i).facetAddress());
        }
        for (Facet f : facets) {
            assertThat(f.selectors()).isSorted();
        }
        List<Facet> reversed = new ArrayList<>(facets);
        java.util.Collections.reverse(reversed);
        assertThat(DiamondState.of(reversed).facets()).isEqualTo(facets);
    }

    @Example
    void acceptsUnknownSelectorsZeroSelectorAndImmutableFunctions() {
        Selector zero = Selector.of("0x00000000");
        Selector unknown = Selector.of("0xdeadbeef");
        Selector immutable = Selector.of("0xe0537b68");
        DiamondState s = DiamondState.empty().apply(DIAMOND, List.of(
                FacetCut.add(FACETS.get(0), List.of(zero, unknown)),
                FacetCut.add(DIAMOND, List.of(immutable))));
        assertThat(s.facetOf(zero)).contains(FACETS.get(0));
        assertThat(s.facetOf(immutable)).contains(DIAMOND);
        assertThatThrownBy(() -> s.apply(DIAMOND, List.of(FacetCut.replace(FACETS.get(1), List.of(immutable)))))
                .isInstanceOf(InvalidCutException.class).hasMessageContaining("immutable");
        assertThatThrownBy(() -> s.apply(DIAMOND, List.of(FacetCut.remove(List.of(immutable)))))
                .isInstanceOf(InvalidCutException.class).hasMessageContaining("immutable");
    }

    @Example
    void eachRuleNamesTheCut() {
        Selector a = Selector.of("0x11111111");
        DiamondState s = DiamondState.empty().apply(DIAMOND, List.of(FacetCut.add(FACETS.get(0), List.of(a))));
        assertThatThrownBy(() -> s.apply(DIAMOND, List.of(FacetCut.add(FACETS.get(1), List.of(a)))))
                .hasMessageContaining("already set").hasMessageContaining(FACETS.get(1).hex()).hasMessageContaining("0x11111111");
        assertThatThrownBy(() -> s.apply(DIAMOND, List.of(FacetCut.replace(FACETS.get(0), List.of(a)))))
                .hasMessageContaining("same facet");
        assertThatThrownBy(() -> s.apply(DIAMOND, List.of(FacetCut.replace(FACETS.get(0), List.of(Selector.of("0x22222222"))))))
                .hasMessageContaining("not set");
        assertThatThrownBy(() -> s.apply(DIAMOND, List.of(FacetCut.remove(List.of(Selector.of("0x22222222"))))))
                .hasMessageContaining("not set");
        assertThatThrownBy(() -> s.apply(DIAMOND, List.of(FacetCut.add(Address.ZERO, List.of(Selector.of("0x22222222"))))))
                .hasMessageContaining("zero facet");
        assertThatThrownBy(() -> s.apply(DIAMOND, List.of(FacetCut.add(FACETS.get(0), List.of()))))
                .hasMessageContaining("at least one selector");
    }
}
