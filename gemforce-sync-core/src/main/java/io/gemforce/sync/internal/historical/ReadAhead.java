package io.gemforce.sync.internal.historical;

import java.util.Collection;
import java.util.List;

/**
 * A {@link LogStream}'s policy: how far it reads ahead, and when waiting riders travel alone. Up to
 * {@code concurrency + 1} ranges are outstanding (read or being read, not yet taken); more, up to
 * {@code 4 x concurrency}, only while the ranges already read hold few logs together: a range that
 * waits for its riders then does not stop the reading of a sparse chain, and memory stays bounded
 * by the planner's target logs per response.
 */
final class ReadAhead {
    private ReadAhead() {
    }

    /**
     * Whether no further range may be planned now: more than {@code concurrency} outstanding, and
     * either {@code 4 x concurrency} of them (or {@code concurrency} is 1) or those read hold
     * {@code maxLogs} logs together.
     */
    static boolean full(Collection<PendingRange> outstanding, int concurrency, int maxLogs) {
        if (outstanding.size() <= concurrency) {
            return false;
        }
        if (concurrency == 1 || outstanding.size() >= 4 * concurrency) {
            return true;
        }
        long held = 0;
        for (PendingRange t : outstanding) {
            held += t.logs.size();
        }
        return held >= maxLogs;
    }

    /**
     * Whether waiting riders must go in a round of their own: nothing is in flight to dispatch again,
     * no range is left to travel with, or one of them completes the range the consumer waits for
     * (starting at {@code expected}). Else they ride with the next range.
     */
    static boolean ridersUrgent(List<PendingRange.Rider> waiting, int inFlight, boolean noRangeLeft, long expected) {
        if (inFlight == 0 || noRangeLeft) {
            return true;
        }
        for (PendingRange.Rider x : waiting) {
            if (x.range().plan.from() == expected) {
                return true;
            }
        }
        return false;
    }
}
