package io.gemforce.sync.internal;

import io.gemforce.sync.SyncListener;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The syncer's tuning knobs as the pipeline reads them; immutable.
 *
 * @param commitRanges ranges stored together as one change set, at most
 * @param commitInterval the longest time ranges wait to be stored
 * @param halt asked between ranges: true stops the run after storing what it holds (a follower's stop)
 * @param observer hears each commit and rollback
 * @param metrics the host's meters, or {@link EngineMetrics#NONE}
 */
public record RunSettings(long reorgWindow, long initialRange, long minRange, long maxRange, int growAfter,
        int forgetAfter, int maxAddressesPerQuery, Duration timeBudget, Clock clock, boolean reconcile,
        long pendingLookbackBlocks, SyncListener listener, boolean prefetch, int concurrency, int commitRanges,
        Duration commitInterval, BooleanSupplier halt, CommitObserver observer, EngineMetrics metrics) {

    /** These settings for a follower's run: it halts between ranges when asked, and reports its commits. */
    public RunSettings following(BooleanSupplier halt, CommitObserver observer) {
        return new RunSettings(reorgWindow, initialRange, minRange, maxRange, growAfter, forgetAfter,
                maxAddressesPerQuery, timeBudget, clock, reconcile, pendingLookbackBlocks, listener, prefetch,
                concurrency, commitRanges, commitInterval, halt, observer, metrics);
    }

    /** Requests in flight: one without read-ahead. */
    public int readAhead() {
        return prefetch ? concurrency : 1;
    }
}
