package io.gemforce.sync.sink;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.PendingUpgrade;
import java.util.List;
import java.util.Objects;

/**
 * A diamond as the store keeps it: identity, the factory's metadata, and its state at
 * {@code lastSyncedBlock}.
 *
 * <p>Nullable fields: {@code symbol}, {@code name}, {@code factory} (unknown for a diamond not
 * created by a configured factory), {@code owner} (no {@code owner()}), {@code createdBlock},
 * {@code createdTx}, {@code lastSyncedBlockHash}, {@code pendingUpgrade} (none pending).
 *
 * @param lastSyncedBlock the block at which {@code facets}, {@code owner} and {@code pendingUpgrade}
 *     are true, or -1 when a rollback made them stale (the next sync rebuilds them)
 * @param consistent false when the last reconciliation found that the state derived from events
 *     differed from the loupe (the loupe's answer is what is stored)
 */
public record DiamondRecord(String network, long chainId, Address address, String symbol, String name,
        Address factory, Address owner, List<Facet> facets, Long createdBlock, String createdTx,
        long lastSyncedBlock, String lastSyncedBlockHash, PendingUpgrade pendingUpgrade, boolean consistent) {

    public DiamondRecord {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(address, "address");
        facets = List.copyOf(facets);
    }

    public int facetCount() {
        return facets.size();
    }

    public int selectorCount() {
        return facets.stream().mapToInt(f -> f.selectors().size()).sum();
    }

    public DiamondState state() {
        return DiamondState.of(facets);
    }

    /** This record with its state stale, as a rollback leaves it. */
    public DiamondRecord stale() {
        return new DiamondRecord(network, chainId, address, symbol, name, factory, owner, facets, createdBlock,
                createdTx, -1, null, pendingUpgrade, consistent);
    }
}
