package io.gemforce.sync.chain;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;

/**
 * A failure talking to the node, already classified. Implementations of {@link ChainSource} map
 * provider errors to the subclasses; messages never contain the RPC URL's credentials.
 */
public class ChainException extends SyncException {
    private static final long serialVersionUID = 1L;

    public ChainException(ErrorCode code, String message) {
        super(code, message);
    }

    public ChainException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** The node refuses the {@code eth_getLogs} range; it may say what it would accept. */
    public static final class RangeTooLarge extends ChainException {
        private static final long serialVersionUID = 1L;
        private final long suggestedToBlock;

        /**
         * @param suggestedToBlock the last block of a range the node says it accepts (starting at the
         *     same fromBlock), or -1 when it gave no hint
         */
        public RangeTooLarge(String message, long suggestedToBlock) {
            super(ErrorCode.RANGE_TOO_LARGE, message);
            this.suggestedToBlock = suggestedToBlock;
        }

        public long suggestedToBlock() {
            return suggestedToBlock;
        }
    }

    /** HTTP 429 or a provider's "rate limit" answer, after the source's own retries. */
    public static final class RateLimited extends ChainException {
        private static final long serialVersionUID = 1L;

        public RateLimited(String message) {
            super(ErrorCode.RATE_LIMITED, message);
        }
    }

    /** Connection refused or reset, or a 5xx answer, after the source's own retries. */
    public static final class Unavailable extends ChainException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(ErrorCode.CHAIN_UNAVAILABLE, message, cause);
        }
    }

    /** No answer within the timeout, after the source's own retries. */
    public static final class Timeout extends ChainException {
        private static final long serialVersionUID = 1L;

        public Timeout(String message, Throwable cause) {
            super(ErrorCode.CHAIN_TIMEOUT, message, cause);
        }
    }

    /**
     * The node does not hold the state (or the block) at the height asked for: pruned history on a
     * node that is not an archive node. Retrying does not help; reading at a recent block does.
     */
    public static final class StateUnavailable extends ChainException {
        private static final long serialVersionUID = 1L;

        public StateUnavailable(String message) {
            super(ErrorCode.STATE_UNAVAILABLE, message);
        }
    }
}
