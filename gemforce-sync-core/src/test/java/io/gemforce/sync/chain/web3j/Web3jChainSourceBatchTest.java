package io.gemforce.sync.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.NotADiamondException;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.LoupeAnswer;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON-RPC batches against a scripted node: one round trip, per-call errors, refusals and fallback. */
class Web3jChainSourceBatchTest {
    private static final String KEY = "SECRETKEY0123456789abcdef";
    private static final Address DIAMOND = addr("d1");
    private static final Address REVERTS = addr("d2");
    private static final Address EMPTY = addr("d3");
    private static final Address PRUNED = addr("d4");
    private static final Address OWNERLESS = addr("d5");
    private static final Address FACET = addr("fa");
    private static final Address OWNER = addr("0e");
    private static final String[] SELECTORS = {"0x7a0ed627", "0x8da5cb5b", "0x1f931c1c"};

    private final MockWebServer server = new MockWebServer();
    private final FakeNode node = new FakeNode();

    private static Address addr(String tail) {
        return Address.of("0x" + "0".repeat(40 - tail.length()) + tail);
    }

    private static String word(long v) {
        return String.format("%064x", v);
    }

    /** The ABI encoding of {@code facets()} answering one facet with {@link #SELECTORS}. */
    static String facetsAnswer() {
        StringBuilder b = new StringBuilder("0x").append(word(0x20)).append(word(1)).append(word(0x20))
                .append("0".repeat(24)).append(FACET.hex().substring(2)).append(word(0x40)).append(word(SELECTORS.length));
        for (String s : SELECTORS) {
            b.append(s.substring(2)).append("0".repeat(56));
        }
        return b.toString();
    }

    private static ObjectNode block(long n) {
        ObjectNode b = FakeNode.JSON.createObjectNode().put("number", "0x" + Long.toHexString(n))
                .put("hash", "0xAB" + word(n).substring(4)).put("parentHash", "0x" + word(n - 1))
                .put("timestamp", "0x" + Long.toHexString(1_700_000_000L + n)).put("miner", "0x00");
        b.putArray("transactions");
        return b;
    }

    /** A node that knows the five diamonds above and blocks 0..10. */
    private static ObjectNode answer(JsonNode call) {
        JsonNode p = call.get("params");
        switch (call.get("method").asText()) {
            case "eth_call": {
                Address to = Address.of(p.get(0).get("to").asText());
                boolean facets = p.get(0).get("data").asText().equals(LoupeReads.FACETS);
                if (to.equals(DIAMOND)) {
                    return FakeNode.result(facets ? facetsAnswer() : "0x" + word(0).substring(40) + OWNER.hex().substring(2));
                }
                if (to.equals(OWNERLESS)) {
                    return facets ? FakeNode.result(facetsAnswer()) : FakeNode.error(3, "execution reverted");
                }
                if (to.equals(REVERTS)) {
                    return FakeNode.error(3, "execution reverted");
                }
                if (to.equals(PRUNED)) {
                    return FakeNode.error(-32000, "missing trie node 5c0ee75d (path )");
                }
                return FakeNode.result("0x");
            }
            case "eth_getCode":
                return FakeNode.result(Address.of(p.get(0).asText()).equals(EMPTY) ? "0x" : "0x6080");
            case "eth_getBlockByNumber": {
                long n = Long.decode(p.get(0).asText());
                return n <= 10 ? FakeNode.result(block(n)) : FakeNode.result(null);
            }
            case "eth_getTransactionByHash":
                return p.get(0).asText().endsWith("aa")
                        ? FakeNode.result(Map.of("hash", p.get(0).asText(), "input", "0xABCDEF"))
                        : FakeNode.result(null);
            default:
                return FakeNode.error(-32601, "method not found");
        }
    }

