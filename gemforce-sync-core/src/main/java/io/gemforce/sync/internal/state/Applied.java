package io.gemforce.sync.internal.state;

import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.event.DiamondEvent;

/**
 * One stored event as the state step applied it.
 *
 * @param executedPending a {@code DiamondCut} that ended a pending time-locked upgrade (its execution)
 * @param proposed for a {@code DiamondCutProposed}, the pending upgrade it made (cuts from the proposing
 *     transaction's input when known); else null
 */
public record Applied(DiamondEvent event, boolean executedPending, PendingUpgrade proposed) {
}
