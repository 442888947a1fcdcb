package io.gemforce.sync.internal.historical;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RangeLogs;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads logs from a chain source. {@link #open} gives a {@link LogStream} with several
 * {@code eth_getLogs} in flight; {@link #readAll} reads one span on the caller's thread (side reads:
 * new diamonds, supplements, look-backs). Both share the source's {@link SharedPlanner}. One
 * {@code eth_getLogs} covers every address (in chunks of {@code maxAddressesPerQuery}) and every
 * wanted topic0. Logs come back ordered by (block, log index) with duplicates dropped.
 */
public final class RangeReader {
    static final Comparator<RawLog> ORDER =
            Comparator.comparingLong(RawLog::blockNumber).thenComparingLong(RawLog::logIndex);

    private final ChainSource chain;
    private final SharedPlanner planner;
    private final int maxAddressesPerQuery;

    public RangeReader(ChainSource chain, SharedPlanner planner, int maxAddressesPerQuery) {
        if (maxAddressesPerQuery < 1) {
            throw new IllegalArgumentException("maxAddressesPerQuery must be positive");
        }
        this.chain = chain;
        this.planner = planner;
        this.maxAddressesPerQuery = maxAddressesPerQuery;
    }

    /**
     * Ranges of {@code [from, to]} in block order, up to {@code concurrency} read ahead; the
     * addresses are asked for each time a range is dispatched.
     */
    public LogStream open(long from, long to, Supplier<List<Address>> addresses, List<String> topic0s,
            int concurrency) {
        return open(from, to, addresses, topic0s, concurrency, LogStream.Children.NONE, null, false);
    }

    /**
     * {@link #open} that also reads, on the reader threads, the logs of addresses {@code children}
     * finds, and has {@code prepare} work on each range there (decoding, and the headers its checks
     * will need, read in the range's round trip).
     */
    public LogStream open(long from, long to, Supplier<List<Address>> addresses, List<String> topic0s,
            int concurrency, LogStream.Children children, Preparation prepare) {
        return open(from, to, addresses, topic0s, concurrency, children, prepare, false);
    }

    /**
     * {@link #open} that also reads, on the reader threads, the logs of addresses {@code children}
     * finds, and has {@code prepare} work on each range there (decoding, and the headers its checks
     * will need, read in the range's round trip); with
     * {@code anyAddress} (the source must take it) the ranges are read for every emitter (see
     * {@link LogStream}).
     */
    public LogStream open(long from, long to, Supplier<List<Address>> addresses, List<String> topic0s,
            int concurrency, LogStream.Children children, Preparation prepare,
            boolean anyAddress) {
        if (anyAddress && !chain.anyAddressLogs()) {
            throw new IllegalArgumentException("the chain source does not take log queries for any emitter");
        }
        return new LogStream(this, planner, from, to, addresses, List.copyOf(topic0s), concurrency, children,
                prepare, anyAddress);
    }

    /** Exactly {@code [from, to]}, in as many requests as the node needs, on this thread. */
    public List<RawLog> readAll(long from, long to, Collection<Address> addresses, List<String> topic0s) {
        List<RawLog> out = new ArrayList<>();
        if (addresses.isEmpty()) {
            return out;
        }
        long cursor = from;
        while (cursor <= to) {
            long end = planner.end(cursor, to);
            try {
                List<RawLog> logs = query(cursor, end, addresses, topic0s);
                planner.onSuccess(cursor, end, logs);
                out.addAll(logs);
                cursor = end + 1;
            } catch (ChainException.RangeTooLarge e) {
                planner.onTooLarge(cursor, end, e.suggestedToBlock(), e.getMessage());
            }
        }
        return ordered(out);
    }

    int maxAddressesPerQuery() {
        return maxAddressesPerQuery;
    }

    /** One round trip: a range's query (nullable) with its end header, further queries riding along, further headers. */
    io.gemforce.sync.chain.LogsRound round(LogQuery main, List<LogQuery> extra, List<Long> headers) {
        return chain.logsRound(main, extra, headers);
    }

    /** One range, every address chunk; a refusal of any chunk refuses the range. */
    List<RawLog> query(long from, long to, Collection<Address> addresses, List<String> topic0s) {
        return query(from, to, addresses, topic0s, false).logs();
    }

    /**
     * One round trip for the range {@code [from, end]} of {@code with} ({@code null}: any emitter) and
     * the riding queries and further {@code headers}; when the addresses do not fit one query (or there
     * are none: only the end header), the range alone and the riders and headers in a round of their own.
     */
    io.gemforce.sync.chain.LogsRound round(long from, long end, List<Address> with, List<String> topic0s,
            List<LogQuery> extra, List<Long> headers) {
        if (with == null) {
            return round(LogQuery.anyAddress(from, end, topic0s), extra, headers);
        }
        if (with.isEmpty() || with.size() > maxAddressesPerQuery) {
            RangeLogs main;
            ChainException.RangeTooLarge refused = null;
            try {
                main = query(from, end, with, topic0s, true);
            } catch (ChainException.RangeTooLarge e) {
                main = null;
                refused = e;
            }
            io.gemforce.sync.chain.LogsRound rest = extra.isEmpty() && (headers.isEmpty() || refused != null) ? null
                    : round(null, extra, refused != null ? List.of() : headers);
            return new io.gemforce.sync.chain.LogsRound(main, refused, rest == null ? List.of() : rest.extra(),
                    rest == null ? java.util.Map.of() : rest.headers());
        }
        return round(new LogQuery(from, end, with, topic0s), extra, headers);
    }

    /** One range, every address chunk, and with {@code withEnd} the last block's header read with the last chunk. */
    RangeLogs query(long from, long to, Collection<Address> addresses, List<String> topic0s, boolean withEnd) {
        List<Address> list = List.copyOf(addresses);
        if (list.isEmpty()) {
            return new RangeLogs(List.of(), withEnd ? chain.block(to) : Optional.empty());
        }
        List<RawLog> logs = new ArrayList<>();
        Optional<BlockRef> end = Optional.empty();
        for (int i = 0; i < list.size(); i += maxAddressesPerQuery) {
            List<Address> chunk = list.subList(i, Math.min(list.size(), i + maxAddressesPerQuery));
            LogQuery q = new LogQuery(from, to, chunk, topic0s);
            if (withEnd && i + maxAddressesPerQuery >= list.size()) {
                RangeLogs r = chain.logsAndEnd(q);
                logs.addAll(r.logs());
                end = r.end();
            } else {
                logs.addAll(chain.logs(q));
            }
        }
        return new RangeLogs(logs, end);
    }

    /** Sorted by (block, log index); of logs at the same position the first is kept. */
    public static List<RawLog> ordered(List<RawLog> logs) {
        List<RawLog> sorted = new ArrayList<>(logs);
        sorted.sort(ORDER); // stable: the first of equal positions stays first
        List<RawLog> out = new ArrayList<>(sorted.size());
        RawLog last = null;
        for (RawLog l : sorted) {
            if (last == null || last.blockNumber() != l.blockNumber() || last.logIndex() != l.logIndex()) {
                out.add(l);
                last = l;
            }
        }
        return out;
    }

    /** {@code a} and {@code b} merged, ordered, duplicates dropped. */
    public static List<RawLog> merge(List<RawLog> a, List<RawLog> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<RawLog> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return ordered(all);
    }
}
