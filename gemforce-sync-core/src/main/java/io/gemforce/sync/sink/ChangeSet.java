package io.gemforce.sync.sink;

import java.util.List;
import java.util.Objects;

/**
 * What one synced range changes, written as one unit: the range's events, the full state of every
 * diamond it touches, and the checkpoints that move with them. A sink must apply it atomically (all
 * or nothing) and idempotently (applying it twice leaves the store as applying it once).
 *
 * <p>Semantics: an event is inserted when its uid is absent and never updated; a diamond record
 * replaces the stored one with the same (chainId, address), its facets included (facets absent from
 * the record are deleted); a checkpoint replaces the stored one with the same (chainId, scope).
 */
public record ChangeSet(String network, long chainId, List<StoredEvent> events, List<DiamondRecord> diamonds,
        List<Checkpoint> checkpoints) {
    public ChangeSet {
        Objects.requireNonNull(network, "network");
        events = List.copyOf(events);
        diamonds = List.copyOf(diamonds);
        checkpoints = List.copyOf(checkpoints);
    }

    public boolean isEmpty() {
        return events.isEmpty() && diamonds.isEmpty() && checkpoints.isEmpty();
    }
}
