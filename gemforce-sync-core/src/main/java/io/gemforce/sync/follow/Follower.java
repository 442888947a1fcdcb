package io.gemforce.sync.follow;

import java.time.Duration;

/**
 * A running follower of one network, from {@link io.gemforce.sync.DiamondSyncer#follow}: it syncs
 * up to the head with the historical pipeline, then keeps the store in step with each new head and
 * pushes the committed changes to its {@link ChangeListener}. Thread-safe.
 *
 * <p>Stopping commits or drops the range in hand (never half of it); a new follower of the same
 * network and store resumes from the checkpoint.
 */
public interface Follower extends AutoCloseable {

    /** The follower's state now. */
    FollowStatus status();

    /**
     * Waits until the store is synced to the follower's target (the head, less the confirmations in
     * confirmed mode) as last read.
     *
     * @return true when caught up, false on timeout or when the follower stopped first
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException;

    /**
     * Asks the follower to stop and waits up to {@code timeout} for it: the round in hand ends at a
     * range boundary, and the changes already committed are delivered to the listener.
     *
     * @return true when it stopped and delivered everything within the timeout
     */
    boolean stop(Duration timeout) throws InterruptedException;

    /** Waits until the follower stopped by itself ({@link FollowStatus.State#FAILED}) or was stopped. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** {@link #stop(Duration)} with 30 seconds; interruption is kept on the thread. */
    @Override
    default void close() {
        try {
            stop(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
