package io.gemforce.sync.examples.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncError;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.examples.cli.GemforceSyncCli;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.AnvilExtension;
import io.gemforce.sync.testbed.GemforceContracts;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The bad-input catalogue, against a real Anvil node and a real SQLite store: every case gets a
 * clear typed error (or, for hostile logs, is skipped and reported) and nothing is written.
 */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCatalogueIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Anvil anvil;
    private GemforceContracts g;
    private Address diamond;
    private Address plain;
    private Networks networks;
    @TempDir
    Path dir;
    private int dbs;

    BadInputCatalogueIT(Anvil anvil) {
        this.anvil = anvil;
    }

    @BeforeAll
    void chain() {
        anvil.reset();
        g = new GemforceContracts(anvil).deployAll();
        diamond = g.createDiamond(Anvil.DEPLOYER, "BAD", "Bad inputs");
        plain = g.deploy("NotADiamond");
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
        networks = Networks.defaults().toBuilder().add(local).build();
    }

    private JdbcStateSink freshStore() {
        return JdbcStateSink.sqlite(dir.resolve("store" + (++dbs) + ".sqlite"));
    }

    interface Call {
        void run(DiamondSyncer s);
    }

    Stream<Arguments> apiCases() {
        String d = diamond.hex();
        String cs = diamond.checksummed();
        String wrongChecksum = cs.substring(0, 41) + (Character.isUpperCase(cs.charAt(41))
                ? Character.toLowerCase(cs.charAt(41)) : Character.toUpperCase(cs.charAt(41)));
        if (wrongChecksum.substring(2).equals(wrongChecksum.substring(2).toLowerCase())) {
            wrongChecksum = "0x" + cs.substring(2, 40) + "Zz";
        }
        String wc = wrongChecksum;
        return Stream.of(
                Arguments.of("address too short", ErrorCode.INVALID_ADDRESS, (Call) s -> s.syncDiamond("0x1234", "localhost", null)),
                Arguments.of("address too long", ErrorCode.INVALID_ADDRESS, (Call) s -> s.syncDiamond(d + "00", "localhost", null)),
                Arguments.of("address without 0x", ErrorCode.INVALID_ADDRESS, (Call) s -> s.syncDiamond(d.substring(2), "localhost", null)),
                Arguments.of("address with non-hex digits", ErrorCode.INVALID_ADDRESS, (Call) s -> s.syncDiamond("0x" + "zz".repeat(20), "localhost", null)),
                Arguments.of("address with a wrong EIP-55 checksum", ErrorCode.INVALID_ADDRESS, (Call) s -> s.syncDiamond(wc, "localhost", null)),
                Arguments.of("empty address", ErrorCode.INVALID_ADDRESS, (Call) s -> s.syncDiamond("", "localhost", null)),
                Arguments.of("null address", ErrorCode.INVALID_ADDRESS, (Call) s -> s.syncEvents(null, "localhost", null, null)),
                Arguments.of("address with spaces", ErrorCode.INVALID_ADDRESS, (Call) s -> s.syncDiamond(" " + d + " ", "localhost", null)),
                Arguments.of("unknown network", ErrorCode.UNKNOWN_NETWORK, (Call) s -> s.syncAll("polygon-zkevm", null, null, false)),
                Arguments.of("empty network", ErrorCode.UNKNOWN_NETWORK, (Call) s -> s.syncAll("", null, null, false)),
                Arguments.of("network with junk", ErrorCode.UNKNOWN_NETWORK, (Call) s -> s.syncDiamond(d, "base sepolia!!", null)),
                Arguments.of("unknown chain id", ErrorCode.UNKNOWN_NETWORK, (Call) s -> s.syncAll("424242", null, null, false)),
                Arguments.of("negative fromBlock", ErrorCode.INVALID_BLOCK_RANGE, (Call) s -> s.syncAll("localhost", -1L, null, false)),
                Arguments.of("negative toBlock", ErrorCode.INVALID_BLOCK_RANGE, (Call) s -> s.syncAll("localhost", null, -1L, false)),
                Arguments.of("fromBlock > toBlock", ErrorCode.INVALID_BLOCK_RANGE, (Call) s -> s.syncAll("localhost", 9L, 3L, false)),
                Arguments.of("toBlock above the head", ErrorCode.INVALID_BLOCK_RANGE, (Call) s -> s.syncAll("localhost", null, 9_999_999L, false)),
                Arguments.of("huge fromBlock", ErrorCode.INVALID_BLOCK_RANGE, (Call) s -> s.syncDiamond(d, "localhost", Long.MAX_VALUE)),
                Arguments.of("unknown eventType", ErrorCode.INVALID_EVENT_TYPE, (Call) s -> s.syncEvents(d, "localhost", "Transfer", null)),
                Arguments.of("empty eventType", ErrorCode.INVALID_EVENT_TYPE, (Call) s -> s.syncEvents(d, "localhost", "", null)),
                Arguments.of("a contract that is not a diamond", ErrorCode.NOT_A_DIAMOND, (Call) s -> s.syncDiamond(plain.hex(), "localhost", null)),
                Arguments.of("a facet, not a diamond", ErrorCode.NOT_A_DIAMOND, (Call) s -> s.syncEvents(g.facetA.hex(), "localhost", null, null)),
                Arguments.of("an externally owned account", ErrorCode.NO_CODE, (Call) s -> s.syncDiamond(Anvil.DEPLOYER, "localhost", null)),
                Arguments.of("a precompile", ErrorCode.NO_CODE, (Call) s -> s.syncDiamond("0x0000000000000000000000000000000000000001", "localhost", null)),
                Arguments.of("the zero address", ErrorCode.NO_CODE, (Call) s -> s.syncDiamond(Address.ZERO.hex(), "localhost", null)),
                Arguments.of("an RPC node of another chain", ErrorCode.CHAIN_ID_MISMATCH, (Call) s -> s.syncAll("base-sepolia", null, null, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiCases")
    void aTypedErrorAndNothingWritten(String name, ErrorCode code, Call call) {
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build();
                JdbcStateSink store = freshStore()) {
            DiamondSyncer s = DiamondSyncer.builder().chainSource(chain).sink(store).networks(networks).build();
            assertThatThrownBy(() -> call.run(s)).isInstanceOf(SyncException.class)
                    .satisfies(e -> assertThat(((SyncException) e).code()).as(name).isEqualTo(code))
                    .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
            assertThat(store.contents(31337).events()).isEmpty();
            assertThat(store.contents(31337).diamonds()).isEmpty();
            assertThat(store.contents(31337).checkpoints()).isEmpty();
        }
    }

    @Test
    void anUnreachableRpcIsATypedErrorAndNothingIsWritten() {
        try (Web3jChainSource dead = Web3jChainSource.builder().rpcUrl("http://127.0.0.1:9/v2/key").maxAttempts(2)
                .backoff(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2)).build();
                JdbcStateSink store = freshStore()) {
            DiamondSyncer s = DiamondSyncer.builder().chainSource(dead).sink(store).networks(networks).build();
            for (Call call : List.<Call>of(x -> x.syncAll("localhost", null, null, false),
                    x -> x.syncDiamond(diamond.hex(), "localhost", null), x -> x.syncEvents(diamond.hex(), "localhost", null, null))) {
                assertThatThrownBy(() -> call.run(s)).isInstanceOf(io.gemforce.sync.chain.ChainException.Unavailable.class)
                        .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.CHAIN_UNAVAILABLE))
                        .satisfies(e -> assertThat(e.getMessage()).contains("127.0.0.1:9").doesNotContain("/v2/key"));
            }
            assertThat(store.contents(31337).events()).isEmpty();
            assertThat(store.contents(31337).checkpoints()).isEmpty();
        }
    }

    Stream<Arguments> cliCases() {
        String store = "jdbc:sqlite:" + dir.resolve("cli.sqlite");
        String url = anvil.rpcUrl();
        return Stream.of(
                Arguments.of("non-numeric fromBlock", new String[] {"sync-all", "--network", "localhost", "--from-block", "12abc", "--rpc-url", url, "--store", store}),
                Arguments.of("a block beyond 64 bits", new String[] {"sync-all", "--network", "localhost", "--to-block", "99999999999999999999999", "--rpc-url", url, "--store", store}),
                Arguments.of("a decimal block", new String[] {"sync-diamond", "--address", diamond.hex(), "--network", "localhost", "--from-block", "1.5", "--rpc-url", url, "--store", store}),
                Arguments.of("an unsupported store", new String[] {"sync-all", "--network", "localhost", "--rpc-url", url, "--store", "jdbc:mysql://x/y"}),
                Arguments.of("an RPC URL that is not http", new String[] {"sync-all", "--network", "localhost", "--rpc-url", "ws://127.0.0.1:1", "--store", store}),
                Arguments.of("a malformed factory", new String[] {"sync-all", "--network", "localhost", "--factory", "0xnope", "--rpc-url", url, "--store", store}),
                Arguments.of("a missing required option", new String[] {"sync-diamond", "--network", "localhost", "--rpc-url", url, "--store", store}));
    }

    @ParameterizedTest(name = "CLI: {0}")
    @MethodSource("cliCases")
    void theCliExitsWithTwo(String name, String[] args) {
        assertThat(GemforceSyncCli.run(args)).as(name).isEqualTo(2);
        try (JdbcStateSink s = JdbcStateSink.sqlite(dir.resolve("cli.sqlite"))) {
            assertThat(s.contents(31337).events()).isEmpty();
        }
    }

    /** Logs from a tracked diamond that carry DiamondCut's topic0 with hostile data. */
    @Test
    void hostileLogsAreSkippedAndReportedAndNothingOfThemIsStored() {
        Address broken = g.deploy("BrokenEmitter");
        Map<String, Selector> sel = GemforceContracts.selectors("BrokenEmitter");
        g.diamondCut(Anvil.DEPLOYER, diamond, List.of(FacetCut.add(broken, new ArrayList<>(sel.values()))));
        long before = anvil.blockNumber();
        @SuppressWarnings("rawtypes")
        List<Type> junk = List.of(new DynamicBytes(new byte[] {1, 2, 3, 4, 5}));
        g.send(Anvil.DEPLOYER, diamond, GemforceContracts.call("emitBroken", junk));
        g.send(Anvil.DEPLOYER, diamond, GemforceContracts.call("emitBigSelectorArray", List.of()));
        @SuppressWarnings("rawtypes")
        List<Type> len = List.of(new Uint256(BigInteger.TWO.pow(32)));
        g.send(Anvil.DEPLOYER, diamond, GemforceContracts.call("emitSelectorArrayLength", len));
        // a cut whose action is 3
        String facetWord = "0".repeat(24) + g.facetB.hex().substring(2);
        String goodAction = io.gemforce.sync.internal.abi.AbiEncoder.diamondCutData(
                List.of(FacetCut.add(g.facetB, List.of(Selector.of("0x11112222")))), Address.ZERO, new byte[0]);
        String badAction = goodAction.replace(facetWord + "0".repeat(64), facetWord + "0".repeat(63) + "3");
        assertThat(badAction).isNotEqualTo(goodAction);
        @SuppressWarnings("rawtypes")
        List<Type> raw = List.of(new DynamicBytes(org.web3j.utils.Numeric.hexStringToByteArray(badAction)));
        g.send(Anvil.DEPLOYER, diamond, GemforceContracts.call("emitBroken", raw));
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build();
                JdbcStateSink store = freshStore()) {
            SyncSummary s = DiamondSyncer.builder().chainSource(chain).sink(store).networks(networks).build()
                    .syncAll("localhost");
            assertThat(s.status()).isEqualTo(SyncStatus.SUCCESS);
            List<SyncError> malformed = s.errors().stream().filter(e -> e.code().equals("MALFORMED_EVENT")).toList();
            assertThat(malformed).hasSize(4);
            assertThat(malformed).allSatisfy(e -> assertThat(e.diamond()).isEqualTo(diamond.hex()));
            assertThat(store.contents(31337).events()).noneMatch(e -> e.blockNumber() > before);
            assertThat(store.diamond(31337, diamond).orElseThrow().consistent()).isTrue();
        }
    }

    /** Extreme but valid values: a log index of 0xffffffe2 and uint256 maxima are stored exactly. */
    @Test
    void extremeValuesRoundTrip() throws Exception {
        g.propose(Anvil.DEPLOYER, diamond, List.of(FacetCut.add(g.facetC, List.of(Selector.of("0x33334444")))));
        String max = "0x" + "f".repeat(64);
        try (MockWebServer proxy = new MockWebServer()) {
            okhttp3.OkHttpClient up = new okhttp3.OkHttpClient();
            proxy.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest rr) {
                    try {
                        String body = rr.getBody().readUtf8();
                        JsonNode req = JSON.readTree(body);
                        try (okhttp3.Response r = up.newCall(new okhttp3.Request.Builder().url(anvil.rpcUrl())
                                .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/json"))).build())
                                .execute()) {
                            String out = r.body().string();
                            // every eth_getLogs answer, alone or in a JSON-RPC batch (matched by id)
                            List<String> ids = new ArrayList<>();
                            for (JsonNode call : req.isArray() ? req : List.of(req)) {
                                if (call.path("method").asText().equals("eth_getLogs")) {
                                    ids.add(call.path("id").toString());
                                }
                            }
                            if (!ids.isEmpty()) {
                                JsonNode n = JSON.readTree(out);
                                for (JsonNode answer : n.isArray() ? n : List.of(n)) {
                                    if (!ids.contains(answer.path("id").toString()) || !answer.path("result").isArray()) {
                                        continue;
                                    }
                                    for (JsonNode l : (ArrayNode) answer.get("result")) {
                                        ObjectNode log = (ObjectNode) l;
                                        ArrayNode topics = (ArrayNode) log.get("topics");
                                        if (topics.get(0).asText().equals(EventType.DIAMOND_CUT_PROPOSED.topic0())) {
                                            log.put("logIndex", "0xffffffe2");
                                            topics.set(2, JSON.getNodeFactory().textNode(max));
                                        }
                                    }
                                }
                                out = n.toString();
                            }
                            return new MockResponse().setHeader("Content-Type", "application/json").setBody(out);
                        }
                    } catch (Exception e) {
                        return new MockResponse().setResponseCode(500);
                    }
                }
            });
            proxy.start();
            try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(proxy.url("/").toString()).build();
                    JdbcStateSink store = freshStore()) {
                SyncSummary s = DiamondSyncer.builder().chainSource(chain).sink(store).networks(networks).build()
                        .syncAll("localhost");
                assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
                StoredEvent proposed = store.contents(31337).events().stream()
                        .filter(e -> e.eventType() == EventType.DIAMOND_CUT_PROPOSED).findFirst().orElseThrow();
                assertThat(proposed.logIndex()).isEqualTo(0xffffffe2L);
                assertThat(proposed.uid()).endsWith(":" + 0xffffffe2L);
                assertThat(proposed.args().get("proposalTime"))
                        .isEqualTo(BigInteger.TWO.pow(256).subtract(BigInteger.ONE).toString());
                assertThat(store.diamond(31337, diamond).orElseThrow().pendingUpgrade().proposalTime())
                        .isEqualTo(BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
            }
        }
    }

    static Consumer<Object> none() {
        return o -> { };
    }
}
