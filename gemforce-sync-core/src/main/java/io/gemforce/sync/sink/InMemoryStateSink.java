package io.gemforce.sync.sink;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link StateSink} in memory: for tests, demos and hosts that only need the current state in
 * the process. Thread-safe; every method holds one lock, so {@link #apply} is atomic. It answers
 * its stored events per diamond ({@link StoredEventReader}), so the history API can read it, and its
 * whole contents per chain ({@link StoreContentsReader}), so tests can compare it.
 *
 * <p>Limit: it keeps every event on the heap (about 0.4 KB for a {@code DiamondCut} of one facet and
 * one selector, measured after a full collection; more for larger cuts), so its size grows with the
 * chain: a million dense events need more than a 256 MiB heap. Use a
 * database-backed sink (JDBC, Parse) for whole-chain histories; the engine's own memory stays
 * bounded whatever the sink.
 */
public final class InMemoryStateSink implements StateSink, StoredEventReader, StoreContentsReader {
    private static final Comparator<StoredEvent> CANONICAL = Comparator.comparingLong(StoredEvent::blockNumber)
            .thenComparingLong(StoredEvent::logIndex).thenComparing(StoredEvent::uid);
    private static final Comparator<BlockId> NEWEST_FIRST = Comparator.comparingLong(BlockId::number).reversed()
            .thenComparing(BlockId::hash);
    private final Map<Long, Chain> chains = new HashMap<>();
    private long mutations;

    private static final class Chain {
        final Map<String, StoredEvent> events = new HashMap<>();
        final Map<Address, DiamondRecord> diamonds = new TreeMap<>();
        final Map<String, Checkpoint> checkpoints = new TreeMap<>();
    }

    private Chain chain(long chainId) {
        return chains.computeIfAbsent(chainId, k -> new Chain());
    }

    @Override
    public synchronized Optional<Checkpoint> checkpoint(long chainId, String scope) {
        return Optional.ofNullable(chain(chainId).checkpoints.get(scope));
    }

    @Override
    public synchronized List<DiamondRecord> diamonds(long chainId) {
        return List.copyOf(chain(chainId).diamonds.values());
    }

    @Override
    public synchronized Optional<DiamondRecord> diamond(long chainId, Address address) {
        return Optional.ofNullable(chain(chainId).diamonds.get(address));
    }

    @Override
    public synchronized ApplyResult apply(ChangeSet changes) {
        Chain c = chain(changes.chainId());
        int inserted = 0;
        int changed = 0;
        for (StoredEvent e : changes.events()) {
            if (c.events.putIfAbsent(e.uid(), e) == null) {
                inserted++;
            }
        }
        for (DiamondRecord d : changes.diamonds()) {
            DiamondRecord prev = c.diamonds.put(d.address(), d);
            if (!d.equals(prev)) {
                changed++;
            }
        }
        boolean checkpointMoved = false;
        for (Checkpoint cp : changes.checkpoints()) {
            checkpointMoved |= !cp.equals(c.checkpoints.put(cp.scope(), cp));
        }
        if (inserted > 0 || changed > 0 || checkpointMoved) {
            mutations++;
        }
        return new ApplyResult(inserted, changed);
    }

    @Override
    public synchronized void rollback(long chainId, BlockId fork) {
        Chain c = chain(chainId);
        long n = fork.number();
        c.events.values().removeIf(e -> e.blockNumber() > n);
        c.diamonds.values().removeIf(d -> d.createdBlock() != null && d.createdBlock() > n);
        c.diamonds.replaceAll((a, d) -> d.lastSyncedBlock() > n ? d.stale() : d);
        c.checkpoints.replaceAll((s, cp) -> cp.blockNumber() > n ? cp.rolledBackTo(fork) : cp);
        mutations++;
    }

    @Override
    public synchronized void reset(long chainId) {
        chains.remove(chainId);
        mutations++;
    }

    @Override
    public synchronized StoreContents contents(long chainId) {
        Chain c = chain(chainId);
        List<StoredEvent> events = new ArrayList<>(c.events.values());
        events.sort(CANONICAL);
        return new StoreContents(events, new ArrayList<>(c.diamonds.values()), new ArrayList<>(c.checkpoints.values()));
    }

    @Override
    public synchronized List<BlockId> eventBlocks(long chainId, long atOrBelow, int limit) {
        Chain c = chains.get(chainId);
        if (c == null || limit <= 0) {
            return List.of();
        }
        TreeSet<BlockId> blocks = new TreeSet<>(NEWEST_FIRST);
        for (StoredEvent e : c.events.values()) {
            if (e.blockNumber() <= atOrBelow) {
                blocks.add(new BlockId(e.blockNumber(), e.blockHash()));
                if (blocks.size() > limit) {
                    blocks.pollLast();
                }
            }
        }
        return List.copyOf(blocks);
    }

    @Override
    public synchronized List<StoredEvent> storedEvents(long chainId, Address diamond) {
        Chain c = chains.get(chainId);
        if (c == null) {
            return List.of();
        }
        List<StoredEvent> events = new ArrayList<>();
        for (StoredEvent e : c.events.values()) {
            if (e.diamondAddress().equals(diamond)) {
                events.add(e);
            }
        }
        events.sort(CANONICAL);
        return List.copyOf(events);
    }

    /** How many calls changed the store so far: a replayed sync must not move it. */
    public synchronized long mutations() {
        return mutations;
    }
}
