package io.gemforce.sync.follow;

/** How close to the head a follower indexes. */
public enum FollowMode {
    /**
     * Up to the head minus the network's confirmations: ordinary reorgs happen above what is stored
     * and never touch the store.
     */
    CONFIRMED,
    /**
     * Up to the head itself: the store is as fresh as the node, and a reorg rolls it back (a
     * {@link DiamondChange.RolledBack} reaches the listener) before the new blocks are applied.
     */
    HEAD
}
