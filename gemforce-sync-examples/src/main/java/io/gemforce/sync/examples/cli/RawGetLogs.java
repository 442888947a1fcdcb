package io.gemforce.sync.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The benchmarks' baseline client: plain {@code eth_getLogs} requests over given ranges, {@code inFlight}
 * at a time, each answer streamed and its logs counted (every string value materialised, as a client
 * that keeps them would). No decoding, no store: what reading the same logs costs without the SDK.
 */
final class RawGetLogs {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private RawGetLogs() {
    }

    /** The filter of one range: {@code addresses} empty for any emitter, {@code topic0s} as one OR-list. */
    static String filter(long from, long to, List<String> addresses, List<String> topic0s) {
        StringBuilder f = new StringBuilder("{\"fromBlock\":\"0x").append(Long.toHexString(from)).append("\",\"toBlock\":\"0x")
                .append(Long.toHexString(to)).append('"');
        if (!addresses.isEmpty()) {
            f.append(",\"address\":[\"").append(String.join("\",\"", addresses)).append("\"]");
        }
        if (!topic0s.isEmpty()) {
            f.append(",\"topics\":[[\"").append(String.join("\",\"", topic0s)).append("\"]]");
        }
        return f.append('}').toString();
    }

    /** Sends one request per filter to {@code url}, {@code inFlight} at a time; the logs of all answers. */
    static long count(String url, List<String> filters, int inFlight) throws IOException, InterruptedException {
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofMinutes(2)).readTimeout(Duration.ofMinutes(2))
                .connectionPool(new ConnectionPool(inFlight, 1, TimeUnit.MINUTES)).build();
        JsonFactory json = new ObjectMapper().getFactory(); // with a codec: an error's object is read whole
        long count = 0;
        try {
            if (inFlight == 1) {
                int id = 0;
                for (String f : filters) {
                    count += one(http, json, url, f, ++id);
                }
                return count;
            }
            ExecutorService pool = Executors.newFixedThreadPool(inFlight);
            try {
                List<Future<Long>> counts = new ArrayList<>();
                int id = 0;
                for (String f : filters) {
                    int requestId = ++id;
                    counts.add(pool.submit(() -> one(http, json, url, f, requestId)));
                }
                for (Future<Long> c : counts) {
                    count += c.get();
                }
                return count;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** One eth_getLogs, the answer streamed and its logs counted; a JSON-RPC error is an exception. */
    private static long one(OkHttpClient http, JsonFactory json, String url, String filter, int id) throws IOException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"eth_getLogs\",\"params\":[" + filter + "]}";
        Request req = new Request.Builder().url(url).post(RequestBody.create(body, JSON_TYPE)).build();
        long count = 0;
        try (Response resp = http.newCall(req).execute(); InputStream in = resp.body().byteStream();
                JsonParser p = json.createParser(in)) {
            int depth = 0;
            boolean inResult = false;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && depth == 1) {
                    inResult = "result".equals(p.currentName());
                    if ("error".equals(p.currentName())) {
                        throw new IOException("eth_getLogs " + filter + " failed: " + p.readValueAsTree());
                    }
                } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                    if (inResult && t == JsonToken.START_OBJECT && depth == 3) {
                        count++;
                    }
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t == JsonToken.VALUE_STRING) {
                    p.getText(); // materialise values as a client would
                }
            }
        }
        return count;
    }
}
