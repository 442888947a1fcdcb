package io.gemforce.sync.sink;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The port to a store. The syncer reads checkpoints and known diamonds from it and writes one
 * {@link ChangeSet} per synced range. Implementations: in memory, Parse Server, JDBC, or the host
 * application's own.
 *
 * <p>Contract (checked by the conformance suite every sink runs):
 * <ul>
 *   <li>{@link #apply} is atomic and idempotent;</li>
 *   <li>{@link #rollback} deletes exactly the events above the fork block and the diamonds created
 *       above it, marks diamonds synced above it as stale ({@code lastSyncedBlock = -1}), and moves
 *       checkpoints above it back to it; nothing else changes;</li>
 *   <li>{@link #reset} deletes everything of one chain and nothing of another.</li>
 * </ul>
 * Failures: throw {@link io.gemforce.sync.SinkException} to choose the message; any other exception
 * is typed by the engine as a {@code SinkException} ({@code SINK_FAILURE}) with it as the cause.
 *
 * <p>Thread-safety: implementations must be thread-safe. One syncer serves concurrent calls of its
 * host and followers on their own threads; each run calls its sink from one thread at a time, several
 * runs at once. The provided sinks (in memory, JDBC, Parse) are.
 */
public interface StateSink {

    Optional<Checkpoint> checkpoint(long chainId, String scope);

    /** All diamonds stored for the chain. */
    List<DiamondRecord> diamonds(long chainId);

    Optional<DiamondRecord> diamond(long chainId, Address address);

    /** Applies the change set atomically and idempotently. */
    ApplyResult apply(ChangeSet changes);

    /** Rolls the chain's data back to {@code fork} (a reorg). */
    void rollback(long chainId, BlockId fork);

    /** Deletes all data of the chain ({@code reindexAll}). */
    void reset(long chainId);

    /**
     * The distinct blocks (number and hash) of the chain's stored events at or below
     * {@code atOrBelow}, newest first, at most {@code limit}. A follower compares them with the chain
     * to find where a reorg deeper than the reorg window forked. The default reads {@link #contents};
     * stores override it with a query.
     */
    default List<BlockId> eventBlocks(long chainId, long atOrBelow, int limit) {
        return contents(chainId).events().stream().filter(e -> e.blockNumber() <= atOrBelow)
                .map(e -> new BlockId(e.blockNumber(), e.blockHash())).distinct()
                .sorted(Comparator.comparingLong(BlockId::number).reversed()).limit(limit).toList();
    }

    /** Everything stored for the chain, in canonical order. */
    StoreContents contents(long chainId);
}
