package io.gemforce.sync.internal.historical;

import io.gemforce.sync.chain.ChainException;

/**
 * Chooses the size of the next {@code eth_getLogs} range. It starts at an initial size, halves (or
 * takes the node's hint) when the node refuses a range, doubles after {@code growAfter}
 * consecutive successes up to a maximum, and does not grow past half of a size the node refused until
 * {@code forgetAfter} consecutive successes have passed (so a cap that is lifted is found again).
 * A refusal that came with the node's hint (an explicit limit) is believed eight times longer. Until
 * the first refusal, a range that returned almost nothing (under an eighth of the target) grows at
 * once instead of after {@code growAfter} successes: eightfold when it spanned at least
 * {@value #SPARSE_EVIDENCE_BLOCKS} blocks, so a sparse chain reaches the node's limit in a few
 * requests, twofold when it spanned fewer (a handful of quiet blocks says little about the next
 * ones: a busy block can hold thousands of logs, and a range eight times too large is read alone,
 * as a probe).
 * Not thread-safe: {@code internal.historical.SharedPlanner} guards one for concurrent readers.
 */
public final class RangePlanner {
    /** Blocks an almost empty answer must span before the next range grows eightfold instead of twofold. */
    static final long SPARSE_EVIDENCE_BLOCKS = 64;
    private final long min;
    private final long max;
    private final int growAfter;
    private final int forgetAfter;
    private final int targetLogs;
    private long size;
    private long ceiling = Long.MAX_VALUE;
    private int successes;
    private int successesSinceCeiling;
    private boolean hintedCeiling;
    private boolean everRefused;

    public RangePlanner(long initial, long min, long max, int growAfter, int forgetAfter) {
        this(initial, min, max, growAfter, forgetAfter, 10_000);
    }

    public RangePlanner(long initial, long min, long max, int growAfter, int forgetAfter, int targetLogs) {
        if (targetLogs < 2) {
            throw new IllegalArgumentException("targetLogs must be at least 2");
        }
        this.targetLogs = targetLogs;
        if (min < 1 || max < min || initial < min || initial > max || growAfter < 1 || forgetAfter < 1) {
            throw new IllegalArgumentException("invalid range planner settings");
        }
        this.min = min;
        this.max = max;
        this.growAfter = growAfter;
        this.forgetAfter = forgetAfter;
        this.size = initial;
    }

    /** The current size in blocks. */
    public long size() {
        return size;
    }

    /** The last block of the next range starting at {@code from}, never above {@code to}. */
    public long end(long from, long to) {
        long end = from + size - 1;
        return end < from || end > to ? to : end;
    }

    /** The range {@code [from, to]} was served (log count unknown). */
    public void onSuccess(long from, long to) {
        onSuccess(from, to, 0);
    }

    /**
     * The range {@code [from, to]} was served with {@code logs} logs. Dense ranges shrink the next
     * one towards {@code targetLogs} logs, which bounds the memory a response takes; ranges grow
     * only while they return less than half of it.
     */
    public void onSuccess(long from, long to, int logs) {
        onSuccess(from, to, logs, 0);
    }

    /**
     * The blocks at the end of a range {@code [from, to]} whose logs {@link #onSuccess(long, long, int, int)}
     * weighs on their own: the last quarter, at least one block.
     */
    public static long tailBlocks(long from, long to) {
        return Math.max(1, (to - from + 1) / 4);
    }

    /**
     * {@link #onSuccess(long, long, int)}, with {@code tailLogs} of the logs in the range's last
     * {@link #tailBlocks} blocks: when that tail is dense enough that a range of the current size
     * would hold more than {@code targetLogs} logs at its rate, the next range is sized on the tail
     * (a chain turning busy shows in the last blocks first; sized on the whole answer, the next ranges,
     * several of them read at once, would each overshoot the target by as much).
     */
    public void onSuccess(long from, long to, int logs, int tailLogs) {
        long tail = tailBlocks(from, to);
        boolean weighed = tail < to - from + 1 && tailLogs > 0;
        long atTailRate = weighed ? Math.max(min, tail * targetLogs / tailLogs) : Long.MAX_VALUE;
        if (size > atTailRate) {
            successes = 0;
            size = atTailRate;
            return;
        }
        long before = size;
        grow(from, to, logs);
        if (size > before) {
            size = Math.max(before, Math.min(size, atTailRate)); // nor does it grow past the tail's rate
        }
    }

    private void grow(long from, long to, int logs) {
        if (logs > targetLogs) {
            successes = 0;
            long tried = to - from + 1;
            size = Math.max(min, Math.min(size, tried * targetLogs / logs));
            return;
        }
        if (logs > targetLogs / 2) {
            successes = 0;
            return;
        }
        successes++;
        if (ceiling != Long.MAX_VALUE && ++successesSinceCeiling >= (hintedCeiling ? 8L * forgetAfter : forgetAfter)) {
            ceiling = Long.MAX_VALUE;
            successesSinceCeiling = 0;
            hintedCeiling = false;
        }
        boolean sparseAndUnexplored = !everRefused && (long) logs * 8 < targetLogs;
        if ((successes >= growAfter || sparseAndUnexplored) && to - from + 1 >= size) {
            successes = 0;
            int factor = sparseAndUnexplored && to - from + 1 >= SPARSE_EVIDENCE_BLOCKS ? 8 : 2;
            long grown = size > max / factor ? max : size * factor;
            // below a refused size, grow no further than half of it: a block-count cap is then never
            // hit again, and a density cap is probed again once the ceiling is forgotten
            long cap = ceiling == Long.MAX_VALUE ? max : Math.max(size, ceiling / 2);
            size = Math.min(grown, cap);
        }
    }

    /**
     * The node refused {@code [from, to]}.
     *
     * @param suggestedTo the node's hint for the last block it would accept from {@code from}, or -1
     * @throws ChainException.RangeTooLarge when the range was already the minimum size
     */
    public void onTooLarge(long from, long to, long suggestedTo, String nodeMessage) {
        long tried = to - from + 1;
        successes = 0;
        successesSinceCeiling = 0;
        everRefused = true;
        ceiling = Math.min(ceiling, tried);
        boolean hinted = suggestedTo >= from && suggestedTo < to;
        hintedCeiling = hinted;
        if (tried <= min) {
            throw new ChainException.RangeTooLarge("the node refuses even a " + tried + "-block range at block "
                    + from + ": " + nodeMessage, -1);
        }
        long next = hinted ? suggestedTo - from + 1 : tried / 2;
        size = Math.max(min, Math.min(next, max));
    }
}
