package io.gemforce.sync.internal.historical;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.internal.historical.RangePlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The range stream: exact, ordered coverage whatever the node's cap, the delays and the refusals. */
class LogStreamProperties {
    private static final Address A = Address.of("0x00000000000000000000000000000000000000a1");

    /** One log per block (two in every seventh block), answers late at random, refuses spans above a cap. */
    static class SyntheticChain implements ChainSource {
        final long cap;
        final boolean hint;
        final Random random;
        final int maxDelay;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        SyntheticChain(long cap, boolean hint, long seed, int maxDelay) {
            this.cap = cap;
            this.hint = hint;
            this.random = new Random(seed);
            this.maxDelay = maxDelay;
        }

        static List<RawLog> logsOf(long block) {
            List<RawLog> out = new ArrayList<>();
            int n = block % 7 == 0 ? 2 : 1;
            for (int i = 0; i < n; i++) {
                out.add(new RawLog(A, List.of("0x" + "1".repeat(64)), "0x", block, "0x" + Long.toHexString(block),
                        "0xt" + block, i));
            }
            return out;
        }

        @Override
        public boolean threadSafe() {
            return true;
        }

        @Override
        public List<RawLog> logs(LogQuery q) {
            requests.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                int delay;
                synchronized (random) {
                    delay = random.nextInt(maxDelay + 1);
                }
                Thread.sleep(delay);
                if (q.blockCount() > cap) {
                    throw new ChainException.RangeTooLarge("block range is too wide",
                            hint ? q.fromBlock() + cap - 1 : -1);
                }
                List<RawLog> out = new ArrayList<>();
                for (long b = q.toBlock(); b >= q.fromBlock(); b--) { // any order: the stream sorts
                    out.addAll(logsOf(b));
                }
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainException.Unavailable("interrupted", e);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public long chainId() {
            return 1;
        }

        @Override
        public BlockRef head() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<BlockRef> block(long number) {
            return Optional.of(new BlockRef(number, "0x" + Long.toHexString(number), "0x" + Long.toHexString(number - 1), 0));
        }

        @Override
        public List<Facet> facets(Address diamond, long block) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Address> owner(Address diamond, long block) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean hasCode(Address address, long block) {
            throw new UnsupportedOperationException();
        }
    }

    @Property(tries = 200)
    void rangesCoverTheSpanExactlyInOrder(@ForAll @LongRange(min = 0, max = 500) long from,
            @ForAll @LongRange(min = 0, max = 400) long length, @ForAll @LongRange(min = 1, max = 64) long cap,
            @ForAll boolean hint, @ForAll @IntRange(min = 1, max = 8) int concurrency,
            @ForAll @IntRange(min = 1, max = 100) int initial, @ForAll long seed) {
        long to = from + length;
        SyntheticChain chain = new SyntheticChain(cap, hint, seed, 1);
        SharedPlanner planner = new SharedPlanner(new RangePlanner(initial, 1, 100, 2, 16));
        RangeReader reader = new RangeReader(chain, planner, 500);
        List<RawLog> all = new ArrayList<>();
        long next = from;
        try (LogStream stream = reader.open(from, to, () -> List.of(A), List.of(), concurrency)) {
            while (stream.hasNext()) {
                LogRange r = stream.next();
                assertThat(r.fromBlock()).isEqualTo(next);
                assertThat(r.toBlock()).isBetween(r.fromBlock(), to);
                next = r.toBlock() + 1;
                all.addAll(r.logs());
            }
        }
        assertThat(next).isEqualTo(to + 1);
        List<RawLog> expected = new ArrayList<>();
        for (long b = from; b <= to; b++) {
            expected.addAll(SyntheticChain.logsOf(b));
        }
        assertThat(all).isEqualTo(expected);
        assertThat(chain.maxInFlight.get()).isLessThanOrEqualTo(concurrency);
    }

    @Test
    void requestsAreReallyInFlightTogether() {
        // every eth_getLogs waits until four are in flight at once: a reader that sends one at a time times out
        CyclicBarrier four = new CyclicBarrier(4);
        AtomicInteger calls = new AtomicInteger();
        SyntheticChain chain = new SyntheticChain(Long.MAX_VALUE, false, 1, 0) {
            @Override
            public List<RawLog> logs(LogQuery q) {
                int n = calls.incrementAndGet();
                if (n > 1 && n <= 5) { // the first is the probe
                    try {
                        four.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        throw new ChainException.Timeout("not four in flight", e);
                    }
                }
                return super.logs(q);
            }
        };
        SharedPlanner planner = new SharedPlanner(new RangePlanner(10, 1, 10, 2, 16));
        List<LogRange> ranges = new ArrayList<>();
        try (LogStream stream = new RangeReader(chain, planner, 500).open(0, 99, () -> List.of(A), List.of(), 4)) {
            while (stream.hasNext()) {
                ranges.add(stream.next());
            }
        }
        assertThat(ranges).hasSize(10);
        assertThat(four.isBroken()).as("four requests met at the barrier").isFalse();
        assertThat(calls.get()).isEqualTo(10);
    }

