package io.gemforce.sync.history;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.PendingUpgrade;
import java.util.List;
import java.util.Objects;

/**
 * A diamond as it was at the end of one block, derived from the stored events. Facets are in
 * {@link DiamondState}'s order (by address, selectors ascending); compare with a loupe as sets.
 *
 * @param exists false for a block before the diamond's creation (then no facets and no owner)
 * @param owner the owner after the block's events, or null when no {@code OwnershipTransferred} was
 *     stored up to it
 * @param pendingUpgrade the time-locked upgrade proposed and neither executed nor cancelled by the
 *     end of the block, or null; its {@code proposedCuts} are known only for the proposal the store's
 *     diamond record still shows as pending
 */
public record HistoricState(Address diamond, long block, boolean exists, List<Facet> facets, Address owner,
        PendingUpgrade pendingUpgrade) {
    public HistoricState {
        Objects.requireNonNull(diamond, "diamond");
        facets = List.copyOf(facets);
    }

    /** The facets as a {@link DiamondState}, to compare with a loupe answer ({@link DiamondState#sameFacetsAs}). */
    public DiamondState state() {
        return DiamondState.of(facets);
    }

    public int selectorCount() {
        return facets.stream().mapToInt(f -> f.selectors().size()).sum();
    }
}
