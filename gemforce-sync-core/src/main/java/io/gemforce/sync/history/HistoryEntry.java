package io.gemforce.sync.history;

import io.gemforce.sync.diamond.FacetCut;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a diamond's upgrade timeline: a stored event, classified.
 *
 * @param args the event's stored arguments (strings, lists and maps; see {@link io.gemforce.sync.sink.StoredEvent})
 */
public record HistoryEntry(Kind kind, long blockNumber, String transactionHash, long logIndex,
        Map<String, Object> args) {

    /** What a timeline step did. */
    public enum Kind {
        /** The factory's {@code DiamondCreated}. */
        CREATED,
        /** A {@code DiamondCut} with no proposal pending: a direct cut (the creation's initial cut too). */
        CUT,
        /** A time-locked upgrade was proposed ({@code DiamondCutProposed}). */
        PROPOSED,
        /** The pending proposal was cancelled ({@code DiamondCutCancelled}). */
        CANCELLED,
        /**
         * A {@code DiamondCut} while a proposal was pending: its execution. This is the rule the
         * engine applies to clear the pending upgrade; the stored events alone cannot tell it from a
         * direct {@code diamondCut} sent while a proposal waits.
         */
        EXECUTED,
        /** {@code OwnershipTransferred}. */
        OWNERSHIP_TRANSFERRED
    }

    public HistoryEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(transactionHash, "transactionHash");
        args = Map.copyOf(args);
    }

    /** The cuts of a {@link Kind#CUT} or {@link Kind#EXECUTED} entry; empty for the other kinds. */
    public List<FacetCut> cuts() {
        if ((kind != Kind.CUT && kind != Kind.EXECUTED) || !(args.get("diamondCut") instanceof List<?> l)) {
            return List.of();
        }
        return l.stream().map(o -> FacetCut.fromMap((Map<?, ?>) o)).toList();
    }
}
