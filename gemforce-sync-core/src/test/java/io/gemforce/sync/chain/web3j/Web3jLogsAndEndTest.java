package io.gemforce.sync.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RangeLogs;
import io.gemforce.sync.diamond.Address;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A range's logs and its last block's header in one round trip, and the fallbacks. */
class Web3jLogsAndEndTest {
    private static final String KEY = "SECRETKEY0123456789abcdef";
    private static final Address A = Address.of("0x00000000000000000000000000000000000000a1");
    private final MockWebServer server = new MockWebServer();
    private final FakeNode node = new FakeNode();

    /** The block that holds more logs than {@link LogsParser#MAX_LOGS_PER_ANSWER}. */
    private static final long DENSE = 300;

    private static ObjectNode log(long block, long index) {
        ObjectNode l = FakeNode.JSON.createObjectNode().put("address", A.hex())
                .put("data", "0x").put("blockNumber", "0x" + Long.toHexString(block))
                .put("blockHash", "0x" + "b".repeat(63) + block % 10).put("transactionHash", "0x" + "c".repeat(64))
                .put("logIndex", "0x" + Long.toHexString(index)).put("removed", false);
        l.putArray("topics").add("0x" + "1".repeat(64));
        return l;
    }

    private static ObjectNode answer(JsonNode call) {
        JsonNode p = call.get("params");
        switch (call.get("method").asText()) {
            case "eth_getLogs": {
                long from = Long.decode(p.get(0).get("fromBlock").asText());
                long to = Long.decode(p.get(0).get("toBlock").asText());
                if (to - from + 1 > 100) {
                    return FakeNode.error(-32005, "query exceeds max block range 100");
                }
                ArrayNode logs = FakeNode.JSON.createArrayNode();
                for (long b = from; b <= to; b += 7) {
                    logs.add(log(b, 0));
                }
                if (from <= DENSE && DENSE <= to) { // one block with more logs than the client keeps per answer
                    for (int i = 1; i <= LogsParser.MAX_LOGS_PER_ANSWER; i++) {
                        logs.add(log(DENSE, i));
                    }
                }
                ObjectNode o = FakeNode.JSON.createObjectNode();
                o.set("result", logs);
                return o;
            }
            case "eth_getBlockByNumber": {
                long n = Long.decode(p.get(0).asText());
                if (n > 500) {
                    return FakeNode.result(null);
                }
                return FakeNode.result(Map.of("number", "0x" + Long.toHexString(n), "hash",
                        "0x" + String.format("%064x", n + 1000), "parentHash", "0x" + String.format("%064x", n + 999),
                        "timestamp", "0x10"));
            }
            default:
                return FakeNode.error(-32601, "method not found");
        }
    }