    /** The port's default batch methods over this source's single calls. */
    private static ChainSource defaults(Web3jChainSource s) {
        return new ChainSource() {
            @Override
            public long chainId() {
                return s.chainId();
            }

            @Override
            public BlockRef head() {
                return s.head();
            }

            @Override
            public Optional<BlockRef> block(long number) {
                return s.block(number);
            }

            @Override
            public List<RawLog> logs(LogQuery query) {
                return s.logs(query);
            }

            @Override
            public List<Facet> facets(Address diamond, long block) {
                return s.facets(diamond, block);
            }

            @Override
            public Optional<Address> owner(Address diamond, long block) {
                return s.owner(diamond, block);
            }

            @Override
            public boolean hasCode(Address address, long block) {
                return s.hasCode(address, block);
            }

            @Override
            public Optional<String> transactionInput(String transactionHash) {
                return s.transactionInput(transactionHash);
            }
        };
    }

    @BeforeEach
    void start() throws IOException {
        node.answers = Web3jChainSourceBatchTest::answer;
        server.setDispatcher(node);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private Web3jChainSource source() {
        return Web3jChainSource.builder().rpcUrl(server.url("/v2/" + KEY).toString()).maxAttempts(3)
                .timeout(Duration.ofSeconds(2)).backoff(Duration.ofMillis(1), Duration.ofMillis(4)).build();
    }

    @Test
    void loupeOfSeveralDiamondsTakesTwoRoundTripsAndClassifiesLikeSingleCalls() {
        Web3jChainSource s = source();
        List<Address> diamonds = List.of(DIAMOND, REVERTS, EMPTY, PRUNED, OWNERLESS);
        List<LoupeAnswer> batched = s.loupe(diamonds, 5);
        assertThat(s.requestCounts()).isEqualTo(Map.of("batch(eth_call)", 1L, "batch(eth_getCode)", 1L));
        assertThat(node.batchRequests()).hasSize(2);
        assertThat(node.batchRequests().get(0)).hasSize(10);
        assertThat(node.batchRequests().get(1)).as("code only where facets() said nothing").hasSize(2);

        List<Facet> facets = List.of(new Facet(FACET, List.of(Selector.of(SELECTORS[0]), Selector.of(SELECTORS[1]),
                Selector.of(SELECTORS[2]))));
        assertThat(batched.get(0)).isEqualTo(LoupeAnswer.of(DIAMOND, 5, facets, Optional.of(OWNER)));
        assertThat(batched.get(4)).isEqualTo(LoupeAnswer.of(OWNERLESS, 5, facets, Optional.empty()));
        assertThat(batched.get(1).failure()).isInstanceOf(NotADiamondException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.NOT_A_DIAMOND));
        assertThat(batched.get(2).failure()).isInstanceOf(NotADiamondException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.NO_CODE));
        assertThat(batched.get(3).failure()).isInstanceOf(ChainException.StateUnavailable.class)
                .hasMessageContaining("not an archive node").hasMessageNotContaining(KEY);

