package io.gemforce.sync;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The outcome of a sync, as the summary's {@code status} field spells it. */
public enum SyncStatus {
    /** Every diamond in scope is synced to {@code lastSyncedBlock}, the end of the requested range. */
    SUCCESS,
    /**
     * Progress was written, but the run stopped before the end (time budget, a failure after some
     * ranges) or some diamonds failed: run again to continue from {@code lastSyncedBlock}.
     */
    PARTIAL,
    /** Nothing could be synced; see {@code errors}. */
    FAILED;

    @JsonValue
    public String jsonValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
