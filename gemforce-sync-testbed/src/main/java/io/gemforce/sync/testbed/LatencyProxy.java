package io.gemforce.sync.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A loopback JSON-RPC proxy in front of a real node that behaves like a hosted provider as far as
 * a sync's speed is concerned: every HTTP request waits a fixed latency before it is forwarded,
 * {@code eth_getLogs} over more blocks than a cap is refused with a JSON-RPC error (by default
 * {@code "query exceeds max block range <cap>"}, a wording that carries the limit, so a client can
 * shrink its range in one step), and JSON-RPC batch arrays are accepted (each element answered; the
 * whole batch costs one latency).
 *
 * <p>Requests are served concurrently (a thread pool behind the JDK's HTTP server), so a client
 * with N requests in flight pays the latency about once per N requests. The proxy counts HTTP
 * requests by JSON-RPC method: a single call under its method; a batch as one request under
 * {@value #BATCH}, plus one count per element under the element's method. {@link #requests()} is
 * the number of HTTP requests (a batch is one). Built with {@link Builder#remember()}, it keeps the
 * node's results and, after {@link #replay replay(true)}, answers the calls it has seen from memory:
 * the same latency and cap in front of a node that takes no time.
 *
 * <pre>{@code
 * try (LatencyProxy proxy = LatencyProxy.builder(anvil.rpcUrl()).latency(Duration.ofMillis(50))
 *         .maxBlockRange(10_000).start()) {
 *     ... sync against proxy.url() ...
 *     proxy.counts(); // {eth_blockNumber=1, eth_chainId=1, eth_getLogs=101, ...}
 * }
 * }</pre>
 */
public final class LatencyProxy implements AutoCloseable {
    /** The key under which {@link #counts()} counts batch requests. */
    public static final String BATCH = "batch";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final String upstreamUrl;
    private final long latencyNanos;
    private final BlockRangeCap cap;
    private final HttpServer server;
    private final ExecutorService pool;
    private final OkHttpClient upstream;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final AtomicInteger ownIds = new AtomicInteger();
    private final AnswerMemory memory;

    private LatencyProxy(Builder b) throws IOException {
        this.upstreamUrl = b.upstreamUrl;
        this.latencyNanos = b.latency.toNanos();
        this.cap = new BlockRangeCap(b.maxBlockRange, b.refusalCode, b.refusalFormat, this::head);
        this.memory = b.remember ? new AnswerMemory() : null;
        this.upstream = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(b.threads, 1, TimeUnit.MINUTES))
                .callTimeout(b.upstreamTimeout).readTimeout(b.upstreamTimeout).build();
        AtomicInteger threadIds = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(b.threads, r -> {
            Thread t = new Thread(r, "latency-proxy-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // without TCP_NODELAY the JDK server writes an answer's headers and body in two segments and
        // the second waits for the client's delayed ACK (~40 ms): a latency the proxy must not add
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 256);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** A proxy in front of the node at {@code upstreamUrl} (an {@code http://} JSON-RPC URL). */
    public static Builder builder(String upstreamUrl) {
        return new Builder(upstreamUrl);
    }

    /** Where clients send their requests: {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * HTTP requests by JSON-RPC method, sorted by name: singles under their method, batches under
     * {@value #BATCH}, and each batch element under its own method as well.
     */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        out.values().removeIf(v -> v == 0);
        return out;
    }

    /** HTTP requests received (a batch is one request). */
    public long requests() {
        return requests.sum();
    }

    /** {@code eth_getLogs} calls (single or batch elements) refused for spanning more blocks than the cap. */
    public long refused() {
        return cap.refused();
    }

    /** Zeroes all counters. */
    public void reset() {
        counts.clear();
        requests.reset();
        cap.resetCounter();
        if (memory != null) {
            memory.resetCounters();
        }
    }

    /**
     * Turns replay on or off (a proxy built with {@link Builder#remember()} only). While on, a call the
     * node has answered before (the same method and params) is answered from memory, under the
     * caller's id, after the latency, without the node: a provider whose node takes no time, which is
     * what the round-trip bound {@code ceil(blocks / cap) / concurrency x latency} assumes. Calls not
     * seen before still go to the node (and are remembered); the cap still refuses what it refuses.
     */
    public void replay(boolean on) {
        if (memory == null) {
            throw new IllegalStateException("a proxy replays only what it remembers: build it with remember()");
        }
        memory.replaying(on);
    }

    /** Calls (single or batch elements) answered from memory since the last {@link #reset()}. */
    public long replayed() {
        return memory == null ? 0 : memory.replayed();
    }

    /** Calls that, while replaying, were not in memory and went to the node, since the last {@link #reset()}. */
    public long replayMisses() {
        return memory == null ? 0 : memory.missed();
    }

    public Duration latency() {
        return Duration.ofNanos(latencyNanos);
    }

    /** The largest {@code eth_getLogs} block span served; 0: no cap. */
    public long maxBlockRange() {
        return cap.maxBlockRange();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        upstream.dispatcher().executorService().shutdown();
        upstream.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "LatencyProxy[" + url() + " -> " + upstreamUrl + ", latency " + latency().toMillis() + " ms, cap "
                + (cap.maxBlockRange() == 0 ? "none" : cap.maxBlockRange() + " blocks") + "]";
    }

    // ------------------------------------------------------------------------------------ serving

    private void handle(HttpExchange ex) {
        try {
            long arrived = System.nanoTime();
            if (!"POST".equalsIgnoreCase(ex.getRequestMethod())) {
                reply(ex, 405, "{\"error\":\"JSON-RPC over HTTP POST only\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            requests.increment();
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                count("(unparseable)");
                waitOut(arrived);
                reply(ex, 200, JSON.writeValueAsBytes(error(JsonNodeFactory.instance.nullNode(), -32700, "parse error")));
                return;
            }
            waitOut(arrived);
            Answer a = request.isArray() ? batch((ArrayNode) request, body) : single(request, body);
            reply(ex, a.status, a.body);
            if (TRACE) {
                System.err.printf("[proxy] %7.1f ms .. %7.1f ms %s%n", (arrived - T0) / 1e6, (System.nanoTime() - T0) / 1e6,
                        request.isArray() ? "batch " + request.findValuesAsText("method") : method(request)
                                + (method(request).equals("eth_getLogs") ? " " + request.at("/params/0/fromBlock").asText()
                                + ".." + request.at("/params/0/toBlock").asText() : ""));
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the node did: nothing more to say on this exchange
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    /** Set GEMFORCE_PROXY_TRACE=1 to print each request's arrival and answer times on stderr. */
    private static final boolean TRACE = System.getenv("GEMFORCE_PROXY_TRACE") != null;
    private static final long T0 = System.nanoTime();

    private record Answer(int status, byte[] body) {
    }

    private Answer single(JsonNode req, byte[] body) throws IOException {
        count(method(req));
        JsonNode refusal = cap.refusal(req);
        if (refusal != null) {
            return new Answer(200, JSON.writeValueAsBytes(refusal));
        }
        if (memory == null) {
            return forward(body);
        }
        JsonNode recalled = memory.recall(req);
        if (recalled != null) {
            return new Answer(200, JSON.writeValueAsBytes(recalled));
        }
        Answer a = forward(body);
        memory.remember(req, a.status, a.body, JSON);
        return a;
    }

    private Answer batch(ArrayNode batch, byte[] body) throws IOException {
        count(BATCH);
        List<JsonNode> forwarded = new ArrayList<>();
        JsonNode[] answers = new JsonNode[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            JsonNode el = batch.get(i);
            count(method(el));
            answers[i] = cap.refusal(el);
            if (answers[i] == null && memory != null) {
                answers[i] = memory.recall(el);
            }
            if (answers[i] == null) {
                forwarded.add(el);
            }
        }
        if (forwarded.size() == batch.size() && memory == null) {
            return forward(body); // nothing refused: the node's answer as it is
        }
        if (!forwarded.isEmpty()) {
            // all of it when nothing was refused or recalled: the body as it came, not written again
            Answer up = forward(forwarded.size() == batch.size() ? body
                    : JSON.writeValueAsBytes(JSON.createArrayNode().addAll(forwarded)));
            JsonNode upAnswers = up.status == 200 ? JSON.readTree(up.body) : null;
            if (upAnswers == null || !upAnswers.isArray()) {
                return up; // a node that refused the batch as a whole: pass its answer on
            }
            Map<String, JsonNode> byId = new HashMap<>();
            for (JsonNode a : upAnswers) {
                byId.put(String.valueOf(a.get("id")), a);
            }
            int position = 0;
            for (int i = 0; i < answers.length; i++) {
                if (answers[i] == null) {
                    JsonNode match = byId.get(String.valueOf(batch.get(i).get("id")));
                    if (match == null && position < upAnswers.size()) {
                        match = upAnswers.get(position);
                    }
                    answers[i] = match;
                    position++;
                    if (memory != null) {
                        memory.remember(batch.get(i), match);
                    }
                }
            }
        }
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode a : answers) {
            if (a != null) { // notifications get no answer
                out.add(a);
            }
        }
        return new Answer(200, JSON.writeValueAsBytes(out));
    }

    private Answer forward(byte[] body) throws IOException {
        Request req = new Request.Builder().url(upstreamUrl).post(RequestBody.create(body, JSON_TYPE)).build();
        try (Response r = upstream.newCall(req).execute()) {
            return new Answer(r.code(), r.body() == null ? new byte[0] : r.body().bytes());
        } catch (IOException e) {
            return new Answer(502, ("{\"error\":\"upstream node unreachable: " + e.getClass().getSimpleName() + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Sleeps until {@code latency} after {@code arrived}. */
    private void waitOut(long arrived) throws InterruptedException {
        long left = arrived + latencyNanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private void count(String method) {
        counts.computeIfAbsent(method, k -> new LongAdder()).increment();
    }

    static String method(JsonNode req) {
        JsonNode m = req == null ? null : req.get("method");
        return m != null && m.isTextual() ? m.asText() : "(no method)";
    }

    /** The node's head, asked directly (not counted: only a filter with block tags needs it). */
    private long head() throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("jsonrpc", "2.0", "id", "latency-proxy-" + ownIds.incrementAndGet(),
                "method", "eth_blockNumber", "params", List.of()));
        Answer a = forward(body);
        JsonNode r = a.status == 200 ? JSON.readTree(a.body).get("result") : null;
        return r == null ? -1 : Long.decode(r.asText());
    }

    static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode out = JSON.createObjectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        ObjectNode err = out.putObject("error");
        err.put("code", code);
        err.put("message", message);
        return out;
    }

    // ------------------------------------------------------------------------------------ builder

    /** Options of a {@link LatencyProxy}; {@link #start()} opens it. */
    public static final class Builder {
        private final String upstreamUrl;
        private Duration latency = Duration.ofMillis(50);
        private long maxBlockRange = 10_000;
        private int refusalCode = -32600;
        private String refusalFormat = "query exceeds max block range %d";
        private int threads = 32;
        private int port;
        private Duration upstreamTimeout = Duration.ofMinutes(2);
        private boolean remember;

        private Builder(String upstreamUrl) {
            Objects.requireNonNull(upstreamUrl, "upstreamUrl");
            if (!upstreamUrl.startsWith("http://") && !upstreamUrl.startsWith("https://")) {
                throw new IllegalArgumentException("the upstream must be an http(s) JSON-RPC URL");
            }
            this.upstreamUrl = upstreamUrl;
        }

        /** Added to every HTTP request, a batch included, before it is forwarded (50 ms). */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
            this.latency = latency;
            return this;
        }

        /** The largest {@code eth_getLogs} span in blocks ({@code to - from + 1}) served (10,000); 0: no cap. */
        public Builder maxBlockRange(long blocks) {
            if (blocks < 0) {
                throw new IllegalArgumentException("maxBlockRange must not be negative");
            }
            this.maxBlockRange = blocks;
            return this;
        }

        /**
         * The JSON-RPC error of a refused range: its code (-32600) and a {@link String#format} pattern
         * given the cap ({@code "query exceeds max block range %d"}).
         */
        public Builder refusal(int code, String messageFormat) {
            this.refusalCode = code;
            this.refusalFormat = Objects.requireNonNull(messageFormat, "messageFormat");
            return this;
        }

        /** Requests served at once (32); more wait for a thread. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive");
            }
            this.threads = threads;
            return this;
        }

        /** The loopback port to listen on (0, the default: a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How long a forwarded request may take at the node (2 min). */
        public Builder upstreamTimeout(Duration timeout) {
            this.upstreamTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Keeps every result the node gives, by method and params, so that {@link LatencyProxy#replay}
         * can answer the same calls again without the node (off by default: the answers stay in memory).
         */
        public Builder remember() {
            this.remember = true;
            return this;
        }

        public LatencyProxy start() {
            try {
                return new LatencyProxy(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
