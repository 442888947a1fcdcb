package io.gemforce.sync.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's successful answers, by call (JSON-RPC method and params), for a {@link LatencyProxy}
 * that replays them: once {@link #replaying} is on, a call answered before is answered again from
 * here, under the caller's id, without asking the node. Only results are kept, never errors: a call
 * the node failed goes to the node again. Safe for the proxy's serving threads.
 */
final class AnswerMemory {
    private final Map<String, JsonNode> results = new ConcurrentHashMap<>();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder toNode = new LongAdder();
    private volatile boolean replaying;

    void replaying(boolean on) {
        replaying = on;
    }

    boolean replaying() {
        return replaying;
    }

    /** The answer to {@code call} from memory, or null when not replaying or never answered. */
    JsonNode recall(JsonNode call) {
        if (!replaying) {
            return null;
        }
        JsonNode result = results.get(key(call));
        if (result == null) {
            toNode.increment();
            return null;
        }
        replayed.increment();
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("jsonrpc", "2.0");
        JsonNode id = call.get("id");
        answer.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        answer.set("result", result);
        return answer;
    }

    /** Keeps the node's answer to {@code call} when it is a result. */
    void remember(JsonNode call, JsonNode answer) {
        JsonNode result = answer == null ? null : answer.get("result");
        if (result != null && !answer.has("error")) {
            results.put(key(call), result);
        }
    }

    /** {@link #remember(JsonNode, JsonNode)} for an answer still in bytes; a body that is not one JSON object is not kept. */
    void remember(JsonNode call, int status, byte[] body, ObjectMapper json) {
        if (status != 200) {
            return;
        }
        try {
            JsonNode answer = json.readTree(body);
            if (answer != null && answer.isObject()) {
                remember(call, answer);
            }
        } catch (IOException e) {
            // not JSON: nothing to keep
        }
    }

    /** Calls answered from memory since the last reset. */
    long replayed() {
        return replayed.sum();
    }

    /** Calls that found nothing in memory while replaying, and went to the node, since the last reset. */
    long missed() {
        return toNode.sum();
    }

    void resetCounters() {
        replayed.reset();
        toNode.reset();
    }

    private static String key(JsonNode call) {
        JsonNode m = call.get("method");
        return (m == null ? "" : m.asText()) + ' ' + call.get("params");
    }
}