        // the same answers one call at a time
        for (LoupeAnswer a : batched) {
            if (a.ok()) {
                assertThat(s.facets(a.diamond(), 5)).isEqualTo(a.facets());
                assertThat(s.owner(a.diamond(), 5)).isEqualTo(a.owner());
            } else {
                assertThatThrownBy(() -> s.facets(a.diamond(), 5)).isInstanceOf(a.failure().getClass())
                        .hasMessage(a.failure().getMessage());
            }
        }
        // and the port's default (one diamond at a time) agrees
        assertThat(defaults(s).loupe(diamonds, 5)).usingRecursiveFieldByFieldElementComparatorIgnoringFields(
                "failure").isEqualTo(batched);
    }

    @Test
    void aNodeErrorOnOneCallThatIsNotADiamondsOwnFailsTheLoupeAndHidesTheKey() {
        node.answers = call -> call.get("method").asText().equals("eth_call")
                && call.at("/params/0/to").asText().equals(REVERTS.hex())
                ? FakeNode.error(-32603, "internal error at " + server.url("/v2/" + KEY)) : answer(call);
        assertThatThrownBy(() -> source().loupe(List.of(DIAMOND, REVERTS), 5)).isInstanceOf(ChainException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.CHAIN_ERROR))
                .hasMessageContaining("internal error").hasMessageNotContaining(KEY);
    }

    @Test
    void blocksEqualBlockInOneRoundTrip() {
        Web3jChainSource s = source();
        List<Long> numbers = List.of(3L, 1L, 10L, 11L, 0L);
        List<Optional<BlockRef>> batched = s.blocks(numbers);
        assertThat(s.requestCounts()).isEqualTo(Map.of("batch(eth_getBlockByNumber)", 1L));
        List<Optional<BlockRef>> single = numbers.stream().map(s::block).toList();
        assertThat(batched).isEqualTo(single);
        assertThat(batched.get(3)).isEmpty();
        assertThat(batched.get(0).orElseThrow().hash()).startsWith("0xab");
    }

    @Test
    void largeListsAreSplitIntoBoundedBatches() {
        Web3jChainSource s = Web3jChainSource.builder().rpcUrl(server.url("/").toString()).maxBatchCalls(3).build();
        List<Long> numbers = LongStream.rangeClosed(0, 6).boxed().toList();
        assertThat(s.blocks(numbers)).isEqualTo(numbers.stream().map(s::block).toList());
        assertThat(node.batchRequests()).extracting(JsonNode::size).containsExactly(3, 3);
        assertThat(s.requestCounts()).containsEntry("batch(eth_getBlockByNumber)", 2L)
                .containsEntry("eth_getBlockByNumber", 1L + 7L);
    }

    @Test
    void batchesOfOneCallGoSideBySide() throws Exception {
        Web3jChainSource s = Web3jChainSource.builder().rpcUrl(server.url("/").toString()).maxBatchCalls(3).build();
        java.util.concurrent.CountDownLatch bothArrived = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.atomic.AtomicBoolean oneByOne = new java.util.concurrent.atomic.AtomicBoolean();
        node.batchRule = (batch, n) -> {
            bothArrived.countDown();
            try {
                // sent one after another, the second batch never arrives while the first waits here
                if (!bothArrived.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    oneByOne.set(true);
                    return Optional.of(new MockResponse().setResponseCode(500).setBody("batches came one by one"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        };
        List<Long> numbers = LongStream.rangeClosed(0, 5).boxed().toList();
        List<Optional<BlockRef>> got = s.blocks(numbers);
        node.batchRule = (b, n) -> Optional.empty();
        assertThat(oneByOne).isFalse();
        assertThat(got).isEqualTo(numbers.stream().map(s::block).toList());
        assertThat(s.requestCounts()).containsEntry("batch(eth_getBlockByNumber)", 2L);
    }

    @Test
    void aFailedBatchAmongSeveralFailsTheCallAfterTheOthersEnded() {
        Web3jChainSource s = Web3jChainSource.builder().rpcUrl(server.url("/").toString()).maxBatchCalls(3)
                .timeout(Duration.ofSeconds(2)).build();
        AtomicInteger batches = new AtomicInteger();
        node.batchRule = (batch, n) -> {
            batches.incrementAndGet();
            return batch.get(0).path("params").path(0).asText().equals("0x3")
                    ? Optional.of(new MockResponse().setResponseCode(503).setBody("unavailable"))
                    : Optional.empty();
        };
        node.singleRule = (call, n) -> call.path("params").path(0).asText().matches("0x[345]")
                ? Optional.of(new MockResponse().setResponseCode(503).setBody("unavailable")) : Optional.empty();
        assertThatThrownBy(() -> s.blocks(LongStream.rangeClosed(0, 5).boxed().toList()))
                .isInstanceOf(SyncException.class);
        assertThat(batches.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void transactionInputsInOneRoundTrip() {
        Web3jChainSource s = source();
        String known = "0x" + "1".repeat(62) + "aa";
        String unknown = "0x" + "1".repeat(62) + "bb";
        assertThat(s.transactionInputs(List.of(known, unknown))).containsExactly(Optional.of("0xabcdef"), Optional.empty());
        assertThat(s.requestCounts()).isEqualTo(Map.of("batch(eth_getTransactionByHash)", 1L));
        assertThat(s.transactionInput(known)).contains("0xabcdef");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http400", "http405html", "singleErrorObject", "wrongLength", "unknownIds", "batchMessage",
        "notJson"})
    void aRefusalIsDetectedOnceAndSingleCallsFollow(String how) {
        node.batchRule = (batch, n) -> Optional.of(switch (how) {
            case "http400" -> new MockResponse().setResponseCode(400).setBody("batch requests are not supported");
            case "http405html" -> new MockResponse().setResponseCode(405).setBody("<html>Method Not Allowed</html>");
            case "singleErrorObject" -> FakeNode.json("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
                    + "\"message\":\"Invalid request\"}}");
            case "wrongLength" -> FakeNode.json("[" + answerJson(batch.get(0), 0) + "]");
            case "unknownIds" -> {
                List<String> out = new ArrayList<>();
                batch.forEach(c -> out.add(answerJson(c, 100)));
                yield FakeNode.json("[" + String.join(",", out) + "]");
            }
            case "batchMessage" -> {
                List<String> out = new ArrayList<>();
                batch.forEach(c -> out.add("{\"jsonrpc\":\"2.0\",\"id\":" + c.get("id") + ",\"error\":{\"code\":-32600,"
                        + "\"message\":\"Batch requests are not available on the free tier\"}}"));
                yield FakeNode.json("[" + String.join(",", out) + "]");
            }
            default -> FakeNode.json("this is not json");
        });
        Web3jChainSource s = source();
        List<Long> numbers = List.of(1L, 2L, 3L);
        List<Optional<BlockRef>> expected = numbers.stream().map(s::block).toList();
        s.resetCallCounts();
        assertThat(s.blocks(numbers)).isEqualTo(expected);
        assertThat(s.batchesRefused()).isTrue();
        assertThat(s.blocks(List.of(4L, 5L))).isEqualTo(List.of(s.block(4), s.block(5)));
        assertThat(node.batchRequests()).as("the second list went singly").hasSize(1);
        assertThat(s.requestCounts()).containsEntry("batch(eth_getBlockByNumber)", 1L)
                .containsEntry("eth_getBlockByNumber", 3L + 4L);
        assertThat(s.loupe(List.of(DIAMOND, EMPTY), 5)).extracting(LoupeAnswer::ok).containsExactly(true, false);
        assertThat(node.batchRequests()).hasSize(1);
    }

    private static String answerJson(JsonNode call, int idShift) {
        ObjectNode a = answer(call).put("jsonrpc", "2.0").put("id", call.get("id").asInt() + idShift);
        return a.toString();
    }

    @Test
    void serverErrorsOnBatchesMustBeSeenTwiceBeforeBatchesAreGivenUp() {
        node.batchRule = (batch, n) -> Optional.of(new MockResponse().setResponseCode(500));
        Web3jChainSource s = source();
        assertThat(s.blocks(List.of(1L, 2L))).isEqualTo(List.of(s.block(1), s.block(2)));
        assertThat(s.batchesRefused()).isFalse();
        assertThat(s.blocks(List.of(3L, 4L))).isEqualTo(List.of(s.block(3), s.block(4)));
        assertThat(s.batchesRefused()).isTrue();
        s.blocks(List.of(5L, 6L));
        assertThat(node.batchRequests()).hasSize(2);
    }

    @Test
    void aNodeThatIsDownIsUnavailableNotARefusalAndTheKeyIsHidden() {
        node.batchRule = (batch, n) -> Optional.of(new MockResponse().setResponseCode(503));
        node.singleRule = (call, n) -> Optional.of(new MockResponse().setResponseCode(503));
        Web3jChainSource s = source();
        assertThatThrownBy(() -> s.loupe(List.of(DIAMOND, OWNERLESS), 5)).isInstanceOf(ChainException.Unavailable.class)
                .hasMessageContaining("batch(eth_call)").hasMessageNotContaining(KEY);
        assertThat(s.batchesRefused()).isFalse();
        assertThat(node.batchRequests()).as("retried").hasSize(3);
    }

    @Test
    void aBatchFallsBackToTheNextUrl() throws IOException {
        try (MockWebServer down = new MockWebServer()) {
            down.enqueue(new MockResponse().setResponseCode(502));
            down.enqueue(new MockResponse().setResponseCode(502));
            Web3jChainSource s = Web3jChainSource.builder().rpcUrl(down.url("/").toString()).rpcUrl(server.url("/").toString())
                    .maxAttempts(1).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
            assertThat(s.loupe(List.of(DIAMOND, OWNERLESS), 5)).allMatch(LoupeAnswer::ok);
            assertThat(s.batchesRefused()).isFalse();
        }
    }

    @Test
    void rateLimitedCallsInsideABatchAreSentAgainAlone() {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        node.answers = call -> {
            String n = call.at("/params/0").asText();
            boolean limited = (n.equals("0x2") || n.equals("0x3"))
                    && seen.computeIfAbsent(n, k -> new AtomicInteger()).getAndIncrement() == 0;
            return limited ? FakeNode.error(-32005, "rate limit exceeded") : answer(call);
        };
        Web3jChainSource s = source();
        List<Optional<BlockRef>> got = s.blocks(List.of(1L, 2L, 3L, 4L));
        assertThat(got).allMatch(Optional::isPresent);
        assertThat(node.batchRequests()).extracting(JsonNode::size).containsExactly(4, 2);
        assertThat(s.batchesRefused()).isFalse();
    }

    @Test
    void aWholeBatchRateLimitedIsRetriedNotRefused() {
        node.batchRule = (batch, n) -> n == 1 ? Optional.of(new MockResponse().setResponseCode(429))
                : n == 2 ? Optional.of(FakeNode.json("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32005,"
                        + "\"message\":\"rate limit exceeded\"}}")) : Optional.empty();
        Web3jChainSource s = source();
        assertThat(s.blocks(List.of(1L, 2L))).allMatch(Optional::isPresent);
        assertThat(s.batchesRefused()).isFalse();
        assertThat(node.batchRequests()).hasSize(3);
        assertThat(node.singleRequests()).isEmpty();
    }

    @Test
    void oneArchiveStateErrorForAWholeBatchAnswersEachCall() {
        String infura = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32002,"
                + "\"message\":\"project ID does not have access to archive state\"}}";
        node.batchRule = (batch, n) -> Optional.of(new MockResponse().setResponseCode(403).setBody(infura));
        node.singleRule = (call, n) -> Optional.of(new MockResponse().setResponseCode(403).setBody(infura));
        Web3jChainSource s = source();
        assertThat(s.loupe(List.of(DIAMOND, OWNERLESS), 5)).allSatisfy(a -> assertThat(a.failure())
                .isInstanceOf(ChainException.StateUnavailable.class));
        assertThat(s.batchesRefused()).isFalse();
        assertThatThrownBy(() -> s.hasCode(DIAMOND, 5)).isInstanceOf(ChainException.StateUnavailable.class)
                .hasMessageContaining("archive");
    }

    @Test
    void prunedStateOfASingleCallIsStateUnavailable() {
        node.answers = call -> FakeNode.error(-32602, "BlockOutOfRangeError: block height is 64 but requested was 2");
        Web3jChainSource s = source();
        assertThatThrownBy(() -> s.facets(DIAMOND, 2)).isInstanceOf(ChainException.StateUnavailable.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.STATE_UNAVAILABLE))
                .hasMessageContaining("block 2").hasMessageContaining("creation block").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> s.hasCode(DIAMOND, 2)).isInstanceOf(ChainException.StateUnavailable.class);
        assertThatThrownBy(() -> s.owner(DIAMOND, 2)).isInstanceOf(ChainException.StateUnavailable.class);
        node.answers = call -> FakeNode.error(-32602, "BlockOutOfRangeError: block height is 64 but requested was 99");
        assertThatThrownBy(() -> s.hasCode(DIAMOND, 99)).as("a future block is not pruned state")
                .isInstanceOf(ChainException.class).isNotInstanceOf(ChainException.StateUnavailable.class);
    }

    @Test
    void headerNotFoundWellBelowTheHeadIsPrunedState() {
        node.answers = call -> call.get("method").asText().equals("eth_getBlockByNumber") ? FakeNode.result(block(10_000))
                : FakeNode.error(-32000, "header not found");
        Web3jChainSource s = source();
        assertThatThrownBy(() -> s.hasCode(DIAMOND, 5)).as("no head seen yet").isNotInstanceOf(
                ChainException.StateUnavailable.class);
        s.head();
        assertThatThrownBy(() -> s.hasCode(DIAMOND, 5)).isInstanceOf(ChainException.StateUnavailable.class);
        assertThatThrownBy(() -> s.hasCode(DIAMOND, 9_990)).isNotInstanceOf(ChainException.StateUnavailable.class);
    }
}
