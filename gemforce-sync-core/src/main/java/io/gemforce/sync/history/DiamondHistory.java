package io.gemforce.sync.history;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.sink.StoredEventReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A diamond's past, from the store alone: its facets, owner and pending upgrade at any block up to
 * its last synced block, and its upgrade timeline (creation, cuts, proposals, cancellations,
 * executions, ownership transfers, each with its block and transaction). Computed by replaying the
 * stored events through {@link DiamondState}'s EIP-2535 rules; no chain call is made.
 *
 * <pre>{@code
 * DiamondHistory h = DiamondHistory.read(sink, 84532, Address.of("0x…"));   // InMemoryStateSink, JDBC sink
 * HistoricState then = h.at(12_345_678);                                     // facets and owner then
 * h.timeline().forEach(System.out::println);
 * }</pre>
 *
 * <p><b>When it can answer.</b> States are derived from the stored events, so they are true only
 * when the store holds the diamond's events since its creation. The history checks this: the first
 * stored {@code DiamondCut} must be in the creation block (when a {@code DiamondCreated} or the
 * record says which), and replaying every stored event up to the record's last synced block must
 * break no EIP-2535 rule and give exactly the facets and owner the record holds (which the sync
 * reconciled with the loupe).
 * Otherwise {@link #complete()} is false and {@link #at} throws {@link ErrorCode#HISTORY_UNAVAILABLE}
 * saying why: a sync that started after the creation from a loupe snapshot, a {@code syncEvents}
 * of only some event types, a diamond flagged {@code consistent: false}. The timeline is always
 * available: it lists what is stored.
 *
 * <p>Immutable and thread-safe.
 */
public final class DiamondHistory {
    private final Address diamond;
    private final Replay replay;
    private final long firstBlock;
    private final long lastBlock;
    private final String unavailable;

    private DiamondHistory(Address diamond, Replay replay, long firstBlock, long lastBlock, String unavailable) {
        this.diamond = diamond;
        this.replay = replay;
        this.firstBlock = firstBlock;
        this.lastBlock = lastBlock;
        this.unavailable = unavailable;
    }

    /**
     * The history of {@code diamond} from a store that answers its stored events.
     *
     * @throws io.gemforce.sync.SinkException when the store cannot be read
     */
    public static <S extends StateSink & StoredEventReader> DiamondHistory read(S store, long chainId, Address diamond) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(diamond, "diamond");
        return of(diamond, store.storedEvents(chainId, diamond), store.diamond(chainId, diamond).orElse(null));
    }

    /**
     * The history of {@code diamond} from its stored events and its stored record. Pure.
     *
     * @param events the diamond's stored events, in any order (they are ordered by block, log index, uid)
     * @param record the store's record of the diamond, or null (then the history cannot be checked,
     *     and {@link #at} answers nothing)
     */
    public static DiamondHistory of(Address diamond, List<StoredEvent> events, DiamondRecord record) {
        Objects.requireNonNull(diamond, "diamond");
        List<StoredEvent> ordered = new ArrayList<>();
        for (StoredEvent e : events) {
            if (e.diamondAddress().equals(diamond)) {
                ordered.add(e);
            }
        }
        ordered.sort(Comparator.comparingLong(StoredEvent::blockNumber).thenComparingLong(StoredEvent::logIndex)
                .thenComparing(StoredEvent::uid));
        PendingUpgrade pendingNow = record == null ? null : record.pendingUpgrade();
        Map<String, List<FacetCut>> knownCuts = pendingNow == null ? Map.of()
                : Map.of(pendingNow.proposedTx(), pendingNow.proposedCuts());
        Replay r = new Replay(diamond, ordered, knownCuts);

        Long created = r.createdBlock != null ? r.createdBlock : record == null ? null : record.createdBlock();
        long first = created != null ? created : r.firstCutBlock != null ? r.firstCutBlock : Long.MAX_VALUE;
        long lastEvent = ordered.isEmpty() ? -1 : ordered.get(ordered.size() - 1).blockNumber();
        long last = record != null && record.lastSyncedBlock() >= 0 ? record.lastSyncedBlock() : lastEvent;
        return new DiamondHistory(diamond, r, first, last, check(r, record, created, last));
    }

    /** Why the events cannot answer states, or null when they can. */
    private static String check(Replay r, DiamondRecord record, Long created, long last) {
        if (record == null) {
            return "the store holds no record of this diamond (only events of a syncEvents call?), so its stored events"
                    + " cannot be checked; sync it with syncDiamond or syncAll";
        }
        if (r.firstCutBlock == null) {
            return "the store holds no DiamondCut of this diamond";
        }
        if (created != null && !created.equals(r.firstCutBlock)) {
            return "the stored events start after the diamond's creation at block " + created + " (first stored cut at block "
                    + r.firstCutBlock + "): the sync started from a loupe snapshot";
        }
        if (!record.consistent()) {
            return "the store flags this diamond consistent: false: its events do not explain the state the loupe showed";
        }
        if (r.brokenAt != null) {
            return "replaying the stored events fails at block " + r.brokenAt + " (" + r.brokenBecause + "): the store"
                    + " does not hold every event of this diamond since its creation";
        }
        if (record.lastSyncedBlock() >= 0) {
            Replay.Step s = r.at(record.lastSyncedBlock());
            DiamondState state = s == null ? DiamondState.empty() : s.state();
            Address owner = s == null ? null : s.owner();
            if (!state.sameFacetsAs(record.facets()) || !Objects.equals(owner, record.owner())) {
                return "replaying the stored events does not give the stored state at block " + record.lastSyncedBlock()
                        + ": the store does not hold every event of this diamond since its creation";
            }
        }
        return null;
    }

    public Address diamond() {
        return diamond;
    }

    /** Whether {@link #at} can answer (the stored events explain the stored state). */
    public boolean complete() {
        return unavailable == null;
    }

    /** Why {@link #at} cannot answer, when {@link #complete()} is false. */
    public Optional<String> incompleteBecause() {
        return Optional.ofNullable(unavailable);
    }

    /** The creation block: from the factory's {@code DiamondCreated}, else the stored record, else the first stored cut. */
    public Optional<Long> createdBlock() {
        return firstBlock == Long.MAX_VALUE ? Optional.empty() : Optional.of(firstBlock);
    }

    /** The last block {@link #at} answers: the record's last synced block (else the last stored event's). */
    public long lastBlock() {
        return lastBlock;
    }

    /**
     * The diamond at the end of {@code block}. Before its creation: {@code exists} false, no facets,
     * no owner.
     *
     * @throws SyncException with {@link ErrorCode#HISTORY_UNAVAILABLE} when the history is not
     *     {@link #complete()} or {@code block} is after {@link #lastBlock()}
     */
    public HistoricState at(long block) {
        if (unavailable != null) {
            throw unavailable(unavailable);
        }
        if (block < 0) {
            throw new SyncException(ErrorCode.INVALID_BLOCK_RANGE, "block must not be negative");
        }
        if (block > lastBlock) {
            throw unavailable("the store is synced to block " + lastBlock + " only");
        }
        if (block < firstBlock) {
            return new HistoricState(diamond, block, false, List.of(), null, null);
        }
        Replay.Step s = replay.at(block);
        return s == null ? new HistoricState(diamond, block, true, List.of(), null, null)
                : new HistoricState(diamond, block, true, s.state().facets(), s.owner(), s.pending());
    }

    /** Every stored event of the diamond, classified, in chain order. */
    public List<HistoryEntry> timeline() {
        return List.copyOf(replay.entries);
    }

    /** The blocks where the state changed (the blocks with stored events), ascending. */
    public List<Long> changeBlocks() {
        return replay.steps.stream().map(Replay.Step::block).toList();
    }

    private SyncException unavailable(String why) {
        return new SyncException(ErrorCode.HISTORY_UNAVAILABLE, "no history of " + diamond.hex() + " at that block: " + why);
    }

    @Override
    public String toString() {
        return "DiamondHistory[" + diamond.hex() + ", " + replay.entries.size() + " entries, blocks " + firstBlock + ".."
                + lastBlock + (unavailable == null ? "" : ", incomplete") + "]";
    }
}
