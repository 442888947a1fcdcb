package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code eth_getLogs} requests and reads their answers with Jackson's streaming parser straight into {@link RawLog}s:
 * no tree, no web3j {@code Log} objects, no {@code BigInteger}s. Members may come in any order;
 * unknown members are skipped; logs with {@code "removed": true} are dropped; hex is lower-cased;
 * quantities may be hex ({@code 0x1A}), decimal strings or JSON numbers, as web3j accepts them.
 * Stateless and thread-safe.
 */
final class LogsParser {
    private static final JsonFactory FACTORY = new JsonFactory();

    /**
     * Logs one answer may hold before it is given up: a safety net, ten times the range planner's
     * target of 10,000 (hosted providers refuse past 10,000 themselves). Only a range planned before
     * its density was known gets near it. Such an answer is skipped while it is read, never held, and
     * treated like the node's refusal of a range too large; a single block is read whatever its size.
     * It costs the node's work on that answer, so it is not lower.
     */
    static final int MAX_LOGS_PER_ANSWER = 100_000;

    /** The logs, or the node's error, or {@code tooMany} (more than the cap: logs and error null). */
    record Answer(List<RawLog> logs, RpcError error, boolean tooMany) {
    }

    private LogsParser() {
    }

    /**
     * The {@code eth_getLogs} request for {@code q}: one OR-list of topic0 values, addresses as a list
     * (no {@code address} member for a query of any emitter).
     */
    static byte[] request(LogQuery q, long id) {
        ObjectNode filter = RpcTransport.MAPPER.createObjectNode()
                .put("fromBlock", Web3jChainSource.quantity(q.fromBlock()))
                .put("toBlock", Web3jChainSource.quantity(q.toBlock()));
        if (!q.anyAddress()) {
            ArrayNode addresses = filter.putArray("address");
            q.addresses().forEach(a -> addresses.add(a.hex()));
        }
        if (!q.topic0s().isEmpty()) {
            ArrayNode topic0s = filter.putArray("topics").addArray();
            q.topic0s().forEach(topic0s::add);
        }
        ObjectNode req = RpcTransport.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id)
                .put("method", "eth_getLogs");
        req.putArray("params").add(filter);
        try {
            return RpcTransport.MAPPER.writeValueAsBytes(req);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One {@code eth_getLogs} through {@code transport} (its retries, rate limits, fallback), the answer
     * read up to {@code maxLogs} logs: past that, or refused by the node for its size, a
     * {@link ChainException.RangeTooLarge} (with the node's hint when it gave one).
     */
    static List<RawLog> read(RpcTransport transport, LogQuery q, long id, int maxLogs) {
        byte[] body = request(q, id);
        Answer a = transport.send("eth_getLogs", index -> {
            Answer x = transport.post(index, body, in -> parse(in, maxLogs));
            if (x.error() != null && RpcErrors.isRateLimited(x.error().code(), x.error().message())) {
                throw new RpcTransport.RateLimitedAnswer(x.error().message());
            }
            return x;
        });
        if (a.tooMany()) {
            throw LogsRoundBatch.tooMany(q);
        }
        if (a.error() != null) {
            String msg = transport.scrub(a.error().message());
            if (RpcErrors.isRangeTooLarge(msg)) {
                throw new ChainException.RangeTooLarge("eth_getLogs " + q.fromBlock() + ".." + q.toBlock() + ": " + msg,
                        RpcErrors.hintedEnd(msg, q.fromBlock(), q.toBlock()));
            }
            throw transport.chainError("eth_getLogs", a.error());
        }
        return a.logs();
    }

    /** Reads an {@code eth_getLogs} answer, up to {@link #MAX_LOGS_PER_ANSWER} logs. */
    static Answer parse(InputStream in) throws IOException {
        return parse(in, MAX_LOGS_PER_ANSWER);
    }

    /** Reads an {@code eth_getLogs} answer, up to {@code maxLogs} logs. */
    static Answer parse(InputStream in, int maxLogs) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "an eth_getLogs answer must be a JSON object");
            }
            List<RawLog> logs = null;
            RpcError error = null;
            boolean tooMany = false;
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                if (field.equals("result")) {
                    if (t == JsonToken.START_ARRAY) {
                        logs = readLogs(p, maxLogs);
                        tooMany = logs == null;
                    } else if (t == JsonToken.VALUE_NULL) {
                        logs = List.of();
                    } else {
                        throw new JsonParseException(p, "eth_getLogs result is not an array");
                    }
                } else if (field.equals("error") && t != JsonToken.VALUE_NULL) {
                    error = readError(p, t);
                } else {
                    p.skipChildren();
                }
            }
            if (error != null) {
                return new Answer(null, error, false);
            }
            if (tooMany) {
                return new Answer(null, null, true);
            }
            if (logs == null) {
                throw new JsonParseException(p, "an eth_getLogs answer without result or error");
            }
            return new Answer(logs, null, false);
        }
    }

    /**
     * The logs of a result array (the parser is on its START_ARRAY), or {@code null} when it holds
     * more than {@code maxLogs} log objects: the rest of the array is then skipped without being kept.
     */
    static List<RawLog> readLogs(JsonParser p, int maxLogs) throws IOException {
        List<RawLog> out = new ArrayList<>();
        Shared shared = new Shared();
        JsonToken t;
        int read = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "eth_getLogs result holds something that is not a log object");
            }
            if (read++ >= maxLogs) {
                p.skipChildren();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new JsonParseException(p, "eth_getLogs result ends early");
                    }
                    p.skipChildren();
                }
                return null;
            }
            RawLog log = readLog(p, shared);
            if (log != null) {
                out.add(log);
            }
        }
        return out;
    }

    /**
     * One log object (the parser is on its START_OBJECT); {@code null} when it was removed. Addresses
     * and block and transaction hashes repeat across the logs of one answer: {@code shared} gives each
     * value one instance, so that stores keeping many events keep each string once.
     */
    private static RawLog readLog(JsonParser p, Shared shared) throws IOException {
        String address = null;
        String data = null;
        String blockHash = null;
        String txHash = null;
        List<String> topics = List.of();
        long blockNumber = -1;
        long logIndex = -1;
        boolean removed = false;
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "address" -> address = shared.text(p, t, Shared.ADDRESS);
                case "topics" -> topics = readTopics(p, t, shared);
                case "data" -> data = text(p, t);
                case "blockNumber" -> blockNumber = quantity(p, t);
                case "blockHash" -> blockHash = shared.text(p, t, Shared.BLOCK_HASH);
                case "transactionHash" -> txHash = shared.text(p, t, Shared.TX_HASH);
                case "logIndex" -> logIndex = quantity(p, t);
                case "removed" -> removed = t == JsonToken.VALUE_TRUE
                        || t == JsonToken.VALUE_STRING && p.getText().equalsIgnoreCase("true");
                default -> p.skipChildren();
            }
        }
        if (removed) {
            return null;
        }
        if (address == null || blockHash == null || txHash == null || blockNumber < 0 || logIndex < 0) {
            throw new JsonParseException(p, "a log without address, block number, block hash, transaction hash or "
                    + "log index");
        }
        Address a = shared.addresses.computeIfAbsent(address, Address::of);
        return new RawLog(a, topics, data == null ? "0x" : lower(data), blockNumber, blockHash, txHash, logIndex);
    }

    /**
     * Values that repeat across the logs of one answer (the emitter, block and transaction hashes,
     * topics): read as the previous log's instance when their text is the same, without making a new
     * string, and kept once per answer, so that stores keeping many events keep each string once.
     * Lower-cased.
     */
    private static final class Shared {
        static final int ADDRESS = 0;
        static final int BLOCK_HASH = 1;
        static final int TX_HASH = 2;
        /** Topics by position from here; a log's fifth topic and later are read as they come. */
        static final int TOPIC = 3;
        private static final int SLOTS = TOPIC + 4;

        final Map<String, Address> addresses = new HashMap<>();
        private final Map<String, String> hashes = new HashMap<>();
        private final String[] last = new String[SLOTS];

        private String hash(String h) {
            String seen = hashes.putIfAbsent(h, h);
            return seen != null ? seen : h;
        }

        /** The string at the parser ({@code t}), lower-cased; {@code null} for JSON null. */
        String text(JsonParser p, JsonToken t, int slot) throws IOException {
            if (t != JsonToken.VALUE_STRING || slot >= SLOTS) {
                return lower(LogsParser.text(p, t));
            }
            String prev = last[slot];
            if (prev != null && sameLowered(prev, p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
                return prev;
            }
            String s = lower(p.getText());
            if (slot == BLOCK_HASH || slot == TX_HASH) {
                s = hash(s); // an earlier log's instance when it is not the previous one's
            }
            last[slot] = s;
            return s;
        }

        private static boolean sameLowered(String s, char[] chars, int off, int len) {
            if (s.length() != len) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                char c = chars[off + i];
                if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + ('a' - 'A'));
                }
                if (s.charAt(i) != c) {
                    return false;
                }
            }
            return true;
        }
    }

    private static List<String> readTopics(JsonParser p, JsonToken t, Shared shared) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t != JsonToken.START_ARRAY) {
            throw new JsonParseException(p, "log topics are not an array");
        }
        String[] out = new String[4];
        int n = 0;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e != JsonToken.VALUE_STRING) {
                throw new JsonParseException(p, "a log topic is not a string");
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, 2 * n);
            }
            out[n] = shared.text(p, e, Shared.TOPIC + n);
            n++;
        }
        return List.of(n == out.length ? out : Arrays.copyOf(out, n));
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new JsonParseException(p, "expected a string");
        }
        return p.getText();
    }

    private static long quantity(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        String s = text(p, t);
        if (s == null) {
            return -1;
        }
        try {
            if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
                return Long.parseLong(s, 2, s.length(), 16);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new JsonParseException(p, "not a quantity: " + s);
        }
    }

    private static RpcError readError(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            String text = t.isScalarValue() ? p.getText() : "";
            p.skipChildren();
            return new RpcError(0, text);
        }
        int code = 0;
        String message = "";
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (field.equals("code") && v.isNumeric()) {
                code = p.getIntValue();
            } else if (field.equals("message") && v == JsonToken.VALUE_STRING) {
                message = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return new RpcError(code, message);
    }

    /** Lower case; node answers are usually lower case already, so that case costs one scan and no copy. */
    static String lower(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return s.toLowerCase(Locale.ROOT);
            }
        }
        return s;
    }
}
