package io.gemforce.sync.internal.historical;

import io.gemforce.sync.chain.RawLog;
import java.util.List;

/**
 * One {@link RangePlanner} per chain source, shared by every run and every reader thread, so what
 * was learned about the node's limits survives across scopes and calls.
 *
 * <p>Exploring: a range larger than any the node has served since its last refusal is a probe.
 * While a probe is in flight, readers that would plan past the largest size known to work wait for
 * its answer: a refusal then costs one request, not one per reader, and a size that works is used by
 * all of them at once. Growth is rare (the planner doubles after successes, and learns a refused
 * size for a while), so the wait costs about one round trip per step.
 */
public final class SharedPlanner {
    private final RangePlanner planner;
    private long served;
    /** The probe in flight, or null. */
    private Plan probe;

    public SharedPlanner(RangePlanner planner) {
        this.planner = planner;
    }

    /** A planned range: {@code [from, end]}; {@code probe} when it is larger than any served so far. */
    public record Plan(long from, long end, boolean probe) {
    }

    /**
     * The next range from {@code from}, never past {@code to}, or {@code null} when a probe is in
     * flight and this range would be larger than any served (try again after the probe's answer).
     */
    public synchronized Plan plan(long from, long to) {
        long end = planner.end(from, to);
        long size = end - from + 1;
        if (size <= served) {
            return new Plan(from, end, false);
        }
        if (probe == null) {
            probe = new Plan(from, end, true);
            return probe;
        }
        return null;
    }

    /** The last block of a range for a single caller that does not take part in probing. */
    public synchronized long end(long from, long to) {
        return planner.end(from, to);
    }

    public synchronized void onSuccess(Plan plan, List<RawLog> logs) {
        if (plan == probe) {
            probe = null;
        }
        onSuccess(plan.from(), plan.end(), logs);
    }

    /** A range read outside the probing (a side read) was served. */
    public synchronized void onSuccess(long from, long end, List<RawLog> logs) {
        served = Math.max(served, end - from + 1);
        long tailFrom = end - RangePlanner.tailBlocks(from, end) + 1;
        int tail = 0;
        for (RawLog l : logs) {
            if (l.blockNumber() >= tailFrom) {
                tail++;
            }
        }
        planner.onSuccess(from, end, logs.size(), tail);
        notifyAll();
    }

    /** The node refused a planned range; throws when it was already the minimum size. */
    public synchronized void onTooLarge(Plan plan, long suggestedTo, String message) {
        if (plan == probe) {
            probe = null;
        }
        onTooLarge(plan.from(), plan.end(), suggestedTo, message);
        if (suggestedTo >= plan.from() && suggestedTo < plan.end()) {
            // the node said what it accepts: ranges of that size need no probe of their own
            served = Math.max(served, suggestedTo - plan.from() + 1);
        }
    }

    /** The node refused a range read outside the probing; throws when it was already the minimum size. */
    public synchronized void onTooLarge(long from, long end, long suggestedTo, String message) {
        long tried = end - from + 1;
        if (tried <= served) {
            served = tried - 1; // the node's limit went down
        }
        notifyAll();
        planner.onTooLarge(from, end, suggestedTo, message);
    }

    /** A planned range ended without an answer (a failure other than a refusal, or cancelled). */
    public synchronized void abandon(Plan plan) {
        if (plan == probe) {
            probe = null;
            notifyAll();
        }
    }

    /** Waits (briefly) for another reader's answer to change what can be planned. */
    public synchronized void awaitChange() {
        try {
            wait(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.gemforce.sync.SyncException(io.gemforce.sync.ErrorCode.INTERRUPTED, "interrupted");
        }
    }

    /** Whether a probe is in flight (this reader's or another's). */
    public synchronized boolean probing() {
        return probe != null;
    }

    /** The planner's current range size. */
    public synchronized long size() {
        return planner.size();
    }
}
