package io.gemforce.sync.internal.historical;

import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RangeLogs;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A dispatched range of a {@link LogStream} as its answer comes together: the range's own query,
 * then the riders that read the diamonds found meanwhile. Guarded by the stream's lock.
 */
final class PendingRange {
    SharedPlanner.Plan plan;
    /** Read for every emitter: needs no riders; its logs are split by emitter when sealed. */
    final boolean anyAddress;
    final Set<Address> readWith;
    final List<RawLog> logs = new ArrayList<>();
    RangeLogs main;
    int waiting;
    /** Its logs are complete and being ordered: nothing more rides for it (the consumer reads what it lacks). */
    boolean sealing;
    boolean ready;
    List<RawLog> ordered;
    /** Of a range read for any emitter: the logs of emitters not known when it was sealed. */
    List<RawLog> others = List.of();
    Object prepared;
    RuntimeException failure;

    /** Logs a range still needs: these addresses over these blocks, read by a query riding along. */
    record Rider(PendingRange range, List<Address> addresses, long from, long to) {
        LogQuery query(List<String> topic0s) {
            return new LogQuery(from, to, addresses, topic0s);
        }
    }

    PendingRange(SharedPlanner.Plan plan, List<Address> readWith, boolean anyAddress) {
        this.plan = plan;
        this.anyAddress = anyAddress;
        this.readWith = new LinkedHashSet<>(readWith);
    }

    /**
     * Whether a log of a range read for any emitter is one the read wants: from an address of
     * {@code base}, or from one of {@code discovered} at or after its creation block.
     */
    static boolean wanted(RawLog l, Set<Address> base, Map<Address, Long> discovered) {
        if (base.contains(l.address())) {
            return true;
        }
        Long created = discovered.get(l.address());
        return created != null && l.blockNumber() >= created;
    }

    /**
     * Whether an answer read for any emitter is mostly other contracts' logs: more than
     * {@code noiseMax} of them, and more than the wanted ones.
     */
    static boolean noisy(List<RawLog> answer, Set<Address> base, Map<Address, Long> discovered, int noiseMax) {
        long noise = answer.stream().filter(l -> !wanted(l, base, discovered)).count();
        return noise > noiseMax && 2 * noise > answer.size();
    }

    /** What the addresses known at sealing time want of a range read for any emitter (a snapshot). */
    record Known(Set<Address> base, Map<Address, Long> discovered) {
        /** The ordered logs split by {@link #wanted}. */
        Split split(List<RawLog> ordered) {
            List<RawLog> kept = new ArrayList<>(ordered.size());
            List<RawLog> rest = new ArrayList<>();
            for (RawLog l : ordered) {
                (wanted(l, base, discovered) ? kept : rest).add(l);
            }
            return new Split(this, kept, rest);
        }
    }

    /** Logs of a range read for any emitter, split by {@link #wanted}. */
    record Split(Known known, List<RawLog> kept, List<RawLog> others) {
    }

    /** Takes a split: its wanted addresses become what the range was read for, its others are set aside. Guarded. */
    void adopt(Split split) {
        readWith.addAll(split.known().base());
        readWith.addAll(split.known().discovered().keySet());
        others = split.others();
    }

    /** Whether its logs are all in: it can be sealed (once). */
    boolean complete() {
        return main != null && waiting == 0 && !sealing && failure == null;
    }

    /**
     * Riders for the addresses in {@code discovered} (created at or before its end) it was not read
     * for, at most {@code chunk} addresses each; they count as awaited and as read.
     */
    List<Rider> riders(Map<Address, Long> discovered, int chunk) {
        List<Rider> out = new ArrayList<>();
        if (anyAddress || failure != null || sealing) {
            return out;
        }
        List<Address> missing = new ArrayList<>();
        long first = Long.MAX_VALUE;
        for (Map.Entry<Address, Long> e : discovered.entrySet()) {
            if (e.getValue() <= plan.end() && !readWith.contains(e.getKey())) {
                missing.add(e.getKey());
                first = Math.min(first, e.getValue());
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        readWith.addAll(missing);
        long from = Math.max(plan.from(), first);
        for (int i = 0; i < missing.size(); i += chunk) {
            out.add(new Rider(this, List.copyOf(missing.subList(i, Math.min(missing.size(), i + chunk))), from,
                    plan.end()));
            waiting++;
        }
        return out;
    }

    /** A rider's logs (those within the range: it may have been cut since). */
    void riderAnswered(List<RawLog> answer) {
        waiting--;
        for (RawLog l : answer) {
            if (l.blockNumber() <= plan.end()) {
                logs.add(l);
            }
        }
    }

    /**
     * Past {@code maxLogs} (a dense diamond found in a range planned while only its factory was
     * read), cuts the range at a block boundary so one range never holds the whole chain.
     *
     * @return the first block cut off (the rest, up to the old end, is to be planned again), or -1
     */
    long cutIfDense(int maxLogs) {
        if (logs.size() <= maxLogs || plan.end() == plan.from() || main == null) {
            return -1;
        }
        List<RawLog> sorted = RangeReader.ordered(logs);
        long cut = sorted.get(maxLogs).blockNumber() - 1; // keep whole blocks, at most maxLogs logs
        if (cut < plan.from()) {
            cut = sorted.get(0).blockNumber(); // one block holds more: keep that block alone
        }
        if (cut >= plan.end()) {
            return -1;
        }
        long end = cut;
        plan = new SharedPlanner.Plan(plan.from(), end, false);
        logs.removeIf(l -> l.blockNumber() > end);
        main = new RangeLogs(main.logs().stream().filter(l -> l.blockNumber() <= end).toList(), Optional.empty());
        return end + 1;
    }
}
