package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A scripted JSON-RPC node for MockWebServer: {@link #answers} gives each call's answer object
 * (without id), single or inside a batch; batches are answered in reverse order (ids must be used).
 * {@link #batchRule} may replace the answer to a whole batch (refusals), {@link #singleRule} the
 * answer to a single request. Every request body is recorded.
 */
final class FakeNode extends Dispatcher {
    static final ObjectMapper JSON = new ObjectMapper();
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    volatile Function<JsonNode, ObjectNode> answers = call -> error(-32601, "method not found");
    /** Sees the batch and its sequence number among batches; empty: answer normally. */
    volatile BiFunction<ArrayNode, Integer, Optional<MockResponse>> batchRule = (b, n) -> Optional.empty();
    volatile BiFunction<JsonNode, Integer, Optional<MockResponse>> singleRule = (c, n) -> Optional.empty();
    private int batches;
    private int singles;

    static ObjectNode result(Object value) {
        ObjectNode o = JSON.createObjectNode();
        o.set("result", JSON.valueToTree(value));
        return o;
    }

    static ObjectNode error(int code, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("error").put("code", code).put("message", message);
        return o;
    }

    static MockResponse json(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    List<JsonNode> batchRequests() {
        return requests.stream().filter(JsonNode::isArray).toList();
    }

    List<JsonNode> singleRequests() {
        return requests.stream().filter(JsonNode::isObject).toList();
    }

    @Override
    public MockResponse dispatch(RecordedRequest rr) {
        JsonNode req;
        try {
            req = JSON.readTree(rr.getBody().readUtf8());
        } catch (IOException e) {
            return new MockResponse().setResponseCode(400);
        }
        requests.add(req);
        if (req.isArray()) {
            int n;
            synchronized (this) {
                n = ++batches;
            }
            Optional<MockResponse> ruled = batchRule.apply((ArrayNode) req, n);
            if (ruled.isPresent()) {
                return ruled.get();
            }
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode call : req) {
                out.add(answer(call));
            }
            Collections.reverse(out);
            return json(JSON.valueToTree(out).toString());
        }
        int n;
        synchronized (this) {
            n = ++singles;
        }
        return singleRule.apply(req, n).orElseGet(() -> json(answer(req).toString()));
    }

    private JsonNode answer(JsonNode call) {
        ObjectNode a = answers.apply(call).deepCopy();
        a.put("jsonrpc", "2.0");
        a.set("id", call.get("id"));
        return a;
    }
}
