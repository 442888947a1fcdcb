package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.testkit.Stores;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * RPC faults injected by a loopback proxy in front of a real Anvil node. Every run completes and
 * leaves the same store as a sync straight against the node.
 */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpcFaultsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Anvil anvil;
    private GemforceContracts g;
    private Networks networks;
    private StoreContents expected;
    private long head;

    RpcFaultsIT(Anvil anvil) {
        this.anvil = anvil;
    }

    @BeforeAll
    void chain() {
        anvil.reset();
        g = new GemforceContracts(anvil).deployAll();
        String owner = Anvil.DEPLOYER;
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address d1 = g.createDiamond(owner, "F1", "Faults one");
        Address d2 = g.createDiamond(owner, "F2", "Faults two");
        g.diamondCut(owner, d1, List.of(FacetCut.add(g.facetA, List.of(a.get("a01()"), a.get("a02()")))));
        // 12,000 DiamondCut logs in three blocks: more than a 10,000-result cap in one range
        Address spammer = g.deploy("CutSpammer");
        Selector emit = GemforceContracts.selectors("CutSpammer").get("emitCuts(uint256,address,bytes4)");
        g.diamondCut(owner, d2, List.of(FacetCut.add(spammer, List.of(emit))));
        for (int i = 0; i < 3; i++) {
            @SuppressWarnings("rawtypes")
            List<Type> args = List.of(new Uint256(BigInteger.valueOf(4000)), new org.web3j.abi.datatypes.Address(g.facetB.hex()),
                    new Bytes4(new byte[] {0x7e, 0x57, 0x00, 0x01}));
            g.send(owner, d2, GemforceContracts.call("emitCuts", args));
        }
        anvil.mine(2500); // more than a 1,000-block cap
        Address d3 = g.createDiamond(Anvil.DEPLOYER, "F3", "Faults three");
        g.transferOwnership(owner, d1, anvil.accounts().get(1));
        g.propose(owner, d3, List.of(FacetCut.add(g.facetA, List.of(a.get("a03()")))));
        anvil.mine(20);
        head = anvil.blockNumber();
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
        networks = Networks.defaults().toBuilder().add(local).build();
        InMemoryStateSink direct = new InMemoryStateSink();
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build()) {
            SyncSummary s = DiamondSyncer.builder().chainSource(chain).sink(direct).networks(networks).build()
                    .syncAll("localhost", null, head, false);
            assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(s.eventsIndexed()).isGreaterThan(12_000);
        }
        expected = Stores.withoutRecentHashes(direct.contents(31337));
    }

    /**
     * Syncs through the proxy (to the same head as the reference) and checks the store. The timeout
     * (5 s, the slow answers 8 s) leaves room for a range of ~4,000 logs through the proxy on a
     * loaded two-core machine: at 1.5 s such ranges timed out eight times in a row under load.
     */
    private SyncSummary syncThrough(RpcProxy proxy, InMemoryStateSink sink) {
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(proxy.url()).maxAttempts(8)
                .timeout(Duration.ofMillis(5000)).backoff(Duration.ofMillis(2), Duration.ofMillis(20)).build()) {
            return DiamondSyncer.builder().chainSource(chain).sink(sink).networks(networks).blockRange(500, 1, 5_000).build()
                    .syncAll("localhost", null, head, false);
        }
    }

    private void assertSameStore(InMemoryStateSink sink) {
        assertThat(Stores.withoutRecentHashes(sink.contents(31337))).isEqualTo(expected);
    }

    @Test
    void burstsOf429And5xx() {
        try (RpcProxy proxy = new RpcProxy(anvil.rpcUrl())) {
            proxy.rule((req, n) -> {
                int m = n % 20;
                if (m >= 3 && m <= 5) {
                    return Optional.of(new MockResponse().setResponseCode(429));
                }
                if (m == 11 || m == 12) {
                    return Optional.of(new MockResponse().setResponseCode(n % 2 == 0 ? 502 : 503));
                }
                if (m == 15) {
                    return Optional.of(RpcProxy.rpcError(req, -32005, "rate limit exceeded, try again"));
                }
                return Optional.empty();
            });
            InMemoryStateSink sink = new InMemoryStateSink();
            SyncSummary s = syncThrough(proxy, sink);
            assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
            assertSameStore(sink);
        }
    }

    @Test
    void connectionResetsAndAnswersSlowerThanTheTimeout() {
        try (RpcProxy proxy = new RpcProxy(anvil.rpcUrl())) {
            proxy.rule((req, n) -> {
                if (n % 7 == 3) {
                    return Optional.of(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
                }
                if (n % 11 == 5) {
                    return Optional.of(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
                }
                if (n % 13 == 6) {
                    return Optional.of(new MockResponse().setHeadersDelay(8, TimeUnit.SECONDS).setBody("{}"));
                }
                return Optional.empty();
            });
            InMemoryStateSink sink = new InMemoryStateSink();
            SyncSummary s = syncThrough(proxy, sink);
            assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
            assertSameStore(sink);
        }
    }

    @Test
    void resultCapsOf1000BlocksAnd10000Logs() {
        try (RpcProxy proxy = new RpcProxy(anvil.rpcUrl())) {
            AtomicInteger refusals = new AtomicInteger();
            proxy.rule((req, n) -> {
                if (req.path("method").asText().equals("eth_getLogs")) {
                    JsonNode p = req.get("params").get(0);
                    long from = Long.decode(p.get("fromBlock").asText());
                    long to = Long.decode(p.get("toBlock").asText());
                    if (to - from + 1 > 1000) {
                        refusals.incrementAndGet();
                        return Optional.of(RpcProxy.rpcError(req, -32600, "exceed max block range: 1000"));
                    }
                }
                return Optional.empty();
            });
            proxy.transform((req, body) -> {
                if (!req.path("method").asText().equals("eth_getLogs")) {
                    return body;
                }
                try {
                    JsonNode n = JSON.readTree(body);
                    if (n.path("result").size() > 10_000) {
                        refusals.incrementAndGet();
                        return RpcProxy.rpcError(req, -32005, "query returned more than 10000 results").getBody().readUtf8();
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                return body;
            });
            InMemoryStateSink sink = new InMemoryStateSink();
            SyncSummary s = syncThrough(proxy, sink);
            assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(refusals.get()).isPositive();
            assertSameStore(sink);
        }
    }

    @Test
    void aHeadThatGoesBackwards() {
        try (RpcProxy proxy = new RpcProxy(anvil.rpcUrl())) {
            AtomicInteger latest = new AtomicInteger();
            proxy.rule((req, n) -> {
                if (req.path("method").asText().equals("eth_getBlockByNumber")
                        && req.get("params").get(0).asText().equals("latest") && latest.incrementAndGet() % 2 == 0) {
                    // every other "latest" is 1,200 blocks behind
                    JsonNode older = anvil.rpc("eth_getBlockByNumber", "0x" + Long.toHexString(head - 1_200), false);
                    ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
                    answer.set("id", req.get("id"));
                    answer.set("result", older);
                    return Optional.of(new MockResponse().setHeader("Content-Type", "application/json")
                            .setBody(answer.toString()));
                }
                return Optional.empty();
            });
            InMemoryStateSink sink = new InMemoryStateSink();
            try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(proxy.url()).build()) {
                DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink)
                        .networks(Networks.defaults().toBuilder().add(networks.resolve("localhost")
                                .withConfirmations(anvil.blockNumber() - head)).build()).build();
                SyncSummary first = syncer.syncAll("localhost");
                SyncSummary second = syncer.syncAll("localhost"); // the head seen now is 1,200 blocks lower
                SyncSummary third = syncer.syncAll("localhost");
                for (SyncSummary s : List.of(first, second, third)) {
                    assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
                }
                assertThat(second.lastSyncedBlock()).as("nothing is undone when the head looks lower")
                        .isEqualTo(first.lastSyncedBlock());
            }
            assertSameStore(sink);
        }
    }

    @Test
    void theSameLogsServedTwice() {
        try (RpcProxy proxy = new RpcProxy(anvil.rpcUrl())) {
            proxy.transform((req, body) -> {
                if (!req.path("method").asText().equals("eth_getLogs")) {
                    return body;
                }
                try {
                    ObjectNode n = (ObjectNode) JSON.readTree(body);
                    ArrayNode result = (ArrayNode) n.get("result");
                    ArrayNode twice = JSON.createArrayNode();
                    result.forEach(l -> {
                        twice.add(l);
                        twice.add(l);
                    });
                    n.set("result", twice);
                    return n.toString();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            InMemoryStateSink sink = new InMemoryStateSink();
            SyncSummary s = syncThrough(proxy, sink);
            assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
            assertSameStore(sink);
            // and the same range again: nothing new
            assertThat(syncThrough(proxy, sink).eventsIndexed()).isZero();
            assertSameStore(sink);
        }
    }
}
