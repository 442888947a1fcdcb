package io.gemforce.sync.internal.state;

import io.gemforce.sync.SyncError;
import io.gemforce.sync.chain.LoupeAnswer;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.InvalidCutException;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.event.EventDecoder;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.event.MalformedEventException;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StoredEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure step of a sync: logs → typed events → {@link DiamondState} per diamond → one
 * {@link ChangeSet} per range. No I/O: what needs the chain (the logs of a diamond found in this
 * range, the input of a proposing transaction, the loupe of a diamond whose cut broke the rules) is
 * asked for by the pipeline and handed in. Holds the tracked diamonds of one run; one thread.
 */
public final class StateStep {
    private final Network net;
    private final Scope scope;
    private final Map<Address, DiamondTrack> tracks = new LinkedHashMap<>();
    private final List<SyncError> errors;
    /** The stored events as applied, when someone listens (see {@link #collectApplied}); else null. */
    private List<Applied> applied;

    public StateStep(Network net, Scope scope, List<SyncError> errors) {
        this.net = net;
        this.scope = scope;
        this.errors = errors;
    }

    public Map<Address, DiamondTrack> tracks() {
        return tracks;
    }

    public DiamondTrack track(Address a) {
        return tracks.computeIfAbsent(a, DiamondTrack::new);
    }

    /** From now on, {@link #apply} keeps the stored events as applied, for {@link #drainApplied}. */
    public void collectApplied() {
        applied = new ArrayList<>();
    }

    /** The events applied since the last drain, in order (empty unless collecting). */
    public List<Applied> drainApplied() {
        if (applied == null || applied.isEmpty()) {
            return List.of();
        }
        List<Applied> out = applied;
        applied = new ArrayList<>();
        return out;
    }

    /** The addresses whose logs the next ranges need. */
    public List<Address> queryAddresses() {
        return scope.queryAddresses(tracks.keySet());
    }

    /** Decodes the logs; malformed ones are reported and skipped, foreign ones skipped silently. */
    public List<DiamondEvent> decode(List<RawLog> logs) {
        return adopt(decoded(logs));
    }

    /** Logs decoded on any thread (pure): the events and the malformed logs' errors. */
    public record Decoded(List<DiamondEvent> events, List<SyncError> malformed) {
    }

    /** Decodes without touching the run: safe on the reader threads. */
    public static Decoded decoded(List<RawLog> logs) {
        List<DiamondEvent> out = new ArrayList<>(logs.size());
        List<SyncError> malformed = new ArrayList<>(0);
        for (RawLog l : logs) {
            try {
                EventDecoder.decode(l).ifPresent(out::add);
            } catch (MalformedEventException e) {
                malformed.add(SyncError.of(e, l.address().hex(), l.blockNumber()));
            }
        }
        return new Decoded(out, malformed);
    }

    /** The events of logs decoded elsewhere; their malformed logs are reported now. */
    public List<DiamondEvent> adopt(Decoded d) {
        errors.addAll(d.malformed());
        return d.events();
    }

    /**
     * Starts tracking the diamonds that known factories created in these events. Their logs up to the
     * range's end must then be read from their creation block (the creation's own DiamondCut comes
     * before DiamondCreated in the same transaction, and the range was read without them).
     *
     * @return the new diamonds, empty when none
     */
    public List<DiamondTrack> discover(List<DiamondEvent> events) {
        List<DiamondTrack> found = new ArrayList<>();
        if (!scope.discovers()) {
            return found;
        }
        for (DiamondEvent e : events) {
            if (e instanceof DiamondEvent.DiamondCreated c && scope.factories().contains(c.emitter())
                    && !tracks.containsKey(c.createdDiamond())) {
                DiamondTrack t = track(c.createdDiamond());
                t.validAt = c.position().blockNumber() - 1;
                t.initial = DiamondState.empty();
                found.add(t);
            }
        }
        return found;
    }

    /** Transactions whose input shows what a proposal in these events will do. */
    public List<String> proposals(List<DiamondEvent> events) {
        List<String> out = new ArrayList<>();
        if (!scope.derivesState()) {
            return out;
        }
        for (DiamondEvent e : events) {
            if (e instanceof DiamondEvent.DiamondCutProposed p && tracks.containsKey(p.diamond())
                    && p.position().blockNumber() > tracks.get(p.diamond()).validAt) {
                out.add(p.position().transactionHash());
            }
        }
        return out;
    }

    /** The pending upgrade of a proposal, with its cuts when the proposing transaction's input shows them. */
    public static PendingUpgrade pending(DiamondEvent.DiamondCutProposed p, Optional<String> input) {
        List<FacetCut> cuts = input.flatMap(EventDecoder::proposedCuts).orElse(List.of());
        return new PendingUpgrade(p.proposer(), p.proposalTime(), p.executionTime(), p.position().blockNumber(),
                p.position().transactionHash(), cuts);
    }

