package io.gemforce.sync.internal.historical;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.RangeLogs;
import io.gemforce.sync.diamond.Address;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ranges of a span, read with up to {@code concurrency} requests in flight and handed on
 * strictly in block order. A refused range goes back as a gap and is planned again, smaller,
 * before anything new; responses may arrive in any order. At most {@code concurrency} ranges are
 * outstanding (in flight or read and not yet taken), which bounds memory by the planner's target
 * logs per response. Used by one consumer thread; {@link #close} cancels what is in flight.
 */
public final class LogStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogStream.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final RangeReader reader;
    private final SharedPlanner planner;
    private final long to;
    private final Supplier<List<Address>> addresses;
    private final List<String> topic0s;
    private final int concurrency;
    private final ExecutorService pool;
    /** Dispatched ranges by first block. */
    private final TreeMap<Long, Task> outstanding = new TreeMap<>();
    /** Refused spans to plan again, by first block. */
    private final TreeMap<Long, Long> gaps = new TreeMap<>();
    private long cursor;
    private long expected;

    private record Task(SharedPlanner.Plan plan, List<Address> readWith, Future<RangeLogs> result) {
    }

    LogStream(RangeReader reader, SharedPlanner planner, long from, long to, Supplier<List<Address>> addresses,
            List<String> topic0s, int concurrency) {
        this.reader = reader;
        this.planner = planner;
        this.to = to;
        this.addresses = addresses;
        this.topic0s = topic0s;
        this.concurrency = concurrency;
        this.cursor = from;
        this.expected = from;
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "gemforce-sync-reader-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether ranges remain. */
    public boolean hasNext() {
        return expected <= to;
    }

    /** The next range in block order (blocks until it is read). */
    public LogRange next() {
        if (!hasNext()) {
            throw new IllegalStateException("no more ranges");
        }
        while (true) {
            fill();
            Task t = outstanding.get(expected);
            if (t == null) {
                // nothing could be planned: another reader's probe is in flight on the shared planner
                planner.awaitChange();
                continue;
            }
            RangeLogs logs = await(t);
            if (logs == null) { // refused: plan the span again, smaller
                outstanding.remove(expected);
                gaps.put(t.plan().from(), t.plan().end());
                continue;
            }
            outstanding.remove(expected);
            expected = t.plan().end() + 1;
            fill();
            return new LogRange(t.plan().from(), t.plan().end(), RangeReader.ordered(logs.logs()),
                    new LinkedHashSet<>(t.readWith()), logs.end().orElse(null));
        }
    }

    private void fill() {
        while (outstanding.size() < concurrency) {
            long lo;
            long hi;
            Map.Entry<Long, Long> gap = gaps.firstEntry();
            if (gap != null) {
                lo = gap.getKey();
                hi = gap.getValue();
            } else if (cursor <= to) {
                lo = cursor;
                hi = to;
            } else {
                return;
            }
            List<Address> list = addresses.get();
            SharedPlanner.Plan plan = list.isEmpty() ? new SharedPlanner.Plan(lo, hi, false) : planner.plan(lo, hi);
            if (plan == null) {
                return;
            }
            if (gap != null) {
                gaps.remove(lo);
                if (plan.end() < hi) {
                    gaps.put(plan.end() + 1, hi);
                }
            } else {
                cursor = plan.end() + 1;
            }
            outstanding.put(lo, new Task(plan, list, pool.submit(() -> read(plan, list))));
        }
    }

    private RangeLogs read(SharedPlanner.Plan plan, List<Address> list) {
        if (list.isEmpty()) {
            return reader.query(plan.from(), plan.end(), list, topic0s, true);
        }
        try {
            RangeLogs logs = reader.query(plan.from(), plan.end(), list, topic0s, true);
            planner.onSuccess(plan, logs.logs().size());
            return logs;
        } catch (ChainException.RangeTooLarge e) {
            LOG.debug("range {}..{} refused: {}", plan.from(), plan.end(), e.getMessage());
            // throws a final RangeTooLarge when the range was already the smallest
            planner.onTooLarge(plan, e.suggestedToBlock(), e.getMessage());
            throw new Refused(e);
        } catch (RuntimeException | Error e) {
            planner.abandon(plan);
            throw e;
        }
    }

    /** A refusal the planner has learned from: the span is planned again. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(ChainException.RangeTooLarge cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** The task's logs, or {@code null} when the node refused the range and the planner learned from it. */
    private static RangeLogs await(Task t) {
        try {
            return t.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(ErrorCode.INTERRUPTED, "interrupted while reading blocks " + t.plan().from() + ".."
                    + t.plan().end());
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Refused) {
                return null;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    @Override
    public void close() {
        for (Task t : outstanding.values()) {
            t.result().cancel(true);
            planner.abandon(t.plan()); // a probe that will not answer must not hold the shared planner
        }
        outstanding.clear();
        pool.shutdownNow();
        try {
            // requests still in flight end (interrupted) before the next run starts its own
            if (!pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("reader threads still busy 5 s after the stream closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
