package io.gemforce.sync;

import java.util.Objects;

/**
 * Base of every error the library throws. It carries an {@link ErrorCode} and a message that is
 * safe to show and to log: it never holds a secret (keys, credentials, RPC URLs with a key).
 */
public class SyncException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public SyncException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public SyncException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