    /**
     * Applies one range's events (ordered) to the tracked diamonds.
     *
     * @param inputs transaction inputs by hash, for the proposals among the events
     * @return the events to store
     */
    public List<StoredEvent> apply(List<DiamondEvent> events, Map<String, Optional<String>> inputs) {
        List<StoredEvent> stored = new ArrayList<>();
        for (DiamondEvent e : events) {
            if (!scope.stores(e, tracks.keySet())) {
                continue;
            }
            stored.add(StoredEvent.of(net.name(), net.chainId(), e));
            DiamondTrack t = scope.derivesState() ? tracks.get(e.diamond()) : null;
            boolean live = t != null && !t.failed && e.position().blockNumber() > t.validAt;
            boolean executes = live && e instanceof DiamondEvent.DiamondCut && t.pending != null;
            if (t != null && !t.failed) {
                applyTo(t, e, inputs);
            }
            if (applied != null) {
                applied.add(new Applied(e, executes,
                        live && e instanceof DiamondEvent.DiamondCutProposed ? t.pending : null));
            }
        }
        return stored;
    }

    private void applyTo(DiamondTrack t, DiamondEvent e, Map<String, Optional<String>> inputs) {
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
            t.pending = pending(p, inputs.getOrDefault(p.position().transactionHash(), Optional.empty()));
        } else if (e instanceof DiamondEvent.DiamondCutCancelled) {
            t.pending = null;
        } else if (e instanceof DiamondEvent.DiamondCreated) {
            t.touched = true;
        }
    }

    /** Diamonds whose cuts broke the rules in the range: their state must come from the loupe. */
    public List<Address> broken() {
        return tracks.values().stream().filter(t -> t.broken && !t.failed).map(t -> t.address).toList();
    }

    /**
     * The loupe's answers for the broken diamonds at the range's end. A diamond whose loupe cannot be
     * read keeps the state it had before the rejected cut, flagged inconsistent; the end of the run
     * reconciles it again.
     */
    public void adoptLoupe(List<LoupeAnswer> answers) {
        for (LoupeAnswer a : answers) {
            DiamondTrack t = tracks.get(a.diamond());
            t.broken = false;
            t.consistent = false;
            t.flagged = true;
            if (a.ok()) {
                t.state = DiamondState.of(a.facets());
            } else {
                errors.add(new SyncError(SyncError.NOT_RECONCILED, t.address.hex(), a.block(),
                        "a cut broke the EIP-2535 rules and the loupe could not be read at block " + a.block() + ": "
                                + a.failure().getMessage() + "; kept the state before that cut, flagged inconsistent"));
            }
        }
    }

    /** The range's change set: its events, every tracked diamond's state at its end, the checkpoint. */
    public ChangeSet changeSet(List<StoredEvent> events, long end, String hash, Checkpoint checkpoint) {
        List<DiamondRecord> records = new ArrayList<>();
        for (DiamondTrack t : tracks.values()) {
            if (!t.failed && t.validAt < end) {
                records.add(t.record(net, end, hash));
            }
        }
        return new ChangeSet(net.name(), net.chainId(), events, records,
                checkpoint == null ? List.of() : List.of(checkpoint));
    }

    /** The change set was stored: the diamonds in it are now true at its end. */
    public void committed(ChangeSet cs, long end) {
        for (DiamondRecord r : cs.diamonds()) {
            DiamondTrack t = tracks.get(r.address());
            t.validAt = end;
            t.written = r;
        }
    }

    /** Diamonds that the scope's factories created in these logs ({@code DiamondCreated}'s indexed diamond). */
    public static Map<Address, Long> createdBy(Scope scope, List<RawLog> logs) {
        Map<Address, Long> out = new HashMap<>();
        String created = EventType.DIAMOND_CREATED.topic0();
        for (RawLog l : logs) {
            if (created.equals(l.topic0()) && l.topics().size() > 2 && scope.factories().contains(l.address())) {
                String t = l.topics().get(2);
                if (t.length() == 66 && t.startsWith("0x000000000000000000000000")) {
                    try {
                        out.merge(Address.of("0x" + t.substring(26)), l.blockNumber(), Math::min);
                    } catch (RuntimeException malformed) {
                        // not an address: the decoder reports the log
                    }
                }
            }
        }
        return out;
    }

    /** Two ordered event lists as one, ordered, each log once. */
    public static List<DiamondEvent> merge(List<DiamondEvent> a, List<DiamondEvent> b) {
        Map<String, DiamondEvent> merged = new LinkedHashMap<>();
        for (DiamondEvent e : a) {
            merged.put(e.position().blockNumber() + ":" + e.position().logIndex(), e);
        }
        for (DiamondEvent e : b) {
            merged.putIfAbsent(e.position().blockNumber() + ":" + e.position().logIndex(), e);
        }
        List<DiamondEvent> all = new ArrayList<>(merged.values());
        all.sort(Comparator.comparing(DiamondEvent::position));
        return all;
    }
}
