package io.gemforce.sync.follow;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * A committed change that a follower pushes to its {@link ChangeListener}. Each has an {@link #id()}
 * that stays the same however often the change is delivered, so a host can de-duplicate.
 */
public sealed interface DiamondChange {

    /** Stable identity: {@code chainId:transactionHash:logIndex:kind}, or the rollback's blocks. */
    String id();

    String network();

    long chainId();

    /** The block of the change; for a rollback, the block the store was rolled back to. */
    long blockNumber();

    /** Where an on-chain change comes from: its log. */
    record Origin(String network, long chainId, long blockNumber, String blockHash, String transactionHash,
            long logIndex) {
        public Origin {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(blockHash, "blockHash");
            Objects.requireNonNull(transactionHash, "transactionHash");
        }

        String id(String kind) {
            return chainId + ":" + transactionHash + ":" + logIndex + ":" + kind;
        }
    }

    /** A change made by one log on the chain, about one diamond. */
    sealed interface OnChain extends DiamondChange {
        Origin origin();

        Address diamond();

        @Override
        default String network() {
            return origin().network();
        }

        @Override
        default long chainId() {
            return origin().chainId();
        }

        @Override
        default long blockNumber() {
            return origin().blockNumber();
        }
    }

    /** A configured factory created the diamond ({@code DiamondCreated}). */
    record DiamondCreated(Origin origin, Address diamond, Address factory, String symbol, String name)
            implements OnChain {
        @Override
        public String id() {
            return origin.id("created");
        }
    }

    /** The diamond's facets changed ({@code DiamondCut}): the cut as emitted. */
    record FacetsChanged(Origin origin, Address diamond, List<FacetCut> cuts, Address init, String calldata)
            implements OnChain {
        public FacetsChanged {
            cuts = List.copyOf(cuts);
        }

        @Override
        public String id() {
            return origin.id("facets");
        }
    }

    /** ERC-173 {@code OwnershipTransferred}. */
    record OwnershipChanged(Origin origin, Address diamond, Address previousOwner, Address newOwner)
            implements OnChain {
        @Override
        public String id() {
            return origin.id("owner");
        }
    }

    /**
     * A time-locked upgrade was proposed ({@code DiamondCutProposed}).
     *
     * @param proposedCuts what it will do, from the proposing transaction's input; empty when unknown
     */
    record UpgradeProposed(Origin origin, Address diamond, Address proposer, BigInteger proposalTime,
            BigInteger executionTime, List<FacetCut> proposedCuts) implements OnChain {
        public UpgradeProposed {
            proposedCuts = List.copyOf(proposedCuts);
        }

        @Override
        public String id() {
            return origin.id("proposed");
        }
    }

    /** The pending upgrade was cancelled ({@code DiamondCutCancelled}). */
    record UpgradeCancelled(Origin origin, Address diamond, Address canceller) implements OnChain {
        @Override
        public String id() {
            return origin.id("cancelled");
        }
    }

    /**
     * The pending upgrade was executed: a {@code DiamondCut} while one was pending. The same log also
     * gives a {@link FacetsChanged}, delivered right after this.
     */
    record UpgradeExecuted(Origin origin, Address diamond, List<FacetCut> cuts) implements OnChain {
        public UpgradeExecuted {
            cuts = List.copyOf(cuts);
        }

        @Override
        public String id() {
            return origin.id("executed");
        }
    }

    /**
     * A reorg: the store was rolled back from {@code fromBlock} to {@code blockNumber} (the highest
     * block still on the canonical chain); changes delivered above it are void, and the canonical
     * chain's changes follow.
     */
    record RolledBack(String network, long chainId, long fromBlock, long blockNumber, String blockHash)
            implements DiamondChange {
        @Override
        public String id() {
            return chainId + ":rollback:" + fromBlock + ">" + blockNumber + ":" + blockHash;
        }
    }
}
