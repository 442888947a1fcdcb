package io.gemforce.sync.internal;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.NotADiamondException;
import io.gemforce.sync.SyncError;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LoupeAnswer;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.internal.base.BaseStateLoader;
import io.gemforce.sync.internal.historical.LogRange;
import io.gemforce.sync.internal.historical.LogStream;
import io.gemforce.sync.internal.historical.RangeReader;
import io.gemforce.sync.internal.reconcile.Reconciler;
import io.gemforce.sync.internal.reorg.RecentHeaders;
import io.gemforce.sync.internal.reorg.ReorgGuard;
import io.gemforce.sync.internal.state.Applied;
import io.gemforce.sync.internal.state.DiamondTrack;
import io.gemforce.sync.internal.state.Scope;
import io.gemforce.sync.internal.state.StateStep;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of an operation, along the data's path: validation against the chain, the reorg guard,
 * base states, then ranges from the {@link LogStream} (several in flight, in block order, each with
 * its last block's header) through the pure {@link StateStep} into the sink, one atomic
 * {@link ChangeSet} per {@code commitRanges} ranges or {@code commitInterval}, whichever first;
 * finally the reconciler and the summary. Not reusable; one thread.
 */
public final class SyncPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(SyncPipeline.class);

    private final RunSettings settings;
    private final ChainSource chain;
    private final StateSink sink;
    private final Network net;
    private final Scope scope;
    private final Long fromArg;
    private final Long toArg;
    private final boolean reindexAll;
    private final List<SyncError> errors = new ArrayList<>();
    private final StateStep step;
    private final RangeReader reader;
    private final ReorgGuard guard;
    private final Instant started;
    private long eventsIndexed;
    /** The last block stored (its commit written), and the run's last block. */
    private long lastSynced;
    private long target;
    private CommitWriter writer;
    /** The headers read near the head, or null before the run knows its head and last block. */
    private RecentHeaders recent;
    /** The checkpoint of the last range processed (stored with its commit). */
    private Checkpoint checkpoint;
    private BlockRef head;
    private long processedTo = -1;
    private boolean committedAny;

    public SyncPipeline(RunSettings settings, ChainAccess access, StateSink sink, Network net, Scope scope,
            Long fromArg, Long toArg, boolean reindexAll) {
        this.settings = settings;
        this.chain = access.chain();
        this.sink = sink;
        this.net = net;
        this.scope = scope;
        this.fromArg = fromArg;
        this.toArg = toArg;
        this.reindexAll = reindexAll;
        this.step = new StateStep(net, scope, errors);
        this.reader = new RangeReader(chain, access.planner(), settings.maxAddressesPerQuery());
        this.guard = new ReorgGuard(chain, sink, net, settings.reorgWindow(), settings.observer());
        if (settings.observer().wantsEvents()) {
            step.collectApplied();
        }
        this.started = settings.clock().instant();
    }

    public SyncSummary run() {
        Aside<BlockRef> headRead = Aside.start(chain::head); // one round trip for the three reads
        // the stored checkpoint and the chain's header at its block, for the reorg guard; read later,
        // on this thread, after a reindexAll's reset, or without prefetch (a sink bound to its caller's thread)
        Aside<Stored> storedRead = reindexAll || !settings.prefetch() ? null : Aside.start(this::stored);
        try {
            return run(headRead, storedRead);
        } finally {
            if (storedRead != null) {
                storedRead.cancel(); // not needed when the run stopped before the reorg check
            }
        }
    }

    /** The stored checkpoint, and the chain's header at its block when that was read ({@code read}, by number). */
    private record Stored(Optional<Checkpoint> checkpoint, Map<Long, Optional<BlockRef>> read) {
    }

    private Stored stored() {
        Optional<Checkpoint> cp = sink.checkpoint(net.chainId(), scope.name());
        if (cp.isEmpty()) {
            return new Stored(cp, Map.of());
        }
        try {
            return new Stored(cp, Map.of(cp.get().blockNumber(), chain.block(cp.get().blockNumber())));
        } catch (RuntimeException e) {
            return new Stored(cp, Map.of()); // read again by the guard, which reports the failure where it always has
        }
    }

    private SyncSummary run(Aside<BlockRef> headRead, Aside<Stored> storedRead) {
        long chainId;
        try {
            chainId = chain.chainId();
        } catch (RuntimeException | Error e) {
            headRead.cancel();
            throw e;
        }
        if (chainId != net.chainId()) {
            headRead.cancel();
            throw new SyncException(ErrorCode.CHAIN_ID_MISMATCH, "the RPC node serves chain " + chainId + ", not "
                    + net.name() + " (" + net.chainId() + ")");
        }
        head = headRead.join();
        settings.metrics().head(net, head);
        if (toArg != null && toArg > head.number()) {
            throw new InvalidInputException(ErrorCode.INVALID_BLOCK_RANGE,
                    "toBlock " + toArg + " is above the chain head " + head.number());
        }
        if (fromArg != null && fromArg > head.number()) {
            throw new InvalidInputException(ErrorCode.INVALID_BLOCK_RANGE,
                    "fromBlock " + fromArg + " is above the chain head " + head.number());
        }
        if (scope.targeted()) {
            requireDiamond(scope.target(), head.number());
        }
        if (reindexAll) {
            LOG.info("reindexAll: deleting everything stored for {}", net.name());
            sink.reset(net.chainId());
        }
        Stored stored = storedRead != null ? storedRead.join() : new Stored(sink.checkpoint(net.chainId(), scope.name()), Map.of());
        checkpoint = stored.checkpoint().map(cp -> guard.check(cp, head, stored.read())).orElse(null);
        long to = toArg != null ? toArg : head.number() - net.confirmations();
        long from = fromArg != null ? fromArg : checkpoint != null ? checkpoint.blockNumber() + 1
                : new StartBlock(chain, sink, net, scope).find(head.number());
        lastSynced = checkpoint != null ? checkpoint.blockNumber() : from - 1;
        target = to;
        settings.observer().started(head, from, to);
        recent = new RecentHeaders(guard, head.number(), settings.reorgWindow(), from <= to ? to : -1);

        if (scope.derivesState()) {
            new BaseStateLoader(chain, reader, sink, net, scope, settings.pendingLookbackBlocks(),
                    settings.initialRange(), settings.maxRange()).load(step, from, errors);
        }
        boolean stopped = false;
        boolean halted = false;
        long cursor = from;
        Commit pending = null;
        LogStream.Children children = scope.discovers() ? logs -> StateStep.createdBy(scope, logs) : LogStream.Children.NONE;
        // a discovering read asks for every emitter's logs where the node allows: no riders for new diamonds
        boolean anyAddress = scope.discovers() && !scope.factories().isEmpty() && chain.anyAddressLogs();
        // with read-ahead, a commit is written while the next ranges go through the state step
        writer = new CommitWriter(sink, settings.prefetch(), this::written);
        try (LogStream stream = reader.open(from, to, step::queryAddresses, scope.topics(), settings.readAhead(),
                children, new RangePreparation(recent), anyAddress)) {
            while (stream.hasNext()) {
                if (overBudget()) {
                    stopped = true;
                    break;
                }
                if (settings.halt().getAsBoolean()) {
                    halted = true;
                    break;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new SyncException(ErrorCode.INTERRUPTED, "interrupted at block " + cursor);
                }
                LogRange range = stream.next();
                ChangeSet cs = process(range);
                List<Applied> applied = step.drainApplied();
                pending = pending == null ? new Commit(range.fromBlock(), cs, applied, System.nanoTime())
                        : pending.and(cs, applied);
                cursor = range.toBlock() + 1;
                if (pending.ranges >= settings.commitRanges() || !stream.hasNext()
                        || System.nanoTime() - pending.startedNanos >= settings.commitInterval().toNanos()) {
                    store(pending);
                    pending = null;
                }
            }
            if (pending != null) {
                store(pending);
                pending = null;
            }
            writer.drain();
            if (stopped) {
                errors.add(new SyncError(SyncError.TIME_BUDGET, null, lastSynced < 0 ? null : lastSynced,
                        "time budget of " + settings.timeBudget() + " used up; continue from block " + cursor));
            }
            if (scope.derivesState() && settings.reconcile() && !stopped && !halted && lastSynced >= 0) {
                reconcile(lastSynced);
            }
        } catch (SyncException e) {
            if (e.code() == ErrorCode.INTERRUPTED) {
                Thread.currentThread().interrupt();
            }
            errors.add(SyncError.of(e, scope.targeted() ? scope.target().hex() : null, cursor));
            try {
                writer.drain(); // a write still in flight lands or fails before the summary says where the run stopped
            } catch (SyncException w) {
                errors.add(SyncError.of(w, scope.targeted() ? scope.target().hex() : null, lastSynced + 1));
            }
            LOG.warn("{} sync of {} stopped at block {}: {}", scope.kind(), net.name(), lastSynced, e.getMessage());
            return summary(lastSynced, committedAny ? SyncStatus.PARTIAL : SyncStatus.FAILED);
        } finally {
            writer.close();
            recent.close(); // the run may end before its last range
        }
        boolean anyFailed = step.tracks().values().stream().anyMatch(t -> t.failed);
        return summary(lastSynced, stopped || anyFailed ? SyncStatus.PARTIAL : SyncStatus.SUCCESS);
    }

    /** Hands a commit to the writer (which first finishes the one before it). */
    private void store(Commit c) {
        c.end = processedTo;
        c.endBlock = recent.known().get(processedTo);
        writer.write(c);
    }

    /** A commit is in the store: the state step, the observer and the listener learn of it. Pipeline thread. */
    private void written(Commit c, ApplyResult result, long nanos) {
        settings.metrics().applied(net, nanos, result, c.endBlock);
        committedAny = true;
        eventsIndexed += result.eventsInserted();
        lastSynced = c.end;
        step.committed(c.changes, c.end);
        settings.observer().committed(c.changes, c.applied);
        if (c.endBlock != null) {
            settings.observer().syncedTo(c.endBlock);
        }
        LOG.debug("{} {}: blocks {}..{} written, {} events ({} new)", net.name(), scope.name(), c.fromBlock, c.end,
                c.changes.events().size(), result.eventsInserted());
        settings.listener().onRange(scope.name(), c.fromBlock, c.end, target, eventsIndexed);
    }

    private void requireDiamond(Address a, long block) {
        if (!chain.hasCode(a, block)) {
            throw new NotADiamondException(ErrorCode.NO_CODE, a + " holds no code on " + net.name()
                    + " at block " + block + ": not a contract");
        }
        chain.facets(a, block); // throws NotADiamondException when the loupe does not answer
    }

    private boolean overBudget() {
        Duration budget = settings.timeBudget();
        return budget != null && Duration.between(started, settings.clock().instant()).compareTo(budget) >= 0;
    }

    /** One range through the state step: its change set, not yet stored. */
    private ChangeSet process(LogRange range) {
        long end = range.toBlock();
        recent.forRange(end, range.end(), range.logs());
        Map<Long, BlockRef> headers = recent.known();
        List<Address> wanted = step.queryAddresses();
        List<Address> later = wanted.stream().filter(a -> !range.readWith().contains(a)).toList();
        List<RawLog> logs = range.logs();
        if (!later.isEmpty()) {
            // diamonds found after this range was dispatched: their logs in the same range
            logs = RangeReader.merge(logs, logsOf(range, range.fromBlock(), later));
        }
        List<RawLog> checked = canonical(range.fromBlock(), end, logs, wanted, headers);
        // decoded on the reader thread unless the logs changed since (supplements, a re-read)
        List<DiamondEvent> events = checked == range.logs() && range.prepared() instanceof StateStep.Decoded d
                ? step.adopt(d) : step.decode(checked);
        List<DiamondTrack> found = step.discover(events);
        if (!found.isEmpty()) {
            LOG.info("{}: {} new diamonds created in blocks {}..{}", net.name(), found.size(), range.fromBlock(), end);
            // the reader usually read them already (it knows the factories' children); else read them now
            List<DiamondTrack> unread = found.stream().filter(t -> !range.readWith().contains(t.address)).toList();
            if (!unread.isEmpty()) {
                long first = unread.stream().mapToLong(t -> t.validAt + 1).min().orElseThrow();
                List<Address> addresses = unread.stream().map(t -> t.address).toList();
                List<RawLog> more = canonical(first, end, logsOf(range, first, addresses), addresses, headers);
                events = StateStep.merge(events, step.decode(more));
            }
        }
        List<String> proposals = step.proposals(events);
        Map<String, Optional<String>> inputs = new HashMap<>();
        if (!proposals.isEmpty()) {
            List<Optional<String>> got = chain.transactionInputs(proposals);
            for (int i = 0; i < proposals.size(); i++) {
                inputs.put(proposals.get(i), got.get(i));
            }
        }
        List<StoredEvent> stored = step.apply(events, inputs);
        List<Address> broken = step.broken();
        if (!broken.isEmpty()) {
            step.adoptLoupe(loupe(broken, end));
        }
        BlockRef endBlock = headers.get(end);
        if (endBlock == null) {
            throw new ChainException(ErrorCode.CHAIN_ERROR, "block " + end + " is not on the chain any more (the head moved back)");
        }
        Checkpoint next = null;
        if (checkpoint == null || end > checkpoint.blockNumber()) {
            next = new Checkpoint(scope.name(), end, endBlock.hash(),
                    guard.recent(endBlock, checkpoint, head.number(), headers));
            checkpoint = next;
        }
        processedTo = end;
        return step.changeSet(stored, end, endBlock.hash(), next);
    }

    /** The range's logs of {@code addresses} from block {@code from}: set aside in it, or read now. */
    private List<RawLog> logsOf(LogRange range, long from, List<Address> addresses) {
        List<RawLog> held = range.othersOf(from, addresses);
        return held != null ? held : reader.readAll(from, range.toBlock(), addresses, scope.topics());
    }

    /** The logs, checked against the canonical headers near the head; read again when the chain moved under the read. */
    private List<RawLog> canonical(long from, long end, List<RawLog> logs, List<Address> addresses,
            Map<Long, BlockRef> headers) {
        return guard.canonical(from, end, logs, recent.canonicalFrom(), headers,
                () -> reader.readAll(from, end, addresses, scope.topics()));
    }

    private List<LoupeAnswer> loupe(List<Address> diamonds, long block) {
        try {
            return chain.loupe(diamonds, block);
        } catch (SyncException e) {
            return diamonds.stream().map(a -> LoupeAnswer.failed(a, block, e)).toList();
        }
    }

    private void reconcile(long block) {
        List<DiamondTrack> due = step.tracks().values().stream()
                .filter(t -> !t.failed && t.validAt == block && (t.touched || scope.singleDiamond())).toList();
        String fallbackHash = checkpoint != null && checkpoint.blockNumber() == block ? checkpoint.blockHash()
                : due.stream().anyMatch(t -> t.written == null || t.written.lastSyncedBlock() != block)
                        ? chain.block(block).map(BlockRef::hash).orElse(head.hash()) : null;
        ChangeSet fixes = new Reconciler(chain, net).reconcile(due, block, fallbackHash, errors);
        if (!fixes.isEmpty()) {
            sink.apply(fixes);
        }
    }

    private SyncSummary summary(long lastSynced, SyncStatus status) {
        int synced = 0;
        int facetsUpdated = 0;
        for (DiamondTrack t : step.tracks().values()) {
            if (t.failed || t.written == null) {
                continue; // only what is in the store counts
            }
            synced++;
            facetsUpdated += t.initial.changedFacets(t.written.state()).size();
        }
        if (!scope.derivesState()) {
            synced = 0;
        }
        SyncSummary s = new SyncSummary(synced, facetsUpdated, eventsIndexed, lastSynced, status, errors);
        LOG.info("{} sync of {} ({}): {}", scope.kind(), net.name(), scope.name(), s.toJson());
        return s;
    }
}
