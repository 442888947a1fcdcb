package io.gemforce.sync.chain.web3j;

import io.gemforce.sync.chain.ChainException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies JSON-RPC error messages of the common providers. Range refusals become
 * {@link ChainException.RangeTooLarge} with the provider's hint when the message carries one;
 * answers saying the node no longer holds the state at a block become
 * {@link ChainException.StateUnavailable}.
 */
final class RpcErrors {
    private static final Pattern HINT_RANGE = Pattern.compile("\\[\\s*(0x[0-9a-fA-F]+|\\d+)\\s*,\\s*(0x[0-9a-fA-F]+|\\d+)\\s*]");
    private static final Pattern MAX_BLOCKS = Pattern.compile(
            "(?:max(?:imum)?(?: block)?(?: range)?(?: is| of)?|exceeds? max block range|block range limit|limited to)"
                    + "\\s*:?\\s*(\\d+)\\s*(k)?", Pattern.CASE_INSENSITIVE);
    private static final String[] RANGE_MARKERS = {
        "query returned more than", "block range is too wide", "range is too large", "exceed max block range",
        "exceeds max block range", "try with this block range", "logs matched by query exceeds limit",
        "log response size exceeded", "block range too large", "too many blocks", "response size exceeded",
        "query timeout exceeded", "range limit", "limited to a",
    };
    private static final String[] RATE_MARKERS = {
        "rate limit", "too many requests", "exceeded the rate", "request limit", "capacity exceeded",
        "compute units", "throughput",
    };

    /**
     * Texts of nodes that no longer hold the state at the block asked for (not archive nodes):
     * geth (hash scheme prunes state older than 128 blocks; path scheme keeps no history by
     * default), bor / bsc / op-geth, Nethermind, Erigon 3, reth, OpenEthereum and Infura.
     */
    private static final String[] STATE_MARKERS = {
        "missing trie node",                               // geth, bor, bsc
        "required historical state unavailable",           // geth
        "historical state not available",                  // geth path scheme: "... in path scheme yet"
        "state histories haven't been fully indexed yet",  // geth path-scheme archive, still indexing
        "no state available for block",                    // nethermind
        "old data not available due to pruning",           // erigon 3
        "history is available from block",                 // erigon 3
        "running with state pruning",                      // openethereum
        "access to archive state",                         // infura: "project ID does not have access to archive state"
        "required to access archive state",                // infura without a project id
        "pruned history unavailable",
    };
    /** geth "historical state 0x… is not available", bor "… state 0x… is not available, not found", reth "state at block #5 is pruned". */
    private static final Pattern STATE_NOT_AVAILABLE = Pattern.compile(
            "\\bstate (?:0x[0-9a-f]+ )?is not available|\\bstate at block #?\\d+ is pruned");
    /** Anvil with --prune-history: "BlockOutOfRangeError: block height is 64 but requested was 2". */
    private static final Pattern ANVIL_OUT_OF_RANGE = Pattern.compile(
            "blockoutofrangeerror: block height is (\\d+) but requested was (\\d+)");
    /**
     * geth keeps the state of the last 128 blocks in memory; "header not found" for a block at least
     * this far below the head means the node dropped it (a node behind its load balancer gives the
     * same text for blocks near the head, which is not a state problem).
     */
    static final long HEADER_NOT_FOUND_DEPTH = 128;

    private RpcErrors() {
    }

    /**
     * Whether the error answering a state read ({@code eth_call}, {@code eth_getCode}) at
     * {@code block} means the node no longer holds that block's state.
     *
     * @param block the block the call read, or -1 when unknown
     * @param knownHead the highest head the client has seen, or -1 when none yet
     */
    static boolean isStateUnavailable(String message, long block, long knownHead) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        for (String marker : STATE_MARKERS) {
            if (m.contains(marker)) {
                return true;
            }
        }
        if (STATE_NOT_AVAILABLE.matcher(m).find()) {
            return true;
        }
        Matcher anvil = ANVIL_OUT_OF_RANGE.matcher(m);
        if (anvil.find()) {
            // a block above the height is in the future, not pruned
            return parse(anvil.group(2)) < parse(anvil.group(1));
        }
        if (m.contains("header not found")) {
            return block >= 0 && knownHead >= 0 && knownHead - block >= HEADER_NOT_FOUND_DEPTH;
        }
        return false;
    }

    /** The message of {@link ChainException.StateUnavailable}: what failed, why, and what to do. */
    static String stateUnavailableMessage(String what, long block, String where, String nodeMessage) {
        return what + " at block " + block + ": the node at " + where + " no longer holds the state of that block"
                + " (it is not an archive node; it said: " + nodeMessage + "). Sync from the diamond's creation block,"
                + " so that state is only read at blocks the node still holds, or use an archive node's RPC URL.";
    }

    /** A call that ran and failed: a revert, an invalid opcode or out of gas. */
    static boolean isRevert(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("revert") || m.contains("invalid opcode") || m.contains("out of gas");
    }

    static boolean isRangeTooLarge(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        for (String marker : RANGE_MARKERS) {
            if (m.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    static boolean isRateLimited(int code, String message) {
        if (code == 429 || code == -32005) {
            String m = message.toLowerCase(Locale.ROOT);
            return code == 429 || !isRangeTooLarge(m);
        }
        String m = message.toLowerCase(Locale.ROOT);
        for (String marker : RATE_MARKERS) {
            if (m.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The last block of a range starting at {@code from} that the message says would work, or -1.
     * Understands "[0xa, 0xb]" ranges and "max is N" / "exceed max block range: N" limits.
     */
    static long hintedEnd(String message, long from, long to) {
        Matcher r = HINT_RANGE.matcher(message);
        if (r.find()) {
            long a = parse(r.group(1));
            long b = parse(r.group(2));
            if (a == from && b >= a && b < to) {
                return b;
            }
            if (b >= a && b - a < to - from) {
                return from + (b - a);
            }
        }
        Matcher m = MAX_BLOCKS.matcher(message);
        if (m.find()) {
            long n = Long.parseLong(m.group(1)) * (m.group(2) != null ? 1000 : 1);
            if (n >= 1 && n <= to - from) {
                return from + n - 1;
            }
        }
        return -1;
    }

    private static long parse(String s) {
        try {
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
