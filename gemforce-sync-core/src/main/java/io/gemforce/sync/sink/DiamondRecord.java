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

    /**
     * A builder, for stores that read records back: a field added to this record later gets a
     * default in the builder instead of breaking every sink that calls the canonical constructor.
     * Defaults: no metadata, no owner, no facets, {@code lastSyncedBlock} -1, consistent.
     */
    public static Builder builder(String network, long chainId, Address address) {
        return new Builder(network, chainId, address);
    }

    /** A builder starting from this record. */
    public Builder toBuilder() {
        return new Builder(network, chainId, address).symbol(symbol).name(name).factory(factory).owner(owner)
                .facets(facets).created(createdBlock, createdTx).lastSynced(lastSyncedBlock, lastSyncedBlockHash)
                .pendingUpgrade(pendingUpgrade).consistent(consistent);
    }

    /** Builds a {@link DiamondRecord}; every setter returns the builder. */
    public static final class Builder {
        private final String network;
        private final long chainId;
        private final Address address;
        private String symbol;
        private String name;
        private Address factory;
        private Address owner;
        private List<Facet> facets = List.of();
        private Long createdBlock;
        private String createdTx;
        private long lastSyncedBlock = -1;
        private String lastSyncedBlockHash;
        private PendingUpgrade pendingUpgrade;
        private boolean consistent = true;

        private Builder(String network, long chainId, Address address) {
            this.network = network;
            this.chainId = chainId;
            this.address = address;
        }

        public Builder symbol(String symbol) {
            this.symbol = symbol;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder factory(Address factory) {
            this.factory = factory;
            return this;
        }

        public Builder owner(Address owner) {
            this.owner = owner;
            return this;
        }

        public Builder facets(List<Facet> facets) {
            this.facets = facets;
            return this;
        }

        public Builder created(Long block, String tx) {
            this.createdBlock = block;
            this.createdTx = tx;
            return this;
        }

        public Builder lastSynced(long block, String hash) {
            this.lastSyncedBlock = block;
            this.lastSyncedBlockHash = hash;
            return this;
        }

        public Builder pendingUpgrade(PendingUpgrade pending) {
            this.pendingUpgrade = pending;
            return this;
        }

        public Builder consistent(boolean consistent) {
            this.consistent = consistent;
            return this;
        }

        public DiamondRecord build() {
            return new DiamondRecord(network, chainId, address, symbol, name, factory, owner, facets, createdBlock,
                    createdTx, lastSyncedBlock, lastSyncedBlockHash, pendingUpgrade, consistent);
        }
    }
}
