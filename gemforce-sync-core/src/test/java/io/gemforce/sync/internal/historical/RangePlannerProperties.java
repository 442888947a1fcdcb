package io.gemforce.sync.internal.historical;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.chain.ChainException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Range splitting against a simulated node cap: whatever the cap, hint or not, the ranges served
 * cover [from, to] exactly, in order, without overlap, and never exceed the cap once learned.
 */
class RangePlannerProperties {

    @Property(tries = 500)
    void rangesCoverTheSpanExactlyWhateverTheCap(@ForAll @LongRange(min = 0, max = 1_000) long from,
            @ForAll @LongRange(min = 0, max = 5_000) long length, @ForAll @LongRange(min = 1, max = 700) long cap,
            @ForAll boolean hint, @ForAll @IntRange(min = 1, max = 900) int initial) {
        long to = from + length;
        RangePlanner planner = new RangePlanner(Math.min(initial, 800), 1, 800, 2, 16);
        List<long[]> served = new ArrayList<>();
        int refusals = 0;
        long cursor = from;
        while (cursor <= to) {
            long end = planner.end(cursor, to);
            assertThat(end).isBetween(cursor, to);
            if (end - cursor + 1 > cap) {
                refusals++;
                planner.onTooLarge(cursor, end, hint ? cursor + cap - 1 : -1, "too large");
                continue;
            }
            served.add(new long[] {cursor, end});
            planner.onSuccess(cursor, end);
            cursor = end + 1;
        }
        assertThat(served.get(0)[0]).isEqualTo(from);
        assertThat(served.get(served.size() - 1)[1]).isEqualTo(to);
        for (int i = 1; i < served.size(); i++) {
            assertThat(served.get(i)[0]).isEqualTo(served.get(i - 1)[1] + 1);
        }
        // refusals stay rare: a few to learn the cap, then at most one per 16 successes to re-probe
        assertThat(refusals).isLessThanOrEqualTo(12 + served.size() / 8);
    }

    @Property(tries = 200)
    void growsBackWhenTheCapIsLifted(@ForAll @LongRange(min = 1, max = 50) long cap) {
        RangePlanner planner = new RangePlanner(400, 1, 400, 2, 16);
        long cursor = 0;
        for (int i = 0; i < 40; i++) {
            long end = planner.end(cursor, Long.MAX_VALUE / 2);
            if (end - cursor + 1 > cap) {
                planner.onTooLarge(cursor, end, -1, "too large");
            } else {
                planner.onSuccess(cursor, end);
                cursor = end + 1;
            }
        }
        assertThat(planner.size()).isLessThanOrEqualTo(400);
        for (int i = 0; i < 60; i++) { // cap lifted
            long end = planner.end(cursor, Long.MAX_VALUE / 2);
            planner.onSuccess(cursor, end);
            cursor = end + 1;
        }
        assertThat(planner.size()).isEqualTo(400);
    }

    @Property(tries = 300)
    void denseRangesShrinkTowardsTheTargetAndSparseOnesGrow(@ForAll @IntRange(min = 1, max = 200) int logsPerBlock) {
        RangePlanner planner = new RangePlanner(2_000, 1, 100_000, 2, 16, 10_000);
        long cursor = 0;
        int over = 0;
        for (int i = 0; i < 30; i++) {
            long end = planner.end(cursor, Long.MAX_VALUE / 2);
            long logs = (end - cursor + 1) * logsPerBlock;
            if (logs > 10_000) {
                over++;
            }
            planner.onSuccess(cursor, end, (int) Math.min(Integer.MAX_VALUE, logs));
            cursor = end + 1;
        }
        // after the first dense answer, responses stay at or under the target
        assertThat(over).isLessThanOrEqualTo(1);
        assertThat(planner.size() * logsPerBlock).isGreaterThanOrEqualTo(Math.min(2_000L * logsPerBlock, 2_500));
    }

