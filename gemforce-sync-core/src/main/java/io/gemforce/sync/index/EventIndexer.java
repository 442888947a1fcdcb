package io.gemforce.sync.index;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads logs range by range. One {@code eth_getLogs} covers every tracked address and every wanted
 * topic0 (address lists longer than {@code maxAddressesPerQuery} are split into as few queries as
 * that allows). Ranges adapt through a {@link RangePlanner}. Logs are ordered by (block, log index)
 * and duplicates (a node that serves the same log twice) are dropped.
 *
 * <p>Logs in blocks within {@code reorgWindow} of the head are checked against the block headers:
 * a log whose block hash is not the canonical one means the chain moved during the read, and the
 * range is read again.
 */
public final class EventIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(EventIndexer.class);
    private static final int MAX_REREADS = 3;
    private static final Comparator<RawLog> ORDER =
            Comparator.comparingLong(RawLog::blockNumber).thenComparingLong(RawLog::logIndex);

    private final ChainSource chain;
    private final RangePlanner planner;
    private final int maxAddressesPerQuery;
    private long queries;

    public EventIndexer(ChainSource chain, RangePlanner planner, int maxAddressesPerQuery) {
        if (maxAddressesPerQuery < 1) {
            throw new IllegalArgumentException("maxAddressesPerQuery must be positive");
        }
        this.chain = chain;
        this.planner = planner;
        this.maxAddressesPerQuery = maxAddressesPerQuery;
    }

    /**
     * Reads the next range starting at {@code from}: as many blocks as the planner allows, never past
     * {@code to}.
     *
     * @param canonicalFrom logs at or above this block are checked against the headers
     */
    public LogBatch next(long from, long to, Collection<Address> addresses, List<String> topic0s, long canonicalFrom) {
        while (true) {
            long end = planner.end(from, to);
            try {
                List<RawLog> logs = query(from, end, addresses, topic0s);
                planner.onSuccess(from, end, logs.size());
                return verified(from, end, logs, addresses, topic0s, canonicalFrom);
            } catch (ChainException.RangeTooLarge e) {
                LOG.debug("range {}..{} refused, splitting: {}", from, end, e.getMessage());
                planner.onTooLarge(from, end, e.suggestedToBlock(), e.getMessage());
            }
        }
    }

    /** Reads exactly {@code [from, to]}, in as many ranges as the node needs, as one batch. */
    public List<RawLog> all(long from, long to, Collection<Address> addresses, List<String> topic0s, long canonicalFrom) {
        List<RawLog> out = new ArrayList<>();
        long cursor = from;
        while (cursor <= to) {
            LogBatch b = next(cursor, to, addresses, topic0s, canonicalFrom);
            out.addAll(b.logs());
            cursor = b.toBlock() + 1;
        }
        return ordered(out);
    }

    /** {@code eth_getLogs} calls made so far. */
    public long queries() {
        return queries;
    }

    private List<RawLog> query(long from, long to, Collection<Address> addresses, List<String> topic0s) {
        List<Address> list = List.copyOf(addresses);
        List<RawLog> logs = new ArrayList<>();
        for (int i = 0; i < list.size(); i += maxAddressesPerQuery) {
            List<Address> chunk = list.subList(i, Math.min(list.size(), i + maxAddressesPerQuery));
            queries++;
            logs.addAll(chain.logs(new LogQuery(from, to, chunk, topic0s)));
        }
        return logs;
    }

    private LogBatch verified(long from, long end, List<RawLog> logs, Collection<Address> addresses,
            List<String> topic0s, long canonicalFrom) {
        for (int attempt = 0; ; attempt++) {
            BlockRef endBlock = chain.block(end).orElseThrow(() -> new ChainException(ErrorCode.CHAIN_ERROR,
                    "block " + end + " is not on the chain any more (the head moved back)"));
            Map<Long, String> canonical = new HashMap<>();
            canonical.put(end, endBlock.hash());
            boolean consistent = true;
            for (RawLog l : logs) {
                if (l.blockNumber() < canonicalFrom && l.blockNumber() != end) {
                    continue;
                }
                String hash = canonical.computeIfAbsent(l.blockNumber(),
                        n -> chain.block(n).map(BlockRef::hash).orElse(""));
                if (!hash.equalsIgnoreCase(l.blockHash())) {
                    consistent = false;
                    break;
                }
            }
            if (consistent) {
                return new LogBatch(from, end, ordered(logs), endBlock);
            }
            if (attempt >= MAX_REREADS) {
                throw new ChainException(ErrorCode.CHAIN_ERROR, "the chain keeps reorganising around blocks "
                        + from + ".." + end + "; try again later");
            }
            LOG.info("logs of {}..{} are not on the canonical chain any more; reading again", from, end);
            logs = query(from, end, addresses, topic0s);
        }
    }

    /** {@code batch} with {@code more} logs of the same range merged in, ordered, duplicates dropped. */
    public static LogBatch merge(LogBatch batch, List<RawLog> more) {
        if (more.isEmpty()) {
            return batch;
        }
        List<RawLog> all = new ArrayList<>(batch.logs());
        all.addAll(more);
        return new LogBatch(batch.fromBlock(), batch.toBlock(), ordered(all), batch.endBlock());
    }

    /** Sorted by (block, log index), first of each (block, log index) kept. */
    static List<RawLog> ordered(List<RawLog> logs) {
        Map<String, RawLog> unique = new LinkedHashMap<>();
        for (RawLog l : logs) {
            unique.putIfAbsent(l.blockNumber() + ":" + l.logIndex(), l);
        }
        List<RawLog> out = new ArrayList<>(unique.values());
        out.sort(ORDER);
        return out;
    }
}
