package io.gemforce.sync;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.InvalidCutException;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.event.EventDecoder;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.event.MalformedEventException;
import io.gemforce.sync.index.EventIndexer;
import io.gemforce.sync.index.LogBatch;
import io.gemforce.sync.index.RangePlanner;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of an operation: validation against the chain, reorg check, base states, the range
 * loop, reconciliation with the loupe and the summary. Not reusable; not thread-safe.
 */
final class SyncRun {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);
    private static final List<String> UPGRADE_TOPICS = List.of(EventType.DIAMOND_CUT.topic0(),
            EventType.DIAMOND_CUT_PROPOSED.topic0(), EventType.DIAMOND_CUT_CANCELLED.topic0());

    enum Mode { ALL, DIAMOND, EVENTS }

    private final DiamondSyncer.Settings settings;
    private final ChainSource chain;
    private final StateSink sink;
    private final Network net;
    private final Mode mode;
    private final Address target;
    private final Set<EventType> types;
    private final Long fromArg;
    private final Long toArg;
    private final boolean reindexAll;
    private final String scope;
    private final Set<Address> factories;
    private final List<SyncError> errors = new ArrayList<>();
    private final Map<Address, Track> tracks = new LinkedHashMap<>();
    /** Reads the sync's ranges: on the prefetch thread, or on the run's thread when nothing is prefetched. */
    private final EventIndexer indexer;
    /** Reads extra logs on the run's thread (new diamonds, pending-upgrade scans) while a prefetch may be running. */
    private final EventIndexer sideIndexer;
    private final Instant started;
    private long eventsIndexed;
    private Checkpoint checkpoint;
    private BlockRef head;

    /** A diamond during the run: its state and where that state is true. */
    private static final class Track {
        final Address address;
        DiamondState initial;
        DiamondState state = DiamondState.empty();
        Address owner;
        PendingUpgrade pending;
        long validAt;
        String symbol;
        String name;
        Address factory;
        Long createdBlock;
        String createdTx;
        boolean consistent = true;
        boolean touched;
        boolean broken;
        /** This run found the events inconsistent with the chain (an invalid cut or a loupe mismatch). */
        boolean flagged;
        boolean failed;
        DiamondRecord written;

        Track(Address address) {
            this.address = address;
        }

        void adopt(DiamondRecord r) {
            symbol = r.symbol();
            name = r.name();
            factory = r.factory();
            createdBlock = r.createdBlock();
            createdTx = r.createdTx();
            consistent = r.consistent();
            written = r;
        }

        DiamondRecord record(Network net, long block, String hash) {
            return new DiamondRecord(net.name(), net.chainId(), address, symbol, name, factory, owner, state.facets(),
                    createdBlock, createdTx, block, hash, pending, consistent);
        }
    }

    SyncRun(DiamondSyncer syncer, ChainSource chain, StateSink sink, Network net, Mode mode, Address target,
            Set<EventType> types, Long fromArg, Long toArg, boolean reindexAll) {
        this.settings = syncer.settings;
        this.chain = new SerializedChainSource(chain);
        this.sink = sink;
        this.net = net;
        this.mode = mode;
        this.target = target;
        this.types = types;
        this.fromArg = fromArg;
        this.toArg = toArg;
        this.reindexAll = reindexAll;
        this.scope = switch (mode) {
            case ALL -> Checkpoint.allScope();
            case DIAMOND -> Checkpoint.diamondScope(target);
            case EVENTS -> Checkpoint.eventsScope(target, types.size() == 1 ? types.iterator().next().eventName() : null);
        };
        this.factories = new LinkedHashSet<>(net.factories());
        this.indexer = new EventIndexer(this.chain, new RangePlanner(settings.initialRange(), settings.minRange(),
                settings.maxRange(), settings.growAfter(), settings.forgetAfter()), settings.maxAddressesPerQuery());
        this.sideIndexer = new EventIndexer(this.chain, new RangePlanner(settings.initialRange(), settings.minRange(),
                settings.maxRange(), settings.growAfter(), settings.forgetAfter()), settings.maxAddressesPerQuery());
        this.started = settings.clock().instant();
    }

    SyncSummary run() {
        long chainId = chain.chainId();
        if (chainId != net.chainId()) {
            throw new SyncException(ErrorCode.CHAIN_ID_MISMATCH, "the RPC node serves chain " + chainId + ", not "
                    + net.name() + " (" + net.chainId() + ")");
        }
        head = chain.head();
        if (toArg != null && toArg > head.number()) {
            throw new InvalidInputException(ErrorCode.INVALID_BLOCK_RANGE,
                    "toBlock " + toArg + " is above the chain head " + head.number());
        }
        if (fromArg != null && fromArg > head.number()) {
            throw new InvalidInputException(ErrorCode.INVALID_BLOCK_RANGE,
                    "fromBlock " + fromArg + " is above the chain head " + head.number());
        }
        if (mode != Mode.ALL) {
            requireDiamond(target, head.number());
        }
        if (reindexAll) {
            LOG.info("reindexAll: deleting everything stored for {}", net.name());
            sink.reset(net.chainId());
        }
        checkpoint = sink.checkpoint(net.chainId(), scope).map(this::checkReorg).orElse(null);
        long to = toArg != null ? toArg : head.number() - net.confirmations();
        long from = fromArg != null ? fromArg : checkpoint != null ? checkpoint.blockNumber() + 1 : defaultStart();
        long lastSynced = checkpoint != null ? checkpoint.blockNumber() : from - 1;

        if (mode != Mode.EVENTS) {
            loadTracks(from);
        }
        boolean progressed = false;
        boolean stopped = false;
        long cursor = from;
        ExecutorService prefetcher = settings.prefetch() ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gemforce-sync-prefetch");
            t.setDaemon(true);
            return t;
        }) : null;
        Future<LogBatch> pending = null;
        List<Address> pendingAddresses = List.of();
        try {
            while (cursor <= to) {
                if (overBudget()) {
                    stopped = true;
                    errors.add(new SyncError("TIME_BUDGET", null, lastSynced < 0 ? null : lastSynced,
                            "time budget of " + settings.timeBudget() + " used up; continue from block " + cursor));
                    break;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new SyncException(ErrorCode.INTERRUPTED, "interrupted at block " + cursor);
                }
                LogBatch batch;
                if (pending != null) {
                    batch = withLaterDiamonds(await(pending), pendingAddresses);
                    pending = null;
                } else {
                    batch = nextBatch(cursor, to, queryAddresses());
                }
                long next = batch.toBlock() + 1;
                if (prefetcher != null && next <= to) {
                    // read the next range while this one is decoded and written
                    List<Address> addresses = queryAddresses();
                    long end = to;
                    pendingAddresses = addresses;
                    pending = prefetcher.submit(() -> nextBatch(next, end, addresses));
                }
                writeBatch(batch);
                progressed = true;
                lastSynced = batch.toBlock();
                cursor = next;
                settings.listener().onRange(scope, batch.fromBlock(), batch.toBlock(), to, eventsIndexed);
            }
            if (mode != Mode.EVENTS && settings.reconcile() && !stopped && lastSynced >= 0) {
                reconcile(lastSynced);
            }
        } catch (SyncException e) {
            if (e.code() == ErrorCode.INTERRUPTED) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("{} sync of {} stopped at block {}: {}", mode, net.name(), lastSynced, e.getMessage());
            errors.add(SyncError.of(e, target == null ? null : target.hex(), cursor));
            return summary(lastSynced, progressed ? SyncStatus.PARTIAL : SyncStatus.FAILED);
        } finally {
            if (pending != null) {
                pending.cancel(true);
            }
            if (prefetcher != null) {
                prefetcher.shutdownNow();
            }
        }
        boolean anyFailed = tracks.values().stream().anyMatch(t -> t.failed);
        return summary(lastSynced, stopped || anyFailed ? SyncStatus.PARTIAL : SyncStatus.SUCCESS);
    }

    // ---- validation and start ----

    private void requireDiamond(Address a, long block) {
        if (!chain.hasCode(a, block)) {
            throw new NotADiamondException(ErrorCode.NO_CODE, a + " holds no code on " + net.name()
                    + " at block " + block + ": not a contract");
        }
        chain.facets(a, block); // throws NotADiamondException when the loupe does not answer
    }

    private long defaultStart() {
        if (mode == Mode.ALL) {
            return net.startBlock();
        }
        Optional<DiamondRecord> stored = sink.diamond(net.chainId(), target);
        if (stored.isPresent() && stored.get().createdBlock() != null) {
            return stored.get().createdBlock();
        }
        return creationBlock(target);
    }

    /** The first block at which the address holds code (binary search), or the start block when the node cannot tell. */
    private long creationBlock(Address a) {
        long lo = net.startBlock();
        long hi = head.number();
        try {
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                if (chain.hasCode(a, mid)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        } catch (ChainException e) {
            LOG.info("cannot find the creation block of {} ({}); starting at block {}", a, e.getMessage(),
                    net.startBlock());
            return net.startBlock();
        }
    }

    /** Compares the checkpoint with the chain; after a reorg rolls the store back to the fork point. */
    private Checkpoint checkReorg(Checkpoint cp) {
        if (cp.blockNumber() > head.number()) {
            // A node behind the checkpoint (a lagging or load-balanced provider) is not a reorg:
            // nothing is synced until it catches up, and the hashes are compared then.
            LOG.warn("{}: the node's head {} is behind the checkpoint {}; waiting for it to catch up", net.name(),
                    head.number(), cp.blockNumber());
            return cp;
        }
        Optional<BlockRef> at = chain.block(cp.blockNumber());
        if (at.isPresent() && at.get().hash().equalsIgnoreCase(cp.blockHash())) {
            return cp;
        }
        BlockId fork = null;
        for (BlockId id : cp.recent()) {
            if (id.number() >= cp.blockNumber()) {
                continue;
            }
            if (cp.blockNumber() - id.number() > settings.reorgWindow()) {
                break;
            }
            Optional<BlockRef> b = chain.block(id.number());
            if (b.isPresent() && b.get().hash().equalsIgnoreCase(id.hash())) {
                fork = id;
                break;
            }
        }
        if (fork == null) {
            throw new ReorgTooDeepException(cp.blockNumber(), settings.reorgWindow(), "the chain " + net.name()
                    + " no longer holds block " + cp.blockNumber() + " as synced, and no stored block within "
                    + settings.reorgWindow() + " blocks below it matches: reorg deeper than the window; "
                    + "nothing was changed (re-sync with reindexAll or from an earlier fromBlock)");
        }
        LOG.warn("reorg on {}: block {} changed; rolling back to block {}", net.name(), cp.blockNumber(), fork.number());
        sink.rollback(net.chainId(), fork);
        return cp.rolledBackTo(fork);
    }

    private void loadTracks(long from) {
        List<Address> addresses = new ArrayList<>();
        Map<Address, DiamondRecord> stored = new LinkedHashMap<>();
        if (mode == Mode.ALL) {
            for (DiamondRecord r : sink.diamonds(net.chainId())) {
                stored.put(r.address(), r);
                addresses.add(r.address());
            }
            for (Address a : net.diamonds()) {
                if (!stored.containsKey(a)) {
                    addresses.add(a);
                }
            }
        } else {
            sink.diamond(net.chainId(), target).ifPresent(r -> stored.put(r.address(), r));
            addresses.add(target);
        }
        for (Address a : addresses) {
            Track t = new Track(a);
            DiamondRecord r = stored.get(a);
            if (r != null) {
                t.adopt(r);
            }
            tracks.put(a, t);
            try {
                base(t, r, from);
            } catch (SyncException e) {
                if (mode == Mode.DIAMOND) {
                    throw e;
                }
                t.failed = true;
                errors.add(SyncError.of(e, a.hex(), from - 1));
            }
            t.initial = r != null && r.lastSyncedBlock() >= 0 ? r.state() : t.state;
        }
    }

    /** The state at {@code from - 1}: the stored one when it is true there, else a loupe snapshot. */
    private void base(Track t, DiamondRecord r, long from) {
        if (r != null && r.lastSyncedBlock() >= 0 && r.lastSyncedBlock() >= from - 1) {
            t.state = r.state();
            t.owner = r.owner();
            t.pending = r.pendingUpgrade();
            t.validAt = r.lastSyncedBlock();
            return;
        }
        t.validAt = from - 1;
        if (from == 0 || (t.createdBlock != null && t.createdBlock >= from) || !chain.hasCode(t.address, from - 1)) {
            t.state = DiamondState.empty();
            t.owner = null;
            t.pending = null;
            return;
        }
        List<Facet> facets = chain.facets(t.address, from - 1);
        t.state = DiamondState.of(facets);
        t.owner = chain.owner(t.address, from - 1).orElse(null);
        t.pending = pendingAt(t, from - 1);
        LOG.debug("{}: base state from the loupe at block {}", t.address, from - 1);
    }

    /** The upgrade pending at {@code block}: the latest of proposal, cut and cancellation, read backwards. */
    private PendingUpgrade pendingAt(Track t, long block) {
        long lower = t.createdBlock != null ? t.createdBlock : net.startBlock();
        if (settings.pendingLookbackBlocks() != Long.MAX_VALUE) {
            lower = Math.max(lower, block - settings.pendingLookbackBlocks());
        }
        long span = settings.initialRange();
        long hi = block;
        while (hi >= lower && hi >= 0) {
            long lo = Math.max(lower, hi - span + 1);
            List<RawLog> logs = sideIndexer.all(lo, hi, List.of(t.address), UPGRADE_TOPICS, Long.MAX_VALUE);
            for (int i = logs.size() - 1; i >= 0; i--) {
                Optional<DiamondEvent> e;
                try {
                    e = EventDecoder.decode(logs.get(i));
                } catch (MalformedEventException ex) {
                    continue;
                }
                if (e.isPresent()) {
                    return e.get() instanceof DiamondEvent.DiamondCutProposed p ? pending(p) : null;
                }
            }
            hi = lo - 1;
            span = Math.min(settings.maxRange(), span * 2);
        }
        return null;
    }

    /** The pending upgrade of a proposal, with its cuts read from the proposing transaction when it shows them. */
    private PendingUpgrade pending(DiamondEvent.DiamondCutProposed p) {
        List<io.gemforce.sync.diamond.FacetCut> cuts = List.of();
        try {
            cuts = chain.transactionInput(p.position().transactionHash()).flatMap(EventDecoder::proposedCuts)
                    .orElse(List.of());
        } catch (SyncException e) {
            LOG.debug("cannot read proposal {}: {}", p.position().transactionHash(), e.getMessage());
        }
        return new PendingUpgrade(p.proposer(), p.proposalTime(), p.executionTime(), p.position().blockNumber(),
                p.position().transactionHash(), cuts);
    }

    // ---- the range loop ----

    private boolean overBudget() {
        Duration budget = settings.timeBudget();
        return budget != null && Duration.between(started, settings.clock().instant()).compareTo(budget) >= 0;
    }

    private List<Address> queryAddresses() {
        Set<Address> set = new LinkedHashSet<>();
        if (mode == Mode.EVENTS) {
            set.add(target);
            if (types.contains(EventType.DIAMOND_CREATED)) {
                set.addAll(factories);
            }
        } else {
            set.addAll(factories);
            set.addAll(tracks.keySet());
        }
        return new ArrayList<>(set);
    }

    private List<String> topics() {
        return types.stream().map(EventType::topic0).toList();
    }

    private long canonicalFrom() {
        return head.number() - settings.reorgWindow();
    }

    private LogBatch nextBatch(long from, long to, List<Address> addresses) {
        if (addresses.isEmpty()) {
            BlockRef end = chain.block(to).orElseThrow(() -> new ChainException(ErrorCode.CHAIN_ERROR,
                    "block " + to + " is not on the chain"));
            return new LogBatch(from, to, List.of(), end);
        }
        return indexer.next(from, to, addresses, topics(), canonicalFrom());
    }

    private static LogBatch await(Future<LogBatch> pending) {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(ErrorCode.INTERRUPTED, "interrupted while reading ahead");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SyncException se) {
                throw se;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * A range read ahead with the addresses known then: when diamonds were discovered since, their
     * logs in that range are read and merged in.
     */
    private LogBatch withLaterDiamonds(LogBatch batch, List<Address> readWith) {
        List<Address> added = new ArrayList<>(queryAddresses());
        added.removeAll(new LinkedHashSet<>(readWith));
        if (added.isEmpty()) {
            return batch;
        }
        return EventIndexer.merge(batch, sideIndexer.all(batch.fromBlock(), batch.toBlock(), added, topics(),
                canonicalFrom()));
    }

    private void writeBatch(LogBatch batch) {
        List<DiamondEvent> events = decode(batch.logs());
        if (mode == Mode.ALL) {
            events = discover(events, batch);
        }
        List<StoredEvent> stored = new ArrayList<>();
        for (DiamondEvent e : events) {
            if (!indexed(e)) {
                continue;
            }
            stored.add(StoredEvent.of(net.name(), net.chainId(), e));
            if (mode != Mode.EVENTS) {
                Track t = tracks.get(e.diamond());
                if (t != null && !t.failed) {
                    applyToState(t, e);
                }
            }
        }
        long end = batch.toBlock();
        String hash = batch.endBlock().hash();
        List<DiamondRecord> records = new ArrayList<>();
        for (Track t : tracks.values()) {
            if (t.failed || t.validAt >= end) {
                continue;
            }
            if (t.broken) {
                t.state = DiamondState.of(chain.facets(t.address, end));
                t.consistent = false;
                t.flagged = true;
                t.broken = false;
            }
            records.add(t.record(net, end, hash));
        }
        List<Checkpoint> cps = new ArrayList<>();
        Checkpoint next = null;
        if (checkpoint == null || end > checkpoint.blockNumber()) {
            next = new Checkpoint(scope, end, hash, recent(batch.endBlock()));
            cps.add(next);
        }
        ApplyResult result = sink.apply(new ChangeSet(net.name(), net.chainId(), stored, records, cps));
        eventsIndexed += result.eventsInserted();
        for (DiamondRecord r : records) {
            Track t = tracks.get(r.address());
            t.validAt = end;
            t.written = r;
        }
        if (next != null) {
            checkpoint = next;
        }
        LOG.debug("{} {}: blocks {}..{} written, {} events ({} new)", net.name(), scope, batch.fromBlock(), end,
                stored.size(), result.eventsInserted());
    }

    private List<DiamondEvent> decode(List<RawLog> logs) {
        List<DiamondEvent> out = new ArrayList<>(logs.size());
        for (RawLog l : logs) {
            try {
                EventDecoder.decode(l).ifPresent(out::add);
            } catch (MalformedEventException e) {
                errors.add(SyncError.of(e, l.address().hex(), l.blockNumber()));
            }
        }
        return out;
    }

    /** Whether this run stores the event: it belongs to a tracked diamond (DiamondCreated only from a known factory). */
    private boolean indexed(DiamondEvent e) {
        if (!types.contains(e.type())) {
            return false;
        }
        if (e instanceof DiamondEvent.DiamondCreated && !factories.contains(e.emitter())) {
            return false;
        }
        return mode == Mode.ALL ? tracks.containsKey(e.diamond()) : e.diamond().equals(target);
    }

    /**
     * Adds the diamonds that known factories created in this batch, and reads their logs from their
     * creation block to the batch's end (the creation's own DiamondCut comes before DiamondCreated,
     * in the same transaction, and the first read did not ask for the new address).
     */
    private List<DiamondEvent> discover(List<DiamondEvent> events, LogBatch batch) {
        List<Address> found = new ArrayList<>();
        long firstBlock = Long.MAX_VALUE;
        for (DiamondEvent e : events) {
            if (e instanceof DiamondEvent.DiamondCreated c && factories.contains(c.emitter())
                    && !tracks.containsKey(c.createdDiamond())) {
                Track t = new Track(c.createdDiamond());
                t.validAt = c.position().blockNumber() - 1;
                t.initial = DiamondState.empty();
                tracks.put(t.address, t);
                found.add(t.address);
                firstBlock = Math.min(firstBlock, c.position().blockNumber());
            }
        }
        if (found.isEmpty()) {
            return events;
        }
        LOG.info("{}: {} new diamonds created in blocks {}..{}", net.name(), found.size(), batch.fromBlock(),
                batch.toBlock());
        List<RawLog> more = sideIndexer.all(firstBlock, batch.toBlock(), found, topics(), canonicalFrom());
        Map<String, DiamondEvent> merged = new LinkedHashMap<>();
        for (DiamondEvent e : events) {
            merged.put(e.position().blockNumber() + ":" + e.position().logIndex(), e);
        }
        for (DiamondEvent e : decode(more)) {
            merged.putIfAbsent(e.position().blockNumber() + ":" + e.position().logIndex(), e);
        }
        List<DiamondEvent> all = new ArrayList<>(merged.values());
        all.sort(Comparator.comparing(DiamondEvent::position));
        return all;
    }

    private void applyToState(Track t, DiamondEvent e) {
        long block = e.position().blockNumber();
        if (e instanceof DiamondEvent.DiamondCreated c) {
            t.symbol = c.symbol();
            t.name = c.name();
            t.factory = c.emitter();
            t.createdBlock = block;
            t.createdTx = c.position().transactionHash();
        }
        if (block <= t.validAt) {
            return;
        }
        if (e instanceof DiamondEvent.DiamondCut c) {
            t.touched = true;
            t.pending = null;
            if (!t.broken) {
                try {
                    t.state = t.state.apply(t.address, c.cuts());
                } catch (InvalidCutException ex) {
                    t.broken = true;
                    errors.add(SyncError.of(ex, t.address.hex(), block));
                }
            }
        } else if (e instanceof DiamondEvent.OwnershipTransferred o) {
            t.owner = o.newOwner();
        } else if (e instanceof DiamondEvent.DiamondCutProposed p) {
            t.pending = pending(p);
        } else if (e instanceof DiamondEvent.DiamondCutCancelled) {
            t.pending = null;
        } else if (e instanceof DiamondEvent.DiamondCreated) {
            t.touched = true;
        }
    }

    /**
     * Block hashes kept with the checkpoint for reorg detection: the range ends within the window,
     * and, when the range ends near the head, samples at 1, 2, 4, ... and {@code window} blocks below.
     */
    private List<BlockId> recent(BlockRef end) {
        long window = settings.reorgWindow();
        long edge = end.number() - window;
        java.util.TreeMap<Long, BlockId> ids = new java.util.TreeMap<>();
        ids.put(end.number(), end.id());
        if (checkpoint != null) {
            for (BlockId id : checkpoint.recent()) {
                if (id.number() < end.number() && id.number() >= edge) {
                    ids.putIfAbsent(id.number(), id);
                }
            }
        }
        if (end.number() >= head.number() - window) {
            // one block in each "octave" [end - 2d + 1, end - d], d = 1, 2, 4, ..., and the window's edge
            // itself: a fork at depth k <= window is then found at most about 2k below the checkpoint.
            // Blocks already kept from earlier ranges count, so consecutive ranges fetch few headers.
            for (long d = 1; d < window; d *= 2) {
                long hi = end.number() - d;
                long lo = Math.max(end.number() - 2 * d + 1, edge);
                if (hi >= 0 && hi >= lo && ids.subMap(lo, true, hi, true).isEmpty()) {
                    long n = hi;
                    chain.block(n).ifPresent(b -> ids.put(n, b.id()));
                }
            }
            if (edge >= 0 && !ids.containsKey(edge)) {
                chain.block(edge).ifPresent(b -> ids.put(edge, b.id()));
            }
        }
        return new ArrayList<>(ids.descendingMap().values());
    }

    // ---- end of run ----

    /** Compares derived state with the loupe at {@code block}; stores the loupe's answer on a mismatch. */
    private void reconcile(long block) {
        List<DiamondRecord> fixes = new ArrayList<>();
        for (Track t : tracks.values()) {
            if (t.failed || t.validAt != block || !(t.touched || mode == Mode.DIAMOND)) {
                continue;
            }
            try {
                List<Facet> loupe = chain.facets(t.address, block);
                Optional<Address> owner = chain.owner(t.address, block);
                boolean facetsMatch = t.state.sameFacetsAs(loupe);
                boolean ownerMatches = owner.isEmpty() || owner.get().equals(t.owner);
                if (!facetsMatch || !ownerMatches) {
                    String what = !facetsMatch ? "facets derived from events differ from the loupe's facets()"
                            : "owner derived from events differs from owner()";
                    errors.add(new SyncError(SyncError.STATE_MISMATCH, t.address.hex(), block,
                            what + " at block " + block + "; stored the chain's answer"));
                    t.state = DiamondState.of(loupe);
                    owner.ifPresent(o -> t.owner = o);
                    t.consistent = false;
                    t.flagged = true;
                } else if (!t.flagged) {
                    t.consistent = true;
                }
                DiamondRecord r = t.record(net, block, t.written != null ? t.written.lastSyncedBlockHash()
                        : checkpoint.blockHash());
                if (!r.equals(t.written)) {
                    fixes.add(r);
                    t.written = r;
                }
            } catch (SyncException e) {
                errors.add(SyncError.of(e, t.address.hex(), block));
            }
        }
        if (!fixes.isEmpty()) {
            sink.apply(new ChangeSet(net.name(), net.chainId(), List.of(), fixes, List.of()));
        }
    }

    private SyncSummary summary(long lastSynced, SyncStatus status) {
        int synced = 0;
        int facetsUpdated = 0;
        for (Track t : tracks.values()) {
            if (t.failed || t.written == null) {
                continue; // only what is in the store counts
            }
            synced++;
            facetsUpdated += t.initial.changedFacets(t.written.state()).size();
        }
        if (mode == Mode.EVENTS) {
            synced = 0;
        }
        SyncSummary s = new SyncSummary(synced, facetsUpdated, eventsIndexed, lastSynced, status, errors);
        LOG.info("{} sync of {} ({}): {}", mode, net.name(), scope, s.toJson());
        return s;
    }
}
