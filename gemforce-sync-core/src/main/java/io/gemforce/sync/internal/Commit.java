package io.gemforce.sync.internal;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.internal.state.Applied;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StoredEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consecutive ranges stored as one change set (merged in order: later diamond records and
 * checkpoints win), with the events as the state step applied them when someone listens.
 */
final class Commit {
    final long fromBlock;
    final long startedNanos;
    ChangeSet changes;
    final List<Applied> applied;
    int ranges = 1;
    /** The last block it covers and that block's header when known: set when it is handed to the writer. */
    long end = -1;
    BlockRef endBlock;

    Commit(long fromBlock, ChangeSet changes, List<Applied> applied, long startedNanos) {
        this.fromBlock = fromBlock;
        this.changes = changes;
        this.applied = new ArrayList<>(applied);
        this.startedNanos = startedNanos;
    }

    Commit and(ChangeSet next, List<Applied> nextApplied) {
        List<StoredEvent> events = new ArrayList<>(changes.events());
        events.addAll(next.events());
        Map<Address, DiamondRecord> diamonds = new LinkedHashMap<>();
        changes.diamonds().forEach(r -> diamonds.put(r.address(), r));
        next.diamonds().forEach(r -> diamonds.put(r.address(), r));
        changes = new ChangeSet(changes.network(), changes.chainId(), events, List.copyOf(diamonds.values()),
                next.checkpoints().isEmpty() ? changes.checkpoints() : next.checkpoints());
        applied.addAll(nextApplied);
        ranges++;
        return this;
    }
}
