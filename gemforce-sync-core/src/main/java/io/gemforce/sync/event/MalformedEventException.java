package io.gemforce.sync.event;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;

/**
 * A log carries the topic0 of an indexed event, but its topics or data do not decode as that
 * event. The syncer skips such a log, reports it in the summary's errors and goes on.
 */
public class MalformedEventException extends SyncException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(ErrorCode.MALFORMED_EVENT, message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(ErrorCode.MALFORMED_EVENT, message, cause);
    }
}
