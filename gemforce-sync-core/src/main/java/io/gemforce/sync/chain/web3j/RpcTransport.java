package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.ChainException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
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
 * The HTTP side of {@link Web3jChainSource}: one OkHttp client for web3j's calls and for the
 * hand-built ones (log queries, batches), the rate limit, retries with backoff and jitter, the
 * fallback from one RPC URL to the next, request counts and the classification of failures.
 *
 * <p>Thread-safe: the limiter reserves slots under a lock, the current endpoint is an atomic that
 * moves on only when the endpoint that failed is still the current one (so concurrent failures move
 * it once), counters are {@link LongAdder}s, and OkHttp's synchronous calls are not limited by its
 * dispatcher (only asynchronous calls are); its connection pool keeps up to {@value #IDLE_CONNECTIONS}
 * idle connections per client.
 */
final class RpcTransport {
    private static final Logger LOG = LoggerFactory.getLogger(Web3jChainSource.class);
    static final MediaType JSON = MediaType.get("application/json");
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int IDLE_CONNECTIONS = 16;
    /** Enough of a 4xx body to read a JSON-RPC error object from it. */
    private static final long ERROR_BODY_LIMIT = 64 * 1024;

    private final List<String> urls;
    private final OkHttpClient http;
    private final boolean ownsClient;
    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final RateLimiter limiter;
    /** JSON-RPC calls by method, alone or in a batch. */
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    /** HTTP requests by method, or {@code batch(<methods>)} for a batch. */
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    /** Tries by (method or batch key, provider shown redacted, outcome: ok or the error code). */
    private final Map<List<String>, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicLong knownHead = new AtomicLong(-1);

    /** One try against endpoint {@code index}; JSON-RPC rate limits are thrown as {@link RateLimitedAnswer}. */
    interface Attempt<T> {
        T run(int index) throws IOException;
    }

    /** Reads an HTTP answer's body. */
    interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    RpcTransport(List<String> urls, OkHttpClient base, Duration timeout, int maxAttempts, Duration baseBackoff,
            Duration maxBackoff, double requestsPerSecond) {
        this.urls = List.copyOf(urls);
        this.maxAttempts = maxAttempts;
        this.baseBackoff = baseBackoff;
        this.maxBackoff = maxBackoff;
        this.limiter = new RateLimiter(requestsPerSecond);
        this.ownsClient = base == null;
        OkHttpClient.Builder b = ownsClient ? defaultClient() : base.newBuilder();
        if (ownsClient && this.urls.stream().allMatch(RpcTransport::plainHttp)) {
            // no TLS context when no endpoint needs one: loading the trust store is 0.2-0.3 s of a cold start
            b.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        this.http = b.callTimeout(timeout).readTimeout(timeout)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .addInterceptor(new StatusInterceptor()).build();
    }

    private static boolean plainHttp(String url) {
        return url.regionMatches(true, 0, "http://", 0, 7);
    }

    /** A pool sized for several requests in flight; a client passed in keeps its own pool. */
    private static OkHttpClient.Builder defaultClient() {
        Dispatcher d = new Dispatcher();
        d.setMaxRequests(64);
        d.setMaxRequestsPerHost(64);
        return new OkHttpClient.Builder().dispatcher(d).connectionPool(new ConnectionPool(IDLE_CONNECTIONS, 5, TimeUnit.MINUTES));
    }

    OkHttpClient http() {
        return http;
    }

    List<String> urls() {
        return urls;
    }

    /** The current endpoint for messages: scheme, host and port only. */
    String where() {
        return Redaction.redact(urls.get(current.get()));
    }

    String scrub(String text) {
        return Redaction.scrub(text, urls);
    }

    void noteHead(long head) {
        knownHead.accumulateAndGet(head, Math::max);
    }

    /**
     * The exception for an error answering a state read at {@code block}: {@link
     * ChainException.StateUnavailable} when the node no longer holds that state, else
     * {@link ErrorCode#CHAIN_ERROR}.
     */
    ChainException failure(String what, RpcError e, long block) {
        String msg = scrub(e.message());
        if (RpcErrors.isStateUnavailable(msg, block, knownHead.get())) {
            return new ChainException.StateUnavailable(RpcErrors.stateUnavailableMessage(what, block, where(), msg));
        }
        return chainError(what, e);
    }

    ChainException chainError(String what, RpcError e) {
        return new ChainException(ErrorCode.CHAIN_ERROR, what + " failed on " + where() + ": " + scrub(e.message())
                + " (code " + e.code() + ")");
    }

    /** Tries by method (or batch key), provider and outcome ({@code ok} or an error code). */
    Map<List<String>, Long> outcomeCounts() {
        Map<List<String>, Long> out = new java.util.TreeMap<>(java.util.Comparator.comparing(Object::toString));
        outcomes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    Map<String, Long> callCounts() {
        return snapshot(calls);
    }

    Map<String, Long> requestCounts() {
        return snapshot(requests);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    void resetCallCounts() {
        calls.clear();
        requests.clear();
    }

    /** Counts {@code n} calls of {@code method} sent inside a batch. */
    void countCalls(String method, int n) {
        calls.computeIfAbsent(method, k -> new LongAdder()).add(n);
    }

    /**
     * Runs {@code attempt} with rate limiting, retries, backoff and fallback; counts each try under
     * {@code key}. JSON-RPC errors other than rate limits are the attempt's to return.
     */
    <T> T send(String key, Attempt<T> attempt) {
        ChainException last = null;
        int total = maxAttempts * urls.size();
        for (int n = 0; n < total; n++) {
            if (n > 0) {
                backoff(n, last);
            }
            int index = current.get();
            String outcome = null;
            ChainException before = last;
            try {
                T result = once(key, index, attempt);
                outcome = "ok";
                return result;
            } catch (HttpStatusException e) {
                String where = Redaction.redact(urls.get(index));
                if (e.status == 429) {
                    last = new ChainException.RateLimited(key + ": " + where + " answered HTTP 429 (rate limited)");
                } else if (e.status >= 500) {
                    last = new ChainException.Unavailable(key + ": " + where + " answered HTTP " + e.status, null);
                } else {
                    throw new ChainException(ErrorCode.CHAIN_ERROR, key + ": " + where + " answered HTTP " + e.status
                            + (e.status == 401 || e.status == 403 ? " (check the RPC URL's credentials)" : ""));
                }
            } catch (RateLimitedAnswer e) {
                last = new ChainException.RateLimited(key + ": " + Redaction.redact(urls.get(index))
                        + " rate-limited the client: " + scrub(e.getMessage()));
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new SyncException(ErrorCode.INTERRUPTED, key + " interrupted");
                }
                last = new ChainException.Timeout(key + ": " + Redaction.redact(urls.get(index)) + " did not answer in time",
                        null);
            } catch (JsonProcessingException | NotJsonRpc e) {
                last = new ChainException.Unavailable(key + ": " + Redaction.redact(urls.get(index))
                        + " answered something that is not JSON-RPC", null);
            } catch (IOException | RuntimeException e) {
                if (e instanceof SyncException se) {
                    throw se;
                }
                last = new ChainException.Unavailable(key + ": cannot reach " + Redaction.redact(urls.get(index)) + ": "
                        + e.getClass().getSimpleName() + " " + scrub(e.getMessage()), null);
            } finally {
                if (outcome == null) {
                    outcome = last != null && last != before ? last.code().name() : ErrorCode.CHAIN_ERROR.name();
                }
                outcomes.computeIfAbsent(List.of(key, Redaction.redact(urls.get(index)), outcome), k -> new LongAdder())
                        .increment();
            }
            rotate(index);
        }
        throw last;
    }

    /** One rate-limited, counted try, without retries. */
    <T> T once(String key, int index, Attempt<T> attempt) throws IOException {
        try {
            limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(ErrorCode.INTERRUPTED, key + " interrupted");
        }
        requests.computeIfAbsent(key, k -> new LongAdder()).increment();
        if (!key.startsWith("batch(")) {
            calls.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
        return attempt.run(index);
    }

    /**
     * POSTs a JSON body to endpoint {@code index} and reads the answer. 429, 5xx, 401 and 403 are
     * thrown as {@link HttpStatusException} (by the interceptor); another 4xx is read as a JSON-RPC
     * answer when its body is JSON, and thrown otherwise.
     */
    <T> T post(int index, byte[] body, BodyReader<T> reader) throws IOException {
        Request req = new Request.Builder().url(urls.get(index)).post(RequestBody.create(body, JSON)).build();
        try (Response r = http.newCall(req).execute()) {
            ResponseBody b = r.body();
            if (r.isSuccessful() && b != null) {
                return reader.read(b.byteStream());
            }
            byte[] bytes = b == null ? new byte[0] : r.peekBody(ERROR_BODY_LIMIT).bytes();
            int start = 0;
            while (start < bytes.length && Character.isWhitespace(bytes[start])) {
                start++;
            }
            if (start < bytes.length && (bytes[start] == '{' || bytes[start] == '[')) {
                return reader.read(new ByteArrayInputStream(bytes));
            }
            throw new HttpStatusException(r.code());
        }
    }

    private void rotate(int failed) {
        if (urls.size() > 1 && current.compareAndSet(failed, (failed + 1) % urls.size())) {
            LOG.info("switching RPC endpoint to {}", Redaction.redact(urls.get((failed + 1) % urls.size())));
        }
    }

    private void backoff(int attempt, ChainException cause) {
        long cap = Math.min(maxBackoff.toMillis(), baseBackoff.toMillis() << Math.min(attempt - 1, 20));
        long sleep = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        if (attempt >= 3) {
            LOG.warn("{}; retry {} in {} ms", cause.getMessage(), attempt, sleep);
        } else {
            LOG.debug("{}; retry {} in {} ms", cause.getMessage(), attempt, sleep);
        }
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(ErrorCode.INTERRUPTED, "interrupted while waiting to retry");
        }
    }

    void close() {
        if (ownsClient) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /**
     * HTTP 429, 5xx, 401 and 403 as typed I/O errors, before web3j reads the body. A 401 or 403 whose
     * body is a JSON-RPC error about archive state (Infura answers "project ID does not have access to
     * archive state" that way) goes on as an answer, so that it is classified like any state error.
     */
    private static final class StatusInterceptor implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Response r = chain.proceed(chain.request());
            int code = r.code();
            if ((code == 401 || code == 403) && carriesStateError(r)) {
                return r.newBuilder().code(200).build();
            }
            if (code == 429 || code >= 500 || code == 401 || code == 403) {
                r.close();
                throw new HttpStatusException(code);
            }
            return r;
        }

        private static boolean carriesStateError(Response r) {
            try {
                JsonNode n = MAPPER.readTree(r.peekBody(ERROR_BODY_LIMIT).bytes());
                RpcError e = n != null && n.isObject() ? RpcError.of(n) : null;
                return e != null && RpcErrors.isStateUnavailable(e.message(), -1, -1);
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** An HTTP status that is not an answer. */
    static final class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpStatusException(int status) {
            super("HTTP " + status);
            this.status = status;
        }
    }

    /** A JSON-RPC answer saying the client is rate limited (retried like HTTP 429). */
    static final class RateLimitedAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        RateLimitedAnswer(String nodeMessage) {
            super(nodeMessage);
        }
    }

    /** JSON that is not a JSON-RPC answer. */
    static final class NotJsonRpc extends IOException {
        private static final long serialVersionUID = 1L;

        NotJsonRpc(String message) {
            super(message);
        }
    }
}
