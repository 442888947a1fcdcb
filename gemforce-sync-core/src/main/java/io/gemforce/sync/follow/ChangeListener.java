package io.gemforce.sync.follow;

/**
 * Receives a follower's committed changes, in order, on the follower's delivery thread (one per
 * follower), after the store committed them.
 *
 * <p>Guarantees: every change is delivered at least once; a change whose call throws is offered
 * again (after a back-off that grows to a few seconds) until the call returns, so nothing is lost
 * and the order holds. A change can therefore arrive twice (a throw after partial work, a restart):
 * de-duplicate by {@link DiamondChange#id()}, which is stable. Changes wait in a bounded queue
 * ({@link FollowOptions.Builder#queueCapacity}); when a slow listener lets it fill up, this network's
 * follower waits before its next commit (it never drops a change); other followers are not
 * affected.
 */
@FunctionalInterface
public interface ChangeListener {
    ChangeListener NONE = change -> { };

    void onChange(DiamondChange change) throws Exception;
}
