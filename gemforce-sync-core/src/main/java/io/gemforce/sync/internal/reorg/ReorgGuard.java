package io.gemforce.sync.internal.reorg;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.ReorgTooDeepException;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.internal.CommitObserver;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.StateSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reorgs between runs and during one: compares a checkpoint with the chain and rolls the store back
 * to the fork, and chooses which block hashes a new checkpoint keeps so the next check finds a fork
 * within the window in a few reads. Headers are read in batches ({@link ChainSource#blocks}).
 */
public final class ReorgGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ReorgGuard.class);
    private static final int MAX_REREADS = 3;

    private final ChainSource chain;
    private final StateSink sink;
    private final Network net;
    private final long window;
    private final CommitObserver observer;

    public ReorgGuard(ChainSource chain, StateSink sink, Network net, long window, CommitObserver observer) {
        this.chain = chain;
        this.observer = observer;
        this.sink = sink;
        this.net = net;
        this.window = window;
    }

    /**
     * Compares the checkpoint with the chain; after a reorg rolls the store back to the fork point.
     *
     * @param read headers already read (beside the head), by block number; the checkpoint's block is
     *     read here when it is not among them
     */
    public Checkpoint check(Checkpoint cp, BlockRef head, Map<Long, Optional<BlockRef>> read) {
        if (cp.blockNumber() > head.number()) {
            // A node behind the checkpoint (a lagging or load-balanced provider) is not a reorg:
            // nothing is synced until it catches up, and the hashes are compared then.
            LOG.warn("{}: the node's head {} is behind the checkpoint {}; waiting for it to catch up", net.name(),
                    head.number(), cp.blockNumber());
            return cp;
        }
        List<Long> numbers = new ArrayList<>();
        numbers.add(cp.blockNumber());
        for (BlockId id : cp.recent()) {
            if (id.number() < cp.blockNumber() && cp.blockNumber() - id.number() <= window) {
                numbers.add(id.number());
            }
        }
        // the checkpoint's block first; the older ones only when it changed
        Optional<BlockRef> at = read.containsKey(cp.blockNumber()) ? read.get(cp.blockNumber()) : chain.block(cp.blockNumber());
        if (at.isPresent() && at.get().hash().equalsIgnoreCase(cp.blockHash())) {
            return cp;
        }
        Map<Long, BlockRef> chainNow = headers(numbers.subList(1, numbers.size()));
        BlockId fork = null;
        for (BlockId id : cp.recent()) {
            if (id.number() >= cp.blockNumber()) {
                continue;
            }
            if (cp.blockNumber() - id.number() > window) {
                break;
            }
            BlockRef b = chainNow.get(id.number());
            if (b != null && b.hash().equalsIgnoreCase(id.hash())) {
                fork = id;
                break;
            }
        }
        if (fork == null) {
            throw new ReorgTooDeepException(cp.blockNumber(), window, "the chain " + net.name()
                    + " no longer holds block " + cp.blockNumber() + " as synced, and no stored block within "
                    + window + " blocks below it matches: reorg deeper than the window; "
                    + "nothing was changed (re-sync with reindexAll or from an earlier fromBlock)");
        }
        LOG.warn("reorg on {}: block {} changed; rolling back to block {}", net.name(), cp.blockNumber(), fork.number());
        sink.rollback(net.chainId(), fork);
        observer.rolledBack(net.chainId(), fork, cp.blockNumber());
        return cp.rolledBackTo(fork);
    }

    /** Headers of the given blocks in one batch; blocks the chain does not hold are absent. */
    public Map<Long, BlockRef> headers(Collection<Long> numbers) {
        List<Long> list = new ArrayList<>(new TreeSet<>(numbers));
        Map<Long, BlockRef> out = new HashMap<>();
        if (list.isEmpty()) {
            return out;
        }
        List<Optional<BlockRef>> got = chain.blocks(list);
        for (int i = 0; i < list.size(); i++) {
            long n = list.get(i);
            got.get(i).ifPresent(b -> out.put(n, b));
        }
        return out;
    }

    /**
     * The blocks whose hashes a checkpoint at {@code end} keeps: itself and, when it is within the
     * window of the head, one block per octave below it and the window's edge.
     */
    public List<Long> samplesFor(long end, long head) {
        List<Long> out = new ArrayList<>();
        out.add(end);
        if (end >= head - window) {
            for (long d = 1; d < window; d *= 2) {
                if (end - d >= 0) {
                    out.add(end - d);
                }
            }
            if (end - window >= 0) {
                out.add(end - window);
            }
        }
        return out;
    }

    /**
     * The recent hashes of a checkpoint at {@code end}: the previous checkpoint's within the window,
     * and one per octave {@code [end - 2d + 1, end - d]} (d = 1, 2, 4, ...) not yet covered, taken
     * from {@code known}; a fork at depth k within the window is then found about 2k below.
     */
    public List<BlockId> recent(BlockRef end, Checkpoint previous, long head, Map<Long, BlockRef> known) {
        long edge = end.number() - window;
        TreeMap<Long, BlockId> ids = new TreeMap<>();
        ids.put(end.number(), end.id());
        if (previous != null) {
            for (BlockId id : previous.recent()) {
                if (id.number() < end.number() && id.number() >= edge) {
                    ids.putIfAbsent(id.number(), id);
                }
            }
        }
        if (end.number() >= head - window) {
            for (long d = 1; d < window; d *= 2) {
                long hi = end.number() - d;
                long lo = Math.max(end.number() - 2 * d + 1, edge);
                if (hi >= 0 && hi >= lo && ids.subMap(lo, true, hi, true).isEmpty() && known.containsKey(hi)) {
                    ids.put(hi, known.get(hi).id());
                }
            }
            if (edge >= 0 && !ids.containsKey(edge) && known.containsKey(edge)) {
                ids.put(edge, known.get(edge).id());
            }
        }
        return new ArrayList<>(ids.descendingMap().values());
    }

    /**
     * {@code logs} of blocks {@code from..end}, checked against the canonical headers where they lie
     * at or above {@code canonicalFrom} (near the head; headers missing from {@code headers} are read
     * and added); read again with {@code reread} when the chain moved under the read, up to
     * {@value #MAX_REREADS} times.
     */
    public List<RawLog> canonical(long from, long end, List<RawLog> logs, long canonicalFrom,
            Map<Long, BlockRef> headers, Supplier<List<RawLog>> reread) {
        for (int attempt = 0; ; attempt++) {
            List<Long> missing = logs.stream().map(RawLog::blockNumber).filter(n -> n >= canonicalFrom)
                    .filter(n -> !headers.containsKey(n)).distinct().toList();
            headers.putAll(headers(missing));
            boolean consistent = logs.stream().filter(l -> l.blockNumber() >= canonicalFrom).allMatch(l -> {
                BlockRef b = headers.get(l.blockNumber());
                return b != null && b.hash().equalsIgnoreCase(l.blockHash());
            });
            if (consistent) {
                return logs;
            }
            if (attempt >= MAX_REREADS) {
                throw new ChainException(ErrorCode.CHAIN_ERROR, "the chain keeps reorganising around blocks "
                        + from + ".." + end + "; try again later");
            }
            LOG.info("logs of {}..{} are not on the canonical chain any more; reading again", from, end);
            headers.keySet().removeIf(n -> n >= Math.max(from, canonicalFrom) && n <= end);
            headers.putAll(headers(List.of(end)));
            logs = reread.get();
        }
    }
}
