package io.gemforce.sync.testkit;

import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.StoreContents;
import java.util.List;

/** Helpers to compare what two stores hold. */
public final class Stores {
    private static final String LISTENER_SCOPE = "listener:";

    private Stores() {
    }

    /**
     * {@code contents} with every checkpoint's {@code recent} hash list emptied, for comparing a
     * resumed, replayed or reorganised sync with an uninterrupted one: the events, the diamonds and
     * where each checkpoint stands (scope, block number, block hash) must be equal, while the recent
     * hashes a checkpoint keeps depend on where the ranges fell.
     */
    public static StoreContents withoutRecentHashes(StoreContents contents) {
        return new StoreContents(contents.events(), contents.diamonds(), contents.checkpoints().stream()
                .map(cp -> new Checkpoint(cp.scope(), cp.blockNumber(), cp.blockHash(), List.of())).toList());
    }

    /**
     * {@link #withoutRecentHashes(StoreContents)} without the checkpoints a follower keeps for its
     * listeners (scope {@code listener:<name>}, where delivery to that listener stands): for comparing a
     * store that a follower with listeners wrote with one that a plain sync wrote.
     */
    public static StoreContents withoutDeliveryCursors(StoreContents contents) {
        StoreContents plain = withoutRecentHashes(contents);
        return new StoreContents(plain.events(), plain.diamonds(), plain.checkpoints().stream()
                .filter(cp -> !cp.scope().startsWith(LISTENER_SCOPE)).toList());
    }
}
