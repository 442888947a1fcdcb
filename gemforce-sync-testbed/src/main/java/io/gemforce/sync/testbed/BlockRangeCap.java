package io.gemforce.sync.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link LatencyProxy}'s cap on {@code eth_getLogs}: a call over more blocks than the cap gets the
 * provider's error instead of the node's answer. Block tags that mean the head ({@code latest},
 * {@code safe}, ...) are resolved through {@code head}.
 */
final class BlockRangeCap {
    /** The node's head block number, or -1 when it cannot be read. */
    interface Head {
        long number() throws IOException;
    }

    private final long maxBlockRange;
    private final int code;
    private final String format;
    private final Head head;
    private final LongAdder refused = new LongAdder();

    BlockRangeCap(long maxBlockRange, int code, String format, Head head) {
        this.maxBlockRange = maxBlockRange;
        this.code = code;
        this.format = format;
        this.head = head;
    }

    long maxBlockRange() {
        return maxBlockRange;
    }

    long refused() {
        return refused.sum();
    }

    void resetCounter() {
        refused.reset();
    }

    /** The error answer for an {@code eth_getLogs} over more blocks than the cap, or null to forward. */
    JsonNode refusal(JsonNode req) throws IOException {
        if (maxBlockRange <= 0 || !"eth_getLogs".equals(LatencyProxy.method(req))) {
            return null;
        }
        JsonNode params = req.get("params");
        JsonNode filter = params != null && params.isArray() && params.size() > 0 ? params.get(0) : null;
        if (filter == null || !filter.isObject() || filter.hasNonNull("blockHash")) {
            return null;
        }
        long from = blockNumber(filter.get("fromBlock"));
        long to = blockNumber(filter.get("toBlock"));
        if (from < 0 || to < 0 || to < from || to - from + 1 <= maxBlockRange) {
            return null; // within the cap, or malformed: the node answers
        }
        refused.increment();
        return LatencyProxy.error(req.get("id"), code, String.format(format, maxBlockRange));
    }

    /** A block number from a filter field: hex or decimal number, or a tag (the latest ones ask the node); -1 if unknown. */
    private long blockNumber(JsonNode n) throws IOException {
        String s = n == null || n.isNull() ? "latest" : n.asText();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            try {
                return Long.parseLong(s.substring(2), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        if (n != null && n.isIntegralNumber()) {
            return n.asLong();
        }
        switch (s) {
            case "earliest":
                return 0;
            case "latest":
            case "pending":
            case "safe":
            case "finalized":
                return head.number();
            default:
                return -1;
        }
    }
}
