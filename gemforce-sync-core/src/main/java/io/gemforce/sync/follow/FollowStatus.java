package io.gemforce.sync.follow;

import java.time.Instant;

/**
 * A follower's state at one moment.
 *
 * @param head the newest head the follower read, -1 before the first
 * @param targetBlock what it syncs to: the head, minus the confirmations in confirmed mode
 * @param syncedBlock the last block committed to the store, -1 before the first
 * @param lagBlocks {@code head - syncedBlock} (0 when unknown)
 * @param lastError the last round's failure (code and message, secrets redacted), or null after a
 *     round that succeeded
 * @param syncedBlockTime the timestamp of the block at {@code syncedBlock}, when known (null before a
 *     commit by this follower)
 * @param lastCommit when the store last committed, or null
 * @param delivered changes the listener returned from
 * @param queued changes waiting for the listener
 */
public record FollowStatus(String network, State state, long head, long targetBlock, long syncedBlock,
        long lagBlocks, Instant syncedBlockTime, String lastError, Instant lastCommit, long delivered, int queued) {

    /** Where a follower is. */
    public enum State {
        /** Reading the chain up to the head (the first rounds). */
        BACKFILLING,
        /** Caught up; waiting for new heads. */
        FOLLOWING,
        /** The last round failed; it is tried again after a back-off. */
        RETRYING,
        /** Stopped by {@link Follower#stop(java.time.Duration)}. */
        STOPPED,
        /** Stopped by an error that another round cannot fix (see {@code lastError}). */
        FAILED
    }

    /** The follower has synced up to its target. */
    public boolean caughtUp() {
        return syncedBlock >= 0 && syncedBlock >= targetBlock;
    }
}
