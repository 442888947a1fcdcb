package io.gemforce.sync;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Objects;

/**
 * What a sync did, with the field names of the cloud functions' documented response:
 * {@code {"diamondsSynced", "facetsUpdated", "eventsIndexed", "lastSyncedBlock", "status", "errors"}}.
 *
 * @param diamondsSynced diamonds in scope whose state is synced to {@code lastSyncedBlock}
 * @param facetsUpdated facets (per diamond) whose selectors were added, changed or removed by this run
 * @param eventsIndexed events this run stored that were not stored before
 * @param lastSyncedBlock the last block covered; continue from the next one. -1 when nothing was ever
 *     synced
 * @param status {@code success}, {@code partial} or {@code failed}
 * @param errors problems met; empty on a clean run
 */
@JsonPropertyOrder({"diamondsSynced", "facetsUpdated", "eventsIndexed", "lastSyncedBlock", "status", "errors"})
public record SyncSummary(int diamondsSynced, int facetsUpdated, long eventsIndexed, long lastSyncedBlock,
        SyncStatus status, List<SyncError> errors) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SyncSummary {
        Objects.requireNonNull(status, "status");
        errors = List.copyOf(errors);
    }

    /** The summary as compact JSON, fields in the documented order. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
