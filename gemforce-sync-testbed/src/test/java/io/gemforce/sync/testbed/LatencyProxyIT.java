package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.event.EventType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The benchmark's provider stand-in in front of a real Anvil: latency, the block-range cap, batches, counts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LatencyProxyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LATENCY_MS = 300;
    private static final io.gemforce.sync.diamond.Address DEAD =
            io.gemforce.sync.diamond.Address.of("0x000000000000000000000000000000000000dead");
    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();
    private Anvil anvil;

    @BeforeAll
    void node() {
        anvil = Anvil.start();
        anvil.mine(40);
    }

    @AfterAll
    void stop() {
        anvil.close();
    }

    private LatencyProxy proxy(long cap) {
        return LatencyProxy.builder(anvil.rpcUrl()).latency(Duration.ofMillis(LATENCY_MS)).maxBlockRange(cap).start();
    }

    private JsonNode post(String url, String body) throws IOException {
        Request req = new Request.Builder().url(url).post(RequestBody.create(body, MediaType.get("application/json"))).build();
        try (Response r = http.newCall(req).execute()) {
            assertThat(r.code()).isEqualTo(200);
            return JSON.readTree(r.body().string());
        }
    }

    private static String call(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    private static String getLogs(int id, long from, long to) {
        return call(id, "eth_getLogs", "[{\"fromBlock\":\"0x" + Long.toHexString(from) + "\",\"toBlock\":\"0x"
                + Long.toHexString(to) + "\"}]");
    }

    @Test
    void everyRequestWaitsTheLatencyAndRequestsAreServedConcurrently() throws Exception {
        try (LatencyProxy proxy = proxy(0)) {
            long t0 = System.nanoTime();
            JsonNode answer = post(proxy.url(), call(1, "eth_blockNumber", "[]"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(Long.decode(answer.get("result").asText())).isEqualTo(anvil.blockNumber());
            assertThat(ms).isGreaterThanOrEqualTo(LATENCY_MS);

            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                long t1 = System.nanoTime();
                List<Future<JsonNode>> answers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int id = 10 + i;
                    answers.add(pool.submit(() -> post(proxy.url(), call(id, "eth_chainId", "[]"))));
                }
                for (Future<JsonNode> f : answers) {
                    assertThat(f.get().get("result").asText()).isEqualTo("0x7a69");
                }
                long parallelMs = (System.nanoTime() - t1) / 1_000_000;
                // four requests in flight pay the latency about once, not four times
                assertThat(parallelMs).isGreaterThanOrEqualTo(LATENCY_MS).isLessThan(3 * LATENCY_MS);
            } finally {
                pool.shutdownNow();
            }
            assertThat(proxy.counts()).isEqualTo(Map.of("eth_blockNumber", 1L, "eth_chainId", 4L));
            assertThat(proxy.requests()).isEqualTo(5);
        }
    }

    @Test
    void getLogsOverTheCapIsRefusedWithAHintTheSdkUnderstands() throws Exception {
        try (LatencyProxy proxy = proxy(10)) {
            JsonNode ok = post(proxy.url(), getLogs(1, 0, 9));
            assertThat(ok.has("error")).isFalse();
            assertThat(ok.get("result").isArray()).isTrue();

            JsonNode refused = post(proxy.url(), getLogs(2, 0, 10));
            assertThat(refused.get("id").asInt()).isEqualTo(2);
            assertThat(refused.get("error").get("code").asInt()).isEqualTo(-32600);
            assertThat(refused.get("error").get("message").asText()).isEqualTo("query exceeds max block range 10");

            // block tags are resolved against the node's head (40+ blocks: over the cap)
            JsonNode tagged = post(proxy.url(), call(3, "eth_getLogs", "[{\"fromBlock\":\"earliest\",\"toBlock\":\"latest\"}]"));
            assertThat(tagged.has("error")).isTrue();
            JsonNode byHash = post(proxy.url(), call(4, "eth_getLogs", "[{\"blockHash\":\"" + anvil.rpc("eth_getBlockByNumber",
                    "0x1", false).get("hash").asText() + "\"}]"));
            assertThat(byHash.has("result")).isTrue();
            assertThat(proxy.refused()).isEqualTo(2);

            // the SDK's own client reads the refusal as "range too large", with the cap as its hint
            try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(proxy.url()).build()) {
                assertThat(chain.logs(new LogQuery(5, 14, List.of(DEAD), List.of(EventType.DIAMOND_CUT.topic0())))).isEmpty();
                assertThatThrownBy(() -> chain.logs(new LogQuery(5, 30, List.of(DEAD), List.of(EventType.DIAMOND_CUT.topic0()))))
                        .isInstanceOfSatisfying(ChainException.RangeTooLarge.class,
                                e -> assertThat(e.suggestedToBlock()).isEqualTo(14));
            }
            assertThat(proxy.counts()).containsEntry("eth_getLogs", 6L);
        }
    }

    @Test
    void aBatchIsForwardedAnsweredPerElementAndCostsOneLatency() throws Exception {
        try (LatencyProxy proxy = proxy(10)) {
            String batch = "[" + call(1, "eth_blockNumber", "[]") + "," + call(2, "eth_chainId", "[]") + ","
                    + getLogs(3, 0, 5) + "," + getLogs(4, 0, 20) + "]";
            long t0 = System.nanoTime();
            JsonNode answers = post(proxy.url(), batch);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isGreaterThanOrEqualTo(LATENCY_MS).isLessThan(2 * LATENCY_MS);
            assertThat(answers.isArray()).isTrue();
            assertThat(answers.size()).isEqualTo(4);
            assertThat(answers.get(0).get("id").asInt()).isEqualTo(1);
            assertThat(Long.decode(answers.get(0).get("result").asText())).isEqualTo(anvil.blockNumber());
            assertThat(answers.get(1).get("result").asText()).isEqualTo("0x7a69");
            assertThat(answers.get(2).get("id").asInt()).isEqualTo(3);
            assertThat(answers.get(2).get("result").isArray()).isTrue();
            assertThat(answers.get(3).get("id").asInt()).isEqualTo(4);
            assertThat(answers.get(3).get("error").get("message").asText()).contains("exceeds max block range 10");

            // a batch with nothing refused goes to the node as it is
            JsonNode plain = post(proxy.url(), "[" + call(7, "eth_chainId", "[]") + "," + call(8, "eth_blockNumber", "[]") + "]");
            assertThat(plain.size()).isEqualTo(2);

            assertThat(proxy.requests()).isEqualTo(2);
            assertThat(proxy.counts()).isEqualTo(Map.of(LatencyProxy.BATCH, 2L, "eth_blockNumber", 2L, "eth_chainId", 2L,
                    "eth_getLogs", 2L));
            assertThat(proxy.refused()).isEqualTo(1);
            proxy.reset();
            assertThat(proxy.counts()).isEmpty();
            assertThat(proxy.requests()).isZero();
            assertThat(proxy.refused()).isZero();
        }
    }

    @Test
    void aRememberingProxyReplaysTheNodesResultsUnderTheCallersIdAndAsksTheNodeForWhatItHasNotSeen() throws Exception {
        try (LatencyProxy proxy = LatencyProxy.builder(anvil.rpcUrl()).latency(Duration.ZERO).maxBlockRange(10).remember()
                .start()) {
            long before = Long.decode(post(proxy.url(), call(1, "eth_blockNumber", "[]")).get("result").asText());
            JsonNode logs = post(proxy.url(), "[" + getLogs(2, 0, 5) + "," + call(3, "eth_chainId", "[]") + "]");
            anvil.mine(1); // the node moves on; a replayed answer does not
            proxy.replay(true);
            proxy.reset();

            JsonNode head = post(proxy.url(), call(41, "eth_blockNumber", "[]"));
            assertThat(head.get("id").asInt()).isEqualTo(41);
            assertThat(Long.decode(head.get("result").asText())).isEqualTo(before);
            JsonNode batch = post(proxy.url(), "[" + call(42, "eth_chainId", "[]") + "," + getLogs(43, 0, 5) + ","
                    + getLogs(44, 0, 20) + "," + call(45, "eth_getBlockByNumber", "[\"0x1\",false]") + "]");
            assertThat(batch.get(0).get("id").asInt()).isEqualTo(42);
            assertThat(batch.get(0).get("result")).isEqualTo(logs.get(1).get("result"));
            assertThat(batch.get(1).get("id").asInt()).isEqualTo(43);
            assertThat(batch.get(1).get("result")).isEqualTo(logs.get(0).get("result"));
            assertThat(batch.get(2).get("error").get("message").asText()).contains("exceeds max block range 10");
            assertThat(batch.get(3).get("id").asInt()).isEqualTo(45);
            assertThat(batch.get(3).get("result").get("number").asText()).isEqualTo("0x1");
            assertThat(proxy.replayed()).isEqualTo(3);
            assertThat(proxy.replayMisses()).isEqualTo(1); // the block: asked from the node, and kept
            assertThat(proxy.refused()).isEqualTo(1);

            proxy.reset();
            assertThat(post(proxy.url(), call(46, "eth_getBlockByNumber", "[\"0x1\",false]")).get("result").get("number")
                    .asText()).isEqualTo("0x1");
            assertThat(proxy.replayed()).isEqualTo(1);
            assertThat(proxy.replayMisses()).isZero();

            proxy.replay(false);
            assertThat(Long.decode(post(proxy.url(), call(47, "eth_blockNumber", "[]")).get("result").asText()))
                    .isEqualTo(before + 1);
        }
        try (LatencyProxy plain = proxy(10)) {
            assertThatThrownBy(() -> plain.replay(true)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("remember()");
        }
    }
}
