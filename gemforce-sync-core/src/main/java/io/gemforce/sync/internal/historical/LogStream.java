package io.gemforce.sync.internal.historical;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.RangeLogs;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Children children;
    private final java.util.function.Function<List<RawLog>, Object> prepare;
    /** Addresses found by {@link #children} in answers, with the block each was created in. */
    private final Map<Address, Long> discovered = new ConcurrentHashMap<>();
    private final ExecutorService pool;
    /** Dispatched ranges by first block. */
    private final TreeMap<Long, Task> outstanding = new TreeMap<>();
    /** Refused spans to plan again, by first block. */
    private final TreeMap<Long, Long> gaps = new TreeMap<>();
    private long cursor;
    private long expected;

    private record Task(SharedPlanner.Plan plan, Future<Read> result) {
    }

    /** A range's answer: its logs and end header, and every address they were read for. */
    private record Read(RangeLogs logs, Set<Address> readWith, Object prepared) {
    }

    /**
     * Finds addresses created in a range's logs whose own logs the read needs from their creation
     * block on (a factory's children): they are read for the rest of that range and added to every
     * range dispatched or answered later, on the reader threads, so a run does not stop for them.
     */
    @FunctionalInterface
    public interface Children {
        Children NONE = logs -> Map.of();

        /** New addresses in {@code logs}, each with the block it was created in. */
        Map<Address, Long> in(List<RawLog> logs);
    }

    LogStream(RangeReader reader, SharedPlanner planner, long from, long to, Supplier<List<Address>> addresses,
            List<String> topic0s, int concurrency, Children children,
            java.util.function.Function<List<RawLog>, Object> prepare) {
        this.children = children;
        this.prepare = prepare;
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
            Read read = await(t);
            if (read == null) { // refused: plan the span again, smaller
                outstanding.remove(expected);
                gaps.put(t.plan().from(), t.plan().end());
                continue;
            }
            outstanding.remove(expected);
            expected = t.plan().end() + 1;
            fill();
            return new LogRange(t.plan().from(), t.plan().end(), read.logs().logs(), read.readWith(),
                    read.logs().end().orElse(null), read.prepared());
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
            List<Address> list = withDiscovered(addresses.get());
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
            outstanding.put(lo, new Task(plan, pool.submit(() -> read(plan, list))));
        }
    }

    private List<Address> withDiscovered(List<Address> list) {
        if (discovered.isEmpty()) {
            return list;
        }
        Set<Address> all = new LinkedHashSet<>(list);
        all.addAll(discovered.keySet());
        return new ArrayList<>(all);
    }

    private Read read(SharedPlanner.Plan plan, List<Address> list) {
        if (list.isEmpty()) {
            return new Read(reader.query(plan.from(), plan.end(), list, topic0s, true), Set.of(), null);
        }
        RangeLogs logs;
        try {
            logs = reader.query(plan.from(), plan.end(), list, topic0s, true);
            planner.onSuccess(plan, logs.logs().size());
        } catch (ChainException.RangeTooLarge e) {
            LOG.debug("range {}..{} refused: {}", plan.from(), plan.end(), e.getMessage());
            // throws a final RangeTooLarge when the range was already the smallest
            planner.onTooLarge(plan, e.suggestedToBlock(), e.getMessage());
            throw new Refused(e);
        } catch (RuntimeException | Error e) {
            planner.abandon(plan);
            throw e;
        }
        return withChildren(plan, logs, new LinkedHashSet<>(list));
    }

    /**
     * Adds the logs of addresses created in this range or in another range answered meanwhile (up to
     * this range's end) that the range was not read for.
     */
    private Read withChildren(SharedPlanner.Plan plan, RangeLogs first, Set<Address> readWith) {
        List<RawLog> logs = new ArrayList<>(first.logs());
        List<RawLog> fresh = first.logs();
        for (int round = 0; round < 4; round++) {
            children.in(fresh).forEach((a, block) -> discovered.merge(a, block, Math::min));
            Map<Address, Long> missing = new java.util.HashMap<>();
            discovered.forEach((a, block) -> {
                if (block <= plan.end() && !readWith.contains(a)) {
                    missing.put(a, block);
                }
            });
            if (missing.isEmpty()) {
                break;
            }
            long from = Math.max(plan.from(), missing.values().stream().mapToLong(Long::longValue).min().orElseThrow());
            fresh = reader.readAll(from, plan.end(), missing.keySet(), topic0s);
            logs.addAll(fresh);
            readWith.addAll(missing.keySet());
        }
        List<RawLog> ordered = RangeReader.ordered(logs);
        return new Read(new RangeLogs(ordered, first.end()), readWith, prepare == null ? null : prepare.apply(ordered));
    }

    /** A refusal the planner has learned from: the span is planned again. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(ChainException.RangeTooLarge cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** The task's logs, or {@code null} when the node refused the range and the planner learned from it. */
    private static Read await(Task t) {
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