    @Property(tries = 300)
    void anEmptyStartGrowsEightfoldOnlyAfterEnoughEmptyBlocks(@ForAll @IntRange(min = 1, max = 2_000) int initial,
            @ForAll @LongRange(min = 0, max = 50_000) long emptyBlocks) {
        RangePlanner planner = new RangePlanner(initial, 1, 100_000, 2, 16, 10_000);
        long cursor = 0;
        long previous = 0;
        while (true) {
            long end = planner.end(cursor, Long.MAX_VALUE / 2);
            long size = end - cursor + 1;
            if (previous > 0) {
                // a quiet range under the evidence threshold at most doubles the next one
                assertThat(size).isLessThanOrEqualTo(previous * (previous >= RangePlanner.SPARSE_EVIDENCE_BLOCKS ? 8 : 2));
                assertThat(size).isGreaterThan(previous); // but it does grow, at once
            }
            if (end >= emptyBlocks) {
                break; // the first range that reaches a block with logs
            }
            planner.onSuccess(cursor, end, 0);
            previous = size;
            cursor = end + 1;
        }
    }

    @Example
    void aFewQuietBlocksBeforeABusyOneDoNotMakeAnOversizedFirstAnswer() {
        // the dense benchmark's syncAll: 2-block ranges, four quiet blocks, then 4,000 logs per block
        RangePlanner planner = new RangePlanner(2, 1, 100_000, 2, 16, 10_000);
        long cursor = 0;
        long firstLogs = -1;
        while (firstLogs < 0) {
            long end = planner.end(cursor, 1_000);
            long logs = Math.max(0, end - Math.max(cursor, 4) + 1) * 4_000;
            planner.onSuccess(cursor, end, (int) logs);
            if (logs > 0) {
                firstLogs = logs;
            }
            cursor = end + 1;
        }
        assertThat(firstLogs).isLessThanOrEqualTo(10_000); // eightfold growth read 14 busy blocks (56,000 logs) at once
    }

    @Example
    void aBusyLastBlockSizesTheNextRangesOnIt() {
        // the dense benchmark's syncAll: [10..13] holds 4,004 logs, 4,000 of them in block 13; sized on the
        // whole answer (1,001 a block) the next ranges, four read at once, held 16,000 logs each
        RangePlanner planner = new RangePlanner(4, 1, 100_000, 2, 16, 10_000);
        planner.onSuccess(10, 13, 4_004, 4_000);
        assertThat(planner.size()).isEqualTo(2);
    }

    @Example
    void aQuietAnswerDoesNotGrowTheNextRangePastItsTailsRate() {
        // a sample the property once found: 7 logs, 5 in the last block, grew the range past the tail's rate
        theNextRangeHoldsAtMostTheTargetAtTheRateOfTheAnswersTail(6, 6, 7, 72, 57);
    }

    @Property(tries = 2000)
    void theNextRangeHoldsAtMostTheTargetAtTheRateOfTheAnswersTail(
            @ForAll @IntRange(min = 1, max = 10_000) int initial, @ForAll @LongRange(min = 1, max = 10_000) long length,
            @ForAll @IntRange(min = 0, max = 50_000) int logs, @ForAll @IntRange(min = 0, max = 100) int tailPercent,
            @ForAll @IntRange(min = 2, max = 20_000) int target) {
        RangePlanner planner = new RangePlanner(initial, 1, 10_000, 2, 16, target);
        long from = 1_000;
        long to = from + length - 1;
        int tailLogs = (int) ((long) logs * tailPercent / 100);
        long tail = RangePlanner.tailBlocks(from, to);
        planner.onSuccess(from, to, logs, tailLogs);
        long next = planner.size();
        if (tail < length && tailLogs > 0) {
            // at the tail's rate the next range holds at most the target (or it is the smallest range)
            assertThat(next == 1 || (double) next * tailLogs <= (double) target * tail).isTrue();
        }
        if ((double) tailLogs * initial <= (double) target * tail) {
            // a tail that fits does not shrink the range: at most it holds back growth
            RangePlanner without = new RangePlanner(initial, 1, 10_000, 2, 16, target);
            without.onSuccess(from, to, logs);
            assertThat(next).isLessThanOrEqualTo(without.size())
                    .isGreaterThanOrEqualTo(Math.min(without.size(), initial));
        }
    }

    @Property(tries = 50)
    void aRefusalAtTheMinimumIsFinal(@ForAll @LongRange(min = 0, max = 100) long from) {
        RangePlanner planner = new RangePlanner(1, 1, 10, 2, 16);
        try {
            planner.onTooLarge(from, from, -1, "too large");
            throw new AssertionError("expected a refusal");
        } catch (ChainException.RangeTooLarge e) {
            assertThat(e.getMessage()).contains("1-block range");
        }
    }
}
