package io.gemforce.sync.internal.base;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncError;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LoupeAnswer;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.event.EventDecoder;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.event.MalformedEventException;
import io.gemforce.sync.internal.historical.RangeReader;
import io.gemforce.sync.internal.state.DiamondTrack;
import io.gemforce.sync.internal.state.Scope;
import io.gemforce.sync.internal.state.StateStep;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StateSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run's diamonds start, at {@code fromBlock - 1}: the stored state when it is true there;
 * nothing when the diamond did not exist yet; else the loupe at that block (one batch for all
 * diamonds), or, when the node no longer holds that block's state, the state derived from the
 * diamond's own logs since its creation (its first {@code DiamondCut} is the initial facet set).
 */
public final class BaseStateLoader {
    private static final Logger LOG = LoggerFactory.getLogger(BaseStateLoader.class);
    private static final List<String> UPGRADE_TOPICS = List.of(EventType.DIAMOND_CUT.topic0(),
            EventType.DIAMOND_CUT_PROPOSED.topic0(), EventType.DIAMOND_CUT_CANCELLED.topic0());

    private final ChainSource chain;
    private final RangeReader reader;
    private final StateSink sink;
    private final Network net;
    private final Scope scope;
    private final long pendingLookback;
    private final long initialSpan;
    private final long maxSpan;

    public BaseStateLoader(ChainSource chain, RangeReader reader, StateSink sink, Network net, Scope scope,
            long pendingLookback, long initialSpan, long maxSpan) {
        this.chain = chain;
        this.reader = reader;
        this.sink = sink;
        this.net = net;
        this.scope = scope;
        this.pendingLookback = pendingLookback;
        this.initialSpan = initialSpan;
        this.maxSpan = maxSpan;
    }

    /**
     * Tracks the run's diamonds in {@code step}, each with its state at {@code from - 1}. A diamond that
     * cannot be loaded fails the run for {@code syncDiamond}, else only that diamond (reported).
     */
    public void load(StateStep step, long from, List<SyncError> errors) {
        Map<Address, DiamondRecord> stored = new LinkedHashMap<>();
        List<Address> addresses = new ArrayList<>();
        if (scope.targeted()) {
            sink.diamond(net.chainId(), scope.target()).ifPresent(r -> stored.put(r.address(), r));
            addresses.add(scope.target());
        } else {
            for (DiamondRecord r : sink.diamonds(net.chainId())) {
                stored.put(r.address(), r);
                addresses.add(r.address());
            }
            for (Address a : net.diamonds()) {
                if (!stored.containsKey(a)) {
                    addresses.add(a);
                }
            }
        }
        List<DiamondTrack> snapshots = new ArrayList<>();
        for (Address a : addresses) {
            DiamondTrack t = step.track(a);
            DiamondRecord r = stored.get(a);
            if (r != null) {
                t.adopt(r);
            }
            t.validAt = from - 1;
            if (r != null && r.lastSyncedBlock() >= 0 && r.lastSyncedBlock() >= from - 1) {
                t.resumeFrom(r);
            } else if (!(from == 0 || (t.createdBlock != null && t.createdBlock >= from))) {
                snapshots.add(t);
            }
        }
        if (!snapshots.isEmpty()) {
            List<Address> list = snapshots.stream().map(t -> t.address).toList();
            List<LoupeAnswer> answers;
            try {
                answers = chain.loupe(list, from - 1);
            } catch (SyncException e) {
                answers = list.stream().map(a -> LoupeAnswer.failed(a, from - 1, e)).toList();
            }
            for (int i = 0; i < snapshots.size(); i++) {
                DiamondTrack t = snapshots.get(i);
                try {
                    base(t, answers.get(i), from);
                } catch (SyncException e) {
                    if (scope.singleDiamond()) {
                        throw e;
                    }
                    t.failed = true;
                    errors.add(SyncError.of(e, t.address.hex(), from - 1));
                }
            }
        }
        for (Address a : addresses) {
            DiamondTrack t = step.tracks().get(a);
            DiamondRecord r = stored.get(a);
            t.initial = r != null && r.lastSyncedBlock() >= 0 ? r.state() : t.state;
        }
    }

