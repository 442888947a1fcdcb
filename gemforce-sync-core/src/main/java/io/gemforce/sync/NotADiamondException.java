package io.gemforce.sync;

/** The address is not an EIP-2535 diamond: it holds no code, or its code does not answer the loupe. */
public class NotADiamondException extends SyncException {
    private static final long serialVersionUID = 1L;

    public NotADiamondException(ErrorCode code, String message) {
        super(code, message);
    }

    public NotADiamondException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
