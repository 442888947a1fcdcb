package io.gemforce.sync;

/** The store failed. Writes are idempotent, so the same sync can simply be run again. */
public class SinkException extends SyncException {
    private static final long serialVersionUID = 1L;

    public SinkException(String message) {
        super(ErrorCode.SINK_FAILURE, message);
    }

    public SinkException(String message, Throwable cause) {
        super(ErrorCode.SINK_FAILURE, message, cause);
    }
}
