package io.gemforce.sync.parse.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.event.EventType;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Set;

/**
 * The parameters of one cloud-function call, validated exactly as the seed documents them:
 * {@code network} required; {@code fromBlock}, {@code toBlock} (numbers or numeric strings),
 * {@code reindexAll} (boolean) optional; {@code diamondAddress} where the function needs it;
 * {@code eventType} one of the indexed types; {@code async} (boolean) optional; {@code summary}
 * (boolean, {@code syncDiamondEvents} only) asks for the summary object instead of the seed's
 * number. Any other parameter is refused.
 */
record FunctionParams(String network, Long fromBlock, Long toBlock, boolean reindexAll, String diamondAddress,
        String eventType, boolean async, boolean summary) {

    static final String SYNC_ALL = "syncAllDiamonds";
    static final String SYNC_DIAMOND = "syncDiamondByAddress";
    static final String SYNC_EVENTS = "syncDiamondEvents";
    static final Set<String> FUNCTIONS = Set.of(SYNC_ALL, SYNC_DIAMOND, SYNC_EVENTS);

    private static final BigInteger MAX_BLOCK = BigInteger.valueOf(Long.MAX_VALUE);

    static FunctionParams parse(String function, JsonNode params) {
        if (params == null || params.isNull() || params.isMissingNode()) {
            throw invalid(ErrorCode.INVALID_ARGUMENT, "params are required");
        }
        if (!params.isObject()) {
            throw invalid(ErrorCode.INVALID_ARGUMENT, "params must be an object");
        }
        Set<String> allowed = switch (function) {
            case SYNC_ALL -> Set.of("network", "fromBlock", "toBlock", "reindexAll", "async");
            case SYNC_DIAMOND -> Set.of("diamondAddress", "network", "fromBlock", "async");
            case SYNC_EVENTS -> Set.of("diamondAddress", "network", "eventType", "fromBlock", "async", "summary");
            default -> throw invalid(ErrorCode.INVALID_ARGUMENT, "unknown function");
        };
        for (Iterator<String> it = params.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw invalid(ErrorCode.INVALID_ARGUMENT, "unknown parameter '" + printable(name) + "' for " + function
                        + "; expected " + allowed.stream().sorted().toList());
            }
        }
        String network = string(params, "network", true);
        Long from = block(params, "fromBlock");
        Long to = block(params, "toBlock");
        if (from != null && to != null && from > to) {
            throw invalid(ErrorCode.INVALID_BLOCK_RANGE, "fromBlock " + from + " is greater than toBlock " + to);
        }
        String diamond = function.equals(SYNC_ALL) ? null : string(params, "diamondAddress", true);
        if (diamond != null) {
            Address.of(diamond); // validates, throws INVALID_ADDRESS
        }
        String eventType = function.equals(SYNC_EVENTS) ? string(params, "eventType", false) : null;
        if (eventType != null) {
            EventType.parse(eventType);
        }
        return new FunctionParams(network, from, to, bool(params, "reindexAll"), diamond, eventType, bool(params, "async"),
                bool(params, "summary"));
    }

    private static String string(JsonNode params, String name, boolean required) {
        JsonNode n = params.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                throw invalid(name.equals("network") ? ErrorCode.UNKNOWN_NETWORK
                        : name.equals("diamondAddress") ? ErrorCode.INVALID_ADDRESS : ErrorCode.INVALID_ARGUMENT,
                        name + " is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw invalid(ErrorCode.INVALID_ARGUMENT, name + " must be a string");
        }
        return n.asText();
    }

    /** A block number: a non-negative JSON integer or a string of decimal digits. */
    private static Long block(JsonNode params, String name) {
        JsonNode n = params.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        BigInteger value;
        if (n.isIntegralNumber()) {
            value = n.bigIntegerValue();
        } else if (n.isTextual() && n.asText().matches("[0-9]{1,30}")) {
            value = new BigInteger(n.asText());
        } else if (n.isNumber()) {
            throw invalid(ErrorCode.INVALID_BLOCK_RANGE, name + " must be a whole number, got " + n.asText());
        } else {
            throw invalid(ErrorCode.INVALID_BLOCK_RANGE, name + " must be a block number (a JSON number or a numeric string)");
        }
        if (value.signum() < 0) {
            throw invalid(ErrorCode.INVALID_BLOCK_RANGE, name + " must not be negative, got " + value);
        }
        if (value.compareTo(MAX_BLOCK) > 0) {
            throw invalid(ErrorCode.INVALID_BLOCK_RANGE, name + " is too large: " + value);
        }
        return value.longValue();
    }

    private static boolean bool(JsonNode params, String name) {
        JsonNode n = params.get(name);
        if (n == null || n.isNull()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual() && (n.asText().equals("true") || n.asText().equals("false"))) {
            return Boolean.parseBoolean(n.asText());
        }
        throw invalid(ErrorCode.INVALID_ARGUMENT, name + " must be true or false");
    }

    private static InvalidInputException invalid(ErrorCode code, String message) {
        return new InvalidInputException(code, message);
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
