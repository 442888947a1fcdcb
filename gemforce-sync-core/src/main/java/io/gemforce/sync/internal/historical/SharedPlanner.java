package io.gemforce.sync.internal.historical;

import io.gemforce.sync.index.RangePlanner;

/**
 * One {@link RangePlanner} per chain source, shared by every run and every reader thread, so what
 * was learned about the node's limits survives across scopes and calls.
 *
 * <p>Exploring: a range larger than any the node has served since its last refusal is a probe.
 * While a probe is in flight, other readers get the largest size known to work, or wait when none
 * is known yet; a refusal then costs one request, not one per reader.
 */
public final class SharedPlanner {
    private final RangePlanner planner;
    private long served;
    private boolean probing;

    public SharedPlanner(RangePlanner planner) {
        this.planner = planner;
    }

    /** A planned range: {@code [from, end]}; {@code probe} when it is larger than any served so far. */
    public record Plan(long from, long end, boolean probe) {
    }

    /**
     * The next range from {@code from}, never past {@code to}, or {@code null} when a probe is in
     * flight and no size is known to work yet (try again after the probe's answer).
     */
    public synchronized Plan plan(long from, long to) {
        long end = planner.end(from, to);
        long size = end - from + 1;
        if (size <= served) {
            return new Plan(from, end, false);
        }
        if (!probing) {
            probing = true;
            return new Plan(from, end, true);
        }
        if (served == 0) {
            return null;
        }
        long known = from + served - 1;
        return new Plan(from, known < from || known > to ? to : known, false);
    }

    /** The last block of a range for a single caller that does not take part in probing. */
    public synchronized long end(long from, long to) {
        return planner.end(from, to);
    }

    public synchronized void onSuccess(Plan plan, int logs) {
        onSuccess(plan.from(), plan.end(), logs, plan.probe());
    }

    public synchronized void onSuccess(long from, long end, int logs, boolean probe) {
        if (probe) {
            probing = false;
        }
        served = Math.max(served, end - from + 1);
        planner.onSuccess(from, end, logs);
        notifyAll();
    }

    /** The node refused the range; throws when it was already the minimum size. */
    public synchronized void onTooLarge(long from, long end, boolean probe, long suggestedTo, String message) {
        if (probe) {
            probing = false;
        }
        long tried = end - from + 1;
        if (tried <= served) {
            served = tried - 1; // the node's limit went down
        }
        notifyAll();
        planner.onTooLarge(from, end, suggestedTo, message);
    }

    /** A probe ended without an answer (a failure other than a refusal). */
    public synchronized void abandon(Plan plan) {
        if (plan.probe()) {
            probing = false;
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

    /** The planner's current range size. */
    public synchronized long size() {
        return planner.size();
    }
}
