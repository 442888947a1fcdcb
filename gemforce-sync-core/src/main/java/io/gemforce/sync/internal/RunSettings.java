package io.gemforce.sync.internal;

import io.gemforce.sync.SyncListener;
import java.time.Clock;
import java.time.Duration;

/**
 * The syncer's tuning knobs as the pipeline reads them; immutable.
 *
 * @param commitRanges ranges stored together as one change set, at most
 * @param commitInterval the longest time ranges wait to be stored
 */
public record RunSettings(long reorgWindow, long initialRange, long minRange, long maxRange, int growAfter,
        int forgetAfter, int maxAddressesPerQuery, Duration timeBudget, Clock clock, boolean reconcile,
        long pendingLookbackBlocks, SyncListener listener, boolean prefetch, int concurrency, int commitRanges,
        Duration commitInterval) {

    /** Requests in flight: one without read-ahead. */
    public int readAhead() {
        return prefetch ? concurrency : 1;
    }
}
