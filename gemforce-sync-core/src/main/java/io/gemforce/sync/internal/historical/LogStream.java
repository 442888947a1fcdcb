package io.gemforce.sync.internal.historical;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.LogsRound;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ranges of a span, read with up to {@code concurrency} round trips in flight and handed on
 * strictly in block order. A refused range goes back as a gap and is planned again, smaller,
 * before anything new; answers may arrive in any order.
 *
 * <p>Addresses found in an answer by {@link Children} (a factory's new diamonds) are read for the
 * rest of that range, and for every range dispatched before they were known, by riders: queries in
 * the next round trip's JSON-RPC batch. Ranges dispatched later include them. {@link ReadAhead}
 * bounds the ranges outstanding. One consumer thread; {@link #close} cancels what is in flight.
 *
 * <p>With {@code anyAddress} each range is read once for every emitter of the wanted topics: a
 * diamond found meanwhile needs no rider. Its logs are split when sealed, other emitters' set aside
 * ({@link LogRange#others}). An answer where those pass {@link #NOISE_MAX} and outnumber the wanted
 * ones, or a refusal of the smallest range, turns it off for the ranges dispatched after.
 */
public final class LogStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogStream.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Logs one range may hold once riders added the logs of diamonds found in it. */
    static final int MAX_LOGS = 10_000;
    /** Logs of other emitters in one answer read for any emitter past which the stream names addresses. */
    static final int NOISE_MAX = 1_000;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final RangeReader reader;
    private final SharedPlanner planner;
    private final long to;
    private final Supplier<List<Address>> addresses;
    private final List<String> topic0s;
    private final int concurrency;
    private final Children children;
    private final Preparation prepare;
    private final ExecutorService pool;
    /** The consumer's addresses as last asked (the supplier is only called on the consumer's thread). */
    private volatile List<Address> base = List.of();
    private volatile Set<Address> baseSet = Set.of();
    // guarded by this
    private final Map<Address, Long> discovered = new HashMap<>();
    private final TreeMap<Long, PendingRange> tasks = new TreeMap<>();
    private final TreeMap<Long, Long> gaps = new TreeMap<>();
    private final List<PendingRange.Rider> riders = new ArrayList<>();
    private long cursor;
    private long expected;
    private int inFlight;
    private boolean closed;
    private long idleSince;
    private boolean anyAddress;

    /**
     * Finds addresses created in a range's logs whose own logs the read needs from their creation
     * block on (a factory's children).
     */
    @FunctionalInterface
    public interface Children {
        Children NONE = logs -> Map.of();

        /** New addresses in {@code logs}, each with the block it was created in. */
        Map<Address, Long> in(List<RawLog> logs);
    }

    LogStream(RangeReader reader, SharedPlanner planner, long from, long to, Supplier<List<Address>> addresses,
            List<String> topic0s, int concurrency, Children children, Preparation prepare,
            boolean anyAddress) {
        this.reader = reader;
        this.anyAddress = anyAddress && !topic0s.isEmpty();
        this.planner = planner;
        this.to = to;
        this.addresses = addresses;
        this.topic0s = topic0s;
        this.concurrency = concurrency;
        this.children = children;
        this.prepare = prepare;
        this.cursor = from;
        this.expected = from;
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "gemforce-sync-reader-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether ranges remain. */
    public synchronized boolean hasNext() {
        return expected <= to;
    }

    /** The next range in block order (blocks until it is read). */
    public LogRange next() {
        base = List.copyOf(addresses.get());
        baseSet = Set.copyOf(base);
        synchronized (this) {
            if (expected > to) {
                throw new IllegalStateException("no more ranges");
            }
            while (true) {
                dispatch();
                PendingRange t = tasks.get(expected);
                if (t != null && t.failure != null) {
                    throw t.failure;
                }
                if (t == null || !t.ready) {
                    if (inFlight > 0 || planner.probing()) {
                        idleSince = 0;
                    } else if (idleSince == 0) {
                        idleSince = System.nanoTime();
                    } else if (System.nanoTime() - idleSince > STALL_NANOS) {
                        // nothing in flight, no probe anywhere, nothing to send: a fault in the reader, not a wait
                        throw new SyncException(ErrorCode.CHAIN_ERROR, "the range reader stalled at block " + expected
                                + " with nothing in flight for 60 s; run again");
                    }
                    try {
                        // a task that is missing waits for a probe (this stream's or another's) or for room
                        wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SyncException(ErrorCode.INTERRUPTED, "interrupted while reading blocks from " + expected);
                    }
                    continue;
                }
                tasks.remove(expected);
                expected = t.plan.end() + 1;
                dispatch();
                return new LogRange(t.plan.from(), t.plan.end(), t.ordered, Set.copyOf(t.readWith),
                        t.main.end().orElse(null), t.prepared, t.anyAddress, t.others);
            }
        }
    }

    /** Sends rounds while there is room: the next range, with every waiting rider. Guarded. */
    private void dispatch() {
        while (!closed && inFlight < concurrency) {
            SharedPlanner.Plan plan = nextPlan();
            if (plan == null && (riders.isEmpty()
                    || !ReadAhead.ridersUrgent(riders, inFlight, cursor > to && gaps.isEmpty(), expected))) {
                return; // riders wait to travel with the next range: one round trip for both
            }
            List<PendingRange.Rider> ride = new ArrayList<>(riders);
            riders.clear();
            PendingRange t = null;
            if (plan != null) {
                Set<Address> all = new LinkedHashSet<>(base);
                all.addAll(discovered.keySet());
                t = new PendingRange(plan, new ArrayList<>(all), anyAddress);
                tasks.put(plan.from(), t);
            }
            inFlight++;
            PendingRange task = t;
            // the addresses this round asks for, fixed now: riders may add to the range's set meanwhile
            List<Address> with = t == null ? List.of() : List.copyOf(t.readWith);
            List<Long> headers = t == null || prepare == null ? List.of() : prepare.headers(plan.from(), plan.end());
            pool.submit(() -> round(task, with, ride, headers));
        }
    }

    private SharedPlanner.Plan nextPlan() {
        Map.Entry<Long, Long> gap = gaps.firstEntry();
        if (gap == null && ReadAhead.full(tasks.values(), concurrency, MAX_LOGS)) {
            return null; // a gap lies before ranges already read: it is planned whatever the window
        }
        long lo;
        long hi;
        if (gap != null) {
            lo = gap.getKey();
            hi = gap.getValue();
        } else if (cursor <= to) {
            lo = cursor;
            hi = to;
        } else {
            return null;
        }
        boolean none = base.isEmpty() && discovered.isEmpty();
        SharedPlanner.Plan plan = none ? new SharedPlanner.Plan(lo, hi, false) : planner.plan(lo, hi);
        if (plan == null) {
            return null;
        }
        if (gap != null) {
            gaps.remove(lo);
            if (plan.end() < hi) {
                gaps.put(plan.end() + 1, hi);
            }
        } else {
            cursor = plan.end() + 1;
        }
        return plan;
    }

    /** One round trip on a reader thread: a range (nullable), its riders and the headers its preparation wants. */
    private void round(PendingRange t, List<Address> with, List<PendingRange.Rider> ride, List<Long> headers) {
        LogsRound r;
        try {
            List<LogQuery> extra = ride.stream().map(x -> x.query(topic0s)).toList();
            r = t == null ? reader.round(null, extra, List.of())
                    : reader.round(t.plan.from(), t.plan.end(), t.anyAddress ? null : with, topic0s, extra, headers);
            if (!r.headers().isEmpty()) {
                prepare.headersRead(r.headers());
            }
        } catch (RuntimeException | Error e) {
            failed(t, ride, e);
            return;
        }
        List<PendingRange.Rider> refusedRiders = new ArrayList<>();
        List<PendingRange> done = new ArrayList<>();
        synchronized (this) {
            inFlight--;
            for (int i = 0; i < ride.size(); i++) {
                PendingRange.Rider x = ride.get(i);
                List<RawLog> logs = r.extra().get(i);
                if (logs == null) {
                    refusedRiders.add(x);
                } else {
                    addRiderLogs(x, logs);
                    collect(x.range(), done);
                }
            }
            if (t != null) {
                answered(t, r, done);
            }
            dispatch();
            notifyAll();
        }
        for (PendingRange.Rider x : refusedRiders) { // rare: a result cap on a diamond's own logs
            try {
                List<RawLog> logs = reader.readAll(x.from(), x.to(), x.addresses(), topic0s);
                synchronized (this) {
                    addRiderLogs(x, logs);
                    collect(x.range(), done);
                }
            } catch (RuntimeException e) {
                fail(List.of(x.range()), e);
            }
        }
        seal(done);
    }

    /** The range's own answer. Guarded. */
    private void answered(PendingRange t, LogsRound r, List<PendingRange> done) {
        if (r.refused() != null) {
            tasks.remove(t.plan.from());
            try {
                planner.onTooLarge(t.plan, r.refused().suggestedToBlock(), r.refused().getMessage());
                gaps.put(t.plan.from(), t.plan.end()); // planned again, smaller
            } catch (ChainException.RangeTooLarge last) { // already the smallest range
                if (t.anyAddress) { // other contracts' logs fill it past the node's cap: name addresses
                    anyAddress = false;
                    LOG.info("block {}: too many logs from contracts not synced; reading by address from here on",
                            t.plan.from());
                    gaps.put(t.plan.from(), t.plan.end());
                    return;
                }
                t.failure = last;
                tasks.put(t.plan.from(), t);
            }
            return;
        }
        if (!t.readWith.isEmpty()) {
            planner.onSuccess(t.plan, r.main().logs());
        }
        t.main = r.main();
        t.logs.addAll(r.main().logs());
        children.in(r.main().logs()).forEach((a, block) -> discovered.merge(a, block, Math::min));
        if (t.anyAddress && anyAddress && PendingRange.noisy(r.main().logs(), baseSet, discovered, NOISE_MAX)) {
            anyAddress = false;
            LOG.info("blocks {}..{}: most of {} logs from contracts not synced; reading by address from here on",
                    t.plan.from(), t.plan.end(), r.main().logs().size());
        }
        if (t.waiting > 0) {
            cutIfDense(t); // riders answered before the range itself
        }
        ride();
        collect(t, done);
    }

    /** Riders for every outstanding range that lacks addresses found so far (up to its end). Guarded. */
    private void ride() {
        if (discovered.isEmpty()) {
            return;
        }
        for (PendingRange t : tasks.values()) {
            riders.addAll(t.riders(discovered, reader.maxAddressesPerQuery()));
        }
    }

    /** A rider's logs for its range, which is cut if they make it too dense. Guarded. */
    private void addRiderLogs(PendingRange.Rider x, List<RawLog> logs) {
        x.range().riderAnswered(logs);
        cutIfDense(x.range());
    }

    private void cutIfDense(PendingRange t) {
        long oldEnd = t.plan.end();
        long rest = t.cutIfDense(MAX_LOGS);
        if (rest >= 0) {
            LOG.debug("range {}..{} holds too many logs with the diamonds found in it; cut at block {}",
                    t.plan.from(), oldEnd, rest - 1);
            gaps.put(rest, oldEnd);
        }
    }

    /** Adds {@code t} to {@code done} when its logs are complete. Guarded. */
    private void collect(PendingRange t, List<PendingRange> done) {
        if (t.complete()) {
            t.sealing = true;
            done.add(t);
        }
    }

    /** Orders (and prepares) the logs of completed ranges, off the lock; hands them to the consumer. */
    private void seal(List<PendingRange> done) {
        for (PendingRange t : done) {
            List<RawLog> ordered;
            PendingRange.Known known;
            synchronized (this) {
                ordered = new ArrayList<>(t.logs);
                known = t.anyAddress ? new PendingRange.Known(baseSet, new HashMap<>(discovered)) : null;
            }
            ordered = RangeReader.ordered(ordered);
            PendingRange.Split split = known == null ? null : known.split(ordered);
            ordered = split == null ? ordered : split.kept();
            Object prepared = prepare == null ? null : prepare.apply(t.plan.end(), ordered);
            synchronized (this) {
                if (split != null) {
                    t.adopt(split);
                }
                t.ordered = ordered;
                t.prepared = prepared;
                t.ready = true;
                notifyAll();
            }
        }
    }

    private void failed(PendingRange t, List<PendingRange.Rider> ride, Throwable e) {
        RuntimeException failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
        if (e instanceof Error err && !(e instanceof OutOfMemoryError)) {
            failure = new IllegalStateException(err);
        }
        List<PendingRange> hit = new ArrayList<>();
        if (t != null) {
            planner.abandon(t.plan);
            hit.add(t);
        }
        ride.forEach(x -> hit.add(x.range()));
        synchronized (this) {
            inFlight--;
        }
        fail(hit, failure);
    }

    private synchronized void fail(List<PendingRange> hit, RuntimeException failure) {
        for (PendingRange t : hit) {
            if (t.failure == null) {
                t.failure = failure;
            }
        }
        dispatch();
        notifyAll();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (PendingRange t : tasks.values()) {
                planner.abandon(t.plan); // a probe that will not answer must not hold the shared planner
            }
            tasks.clear();
            riders.clear();
        }
        pool.shutdownNow();
        try {
            // requests still in flight end (interrupted) before the next run starts its own
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("reader threads still busy 5 s after the stream closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
