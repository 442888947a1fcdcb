package io.gemforce.sync.sink;

/**
 * What applying a {@link ChangeSet} actually changed.
 *
 * @param eventsInserted events whose uid was not stored before
 * @param diamondsChanged diamond records that were created or whose content changed
 */
public record ApplyResult(int eventsInserted, int diamondsChanged) {
    public static final ApplyResult NONE = new ApplyResult(0, 0);
}
