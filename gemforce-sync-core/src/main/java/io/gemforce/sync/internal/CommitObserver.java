package io.gemforce.sync.internal;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.internal.state.Applied;
import io.gemforce.sync.sink.ChangeSet;
import java.util.List;

/**
 * Hears what a run did to the store, right after it is done: each committed change set with the
 * events it stored as the state step applied them, and each rollback. Called on the run's thread;
 * the follower's delivery queue sits behind it.
 */
public interface CommitObserver {
    CommitObserver NONE = new CommitObserver() {
        @Override
        public void committed(ChangeSet changes, List<Applied> applied) {
        }

        @Override
        public void rolledBack(long chainId, BlockId fork, long fromBlock) {
        }
    };

    /** Whether {@link #committed} wants the applied events (collecting them costs a little per event). */
    default boolean wantsEvents() {
        return this != NONE;
    }

    /** A run read the head and will sync blocks {@code from..to} (nothing when {@code to < from}). */
    default void started(BlockRef head, long from, long to) {
    }

    /** The store now holds everything up to {@code end} (called after each commit, with its last block). */
    default void syncedTo(BlockRef end) {
    }

    /** A change set was stored; {@code applied} are its events in order. */
    void committed(ChangeSet changes, List<Applied> applied);

    /** The store was rolled back from {@code fromBlock} to {@code fork}. */
    void rolledBack(long chainId, BlockId fork, long fromBlock);
}
