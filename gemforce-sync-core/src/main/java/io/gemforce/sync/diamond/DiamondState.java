package io.gemforce.sync.diamond;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The facets of one diamond: an immutable value that applies {@link FacetCut}s with the EIP-2535
 * rules. No I/O.
 *
 * <p>Rules, as the reference implementations enforce them on chain:
 * <ul>
 *   <li>a cut must name at least one selector;</li>
 *   <li>Add: the facet address is not zero, and the selector is not set yet;</li>
 *   <li>Replace: the facet address is not zero, the selector is set, to another facet, and is not
 *       an immutable function;</li>
 *   <li>Remove: the selector is set and is not an immutable function (the facet address of a
 *       Remove is ignored; EIP-2535 asks for zero but not every diamond checks it).</li>
 * </ul>
 * An immutable function is a selector whose facet address is the diamond itself. Any selector
 * value is accepted, including {@code 0x00000000} and selectors that no ABI knows.
 *
 * <p><b>Ordering.</b> {@link #facets()} lists facets in the order in which each facet address
 * first received a selector (a facet that loses all its selectors leaves the list; if it comes back
 * it goes to the end). Within a facet, selectors are in the order they were added to it; a
 * replaced selector goes to the end of its new facet. Removal keeps the relative order of what
 * remains. On-chain loupes order differently (the reference implementations swap-and-pop), so
 * compare with a loupe as sets: {@link #sameFacetsAs(Collection)}.
 *
 * <p>{@link #apply(List)} is atomic, as a {@code diamondCut} transaction is: when any cut in the list
 * breaks a rule, an {@link InvalidCutException} names it and the state is unchanged.
 */
public final class DiamondState {
    private static final DiamondState EMPTY = new DiamondState(new LinkedHashMap<>());

    /** facet address → selectors, both in the documented order. Never exposed mutable. */
    private final LinkedHashMap<Address, List<Selector>> byFacet;
    private final Map<Selector, Address> bySelector;

    private DiamondState(LinkedHashMap<Address, List<Selector>> byFacet) {
        this.byFacet = byFacet;
        Map<Selector, Address> index = new HashMap<>();
        byFacet.forEach((facet, selectors) -> selectors.forEach(s -> index.put(s, facet)));
        this.bySelector = index;
    }

    /** A diamond with no facets. */
    public static DiamondState empty() {
        return EMPTY;
    }

    /**
     * A state equal to a loupe answer. The facets keep the loupe's order; a selector listed twice,
     * or under two facets, is an inconsistent loupe and is rejected.
     */
    public static DiamondState of(Collection<Facet> facets) {
        LinkedHashMap<Address, List<Selector>> map = new LinkedHashMap<>();
        Set<Selector> seen = new HashSet<>();
        for (Facet f : facets) {
            if (f.selectors().isEmpty()) {
                continue;
            }
            for (Selector s : f.selectors()) {
                if (!seen.add(s)) {
                    throw new IllegalArgumentException("selector " + s + " listed twice");
                }
            }
            map.merge(f.facetAddress(), List.copyOf(f.selectors()), (a, b) -> {
                List<Selector> all = new ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
            });
        }
        return new DiamondState(map);
    }

    /** Applies the cuts of one {@code DiamondCut} for the diamond at {@code diamond}. */
    public DiamondState apply(Address diamond, List<FacetCut> cuts) {
        Objects.requireNonNull(diamond, "diamond");
        if (cuts.isEmpty()) {
            return this;
        }
        LinkedHashMap<Address, List<Selector>> next = new LinkedHashMap<>();
        byFacet.forEach((k, v) -> next.put(k, new ArrayList<>(v)));
        Map<Selector, Address> index = new HashMap<>(bySelector);
        for (FacetCut cut : cuts) {
            if (cut.selectors().isEmpty()) {
                throw new InvalidCutException(cut, null, "a cut must name at least one selector");
            }
            for (Selector s : cut.selectors()) {
                applyOne(diamond, cut, s, next, index);
            }
        }
        next.values().removeIf(List::isEmpty);
        LinkedHashMap<Address, List<Selector>> frozen = new LinkedHashMap<>();
        next.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new DiamondState(frozen);
    }

    private static void applyOne(Address diamond, FacetCut cut, Selector s,
            LinkedHashMap<Address, List<Selector>> next, Map<Selector, Address> index) {
        Address current = index.get(s);
        Address facet = cut.facetAddress();
        switch (cut.action()) {
            case ADD -> {
                if (facet.isZero()) {
                    throw new InvalidCutException(cut, s, "Add with the zero facet address");
                }
                if (current != null) {
                    throw new InvalidCutException(cut, s, "Add of a selector that is already set");
                }
                addTo(next, facet, s);
                index.put(s, facet);
            }
            case REPLACE -> {
                if (facet.isZero()) {
                    throw new InvalidCutException(cut, s, "Replace with the zero facet address");
                }
                if (current == null) {
                    throw new InvalidCutException(cut, s, "Replace of a selector that is not set");
                }
                if (current.equals(facet)) {
                    throw new InvalidCutException(cut, s, "Replace with the same facet");
                }
                if (current.equals(diamond)) {
                    throw new InvalidCutException(cut, s, "Replace of an immutable function");
                }
                next.get(current).remove(s);
                addTo(next, facet, s);
                index.put(s, facet);
            }
            case REMOVE -> {
                if (current == null) {
                    throw new InvalidCutException(cut, s, "Remove of a selector that is not set");
                }
                if (current.equals(diamond)) {
                    throw new InvalidCutException(cut, s, "Remove of an immutable function");
                }
                next.get(current).remove(s);
                index.remove(s);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void addTo(LinkedHashMap<Address, List<Selector>> next, Address facet, Selector s) {
        List<Selector> list = next.get(facet);
        if (list == null || list.isEmpty()) {
            // a facet that had lost every selector goes to the end, as documented
            next.remove(facet);
            list = new ArrayList<>();
            next.put(facet, list);
        }
        list.add(s);
    }

    /** The facets in the documented order. */
    public List<Facet> facets() {
        List<Facet> out = new ArrayList<>(byFacet.size());
        byFacet.forEach((k, v) -> out.add(new Facet(k, v)));
        return Collections.unmodifiableList(out);
    }

    /** The facet serving {@code selector}, if set. */
    public Optional<Address> facetOf(Selector selector) {
        return Optional.ofNullable(bySelector.get(selector));
    }

    /** The selectors of {@code facet}, empty when it serves none. */
    public List<Selector> selectorsOf(Address facet) {
        return byFacet.getOrDefault(facet, List.of());
    }

    public int facetCount() {
        return byFacet.size();
    }

    public int selectorCount() {
        return bySelector.size();
    }

    /** Selector → facet: the content of the state, without order. */
    public Map<Selector, Address> selectorMap() {
        return Collections.unmodifiableMap(bySelector);
    }

    /** Whether the loupe answer {@code facets} maps the same selectors to the same facets. */
    public boolean sameFacetsAs(Collection<Facet> facets) {
        Map<Selector, Address> other = new HashMap<>();
        for (Facet f : facets) {
            for (Selector s : f.selectors()) {
                if (other.put(s, f.facetAddress()) != null) {
                    return false;
                }
            }
        }
        return other.equals(bySelector);
    }

    /** Facet addresses whose selector sets differ between this state and {@code other}. */
    public Set<Address> changedFacets(DiamondState other) {
        Set<Address> changed = new HashSet<>();
        Set<Address> all = new HashSet<>(byFacet.keySet());
        all.addAll(other.byFacet.keySet());
        for (Address a : all) {
            if (!new HashSet<>(selectorsOf(a)).equals(new HashSet<>(other.selectorsOf(a)))) {
                changed.add(a);
            }
        }
        return changed;
    }

    /** Equal when both map the same selectors to the same facets, whatever the order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DiamondState d && d.bySelector.equals(bySelector);
    }

    @Override
    public int hashCode() {
        return bySelector.hashCode();
    }

    @Override
    public String toString() {
        return "DiamondState" + byFacet;
    }
}
