package io.gemforce.sync.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client for Parse Server's REST API, authenticated with the master key: objects (create,
 * update, delete, get, query with constraints, order, paging, count), {@code POST /batch} (optionally
 * transactional), {@code /schemas} and {@code /purge}.
 *
 * <p>Failures are thrown as {@link ParseException} with Parse's {@code code} and {@code error}.
 * Requests that get no answer, HTTP 429 or a 5xx are retried according to the {@link RetryPolicy};
 * an aborted transactional batch (HTTP 500, code 1) is not, since the same batch would fail the same
 * way: the caller re-reads and rebuilds it. Every call carries a fresh {@code X-Parse-Request-Id},
 * kept across its retries, so a server with {@code idempotencyOptions} drops a replay (code 159).
 *
 * <p>Batch limits of Parse Server 9.10: the request body must not exceed the server's
 * {@code maxUploadSize} (default 20 MB; a larger body is refused with HTTP 413 before anything is
 * written); {@code requestComplexity.batchRequestLimit} (default -1, announced to become 100) caps
 * the number of sub-requests only for requests without the master or maintenance key, so it does not
 * apply to this client. {@link #batch} refuses a batch above {@link Builder#maxBatchRequests} or
 * {@link Builder#maxBatchBytes}; {@link #batchInChunks} splits a non-transactional one.
 *
 * <p>The master key is sent only in the {@code X-Parse-Master-Key} header. It never appears in a
 * log line, an exception message or {@link #toString()}. Do not run Parse Server with
 * {@code logLevel: verbose}: it logs request headers, master key included. Thread-safe.
 */
public final class ParseClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ParseClient.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_GET_URL = 4000;

    private final HttpUrl serverUrl;
    private final String mountPath;
    private final String applicationId;
    private final Secret masterKey;
    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final RetryPolicy retry;
    private final ObjectMapper mapper;
    private final int maxBatchRequests;
    private final long maxBatchBytes;

    private ParseClient(Builder b) {
        this.serverUrl = b.serverUrl;
        String path = serverUrl.encodedPath();
        this.mountPath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.applicationId = b.applicationId;
        this.masterKey = b.masterKey;
        this.retry = b.retry;
        this.mapper = b.mapper;
        this.maxBatchRequests = b.maxBatchRequests;
        this.maxBatchBytes = b.maxBatchBytes;
        OkHttpClient.Builder hb = b.httpClient != null ? b.httpClient.newBuilder() : new OkHttpClient.Builder();
        hb.connectTimeout(b.connectTimeout).readTimeout(b.readTimeout).writeTimeout(b.writeTimeout)
                .callTimeout(b.callTimeout);
        for (Interceptor i : b.interceptors) {
            hb.addInterceptor(i);
        }
        this.http = hb.build();
        this.ownsHttp = b.httpClient == null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server URL, e.g. {@code http://127.0.0.1:1337/parse}. */
    public HttpUrl serverUrl() {
        return serverUrl;
    }

    /** The mount path, e.g. {@code /parse} (empty when Parse is mounted at the root). */
    public String mountPath() {
        return mountPath;
    }

    public String applicationId() {
        return applicationId;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public RetryPolicy retryPolicy() {
        return retry;
    }

    /** The largest number of sub-requests {@link #batch} sends in one request. */
    public int maxBatchRequests() {
        return maxBatchRequests;
    }

    /** The largest JSON body, in bytes, {@link #batch} sends in one request. */
    public long maxBatchBytes() {
        return maxBatchBytes;
    }

    // ----------------------------------------------------------------------------------- objects

    /** {@code POST /classes/<className>}: returns {@code objectId} and {@code createdAt}. */
    public ObjectNode create(String className, ObjectNode fields) {
        return (ObjectNode) call("POST", "classes/" + cls(className), null, fields, false);
    }

    /** {@code PUT /classes/<className>/<objectId>}: returns {@code updatedAt}; code 101 when absent. */
    public ObjectNode update(String className, String objectId, ObjectNode fields) {
        return (ObjectNode) call("PUT", "classes/" + cls(className) + "/" + id(objectId), null, fields, false);
    }

    /** {@code DELETE /classes/<className>/<objectId>}; code 101 when absent. */
    public void delete(String className, String objectId) {
        call("DELETE", "classes/" + cls(className) + "/" + id(objectId), null, null, false);
    }

    /** {@code GET /classes/<className>/<objectId>}, empty when the object does not exist. */
    public Optional<ObjectNode> get(String className, String objectId) {
        try {
            return Optional.of((ObjectNode) call("GET", "classes/" + cls(className) + "/" + id(objectId), null, null,
                    false));
        } catch (ParseException e) {
            if (e.parseCode() == ParseException.OBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * One page of a query. Sent as {@code GET} with URL parameters, or as {@code POST} with
     * {@code "_method": "GET"} when the URL would be too long (large {@code $in} lists).
     */
    public QueryResult find(String className, ParseQuery q) {
        Map<String, String> params = new LinkedHashMap<>();
        ObjectNode where = q.where();
        if (!where.isEmpty()) {
            params.put("where", write(where));
        }
        if (q.order() != null) {
            params.put("order", q.order());
        }
        if (q.limit() != null) {
            params.put("limit", Integer.toString(q.limit()));
        }
        if (q.skip() != null) {
            params.put("skip", Integer.toString(q.skip()));
        }
        if (q.keys() != null) {
            params.put("keys", q.keys());
        }
        if (q.count()) {
            params.put("count", "1");
        }
        String path = "classes/" + cls(className);
        JsonNode answer;
        if (url(path, params).toString().length() <= MAX_GET_URL) {
            answer = call("GET", path, params, null, false);
        } else {
            ObjectNode body = mapper.createObjectNode();
            body.put("_method", "GET");
            if (!where.isEmpty()) {
                body.set("where", where);
            }
            params.forEach((k, v) -> {
                if (!k.equals("where")) {
                    body.put(k, v);
                }
            });
            answer = call("POST", path, null, body, false);
        }
        List<ObjectNode> results = new ArrayList<>();
        for (JsonNode r : answer.path("results")) {
            results.add((ObjectNode) r);
        }
        return new QueryResult(results, answer.has("count") ? answer.get("count").asLong() : -1);
    }

    /**
     * Every object matching {@code where}, read in pages of {@code pageSize} ordered by
     * {@code objectId} with a cursor ({@code objectId > last}), which stays correct and fast on large
     * classes where {@code skip} is not. Requires the server's {@code maxLimit} to be unset or at least
     * {@code pageSize}.
     */
    public List<ObjectNode> findAll(String className, ObjectNode where, int pageSize, String... keys) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
        List<ObjectNode> all = new ArrayList<>();
        String last = null;
        while (true) {
            ObjectNode w;
            if (last == null) {
                w = where.deepCopy();
            } else if (where.has("objectId")) {
                w = mapper.createObjectNode();
                ArrayNode and = w.putArray("$and");
                and.add(where.deepCopy());
                and.addObject().putObject("objectId").put("$gt", last);
            } else {
                w = where.deepCopy();
                w.putObject("objectId").put("$gt", last);
            }
            ParseQuery q = ParseQuery.where(w).order("objectId").limit(pageSize);
            if (keys.length > 0) {
                q = q.keys(keys);
            }
            List<ObjectNode> page = find(className, q).results();
            all.addAll(page);
            if (page.size() < pageSize) {
                return all;
            }
            last = page.get(page.size() - 1).path("objectId").asText();
        }
    }

    /**
     * The number of objects matching {@code where}. On PostgreSQL an empty {@code where} answers the
     * table's row estimate ({@code pg_class.reltuples}), not an exact count: pass a constraint.
     */
    public long count(String className, ObjectNode where) {
        return find(className, ParseQuery.where(where).limit(0).withCount()).count();
    }

    // ------------------------------------------------------------------------------------- batch

    /**
     * One {@code POST /batch}. With {@code transaction} true Parse runs every sub-request in one
     * database transaction: all are written or none (on PostgreSQL a failed sub-request turns the
     * whole answer into HTTP 500 code 1, see {@link ParseException#transactionAborted()}). Without it,
     * each sub-request succeeds or fails on its own and the results say which.
     *
     * @throws IllegalArgumentException when the batch exceeds {@link #maxBatchRequests()} or
     *     {@link #maxBatchBytes()}: a transactional batch cannot be split without losing atomicity
     */
    public List<BatchResult> batch(List<BatchOp> ops, boolean transaction) {
        if (ops.isEmpty()) {
            return List.of();
        }
        if (ops.size() > maxBatchRequests) {
            throw new IllegalArgumentException("a batch of " + ops.size() + " sub-requests exceeds maxBatchRequests "
                    + maxBatchRequests);
        }
        ObjectNode body = mapper.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        for (BatchOp op : ops) {
            ObjectNode r = requests.addObject();
            r.put("method", op.method());
            r.put("path", mountPath + "/" + op.path());
            if (op.body() != null) {
                r.set("body", op.body());
            }
        }
        if (transaction) {
            body.put("transaction", true);
        }
        byte[] bytes = bytes(body);
        if (bytes.length > maxBatchBytes) {
            throw new IllegalArgumentException("a batch of " + bytes.length + " bytes exceeds maxBatchBytes "
                    + maxBatchBytes);
        }
        JsonNode answer = send("POST", "batch", null, bytes, transaction);
        List<BatchResult> results = new ArrayList<>(ops.size());
        for (JsonNode r : answer) {
            if (r.has("success")) {
                results.add(BatchResult.ok(r.get("success")));
            } else {
                JsonNode err = r.path("error");
                results.add(BatchResult.failed(err.path("code").asInt(ParseException.OTHER_CAUSE),
                        masterKey.scrub(err.path("error").asText(null))));
            }
        }
        if (results.size() != ops.size()) {
            throw new ParseException(ParseException.OTHER_CAUSE, "batch answered " + results.size() + " results for "
                    + ops.size() + " requests", 200, "POST " + mountPath + "/batch", 1, false, null);
        }
        return results;
    }

    /** A non-transactional batch of any size, sent in chunks that respect the batch limits. */
    public List<BatchResult> batchInChunks(List<BatchOp> ops) {
        List<BatchResult> all = new ArrayList<>(ops.size());
        for (List<BatchOp> chunk : chunk(ops)) {
            all.addAll(batch(chunk, false));
        }
        return all;
    }

    /**
     * Splits {@code ops}, in order, into consecutive chunks that each respect {@link
     * #maxBatchRequests()} and {@link #maxBatchBytes()}.
     */
    List<List<BatchOp>> chunk(List<BatchOp> ops) {
        List<List<BatchOp>> chunks = new ArrayList<>();
        List<BatchOp> current = new ArrayList<>();
        long bytes = 64;
        long budget = maxBatchBytes - 64;
        for (BatchOp op : ops) {
            long size = estimateSize(op);
            if (!current.isEmpty() && (current.size() >= maxBatchRequests || bytes + size > budget)) {
                chunks.add(current);
                current = new ArrayList<>();
                bytes = 64;
            }
            current.add(op);
            bytes += size;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** The size one sub-request adds to a batch body, in bytes (exact up to a few bytes). */
    public long estimateSize(BatchOp op) {
        long size = 40 + op.method().length() + mountPath.length() + op.path().length();
        if (op.body() != null) {
            size += bytes(op.body()).length + 8;
        }
        return size;
    }

    // ----------------------------------------------------------------------------------- schemas

    /** {@code GET /schemas}: every class with its fields, permissions and indexes. */
    public List<ObjectNode> schemas() {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode s : call("GET", "schemas", null, null, false).path("results")) {
            out.add((ObjectNode) s);
        }
        return out;
    }

    /** {@code GET /schemas/<className>}, empty when the class does not exist (code 103). */
    public Optional<ObjectNode> schema(String className) {
        try {
            return Optional.of((ObjectNode) call("GET", "schemas/" + cls(className), null, null, false));
        } catch (ParseException e) {
            if (e.parseCode() == ParseException.INVALID_CLASS_NAME) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code POST /schemas/<className>} with {@code fields}, {@code indexes}, {@code classLevelPermissions}. */
    public ObjectNode createSchema(String className, ObjectNode body) {
        ObjectNode b = body.deepCopy();
        b.put("className", className);
        return (ObjectNode) call("POST", "schemas/" + cls(className), null, b, false);
    }

    /** {@code PUT /schemas/<className>}: adds fields or indexes (existing ones cannot be changed). */
    public ObjectNode updateSchema(String className, ObjectNode body) {
        ObjectNode b = body.deepCopy();
        b.put("className", className);
        return (ObjectNode) call("PUT", "schemas/" + cls(className), null, b, false);
    }

    /** {@code DELETE /schemas/<className>}: the class must be empty. */
    public void deleteSchema(String className) {
        call("DELETE", "schemas/" + cls(className), null, null, false);
    }

    /** {@code DELETE /purge/<className>}: deletes every object of the class. */
    public void purge(String className) {
        call("DELETE", "purge/" + cls(className), null, null, false);
    }

    // ---------------------------------------------------------------------------------- webhooks

    /** {@code GET /hooks/functions/<name>}: the registered webhook, empty when there is none. */
    public Optional<ObjectNode> hookFunction(String functionName) {
        try {
            JsonNode n = call("GET", "hooks/functions/" + cls(functionName), null, null, false);
            return n instanceof ObjectNode o && o.has("url") ? Optional.of(o) : Optional.empty();
        } catch (ParseException e) {
            if (e.parseCode() == 143 || e.parseCode() == ParseException.OBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Registers {@code url} as the webhook of cloud function {@code functionName}, or moves an
     * existing registration to {@code url}. Idempotent. Returns whether the stored URL changed.
     *
     * <p>An existing registration is always written again, even with the same URL: Parse Server
     * routes calls through an in-memory copy of its hooks, and that copy was seen pointing at an
     * endpoint that had since moved while the stored hook already showed the new URL. Writing
     * the hook refreshes both.
     */
    public boolean registerHookFunction(String functionName, String url) {
        Optional<ObjectNode> existing = hookFunction(functionName);
        ObjectNode body = mapper.createObjectNode().put("url", url);
        if (existing.isPresent()) {
            call("PUT", "hooks/functions/" + cls(functionName), null, body, false);
            return !url.equals(existing.get().path("url").asText());
        }
        body.put("functionName", functionName);
        try {
            call("POST", "hooks/functions", null, body, false);
        } catch (ParseException e) {
            if (e.parseCode() != 143) {
                throw e;
            }
            // registered concurrently by another instance: make it point here
            call("PUT", "hooks/functions/" + cls(functionName), null, mapper.createObjectNode().put("url", url), false);
        }
        return true;
    }

    /** Removes the webhook of {@code functionName}, if any. */
    public void unregisterHookFunction(String functionName) {
        if (hookFunction(functionName).isPresent()) {
            call("PUT", "hooks/functions/" + cls(functionName), null,
                    mapper.createObjectNode().set("__op", mapper.getNodeFactory().textNode("Delete")), false);
        }
    }

    /** {@code POST /functions/<name>} with {@code params}, as a client with the master key; returns {@code result}. */
    public JsonNode runFunction(String functionName, ObjectNode params) {
        JsonNode n = call("POST", "functions/" + cls(functionName), null, params, false);
        return n.path("result");
    }

    /** {@code GET /health} answers {@code {"status":"ok"}}; one attempt, no retry. */
    public boolean healthy() {
        Request req = new Request.Builder().url(url("health", null)).get().build();
        try (Response r = http.newCall(req).execute()) {
            ResponseBody body = r.body();
            return r.isSuccessful() && body != null && body.string().contains("\"ok\"");
        } catch (IOException e) {
            return false;
        }
    }

    // --------------------------------------------------------------------------------- transport

    private JsonNode call(String method, String path, Map<String, String> params, JsonNode body,
            boolean transactionalBatch) {
        return send(method, path, params, body == null ? null : bytes(body), transactionalBatch);
    }

    private JsonNode send(String method, String path, Map<String, String> params, byte[] body,
            boolean transactionalBatch) {
        HttpUrl url = url(path, params);
        String what = method + " " + url.encodedPath();
        String requestId = UUID.randomUUID().toString();
        int attempt = 0;
        while (true) {
            attempt++;
            Request.Builder rb = new Request.Builder().url(url)
                    .header("X-Parse-Application-Id", applicationId)
                    .header("X-Parse-Master-Key", masterKey.reveal())
                    .header("X-Parse-Request-Id", requestId)
                    .header("Accept", "application/json");
            RequestBody rbody = body == null ? null : RequestBody.create(body, JSON);
            if (rbody == null && (method.equals("POST") || method.equals("PUT"))) {
                rbody = RequestBody.create(new byte[0], JSON);
            }
            rb.method(method, rbody);
            long started = System.nanoTime();
            ParseException failure;
            Duration retryAfter = null;
            try (Response r = http.newCall(rb.build()).execute()) {
                ResponseBody rbd = r.body();
                String text = rbd == null ? "" : rbd.string();
                long ms = (System.nanoTime() - started) / 1_000_000;
                if (r.isSuccessful()) {
                    log.debug("{} -> {} in {} ms", what, r.code(), ms);
                    return text.isEmpty() ? NullNode.instance : mapper.readTree(text);
                }
                failure = error(r.code(), text, what, attempt, transactionalBatch);
                retryAfter = retryAfter(r.header("Retry-After"));
                log.debug("{} -> {} in {} ms: code {}", what, r.code(), ms, failure.parseCode());
            } catch (JsonProcessingException e) {
                throw new ParseException(ParseException.OTHER_CAUSE, "answer is not JSON", 200, what, attempt, false,
                        null);
            } catch (IOException e) {
                boolean timeout = e instanceof SocketTimeoutException
                        || (e instanceof InterruptedIOException && String.valueOf(e.getMessage()).contains("timeout"));
                String msg = masterKey.scrub(e.getClass().getSimpleName() + ": " + e.getMessage());
                failure = new ParseException(timeout ? ParseException.TIMEOUT : ParseException.CONNECTION_FAILED, msg, 0,
                        what, attempt, false, null);
            }
            if (!failure.transientFailure() || failure.transactionAborted() || attempt >= retry.maxAttempts()) {
                throw failure;
            }
            Duration wait = retry.delayBefore(attempt + 1, retryAfter);
            log.warn("{} failed ({}); attempt {}/{} in {} ms", what, failure.parseError() == null
                    ? "HTTP " + failure.httpStatus() : failure.parseError(), attempt + 1, retry.maxAttempts(),
                    wait.toMillis());
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new ParseException(failure.parseCode(), "interrupted while waiting to retry", failure.httpStatus(),
                        what, attempt, false, ie);
            }
        }
    }

    private ParseException error(int status, String text, String what, int attempt, boolean transactionalBatch) {
        int code = ParseException.OTHER_CAUSE;
        String message = null;
        try {
            JsonNode n = mapper.readTree(text);
            if (n != null && n.isObject()) {
                if (n.has("code") && n.get("code").canConvertToInt()) {
                    code = n.get("code").asInt();
                }
                if (n.hasNonNull("error")) {
                    message = n.get("error").asText();
                } else if (n.hasNonNull("message")) {
                    message = n.get("message").asText();
                }
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through: describe the raw answer
        }
        if (message == null) {
            String t = text == null ? "" : text.strip();
            message = t.length() > 200 ? t.substring(0, 200) + "..." : t;
        }
        if (status == 413) {
            message = message + " (the body exceeds the server's maxUploadSize)";
        }
        boolean aborted = transactionalBatch && status == 500 && code == ParseException.INTERNAL_SERVER_ERROR;
        return new ParseException(code, masterKey.scrub(message), status, what, attempt, aborted, null);
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private HttpUrl url(String path, Map<String, String> params) {
        HttpUrl.Builder ub = serverUrl.newBuilder();
        for (String seg : path.split("/")) {
            ub.addPathSegment(seg);
        }
        if (params != null) {
            params.forEach(ub::addQueryParameter);
        }
        return ub.build();
    }

    private String write(JsonNode n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private byte[] bytes(JsonNode n) {
        try {
            return mapper.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise JSON", e);
        }
    }

    private static String cls(String className) {
        if (className == null || !className.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("invalid class name");
        }
        return className;
    }

    private static String id(String objectId) {
        if (objectId == null || objectId.isEmpty() || objectId.contains("/")) {
            throw new IllegalArgumentException("invalid objectId");
        }
        return objectId;
    }

    /** Releases the connection pool and threads (when this client created its own OkHttpClient). */
    @Override
    public void close() {
        if (ownsHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "ParseClient[" + serverUrl + ", appId=" + applicationId + ", masterKey=" + masterKey + "]";
    }

    /** Builds a {@link ParseClient}. Server URL, application id and master key are required. */
    public static final class Builder {
        private HttpUrl serverUrl;
        private String applicationId;
        private Secret masterKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration writeTimeout = Duration.ofSeconds(60);
        private Duration callTimeout = Duration.ZERO;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private ObjectMapper mapper = new ObjectMapper();
        private OkHttpClient httpClient;
        private final List<Interceptor> interceptors = new ArrayList<>();
        private int maxBatchRequests = 5000;
        private long maxBatchBytes = 10L * 1024 * 1024;

        private Builder() {
        }

        /** The server URL including the mount path, e.g. {@code http://127.0.0.1:1337/parse}. */
        public Builder serverUrl(String url) {
            HttpUrl parsed = HttpUrl.parse(Objects.requireNonNull(url, "serverUrl"));
            if (parsed == null) {
                throw new IllegalArgumentException("serverUrl is not an http(s) URL");
            }
            if (parsed.username().length() > 0 || parsed.password().length() > 0 || parsed.query() != null) {
                throw new IllegalArgumentException("serverUrl must not carry credentials or a query");
            }
            this.serverUrl = parsed;
            return this;
        }

        public Builder applicationId(String applicationId) {
            this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
            return this;
        }

        public Builder masterKey(Secret masterKey) {
            this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
            return this;
        }

        /** The master key from a char array (copied; wipe yours afterwards). */
        public Builder masterKey(char[] masterKey) {
            return masterKey(Secret.of(masterKey));
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder readTimeout(Duration d) {
            this.readTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder writeTimeout(Duration d) {
            this.writeTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** A limit on one whole attempt (connect, write, wait, read); zero for none (the default). */
        public Builder callTimeout(Duration d) {
            this.callTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry);
            return this;
        }

        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper);
            return this;
        }

        /** Shares an existing OkHttpClient's pools (timeouts above still apply). */
        public Builder httpClient(OkHttpClient client) {
            this.httpClient = Objects.requireNonNull(client);
            return this;
        }

        /** Adds an OkHttp application interceptor (metrics, tracing, fault injection in tests). */
        public Builder addInterceptor(Interceptor interceptor) {
            this.interceptors.add(Objects.requireNonNull(interceptor));
            return this;
        }

        /** Largest number of sub-requests per {@code /batch} (default 5000). */
        public Builder maxBatchRequests(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxBatchRequests must be positive");
            }
            this.maxBatchRequests = n;
            return this;
        }

        /** Largest batch body in bytes (default 10 MiB, half the server's default maxUploadSize). */
        public Builder maxBatchBytes(long n) {
            if (n < 1024) {
                throw new IllegalArgumentException("maxBatchBytes must be at least 1024");
            }
            this.maxBatchBytes = n;
            return this;
        }

        public ParseClient build() {
            if (serverUrl == null || applicationId == null || masterKey == null) {
                throw new IllegalStateException("serverUrl, applicationId and masterKey are required");
            }
            return new ParseClient(this);
        }
    }
}
