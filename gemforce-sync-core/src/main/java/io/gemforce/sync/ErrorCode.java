package io.gemforce.sync;

/**
 * Machine-readable cause of a {@link SyncException}. Stable: host applications and the cloud
 * functions map these to HTTP answers and retry decisions.
 */
public enum ErrorCode {
    /** An address that is malformed, too short, or whose mixed case is not a valid EIP-55 checksum. */
    INVALID_ADDRESS(false),
    /** A block number or block range that cannot be synced (negative, above the head, from &gt; to). */
    INVALID_BLOCK_RANGE(false),
    /** A network name or alias that the registry does not know. */
    UNKNOWN_NETWORK(false),
    /** An event type that is not one of the indexed types. */
    INVALID_EVENT_TYPE(false),
    /** Any other invalid argument. */
    INVALID_ARGUMENT(false),
    /** An ABI file or directory given to name functions cannot be read, or holds a malformed ABI. */
    INVALID_ABI(false),
    /** The address holds code, but it does not answer the EIP-2535 loupe. */
    NOT_A_DIAMOND(false),
    /** The address holds no code at the block asked for. */
    NO_CODE(false),
    /** The RPC node serves another chain than the network asked for. */
    CHAIN_ID_MISMATCH(false),
    /** The node refused an {@code eth_getLogs} range as too large, even at the smallest size. */
    RANGE_TOO_LARGE(true),
    /** The node or provider rate-limited the client and retries ran out. */
    RATE_LIMITED(true),
    /** The node could not be reached or answered with a server error, and retries ran out. */
    CHAIN_UNAVAILABLE(true),
    /** The node did not answer in time, and retries ran out. */
    CHAIN_TIMEOUT(true),
    /**
     * The node no longer holds the state at the block asked for (not an archive node: "missing trie
     * node", "BlockOutOfRangeError", ...). Sync from the diamond's creation block, or use an archive
     * node.
     */
    STATE_UNAVAILABLE(false),
    /** The node answered with an error that has no more specific code. */
    CHAIN_ERROR(false),
    /** The chain reorganised below the configured reorg window. */
    REORG_TOO_DEEP(false),
    /** A cut breaks the EIP-2535 rules for the current state. */
    INVALID_CUT(false),
    /** A log carries a known event's topic but its data does not decode. */
    MALFORMED_EVENT(false),
    /** The store failed to read or write. */
    SINK_FAILURE(true),
    /**
     * A diamond's loupe answered something no EIP-2535 diamond can hold (a selector listed under two
     * facets, or twice): that diamond is reported and left as it was; the others go on.
     */
    INVALID_LOUPE_ANSWER(false),
    /** Another run holds the lock this operation needs. */
    BUSY(true),
    /** The run was interrupted. */
    INTERRUPTED(true),
    /**
     * The stored events do not determine a diamond's state at the block asked for: before the
     * first stored cut, after the last synced block, or a store that does not hold the diamond's
     * events since its creation.
     */
    HISTORY_UNAVAILABLE(false),
    /**
     * Reported in a summary, not thrown: the loupe disagreed with the state derived from events; the
     * loupe's answer was stored and the diamond flagged {@code consistent: false}.
     */
    STATE_MISMATCH(false),
    /**
     * Reported in a summary, not thrown: a diamond's state could not be compared with the loupe
     * because the node no longer holds the state at the synced block.
     */
    NOT_RECONCILED(false),
    /** Reported in a summary, not thrown: the call's time budget ran out; call again to continue. */
    TIME_BUDGET(true);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether the same call may succeed later without any change to its input. */
    public boolean retryable() {
        return retryable;
    }
}
