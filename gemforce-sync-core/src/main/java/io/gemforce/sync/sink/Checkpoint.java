package io.gemforce.sync.sink;

import io.gemforce.sync.chain.BlockId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How far one scope of one chain is synced: the last block covered and its hash, plus the hashes
 * of a few recent blocks at or below it (newest first) that reorg detection compares with the
 * chain to find the fork point.
 *
 * <p>Scopes: {@code all} for {@code syncAll}, {@code diamond:<address>} for {@code syncDiamond},
 * {@code events:<address>:<EventType|*>} for {@code syncEvents}.
 */
public record Checkpoint(String scope, long blockNumber, String blockHash, List<BlockId> recent) {
    public Checkpoint {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(blockHash, "blockHash");
        if (blockNumber < 0) {
            throw new IllegalArgumentException("negative checkpoint block");
        }
        recent = recent.stream().filter(b -> b.number() <= blockNumber)
                .sorted(Comparator.comparingLong(BlockId::number).reversed()).distinct().toList();
    }

    public BlockId block() {
        return new BlockId(blockNumber, blockHash);
    }

    /** This checkpoint moved back to {@code fork} (after a reorg), keeping the recent hashes below it. */
    public Checkpoint rolledBackTo(BlockId fork) {
        return new Checkpoint(scope, fork.number(), fork.hash(),
                recent.stream().filter(b -> b.number() <= fork.number()).toList());
    }

    public static String allScope() {
        return "all";
    }

    public static String diamondScope(io.gemforce.sync.diamond.Address diamond) {
        return "diamond:" + diamond.hex();
    }

    public static String eventsScope(io.gemforce.sync.diamond.Address diamond, String eventType) {
        return "events:" + diamond.hex() + ":" + (eventType == null ? "*" : eventType);
    }
}
