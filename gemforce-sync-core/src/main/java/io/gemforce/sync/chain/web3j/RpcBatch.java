package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC batches over {@link RpcTransport}: several calls in one HTTP request, at most
 * {@code maxCalls} per request, answers matched by id (a node may answer in any order).
 *
 * <p>Each batch goes through the transport's retries, backoff and fallback. Calls answered with a
 * rate-limit error are sent again (only those) after a backoff; every other per-call error is the
 * caller's to classify, exactly as for a single call.
 *
 * <p>Providers that refuse batches answer an array with an HTTP error, a single error object, an
 * array of the wrong length or with unknown ids, or an error that mentions "batch". Any of these is
 * checked with one single call: when the node answers that one, batches are refused and this batcher
 * sends single calls from then on (logged once at INFO). An HTTP 5xx must be seen twice that way
 * before batches are given up (a server error may also be a passing outage; the calls concerned are
 * still sent singly). When the single call fails too, the failure is the node's, and the batch is
 * retried like any request.
 *
 * <p>Counts: a batch counts as one request under {@code batch(<method>)}, e.g. {@code batch(eth_call)}
 * ({@code batch(a+b)} for mixed methods); single calls count under their method.
 */
final class RpcBatch {
    private static final Logger LOG = LoggerFactory.getLogger(Web3jChainSource.class);
    static final int DEFAULT_MAX_CALLS = 100;
    private static final int SERVER_ERROR_STRIKES = 2;

    /** One JSON-RPC call. */
    record Call(String method, List<Object> params) {
        Call {
            params = List.copyOf(params);
        }
    }

    /** The answer to one call: a result (possibly JSON null) or an error. */
    record Answer(JsonNode result, RpcError error) {
    }

    private final RpcTransport transport;
    private final int maxCalls;
    private final AtomicBoolean refused = new AtomicBoolean();
    private final AtomicInteger serverErrorStrikes = new AtomicInteger();
    /** Batches of one call sent side by side at most. */
    static final int PARALLEL_CHUNKS = 4;
    private ExecutorService pool;

    RpcBatch(RpcTransport transport, int maxCalls) {
        if (maxCalls < 1) {
            throw new IllegalArgumentException("a batch holds at least one call");
        }
        this.transport = transport;
        this.maxCalls = maxCalls;
    }

    /** The most calls one batch holds. */
    int maxCalls() {
        return maxCalls;
    }

    /** Whether this node has been found to refuse batches, or batches are off ({@code maxCalls} 1). */
    boolean refused() {
        return refused.get() || maxCalls < 2;
    }

    /** Another batch user found the node refusing batches (and its single call answered). */
    void refuse(String why) {
        if (refused.compareAndSet(false, true)) {
            LOG.info("{} does not take JSON-RPC batches (it answered one with {}); sending single requests from now on",
                    transport.where(), transport.scrub(why));
        }
    }

