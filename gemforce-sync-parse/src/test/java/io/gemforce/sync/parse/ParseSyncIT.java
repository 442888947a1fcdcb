package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncError;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.testkit.FlakySink;
import io.gemforce.sync.testkit.GemforceScenario;
import io.gemforce.sync.testkit.ScriptedChain;
import io.gemforce.sync.testkit.Stores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine writing into a real Parse Server on PostgreSQL: the scripted Gemforce scenario, re-runs,
 * crash points, a server stopped mid-sync, reorgs and reindexAll, read back through REST.
 */
@ExtendWith(ParseServerExtension.class)
class ParseSyncIT {
    private static ParseTestServer server;
    private static ParseClient client;
    private static ParseStateSink parse;
    private GemforceScenario s;

    @BeforeAll
    static void start(ParseTestServer srv) {
        server = srv;
        client = srv.newClient();
        parse = ParseStateSink.builder(client).build();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @BeforeEach
    void fresh() {
        if (!server.parseRunning()) {
            server.startParse();
        }
        server.purgeSinkClasses();
        s = new GemforceScenario().build();
    }

    private DiamondSyncer syncer(StateSink sink, Consumer<DiamondSyncer.Builder> tweak) {
        DiamondSyncer.Builder b = DiamondSyncer.builder().chainSource(s.chain).sink(sink).networks(s.networks())
                .blockRange(4, 1, 4);
        tweak.accept(b);
        return b.build();
    }

    private StoreContents reference() {
        InMemoryStateSink mem = new InMemoryStateSink();
        syncer(mem, b -> { }).syncAll("localhost");
        return mem.contents(31337);
    }

    /** Object counts and the latest updatedAt of each class, for chain 31337, as a REST client sees them. */
    private Map<String, String> fingerprint() {
        Map<String, String> out = new TreeMap<>();
        for (String cls : List.of(ParseSchema.DIAMOND, ParseSchema.FACET, ParseSchema.DIAMOND_EVENT, ParseSchema.SYNC_STATE)) {
            ObjectNode where = JsonNodeFactory.instance.objectNode().put("chainId", 31337);
            List<ObjectNode> all = client.findAll(cls, where, 1000);
            String latest = all.stream().map(o -> o.path("updatedAt").asText()).max(String::compareTo).orElse("");
            out.put(cls, all.size() + "@" + latest);
        }
        return out;
    }

    @Test
    void theScriptedGemforceScenarioLandsInParseExactlyAsInMemory() {
        SyncSummary summary = syncer(parse, b -> { }).syncAll("localhost", null, null, false);
        assertThat(summary.toJson()).isEqualTo(
                "{\"diamondsSynced\":3,\"facetsUpdated\":11,\"eventsIndexed\":15,\"lastSyncedBlock\":20,\"status\":\"success\",\"errors\":[]}");
        assertThat(parse.contents(31337)).isEqualTo(reference());

        // as a Parse client reads it
        ObjectNode where = JsonNodeFactory.instance.objectNode().put("chainId", 31337).put("address", s.d1.hex());
        List<ObjectNode> d1 = client.findAll(ParseSchema.DIAMOND, where, 10);
        assertThat(d1).hasSize(1);
        JsonNode diamond = d1.get(0);
        assertThat(diamond.get("symbol").asText()).isEqualTo("GEM1");
        assertThat(diamond.get("network").asText()).isEqualTo("localhost");
        assertThat(diamond.get("facetCount").asInt()).isEqualTo(5);
        assertThat(diamond.get("lastSyncedBlock").asLong()).isEqualTo(20);
        ObjectNode d3 = client.findAll(ParseSchema.DIAMOND, JsonNodeFactory.instance.objectNode().put("chainId", 31337)
                .put("address", s.d3.hex()), 10).get(0);
        assertThat(d3.get("pendingUpgrade").isObject()).isTrue();
        long cuts = client.count(ParseSchema.DIAMOND_EVENT, JsonNodeFactory.instance.objectNode().put("chainId", 31337)
                .put("eventType", "DiamondCut"));
        assertThat(cuts).isEqualTo(5);
        ObjectNode facetWhere = JsonNodeFactory.instance.objectNode().put("chainId", 31337).put("diamondAddress", s.d1.hex());
        assertThat(client.findAll(ParseSchema.FACET, facetWhere, 100)).hasSize(5);
    }

    @Test
    void aReRunWritesNothing() {
        syncer(parse, b -> { }).syncAll("localhost");
        Map<String, String> before = fingerprint();
        SyncSummary again = syncer(parse, b -> { }).syncAll("localhost");
        SyncSummary replay = syncer(parse, b -> { }).syncAll("localhost", 0L, 20L, false);
        assertThat(again.eventsIndexed()).isZero();
        assertThat(replay.eventsIndexed()).isZero();
        assertThat(fingerprint()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(FlakySink.When.class)
    void aFailureAtEveryRangeBoundaryResumesToTheSameStore(FlakySink.When when) {
        StoreContents expected = Stores.withoutRecentHashes(reference());
        for (int failAt = 1; failAt <= 6; failAt++) {
            server.purgeSinkClasses();
            SyncSummary crashed = syncer(new FlakySink(parse, failAt, when), b -> { }).syncAll("localhost");
            assertThat(crashed.status()).isNotEqualTo(SyncStatus.SUCCESS);
            SyncSummary resumed = syncer(parse, b -> { }).syncAll("localhost");
            assertThat(resumed.status()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(Stores.withoutRecentHashes(parse.contents(31337))).as("fail at %d %s", failAt, when).isEqualTo(expected);
        }
    }

    @Test
    void parseServerStoppedMidSyncFailsCleanlyAndTheResumeIsComplete() {
        StoreContents expected = Stores.withoutRecentHashes(reference());
        List<long[]> ranges = new ArrayList<>();
        SyncSummary interrupted = syncer(parse, b -> b.listener((scope, from, to, target, events) -> {
            ranges.add(new long[] {from, to});
            if (ranges.size() == 2) {
                server.stopParse();
            }
        })).syncAll("localhost");
        assertThat(interrupted.status()).isEqualTo(SyncStatus.PARTIAL);
        assertThat(interrupted.lastSyncedBlock()).isEqualTo(ranges.get(1)[1]);
        assertThat(interrupted.errors()).extracting(SyncError::code).containsExactly("SINK_FAILURE");
        assertThat(interrupted.errors().get(0).message()).doesNotContain(new String(server.masterKey().reveal()));

        server.startParse();
        SyncSummary resumed = syncer(parse, b -> { }).syncAll("localhost");
        assertThat(resumed.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(Stores.withoutRecentHashes(parse.contents(31337))).isEqualTo(expected);
    }

    @Test
    void parseServerKilledMidSyncAndRestartedLosesAndDoublesNothing() {
        StoreContents expected = Stores.withoutRecentHashes(reference());
        List<long[]> ranges = new ArrayList<>();
        SyncSummary interrupted = syncer(parse, b -> b.listener((scope, from, to, target, events) -> {
            ranges.add(new long[] {from, to});
            if (ranges.size() == 3) {
                server.killParse(); // SIGKILL, mid-sync
            }
        })).syncAll("localhost");
        assertThat(interrupted.status()).isEqualTo(SyncStatus.PARTIAL);
        server.startParse();
        assertThat(syncer(parse, b -> { }).syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(Stores.withoutRecentHashes(parse.contents(31337))).isEqualTo(expected);
    }

    @Test
    void postgresRestartedMidSyncLosesAndDoublesNothing() {
        StoreContents expected = Stores.withoutRecentHashes(reference());
        List<long[]> ranges = new ArrayList<>();
        SyncSummary first = syncer(parse, b -> b.listener((scope, from, to, target, events) -> {
            ranges.add(new long[] {from, to});
            if (ranges.size() == 2) {
                server.stopPostgres();
            }
        })).syncAll("localhost");
        assertThat(first.status()).as(first.toJson()).isEqualTo(SyncStatus.PARTIAL);
        server.startPostgres();
        SyncSummary resumed = null;
        for (int i = 0; i < 5 && (resumed == null || resumed.status() != SyncStatus.SUCCESS); i++) {
            resumed = syncer(parse, b -> { }).syncAll("localhost"); // Parse Server reconnects to the database
        }
        assertThat(resumed.status()).as(resumed.toJson()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(Stores.withoutRecentHashes(parse.contents(31337))).isEqualTo(expected);
    }

    @Test
    void aReorgRollsParseBackToTheNewChain() {
        syncer(parse, b -> { }).syncAll("localhost");
        s.chain.rewindTo(12, "fork");
        s.chain.cut(s.d1, List.of(FacetCut.remove(List.of(Selector.of("0x00000000")))));
        s.chain.mine();
        Address d4 = s.chain.createDiamond(s.factory, s.newOwner, "GEM4", "Gem Four", s.initialCuts());
        s.chain.mine(10);
        assertThat(syncer(parse, b -> { }).syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
        InMemoryStateSink fresh = new InMemoryStateSink();
        syncer(fresh, b -> { }).syncAll("localhost");
        assertThat(Stores.withoutRecentHashes(parse.contents(31337))).isEqualTo(Stores.withoutRecentHashes(fresh.contents(31337)));
        assertThat(parse.diamond(31337, d4)).isPresent();
    }

    @Test
    void reindexAllRebuildsOneNetworkAndLeavesAnotherUntouched() {
        // a second chain, base-sepolia, with its own factory and diamond
        ScriptedChain other = new ScriptedChain(84532);
        Address otherFactory = other.deployFactory();
        Address f = other.deployContract();
        other.mine();
        Address od = other.createDiamond(otherFactory, other.newAddress(), "BS", "Base Sepolia gem",
                List.of(FacetCut.add(f, List.of(Selector.of("0x7a0ed627")))));
        other.mine(5);
        Network bs = Networks.defaults().resolve("base-sepolia").withFactories(List.of(otherFactory), 0).withConfirmations(0);
        DiamondSyncer otherSyncer = DiamondSyncer.builder().chainSource(other).sink(parse)
                .networks(Networks.defaults().toBuilder().add(bs).build()).build();
        assertThat(otherSyncer.syncAll("basesep").diamondsSynced()).isEqualTo(1);
        syncer(parse, b -> { }).syncAll("localhost");
        StoreContents otherBefore = parse.contents(84532);
        StoreContents localBefore = Stores.withoutRecentHashes(parse.contents(31337));
        assertThat(otherBefore.diamonds()).extracting(d -> d.address()).containsExactly(od);

        SyncSummary rebuilt = syncer(parse, b -> { }).syncAll("localhost", null, null, true);
        assertThat(rebuilt.eventsIndexed()).isEqualTo(15);
        assertThat(Stores.withoutRecentHashes(parse.contents(31337))).isEqualTo(localBefore);
        assertThat(parse.contents(84532)).isEqualTo(otherBefore);
    }
}