    private void base(DiamondTrack t, LoupeAnswer answer, long from) {
        if (answer.ok()) {
            t.state = DiamondState.of(answer.facets());
            t.owner = answer.owner().orElse(null);
            t.pending = pendingAt(t, from - 1);
            LOG.debug("{}: base state from the loupe at block {}", t.address, from - 1);
            return;
        }
        SyncException failure = answer.failure();
        if (failure.code() == ErrorCode.NO_CODE) {
            t.state = DiamondState.empty(); // not created yet at from - 1
            t.owner = null;
            t.pending = null;
            return;
        }
        if (failure instanceof ChainException.StateUnavailable) {
            fromOwnLogs(t, from);
            return;
        }
        throw failure;
    }

    /** The state at {@code from - 1} replayed from the diamond's own logs, for nodes without that block's state. */
    private void fromOwnLogs(DiamondTrack t, long from) {
        long lower = t.createdBlock != null ? t.createdBlock : net.startBlock();
        LOG.info("{}: the node holds no state at block {}; deriving the base state from the diamond's logs {}..{}",
                t.address, from - 1, lower, from - 1);
        List<RawLog> logs = reader.readAll(lower, from - 1, List.of(t.address), UPGRADE_OR_OWNER);
        List<SyncError> ignored = new ArrayList<>();
        Scope own = new Scope(Scope.Kind.DIAMOND, t.address, java.util.EnumSet.allOf(EventType.class), scope.factories());
        StateStep replay = new StateStep(net, own, ignored);
        DiamondTrack r = replay.track(t.address);
        r.validAt = lower - 1;
        List<DiamondEvent> events = replay.decode(logs);
        boolean creation = events.stream().anyMatch(e -> e instanceof DiamondEvent.DiamondCut);
        if (!creation) {
            throw new ChainException.StateUnavailable("the node holds no state at block " + (from - 1) + " for "
                    + t.address + " and the diamond's logs from block " + lower + " hold no DiamondCut to start from: "
                    + "sync from the diamond's creation block (omit fromBlock), set the network's start block at or "
                    + "before the creation, or use an archive node");
        }
        Map<String, Optional<String>> inputs = new HashMap<>();
        List<String> hashes = replay.proposals(events);
        if (!hashes.isEmpty()) {
            List<Optional<String>> got = chain.transactionInputs(hashes);
            for (int i = 0; i < hashes.size(); i++) {
                inputs.put(hashes.get(i), got.get(i));
            }
        }
        replay.apply(events, inputs);
        if (r.broken) {
            throw new ChainException.StateUnavailable("a cut of " + t.address + " before block " + from
                    + " breaks the EIP-2535 rules and the node holds no state to read instead: sync from an "
                    + "earlier block or use an archive node");
        }
        t.state = r.state;
        t.owner = r.owner;
        t.pending = r.pending;
    }

    private static final List<String> UPGRADE_OR_OWNER = List.of(EventType.DIAMOND_CUT.topic0(),
            EventType.OWNERSHIP_TRANSFERRED.topic0(), EventType.DIAMOND_CUT_PROPOSED.topic0(),
            EventType.DIAMOND_CUT_CANCELLED.topic0());

    /** The upgrade pending at {@code block}: the latest of proposal, cut and cancellation, read backwards. */
    private io.gemforce.sync.diamond.PendingUpgrade pendingAt(DiamondTrack t, long block) {
        long lower = t.createdBlock != null ? t.createdBlock : net.startBlock();
        if (pendingLookback != Long.MAX_VALUE) {
            lower = Math.max(lower, block - pendingLookback);
        }
        long span = initialSpan;
        long hi = block;
        while (hi >= lower && hi >= 0) {
            long lo = Math.max(lower, hi - span + 1);
            List<RawLog> logs = reader.readAll(lo, hi, List.of(t.address), UPGRADE_TOPICS);
            for (int i = logs.size() - 1; i >= 0; i--) {
                Optional<DiamondEvent> e;
                try {
                    e = EventDecoder.decode(logs.get(i));
                } catch (MalformedEventException ex) {
                    continue;
                }
                if (e.isPresent()) {
                    if (e.get() instanceof DiamondEvent.DiamondCutProposed p) {
                        List<Optional<String>> input = chain.transactionInputs(List.of(p.position().transactionHash()));
                        return StateStep.pending(p, input.get(0));
                    }
                    return null;
                }
            }
            hi = lo - 1;
            span = Math.min(maxSpan, span * 2);
        }
        return null;
    }
}
