package io.gemforce.sync.sink;

import java.util.List;

/**
 * Everything a sink holds for one chain, in a canonical order (events by block then log index,
 * diamonds and checkpoints by address or scope), as {@link StoreContentsReader} answers it. Used to
 * compare stores: a resumed or replayed sync must leave contents equal to an uninterrupted one.
 */
public record StoreContents(List<StoredEvent> events, List<DiamondRecord> diamonds, List<Checkpoint> checkpoints) {
    public StoreContents {
        events = List.copyOf(events);
        diamonds = List.copyOf(diamonds);
        checkpoints = List.copyOf(checkpoints);
    }
}
