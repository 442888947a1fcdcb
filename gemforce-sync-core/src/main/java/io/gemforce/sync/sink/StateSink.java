package io.gemforce.sync.sink;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
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
 *
 * <p>Optional read ports beside it: {@link StoredEventReader} (the history API) and
 * {@link StoreContentsReader} (tests and tools).
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
     * {@code atOrBelow}, newest first (blocks of one number in any order), at most {@code limit}. A
     * follower compares them with the chain to find where a reorg deeper than the reorg window
     * forked. Stores answer it with one query (a {@code SELECT DISTINCT ... ORDER BY block_number
     * DESC LIMIT ?} or equivalent); the conformance suite checks it.
     *
     * <p>The default lists nothing: a sink that does not override it still syncs and follows
     * correctly, but a follower cannot locate a fork deeper than the reorg window in it and stops
     * with {@link io.gemforce.sync.ErrorCode#REORG_TOO_DEEP}, changing nothing (re-sync with
     * {@code reindexAll}).
     *
     * @throws io.gemforce.sync.SinkException when the store cannot be read
     */
    default List<BlockId> eventBlocks(long chainId, long atOrBelow, int limit) {
        return List.of();
    }
}
