package io.gemforce.sync;

/**
 * The caller's input is not valid: a malformed address, an unknown network, a bad block range or
 * event type. Thrown before anything is read from the chain or written to the store.
 */
public class InvalidInputException extends SyncException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(ErrorCode code, String message) {
        super(code, message);
    }
}
