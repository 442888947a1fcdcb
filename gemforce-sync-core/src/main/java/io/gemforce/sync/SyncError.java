package io.gemforce.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One problem met during a sync, as listed in the summary's {@code errors}.
 *
 * @param code an {@link ErrorCode} name (see docs/errors.md)
 * @param diamond the diamond concerned, if any
 * @param block the block concerned, if any
 * @param message a readable explanation, free of secrets
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"code", "diamond", "block", "message"})
public record SyncError(String code, String diamond, Long block, String message) {
    /** The code of a reconciliation that found the loupe disagreeing with the derived state. */
    public static final String STATE_MISMATCH = ErrorCode.STATE_MISMATCH.name();
    /** The code of a diamond whose state could not be compared with the loupe (the node no longer holds that block's state). */
    public static final String NOT_RECONCILED = ErrorCode.NOT_RECONCILED.name();
    /** The code of a run that stopped because its time budget ran out. */
    public static final String TIME_BUDGET = ErrorCode.TIME_BUDGET.name();

    /** The entry for a typed failure. */
    public static SyncError of(SyncException e, String diamond, Long block) {
        return new SyncError(e.code().name(), diamond, block, e.getMessage());
    }
}
