package io.gemforce.sync;

/**
 * The chain no longer holds the stored checkpoint's block, and no stored block within the reorg
 * window matches the chain: rolling back automatically would guess. The store is left as it was.
 */
public class ReorgTooDeepException extends SyncException {
    private static final long serialVersionUID = 1L;
    private final long checkpointBlock;
    private final long window;

    public ReorgTooDeepException(long checkpointBlock, long window, String message) {
        super(ErrorCode.REORG_TOO_DEEP, message);
        this.checkpointBlock = checkpointBlock;
        this.window = window;
    }

    public long checkpointBlock() {
        return checkpointBlock;
    }

    public long window() {
        return window;
    }
}