    @Test
    void aProbeCancelledWithItsStreamDoesNotHoldTheSharedPlanner() {
        SyntheticChain chain = new SyntheticChain(Long.MAX_VALUE, false, 7, 200);
        SharedPlanner planner = new SharedPlanner(new RangePlanner(10, 1, 10, 2, 16));
        RangeReader reader = new RangeReader(chain, planner, 500);
        LogStream first = reader.open(0, 99, () -> List.of(A), List.of(), 4);
        first.hasNext();
        Thread t = new Thread(() -> {
            try {
                first.next(); // dispatches the probe, then is interrupted below
            } catch (RuntimeException expected) {
                // interrupted
            }
        });
        t.start();
        try {
            Thread.sleep(20);
            t.interrupt();
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        first.close();
        List<LogRange> ranges = new ArrayList<>();
        try (LogStream second = reader.open(0, 99, () -> List.of(A), List.of(), 4)) {
            while (second.hasNext()) {
                ranges.add(second.next());
            }
        }
        assertThat(ranges).hasSize(10);
    }

    /** A factory (A) that creates B at block 50; B then logs three times a block. */
    static class FactoryChain extends SyntheticChain {
        static final Address B = Address.of("0x00000000000000000000000000000000000000b2");

        FactoryChain(long seed) {
            super(Long.MAX_VALUE, false, seed, 1);
        }

        static List<RawLog> of(Address who, long block) {
            List<RawLog> out = new ArrayList<>();
            if (who.equals(A) && block == 50) {
                out.add(new RawLog(A, List.of("0x" + "c".repeat(64)), "0x", block, "0x" + Long.toHexString(block),
                        "0xt" + block, 0));
            }
            if (who.equals(B) && block > 50) {
                for (int i = 0; i < 3; i++) {
                    out.add(new RawLog(B, List.of("0x" + "d".repeat(64)), "0x", block, "0x" + Long.toHexString(block),
                            "0xt" + block, 1 + i));
                }
            }
            return out;
        }

        @Override
        public List<RawLog> logs(LogQuery q) {
            requests.incrementAndGet();
            List<RawLog> out = new ArrayList<>();
            for (long b = q.fromBlock(); b <= q.toBlock(); b++) {
                for (Address who : q.addresses()) {
                    out.addAll(of(who, b));
                }
            }
            return out;
        }
    }

    @Property(tries = 30)
    void aDenseDiamondFoundInARangeIsReadWithoutGapOrDuplicate(
            @ForAll @IntRange(min = 1, max = 6) int concurrency, @ForAll @IntRange(min = 1, max = 8000) int initial,
            @ForAll long seed) {
        readsTheFactoryAndItsChildInBlockOrderWithoutGapOrDuplicate(new FactoryChain(seed), concurrency, initial);
    }

    /** Streams blocks 0..5100 where the factory A creates the dense diamond B at block 50: every log once, in order. */
    private static void readsTheFactoryAndItsChildInBlockOrderWithoutGapOrDuplicate(FactoryChain chain, int concurrency,
            int initial) {
        SharedPlanner planner = new SharedPlanner(new RangePlanner(initial, 1, 8000, 2, 16));
        LogStream.Children children = logs -> {
            java.util.Map<Address, Long> found = new java.util.HashMap<>();
            logs.stream().filter(l -> l.address().equals(A)).forEach(l -> found.put(FactoryChain.B, l.blockNumber()));
            return found;
        };
        List<RawLog> all = new ArrayList<>();
        long next = 0;
        try (LogStream stream = new RangeReader(chain, planner, 500).open(0, 5100, () -> List.of(A), List.of(),
                concurrency, children, null)) {
            while (stream.hasNext()) {
                LogRange r = stream.next();
                assertThat(r.fromBlock()).isEqualTo(next);
                next = r.toBlock() + 1;
                all.addAll(r.logs());
            }
        }
        List<RawLog> expected = new ArrayList<>();
        for (long b = 0; b <= 5100; b++) {
            expected.addAll(FactoryChain.of(A, b));
            expected.addAll(FactoryChain.of(FactoryChain.B, b));
        }
        assertThat(next).isEqualTo(5101);
        assertThat(all).isEqualTo(expected);
    }

    /** A node that refuses a query of several blocks whose answer holds more than {@code cap} logs, as hosted providers do. */
    static final class CappedFactoryChain extends FactoryChain {
        final int cap;
        final AtomicInteger largestAnswer = new AtomicInteger();

        CappedFactoryChain(long seed, int cap) {
            super(seed);
            this.cap = cap;
        }

        @Override
        public List<RawLog> logs(LogQuery q) {
            List<RawLog> out = super.logs(q);
            if (out.size() > cap && q.fromBlock() < q.toBlock()) {
                throw new io.gemforce.sync.chain.ChainException.RangeTooLarge("query returned more than " + cap + " results", -1);
            }
            largestAnswer.accumulateAndGet(out.size(), Math::max);
            return out;
        }
    }

    @Property(tries = 30)
    void aDenseDiamondBehindAResultCapIsReadInPiecesWithoutGapOrDuplicate(
            @ForAll @IntRange(min = 1, max = 6) int concurrency, @ForAll @IntRange(min = 1, max = 8000) int initial,
            @ForAll @IntRange(min = 4, max = 3000) int cap, @ForAll long seed) {
        CappedFactoryChain chain = new CappedFactoryChain(seed, cap);
        readsTheFactoryAndItsChildInBlockOrderWithoutGapOrDuplicate(chain, concurrency, initial);
        assertThat(chain.largestAnswer.get()).isLessThanOrEqualTo(cap); // no answer over the cap was ever held
    }
}
