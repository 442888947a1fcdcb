package io.gemforce.sync.testkit;

import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.StoreContents;
import java.util.List;

/** Helpers to compare what two stores hold. */
public final class Stores {
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
}