    @BeforeEach
    void start() throws IOException {
        node.answers = Web3jLogsAndEndTest::answer;
        server.setDispatcher(node);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private Web3jChainSource source() {
        return Web3jChainSource.builder().rpcUrl(server.url("/v2/" + KEY).toString()).maxAttempts(2)
                .timeout(Duration.ofSeconds(2)).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
    }

    @Test
    void logsAndTheEndHeaderInOneRoundTripEqualTheTwoSingleCalls() {
        Web3jChainSource s = source();
        LogQuery q = new LogQuery(10, 60, List.of(A), List.of("0x" + "1".repeat(64)));
        RangeLogs both = s.logsAndEnd(q);
        assertThat(s.requestCounts()).isEqualTo(Map.of(LogsWithHeader.KEY, 1L));
        assertThat(node.batchRequests()).hasSize(1);
        assertThat(both.logs()).isEqualTo(s.logs(q));
        assertThat(both.end()).isEqualTo(s.block(60));
        assertThat(both.end().orElseThrow().hash()).endsWith(Long.toHexString(1060));
        assertThat(s.logsAndEnd(new LogQuery(490, 520, List.of(A), List.of())).end()).isEmpty();
    }

    @Test
    void aRefusedRangeIsTypedWithItsHint() {
        assertThatThrownBy(() -> source().logsAndEnd(new LogQuery(0, 499, List.of(A), List.of())))
                .isInstanceOf(ChainException.RangeTooLarge.class)
                .satisfies(e -> assertThat(((ChainException.RangeTooLarge) e).suggestedToBlock()).isEqualTo(99))
                .hasMessageNotContaining(KEY);
    }

    @Test
    void anAnswerOverTheClientsCapIsARangeTooLargeUnlessItIsOneBlock() {
        // the fake node builds answers of 100,000 logs: slow to make, hence the long timeout
        Web3jChainSource s = Web3jChainSource.builder().rpcUrl(server.url("/").toString()).timeout(Duration.ofSeconds(120))
                .build();
        LogQuery several = new LogQuery(DENSE - 1, DENSE + 1, List.of(A), List.of());
        LogQuery one = new LogQuery(DENSE, DENSE, List.of(A), List.of());
        assertThatThrownBy(() -> s.logs(several)).isInstanceOf(ChainException.RangeTooLarge.class)
                .satisfies(e -> assertThat(((ChainException.RangeTooLarge) e).suggestedToBlock()).isEqualTo(-1));
        assertThatThrownBy(() -> s.logsAndEnd(several)).isInstanceOf(ChainException.RangeTooLarge.class);
        assertThat(s.logs(one)).hasSize(LogsParser.MAX_LOGS_PER_ANSWER + 1);
        assertThat(s.logsAndEnd(one).logs()).hasSize(LogsParser.MAX_LOGS_PER_ANSWER + 1);
        io.gemforce.sync.chain.LogsRound r = s.logsRound(new LogQuery(10, 20, List.of(A), List.of()), List.of(several, one));
        assertThat(r.main().logs()).hasSize(2);
        assertThat(r.extra().get(0)).isNull(); // refused for its size: the caller reads it in smaller pieces
        assertThat(r.extra().get(1)).hasSize(LogsParser.MAX_LOGS_PER_ANSWER + 1);
    }

    @Test
    void aNodeThatRefusesBatchesGetsSingleCallsFromThenOn() {
        node.batchRule = (b, n) -> Optional.of(FakeNode.json(
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"batch requests are not supported\"}}"));
        Web3jChainSource s = source();
        LogQuery q = new LogQuery(10, 60, List.of(A), List.of());
        RangeLogs first = s.logsAndEnd(q);
        RangeLogs second = s.logsAndEnd(q);
        assertThat(first).isEqualTo(second);
        assertThat(first.end()).isEqualTo(s.block(60));
        assertThat(s.batchesRefused()).isTrue();
        assertThat(node.batchRequests()).as("tried once").hasSize(1);
        assertThat(s.requestCounts()).containsEntry(LogsWithHeader.KEY, 1L).containsEntry("eth_getLogs", 2L);
    }

    @Test
    void aBatchAnsweredWithHttp400FallsBackToSingleCalls() {
        node.batchRule = (b, n) -> Optional.of(new MockResponse().setResponseCode(400).setBody("no batches here"));
        Web3jChainSource s = source();
        RangeLogs r = s.logsAndEnd(new LogQuery(10, 20, List.of(A), List.of()));
        assertThat(r.logs()).hasSize(2);
        assertThat(r.end()).isPresent();
        assertThat(s.batchesRefused()).isTrue();
    }

    @Test
    void aRoundCarriesTheRangeItsHeaderAndTheRidingQueriesInOneRequest() {
        Web3jChainSource s = source();
        LogQuery main = new LogQuery(10, 60, List.of(A), List.of());
        LogQuery rider = new LogQuery(20, 30, List.of(A), List.of());
        LogQuery refusedRider = new LogQuery(0, 300, List.of(A), List.of());
        io.gemforce.sync.chain.LogsRound r = s.logsRound(main, List.of(rider, refusedRider));
        assertThat(s.requestCounts()).isEqualTo(Map.of(LogsWithHeader.KEY, 1L));
        assertThat(s.callCounts()).isEqualTo(Map.of("eth_getLogs", 3L, "eth_getBlockByNumber", 1L));
        assertThat(r.main()).isEqualTo(s.logsAndEnd(main));
        assertThat(r.refused()).isNull();
        assertThat(r.extra().get(0)).isEqualTo(s.logs(rider));
        assertThat(r.extra().get(1)).as("a refused rider is read again by the caller").isNull();

        io.gemforce.sync.chain.LogsRound refused = s.logsRound(new LogQuery(0, 499, List.of(A), List.of()), List.of(rider));
        assertThat(refused.main()).isNull();
        assertThat(refused.refused().suggestedToBlock()).isEqualTo(99);
        assertThat(refused.extra().get(0)).isEqualTo(s.logs(rider));

        io.gemforce.sync.chain.LogsRound ridersOnly = s.logsRound(null, List.of(rider, rider));
        assertThat(ridersOnly.main()).isNull();
        assertThat(ridersOnly.extra()).containsExactly(s.logs(rider), s.logs(rider));
    }

    @Test
    void aRoundCarriesFurtherHeadersInTheSameRequestAndLeavesOutBlocksTheNodeDoesNotHave() {
        Web3jChainSource s = source();
        LogQuery main = new LogQuery(10, 60, List.of(A), List.of());
        io.gemforce.sync.chain.LogsRound r = s.logsRound(main, List.of(), List.of(58L, 59L, 600L));
        assertThat(s.requestCounts()).isEqualTo(Map.of(LogsWithHeader.KEY, 1L));
        assertThat(s.callCounts()).isEqualTo(Map.of("eth_getLogs", 1L, "eth_getBlockByNumber", 4L));
        assertThat(r.main()).isEqualTo(s.logsAndEnd(main));
        assertThat(r.headers()).containsOnlyKeys(58L, 59L); // block 600 is past this node's head
        assertThat(r.headers().get(59L)).isEqualTo(s.block(59).orElseThrow());

        io.gemforce.sync.chain.LogsRound refused = s.logsRound(new LogQuery(0, 499, List.of(A), List.of()), List.of(),
                List.of(58L));
        assertThat(refused.refused()).isNotNull();
        assertThat(refused.headers()).as("no headers for a refused range").isEmpty();
    }

    @Test
    void furtherHeadersPastTheBatchSizeAreLeftOut() {
        Web3jChainSource s = Web3jChainSource.builder().rpcUrl(server.url("/v2/" + KEY).toString()).maxAttempts(2)
                .timeout(Duration.ofSeconds(2)).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).maxBatchCalls(3).build();
        LogQuery main = new LogQuery(10, 60, List.of(A), List.of());
        io.gemforce.sync.chain.LogsRound r = s.logsRound(main, List.of(), List.of(58L, 59L, 57L));
        assertThat(s.requestCounts()).isEqualTo(Map.of(LogsWithHeader.KEY, 1L));
        assertThat(s.callCounts()).isEqualTo(Map.of("eth_getLogs", 1L, "eth_getBlockByNumber", 2L));
        assertThat(r.headers()).containsOnlyKeys(58L);
        assertThat(s.batchesRefused()).isFalse();
    }