    /**
     * Answers {@code calls}; element {@code i} answers {@code calls.get(i)}. More calls than one
     * batch holds go in several batches, up to {@value #PARALLEL_CHUNKS} at a time (the reads of a
     * network's thousands of diamonds are then not one round trip after another); the first failure
     * is thrown once all have ended.
     */
    List<Answer> send(List<Call> calls) {
        Answer[] out = new Answer[calls.size()];
        int chunks = (calls.size() + maxCalls - 1) / maxCalls;
        if (chunks <= 1) {
            if (!calls.isEmpty()) {
                sendChunk(calls, out, 0);
            }
            return Arrays.asList(out);
        }
        ExecutorService pool = pool();
        List<Future<?>> sent = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            int from = c * maxCalls;
            int to = Math.min(calls.size(), from + maxCalls);
            sent.add(pool.submit(() -> sendChunk(calls.subList(from, to), out, from)));
        }
        Throwable failure = null;
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                sent.forEach(x -> x.cancel(true));
                Thread.currentThread().interrupt();
                throw new SyncException(ErrorCode.INTERRUPTED, "interrupted while reading " + calls.size() + " calls in batches");
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) { // sendChunk throws nothing checked
            throw new IllegalStateException(failure);
        }
        return Arrays.asList(out);
    }

    /** The threads that send batches side by side, made on first use. */
    private synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor p = new ThreadPoolExecutor(PARALLEL_CHUNKS, PARALLEL_CHUNKS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "gemforce-sync-batch-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            p.allowCoreThreadTimeOut(true);
            pool = p;
        }
        return pool;
    }

    /** Stops the batch threads (those of a call in progress finish their batch). */
    synchronized void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private void sendChunk(List<Call> chunk, Answer[] out, int offset) {
        if (chunk.size() > 1 && !refused.get()) {
            String key = "batch(" + String.join("+", new TreeSet<>(chunk.stream().map(Call::method).toList())) + ")";
            transport.send(key, index -> attemptBatch(index, chunk, out, offset));
        }
        for (int i = 0; i < chunk.size(); i++) {
            if (out[offset + i] == null) {
                Call c = chunk.get(i);
                out[offset + i] = transport.send(c.method(), index -> single(index, c));
            }
        }
    }

    /**
     * One try of the calls of {@code chunk} not answered yet. Returns normally when they are all
     * answered or when the rest must go singly; throws to have the transport retry.
     */
    private Boolean attemptBatch(int index, List<Call> chunk, Answer[] out, int offset) throws IOException {
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            if (out[offset + i] == null) {
                todo.add(i);
            }
        }
        if (todo.size() < 2 || refused.get()) {
            return Boolean.FALSE;
        }
        ArrayNode body = RpcTransport.MAPPER.createArrayNode();
        for (int i : todo) {
            body.add(request(chunk.get(i), i));
            transport.countCalls(chunk.get(i).method(), 1);
        }
        JsonNode answer;
        try {
            answer = transport.post(index, RpcTransport.MAPPER.writeValueAsBytes(body), RpcTransport.MAPPER::readTree);
        } catch (RpcTransport.HttpStatusException e) {
            if (e.status == 429) {
                throw e;
            }
            return probe(index, chunk.get(todo.get(0)), out, offset + todo.get(0), "HTTP " + e.status, e.status >= 500);
        } catch (JsonProcessingException e) {
            return probe(index, chunk.get(todo.get(0)), out, offset + todo.get(0), "an answer that is not JSON", false);
        }
        if (answer != null && answer.isObject()) {
            RpcError e = RpcError.of(answer);
            if (e != null && RpcErrors.isRateLimited(e.code(), e.message())) {
                throw new RpcTransport.RateLimitedAnswer(e.message());
            }
            if (e != null && RpcErrors.isStateUnavailable(e.message(), -1, -1)) {
                // one state error for the whole batch (Infura's archive-state answer): it answers each call
                for (int i : todo) {
                    out[offset + i] = new Answer(null, e);
                }
                return Boolean.TRUE;
            }
            return probe(index, chunk.get(todo.get(0)), out, offset + todo.get(0), "one answer object"
                    + (e == null ? "" : " (" + transport.scrub(e.message()) + ")"), false);
        }
        Answer[] got = new Answer[chunk.size()];
        String wrong = match(answer, todo, got);
        if (wrong != null) {
            return probe(index, chunk.get(todo.get(0)), out, offset + todo.get(0), wrong, false);
        }
        String limited = null;
        for (int i : todo) {
            RpcError e = got[i].error();
            if (e != null && RpcErrors.isRateLimited(e.code(), e.message())) {
                limited = e.message();
            } else {
                out[offset + i] = got[i];
            }
        }
        if (limited != null) {
            throw new RpcTransport.RateLimitedAnswer(limited);
        }
        return Boolean.TRUE;
    }

    /** Fills {@code got} from a batch answer; returns what is wrong with it, or {@code null}. */
    private static String match(JsonNode answer, List<Integer> todo, Answer[] got) {
        if (answer == null || !answer.isArray()) {
            return "an answer that is not an array";
        }
        if (answer.size() != todo.size()) {
            return answer.size() + " answers to " + todo.size() + " calls";
        }
        for (JsonNode a : answer) {
            JsonNode id = a.get("id");
            int i = id == null || !id.canConvertToInt() && !id.isTextual() ? -1 : id.asInt(-1);
            if (!a.isObject() || i < 0 || i >= got.length || got[i] != null || !todo.contains(i)) {
                return "answers that do not match the calls' ids";
            }
            RpcError e = RpcError.of(a);
            if (e != null && e.message().toLowerCase(Locale.ROOT).contains("batch")) {
                return "an error about batches (" + e.message() + ")";
            }
            if (e == null && !a.has("result")) {
                return "an answer with neither result nor error";
            }
            got[i] = new Answer(e == null ? a.get("result") : null, e);
        }
        return null;
    }

    /**
     * After a suspicious batch answer: one single call. When the node answers it, batches are refused
     * (or, after an HTTP 5xx, one strike towards that); when it fails too, its failure is thrown.
     */
    private Boolean probe(int index, Call first, Answer[] out, int slot, String why, boolean serverError)
            throws IOException {
        Answer a = transport.once(first.method(), index, i -> single(i, first));
        out[slot] = a;
        if (serverError && serverErrorStrikes.incrementAndGet() < SERVER_ERROR_STRIKES) {
            LOG.debug("{} answered a batch with {} but a single call; sending these calls singly", transport.where(), why);
            return Boolean.FALSE;
        }
        if (refused.compareAndSet(false, true)) {
            LOG.info("{} does not take JSON-RPC batches (it answered one with {}); sending single requests from now on",
                    transport.where(), transport.scrub(why));
        }
        return Boolean.FALSE;
    }

    /** One call as a plain JSON-RPC request; a rate-limit answer is thrown for the transport to retry. */
    private Answer single(int index, Call c) throws IOException {
        byte[] body = RpcTransport.MAPPER.writeValueAsBytes(request(c, 1));
        JsonNode a = transport.post(index, body, RpcTransport.MAPPER::readTree);
        if (a == null || !a.isObject()) {
            throw new RpcTransport.NotJsonRpc("not a JSON-RPC answer object");
        }
        RpcError e = RpcError.of(a);
        if (e != null && RpcErrors.isRateLimited(e.code(), e.message())) {
            throw new RpcTransport.RateLimitedAnswer(e.message());
        }
        if (e == null && !a.has("result")) {
            throw new RpcTransport.NotJsonRpc("a JSON-RPC answer without result or error");
        }
        return new Answer(e == null ? a.get("result") : null, e);
    }

    private static ObjectNode request(Call c, int id) {
        ObjectNode n = RpcTransport.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", c.method());
        n.set("params", RpcTransport.MAPPER.valueToTree(c.params()));
        return n;
    }
}
