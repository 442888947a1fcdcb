package io.gemforce.sync.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A loopback JSON-RPC proxy in front of a real node that can inject faults: a rule sees each
 * call (and the sequence number of the HTTP request that carried it) and either answers it itself
 * or lets it through. Every call is recorded, the calls of a JSON-RPC batch one by one.
 */
public final class RpcProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient upstream = new OkHttpClient();
    private final String target;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger httpRequests = new java.util.concurrent.atomic.AtomicInteger();
    private volatile BiFunction<JsonNode, Integer, Optional<MockResponse>> rule = (r, n) -> Optional.empty();
    private volatile BiFunction<JsonNode, String, String> transform = (r, body) -> body;

    public RpcProxy(String target) {
        this.target = target;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest rr) {
                try {
                    String body = rr.getBody().readUtf8();
                    JsonNode req = JSON.readTree(body);
                    int n = httpRequests.incrementAndGet();
                    if (req.isArray()) {
                        return batch(req, n);
                    }
                    requests.add(req);
                    Optional<MockResponse> injected = rule.apply(req, n);
                    if (injected.isPresent()) {
                        return injected.get();
                    }
                    Request forward = new Request.Builder().url(target)
                            .post(RequestBody.create(body, MediaType.get("application/json"))).build();
                    try (Response r = upstream.newCall(forward).execute()) {
                        return new MockResponse().setResponseCode(r.code()).setHeader("Content-Type", "application/json")
                                .setBody(transform.apply(req, r.body().string()));
                    }
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(502);
                }
            }
        });
        try {
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JSON-RPC batch: each call is recorded and seen by the rule as if sent alone. A rule's
     * JSON-RPC answer (HTTP 200) answers its call; any other injected response (an HTTP error, a
     * dropped connection, a delay) answers the whole batch. The other calls are forwarded one by one
     * and transformed as single calls are.
     */
    private MockResponse batch(JsonNode req, int n) throws IOException {
        com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        for (JsonNode call : req) {
            requests.add(call);
            Optional<MockResponse> injected = rule.apply(call, n);
            if (injected.isPresent()) {
                MockResponse m = injected.get();
                boolean plainAnswer = m.getStatus().contains(" 200") && m.getBody() != null
                        && m.getSocketPolicy() == okhttp3.mockwebserver.SocketPolicy.KEEP_OPEN
                        && m.getHeadersDelay(java.util.concurrent.TimeUnit.MILLISECONDS) == 0;
                if (!plainAnswer) {
                    return m;
                }
                out.add(JSON.readTree(m.getBody().clone().readUtf8()));
                continue;
            }
            Request forward = new Request.Builder().url(target)
                    .post(RequestBody.create(call.toString(), MediaType.get("application/json"))).build();
            try (Response r = upstream.newCall(forward).execute()) {
                out.add(JSON.readTree(transform.apply(call, r.body().string())));
            }
        }
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(out.toString());
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public void rule(BiFunction<JsonNode, Integer, Optional<MockResponse>> rule) {
        this.rule = rule;
    }

    /** Rewrites the node's answers (the request and the answer's body in, the body to send out). */
    public void transform(BiFunction<JsonNode, String, String> transform) {
        this.transform = transform;
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public void clear() {
        requests.clear();
    }

    /** A JSON-RPC error answer with HTTP 200. */
    public static MockResponse rpcError(JsonNode request, int code, String message) {
        String id = request.has("id") ? request.get("id").toString() : "null";
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(
                "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":" + code + ",\"message\":"
                        + JSON.valueToTree(message) + "}}");
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException ignored) {
            // closing
        }
    }
}
