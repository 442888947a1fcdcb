package io.gemforce.sync.internal.reorg;

import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.internal.Aside;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The headers one run reads near the head: what each range's checks need (the reorg guard's hash
 * samples for its checkpoint, the blocks of its logs within the reorg window), kept while the run
 * moves on. They are read ahead where that costs the pipeline nothing: the last range's samples
 * when the run starts, a range's own when a reader thread has its logs ({@link #readAhead});
 * {@link #forRange} reads on the pipeline's thread only what is still missing. Thread-safe.
 */
public final class RecentHeaders {
    private static final Logger LOG = LoggerFactory.getLogger(RecentHeaders.class);

    /** Blocks of a range in the window up to which each is read with the range. */
    static final int WITH_RANGE = 16;

    private final ReorgGuard guard;
    private final long head;
    private final long window;
    private final long last;
    private final Map<Long, BlockRef> known = new ConcurrentHashMap<>();
    /** The last range's samples, being read since the run started, or null. */
    private volatile Aside<Map<Long, BlockRef>> lastSamples;

    /**
     * Starts reading the samples of the run's last range ({@code last}, near the head {@code head})
     * on a thread of its own; {@code last < 0}: the run has no range (nothing is read).
     */
    public RecentHeaders(ReorgGuard guard, long head, long window, long last) {
        this.guard = guard;
        this.head = head;
        this.window = window;
        this.last = last;
        Set<Long> samples = last < 0 ? new TreeSet<>() : new TreeSet<>(guard.samplesFor(last, head));
        samples.remove(last); // comes with the range itself
        lastSamples = samples.isEmpty() ? null : Aside.start(() -> guard.headers(samples));
    }

    /** The first block whose logs are checked against the canonical headers. */
    public long canonicalFrom() {
        return head - window;
    }

    /** The headers read so far, by number (the pipeline's checks add to it). */
    public Map<Long, BlockRef> known() {
        return known;
    }

    /**
     * On a reader thread, once a range's logs are complete: reads the headers that {@link #forRange}
     * would read for it. A failed read only leaves them to {@link #forRange}.
     */
    public void readAhead(long end, List<RawLog> logs) {
        if (end < canonicalFrom()) {
            return;
        }
        // the last range's samples are being read since the start
        Set<Long> wanted = wanted(end, logs, end != last || lastSamples == null);
        wanted.remove(end); // comes with the range
        try {
            known.putAll(guard.headers(wanted));
        } catch (SyncException e) {
            LOG.debug("headers near block {} not read ahead ({}); reading them when the range is processed", end,
                    e.getMessage());
        }
    }

    /**
     * The headers to read in the round trip of the range {@code [from, end]}, beside its end's: where
     * the range reaches into the reorg window, its hash samples and, when that part is short (under
     * {@value #WITH_RANGE} blocks), each of its blocks, where its logs may sit. Then neither
     * {@link #readAhead} nor {@link #forRange} needs a round trip of its own for it, which on a node
     * busy with the other ranges in flight waits behind them. Thread-safe; cheap.
     */
    public List<Long> withRange(long from, long end) {
        if (end < canonicalFrom()) {
            return List.of();
        }
        Set<Long> wanted = wanted(end, List.of(), end != last || lastSamples == null);
        long lo = Math.max(from, canonicalFrom());
        if (end - lo < WITH_RANGE) {
            for (long n = lo; n < end; n++) {
                if (!known.containsKey(n)) {
                    wanted.add(n);
                }
            }
        }
        wanted.remove(end); // comes with the range
        return List.copyOf(wanted);
    }

    /** Headers read with a range ({@link #withRange}). */
    public void read(Map<Long, BlockRef> headers) {
        known.putAll(headers);
    }

    /**
     * The headers a range needs beyond its end ({@code end}, read with it): hash samples near the
     * head, the blocks of its logs near the head; only those not read yet are read.
     */
    public void forRange(long toBlock, BlockRef end, List<RawLog> logs) {
        known.keySet().removeIf(n -> n < toBlock - 2 * window);
        if (end != null) {
            known.put(toBlock, end);
        }
        Aside<Map<Long, BlockRef>> samples = lastSamples;
        if (samples != null && toBlock == last) {
            lastSamples = null;
            try {
                samples.join().forEach(known::putIfAbsent);
            } catch (SyncException e) {
                LOG.debug("reorg-guard headers not read ahead ({}); reading them now", e.getMessage());
            }
        }
        known.putAll(guard.headers(wanted(toBlock, logs, true)));
    }

    /** Stops the read of the last range's samples if the run ends before it. */
    public void close() {
        Aside<Map<Long, BlockRef>> samples = lastSamples;
        if (samples != null) {
            samples.cancel();
        }
    }

    private Set<Long> wanted(long end, List<RawLog> logs, boolean samples) {
        Set<Long> wanted = samples ? new TreeSet<>(guard.samplesFor(end, head)) : new TreeSet<>();
        long canonicalFrom = canonicalFrom();
        for (RawLog l : logs) {
            if (l.blockNumber() >= canonicalFrom) {
                wanted.add(l.blockNumber());
            }
        }
        wanted.removeIf(known::containsKey);
        return wanted;
    }
}
