package io.gemforce.sync.chain.web3j;

import io.gemforce.sync.chain.ChainException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies JSON-RPC error messages of the common providers. Range refusals become
 * {@link ChainException.RangeTooLarge} with the provider's hint when the message carries one.
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

    private RpcErrors() {
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
