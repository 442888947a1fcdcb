package io.gemforce.sync.diamond;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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
 * <p><b>Ordering.</b> {@link #facets()} lists facets by address (ascending hex) and each facet's
 * selectors by value (ascending, unsigned, so {@code 0x00000000} comes first). The order is a
 * function of the content only: the same facets give the same list whether they were derived from
 * events, taken from a loupe snapshot, or both, so stores written along different paths (a resume
 * after a crash, a rollback after a reorg) end up byte-for-byte equal. On-chain loupes order by
 * their own history (the reference implementations swap-and-pop); compare with a loupe as sets:
 * {@link #sameFacetsAs(Collection)}.
 *
 * <p>{@link #apply} is atomic, as a {@code diamondCut} transaction is: when any cut in the list breaks
 * a rule, an {@link InvalidCutException} names it and the state is unchanged.
 *
 * <p>Jackson writes it as its {@link #facets()} list and reads it back with {@link #of(Collection)}.
 */
public final class DiamondState {
    private static final DiamondState EMPTY = new DiamondState(new TreeMap<>(), Map.of());

    /**
     * selector → facet, sorted by selector; never mutated once built. A state derived by
     * {@link #apply} shares its predecessor's map and keeps its own changes in {@link #overlay}, so a
     * cut costs the size of the cut and of the overlay, not of the diamond; the overlay is folded in
     * once it grows past an eighth of the map.
     */
    private final TreeMap<Selector, Address> base;
    /** Changes to {@link #base}: a selector mapped to its facet, or to null when removed. Never mutated. */
    private final Map<Selector, Address> overlay;
    /** {@link #base} with {@link #overlay} applied, built on first use. */
    private volatile Map<Selector, Address> merged;
    /** {@link #facets()}, built on first use. */
    private volatile List<Facet> facets;

    private DiamondState(TreeMap<Selector, Address> base, Map<Selector, Address> overlay) {
        this.base = base;
        this.overlay = overlay;
        if (overlay.isEmpty()) {
            this.merged = base;
        }
    }

    /** A diamond with no facets. */
    public static DiamondState empty() {
        return EMPTY;
    }

    /**
     * A state equal to a loupe answer. A selector listed twice, or under two facets, is an
     * inconsistent loupe and is rejected.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static DiamondState of(Collection<Facet> facets) {
        TreeMap<Selector, Address> map = new TreeMap<>();
        for (Facet f : facets) {
            for (Selector s : f.selectors()) {
                if (map.put(s, f.facetAddress()) != null) {
                    throw new IllegalArgumentException("selector " + s + " listed twice");
                }
            }
        }
        return new DiamondState(map, Map.of());
    }

    /** Applies the cuts of one {@code DiamondCut} for the diamond at {@code diamond}. */
    public DiamondState apply(Address diamond, List<FacetCut> cuts) {
        Objects.requireNonNull(diamond, "diamond");
        if (cuts.isEmpty()) {
            return this;
        }
        Map<Selector, Address> changes = new HashMap<>(overlay);
        for (FacetCut cut : cuts) {
            if (cut.selectors().isEmpty()) {
                throw new InvalidCutException(cut, null, "a cut must name at least one selector");
            }
            for (Selector s : cut.selectors()) {
                Address current = changes.containsKey(s) ? changes.get(s) : base.get(s);
                changes.put(s, applyOne(diamond, cut, s, current));
            }
        }
        changes.entrySet().removeIf(e -> Objects.equals(e.getValue(), base.get(e.getKey())));
        if (changes.size() > Math.max(16, base.size() / 8)) {
            return new DiamondState(folded(base, changes), Map.of());
        }
        return new DiamondState(base, changes);
    }

    /** A copy of {@code base} with {@code changes} applied (a selector mapped to null is removed). */
    private static TreeMap<Selector, Address> folded(TreeMap<Selector, Address> base, Map<Selector, Address> changes) {
        TreeMap<Selector, Address> folded = new TreeMap<>(base);
        changes.forEach((k, v) -> {
            if (v == null) {
                folded.remove(k);
            } else {
                folded.put(k, v);
            }
        });
        return folded;
    }

    private Map<Selector, Address> merged() {
        Map<Selector, Address> m = merged;
        if (m == null) {
            merged = m = folded(base, overlay);
        }
        return m;
    }

    /** What {@code s} maps to after {@code cut} (null: removed), or the rule the cut breaks. */
    private static Address applyOne(Address diamond, FacetCut cut, Selector s, Address current) {
        Address facet = cut.facetAddress();
        switch (cut.action()) {
            case ADD -> {
                if (facet.isZero()) {
                    throw new InvalidCutException(cut, s, "Add with the zero facet address");
                }
                if (current != null) {
                    throw new InvalidCutException(cut, s, "Add of a selector that is already set");
                }
                return facet;
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
                return facet;
            }
            case REMOVE -> {
                if (current == null) {
                    throw new InvalidCutException(cut, s, "Remove of a selector that is not set");
                }
                if (current.equals(diamond)) {
                    throw new InvalidCutException(cut, s, "Remove of an immutable function");
                }
                return null;
            }
            default -> throw new IllegalStateException();
        }
    }

    /** The facets in the documented order; also the JSON form. */
    @JsonValue
    public List<Facet> facets() {
        List<Facet> f = facets;
        if (f == null) {
            TreeMap<Address, List<Selector>> grouped = new TreeMap<>();
            merged().forEach((sel, facet) -> grouped.computeIfAbsent(facet, k -> new ArrayList<>()).add(sel));
            List<Facet> list = new ArrayList<>(grouped.size());
            grouped.forEach((facet, sels) -> list.add(new Facet(facet, sels)));
            facets = f = Collections.unmodifiableList(list);
        }
        return f;
    }

    /** The facet serving {@code selector}, if set. */
    public Optional<Address> facetOf(Selector selector) {
        return Optional.ofNullable(overlay.containsKey(selector) ? overlay.get(selector) : base.get(selector));
    }

    /** The selectors of {@code facet} in ascending order, empty when it serves none. */
    public List<Selector> selectorsOf(Address facet) {
        for (Facet f : facets()) {
            if (f.facetAddress().equals(facet)) {
                return f.selectors();
            }
        }
        return List.of();
    }

    public int facetCount() {
        return facets().size();
    }

    public int selectorCount() {
        return merged().size();
    }

    /** Selector → facet: the content of the state. */
    public Map<Selector, Address> selectorMap() {
        return Collections.unmodifiableMap(merged());
    }

    /** Whether the loupe answer {@code loupe} maps the same selectors to the same facets. */
    public boolean sameFacetsAs(Collection<Facet> loupe) {
        Map<Selector, Address> other = new HashMap<>();
        for (Facet f : loupe) {
            for (Selector s : f.selectors()) {
                if (other.put(s, f.facetAddress()) != null) {
                    return false;
                }
            }
        }
        return other.equals(merged());
    }

    /** Facet addresses whose selector sets differ between this state and {@code other}. */
    public Set<Address> changedFacets(DiamondState other) {
        Map<Address, Set<Selector>> mine = grouped(merged());
        Map<Address, Set<Selector>> theirs = grouped(other.merged());
        Set<Address> changed = new HashSet<>();
        Set<Address> all = new HashSet<>(mine.keySet());
        all.addAll(theirs.keySet());
        for (Address a : all) {
            if (!Objects.equals(mine.get(a), theirs.get(a))) {
                changed.add(a);
            }
        }
        return changed;
    }

    private static Map<Address, Set<Selector>> grouped(Map<Selector, Address> m) {
        Map<Address, Set<Selector>> out = new HashMap<>();
        m.forEach((s, f) -> out.computeIfAbsent(f, k -> new HashSet<>()).add(s));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiamondState d && d.merged().equals(merged());
    }

    @Override
    public int hashCode() {
        return merged().hashCode();
    }

    @Override
    public String toString() {
        return "DiamondState" + facets();
    }
}