    @Test
    void furtherHeadersOfARoundToANodeThatRefusesBatchesAreReadAfterTheLogs() {
        node.batchRule = (b, n) -> Optional.of(new MockResponse().setResponseCode(400).setBody("no batches here"));
        Web3jChainSource s = source();
        LogQuery main = new LogQuery(10, 60, List.of(A), List.of());
        io.gemforce.sync.chain.LogsRound r = s.logsRound(main, List.of(), List.of(58L, 600L));
        assertThat(s.batchesRefused()).isTrue();
        assertThat(r.main()).isEqualTo(s.logsAndEnd(main));
        assertThat(r.headers()).containsOnlyKeys(58L);
        assertThat(r.headers().get(58L)).isEqualTo(s.block(58).orElseThrow());
    }

    @Test
    void aRoundToANodeThatRefusesBatchesFallsBackToSingleCalls() {
        node.batchRule = (b, n) -> Optional.of(new MockResponse().setResponseCode(400).setBody("no batches here"));
        Web3jChainSource s = source();
        LogQuery main = new LogQuery(10, 60, List.of(A), List.of());
        LogQuery rider = new LogQuery(20, 30, List.of(A), List.of());
        io.gemforce.sync.chain.LogsRound r = s.logsRound(main, List.of(rider));
        assertThat(s.batchesRefused()).isTrue();
        assertThat(r.main()).isEqualTo(s.logsAndEnd(main));
        assertThat(r.extra().get(0)).isEqualTo(s.logs(rider));
    }
}
