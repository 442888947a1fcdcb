package io.gemforce.sync;

/**
 * Hears a sync's progress, once per range written. Called on the syncing thread: keep it quick.
 * Used by progress bars and by asynchronous jobs that publish their progress.
 */
@FunctionalInterface
public interface SyncListener {
    SyncListener NONE = (scope, from, to, target, events) -> { };

    /**
     * @param scope the checkpoint scope being synced
     * @param rangeFrom first block of the range just written
     * @param rangeTo last block of the range just written
     * @param targetBlock the block the run syncs to
     * @param eventsIndexed events stored by the run so far
     */
    void onRange(String scope, long rangeFrom, long rangeTo, long targetBlock, long eventsIndexed);
}
