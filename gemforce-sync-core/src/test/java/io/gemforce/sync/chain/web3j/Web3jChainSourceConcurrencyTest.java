package io.gemforce.sync.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several threads on one source: requests really run in parallel, the rate limit and counters hold. */
class Web3jChainSourceConcurrencyTest {
    private static final Address A = Address.of("0x00000000000000000000000000000000000000d1");
    private final MockWebServer server = new MockWebServer();
    private final FakeNode node = new FakeNode();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @BeforeEach
    void start() throws IOException {
        node.answers = call -> switch (call.get("method").asText()) {
            case "eth_getLogs" -> {
                long from = Long.decode(call.at("/params/0/fromBlock").asText());
                ObjectNode log = FakeNode.JSON.createObjectNode().put("address", A.hex().toUpperCase().replace("0X", "0x"))
                        .put("data", "0x").put("blockNumber", "0x" + Long.toHexString(from))
                        .put("blockHash", "0x" + "B".repeat(64)).put("transactionHash", "0x" + "c".repeat(64))
                        .put("logIndex", "0x0");
                log.putArray("topics").add("0x" + "D".repeat(64));
                yield FakeNode.result(List.of(log, log.deepCopy().put("logIndex", "0x1").put("removed", true)));
            }
            case "eth_getBlockByNumber" -> FakeNode.result(Map.of("number", "0x10", "hash", "0x" + "a".repeat(64),
                    "parentHash", "0x" + "b".repeat(64), "timestamp", "0x5"));
            default -> FakeNode.error(-32601, "method not found");
        };
        server.setDispatcher(node);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        pool.shutdownNow();
        server.shutdown();
    }

    private <T> List<T> inParallel(int n, Callable<T> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(task));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void eightLogQueriesAreInFlightAtOnce() throws Exception {
        FakeNode slow = node;
        server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest r) throws InterruptedException {
                Thread.sleep(300);
                return slow.dispatch(r);
            }
        });
        Web3jChainSource s = Web3jChainSource.builder().rpcUrl(server.url("/").toString()).build();
        long t0 = System.nanoTime();
        List<List<RawLog>> results = inParallel(8, () -> s.logs(new LogQuery(7, 9, List.of(A), List.of())));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("8 x 300 ms one after the other would take 2.4 s").isLessThan(1_500);
        assertThat(results).allSatisfy(logs -> assertThat(logs).singleElement().satisfies(l -> {
            assertThat(l.address()).isEqualTo(A);
            assertThat(l.blockNumber()).isEqualTo(7);
            assertThat(l.blockHash()).isEqualTo("0x" + "b".repeat(64));
            assertThat(l.topics()).containsExactly("0x" + "d".repeat(64));
        }));
        assertThat(s.callCounts()).isEqualTo(Map.of("eth_getLogs", 8L));
        assertThat(s.threadSafe()).isTrue();
    }

    @Test
    void theRateLimitSpacesAllThreadsTogether() throws Exception {
        Web3jChainSource s = Web3jChainSource.builder().rpcUrl(server.url("/").toString()).requestsPerSecond(40).build();
        long t0 = System.nanoTime();
        inParallel(4, () -> {
            for (int i = 0; i < 5; i++) {
                s.head();
            }
            return null;
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("20 requests at 40/s are 19 gaps of 25 ms").isGreaterThanOrEqualTo(450);
        assertThat(s.callCounts()).isEqualTo(Map.of("eth_getBlockByNumber", 20L));
    }

    @Test
    void concurrentFailuresMoveToTheNextUrlOnce() throws Exception {
        try (MockWebServer down = new MockWebServer()) {
            down.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
                @Override
                public MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest r) {
                    return new MockResponse().setResponseCode(503);
                }
            });
            Web3jChainSource s = Web3jChainSource.builder().rpcUrl(down.url("/").toString()).rpcUrl(server.url("/").toString())
                    .maxAttempts(1).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
            List<Optional<BlockRef>> got = inParallel(8, () -> Optional.of(s.head()));
            assertThat(got).allMatch(Optional::isPresent);
            int failed = down.getRequestCount();
            assertThat(failed).isBetween(1, 8);
            s.head();
            assertThat(down.getRequestCount()).as("the source stays on the second URL").isEqualTo(failed);
        }
    }
}
