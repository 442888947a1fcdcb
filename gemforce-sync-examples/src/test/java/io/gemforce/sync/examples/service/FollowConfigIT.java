package io.gemforce.sync.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.follow.DiamondChange;
import io.gemforce.sync.follow.FollowStatus;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.testbed.LocalParseServer;
import io.gemforce.sync.testbed.LocalPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code follow --config} with two networks (two Anvil nodes, chain ids 31337 and 84532) into one
 * PostgreSQL, and into one Parse Server: both stay in step while their chains change, and /health and /metrics answer with
 * figures that match the store.
 */
class FollowConfigIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "into {0}")
    @ValueSource(strings = {"postgres", "parse"})
    void twoNetworksFollowedWithHealthAndMetricsMatchingTheStore(String storeKind) throws Exception {
        boolean parse = storeKind.equals("parse");
        try (Anvil local = Anvil.start(); Anvil base = Anvil.start(84532, List.of());
                LocalPostgres pg = LocalPostgres.start(Path.of("target", "follow-config-pg"));
                LocalParseServer ps = parse ? LocalParseServer.builder(pg).appId("gemforce-follow")
                        .logDir(Path.of("target", "follow-config-parse")).start() : null) {
            if (!parse) {
                pg.createDatabase("service");
            }
            String storeYaml = parse ? "  parse:\n    url: " + ps.serverUrl() + "\n    appId: " + ps.appId()
                    + "\n    masterKey: ${env:PARSE_MASTER_KEY}\n"
                    : "  jdbc:\n    url: " + pg.jdbcUrl("service") + "\n    user: postgres\n";
            Map<String, String> env = parse ? Map.of("PARSE_MASTER_KEY", new String(ps.masterKey())) : Map.of();
            GemforceContracts gl = new GemforceContracts(local).deployAll();
            GemforceContracts gb = new GemforceContracts(base).deployAll();
            Address dl = gl.createDiamond(Anvil.DEPLOYER, "L1", "Local one");
            Address db = gb.createDiamond(Anvil.DEPLOYER, "B1", "Base one");
            Path file = dir.resolve("gemforce.yaml");
            Files.writeString(file, """
                    store:
                    %snetworks:
                      localhost:
                        rpcUrls: [%s]
                        factories: [%s]
                        startBlock: %d
                        mode: head
                        pollInterval: 100ms
                      base-sepolia:
                        rpcUrls: [%s]
                        factories: [%s]
                        startBlock: %d
                        confirmations: 0
                        pollInterval: 100ms
                    health:
                      port: 0
                    """.formatted(storeYaml, local.rpcUrl(), gl.factory.hex(), gl.factoryBlock,
                    base.rpcUrl(), gb.factory.hex(), gb.factoryBlock));
            ServiceConfig cfg = ConfigLoader.load(file, env::get, io.gemforce.sync.network.Networks.defaults());
            // port 0 is "no health server" in the file; ask for a free one
            cfg = new ServiceConfig(cfg.store(), cfg.networks(), new ServiceConfig.Health(freePort(), "127.0.0.1",
                    Duration.ofMinutes(2)), cfg.lease());
            List<String> heard = Collections.synchronizedList(new ArrayList<>());
            try (ServiceRunner runner = new ServiceRunner(cfg)) {
                runner.start(KnownSignatures.standard(), network -> c -> {
                    if (c instanceof DiamondChange.FacetsChanged || c instanceof DiamondChange.OwnershipChanged) {
                        heard.add(network + ":" + c.getClass().getSimpleName());
                    }
                });
                awaitCaughtUp(runner, local, base);
                Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
                gl.diamondCut(Anvil.DEPLOYER, dl, List.of(FacetCut.add(gl.facetA, List.of(a.get("a01()")))));
                gb.diamondCut(Anvil.DEPLOYER, db, List.of(FacetCut.add(gb.facetA, List.of(a.get("a02()")))));
                gb.transferOwnership(Anvil.DEPLOYER, db, base.accounts().get(1));
                local.mine(3);
                base.mine(5);
                awaitCaughtUp(runner, local, base);

                JsonNode health = new ObjectMapper().readTree(get(runner, "/health", 200));
                assertThat(health.path("status").asText()).isEqualTo("ok");
                String metrics = get(runner, "/metrics", 200);
                try (Store store = parse ? Store.parse(ps) : Store.jdbc(pg.jdbcUrl("service"))) {
                    for (long chainId : List.of(31337L, 84532L)) {
                        String name = chainId == 31337 ? "localhost" : "base-sepolia";
                        StoreContents c = store.contents(chainId);
                        long checkpoint = store.sink().checkpoint(chainId, "all").orElseThrow().blockNumber();
                        JsonNode n = network(health, name);
                        assertThat(n.path("syncedBlock").asLong()).isEqualTo(checkpoint);
                        assertThat(n.path("head").asLong()).isGreaterThanOrEqualTo(checkpoint);
                        assertThat(n.path("state").asText()).isEqualTo("following");
                        assertThat(gauge(metrics, "gemforce_synced_block", name)).isEqualTo(checkpoint);
                        assertThat(gauge(metrics, "gemforce_events_indexed_total", name)).isEqualTo(c.events().size());
                        assertThat(c.diamonds()).hasSize(1);
                    }
                    assertThat(store.sink().diamond(84532, db).orElseThrow().owner().hex()).isEqualTo(base.accounts().get(1));
                    assertThat(store.sink().diamond(31337, dl).orElseThrow().state().selectorsOf(gl.facetA)).hasSize(1);
                }
                assertThat(metrics).contains("gemforce_rpc_calls_total{").contains("method=\"eth_chainId\"")
                        .contains("provider=\"http://127.0.0.1:" + local.port() + "\"")
                        .contains("gemforce_sink_apply_seconds_count{").contains("gemforce_listener_queue{");
                assertThat(heard).contains("localhost:FacetsChanged", "base-sepolia:OwnershipChanged",
                        "base-sepolia:FacetsChanged");
                assertThat(runner.stop(WAIT)).isTrue();
            }
        }
    }

    /** The store the service wrote, opened again for the checks. */
    private record Store(io.gemforce.sync.sink.StateSink sink, AutoCloseable closer) implements AutoCloseable {
        static Store jdbc(String url) {
            JdbcStateSink s = JdbcStateSink.open(url, "postgres", null);
            return new Store(s, s);
        }

        static Store parse(LocalParseServer ps) {
            io.gemforce.sync.parse.ParseClient c = io.gemforce.sync.parse.ParseClient.builder().serverUrl(ps.serverUrl())
                    .applicationId(ps.appId()).masterKey(io.gemforce.sync.parse.Secret.of(new String(ps.masterKey())))
                    .build();
            return new Store(io.gemforce.sync.parse.ParseStateSink.builder(c).build(), c);
        }

        StoreContents contents(long chainId) {
            return ((io.gemforce.sync.sink.StoreContentsReader) sink).contents(chainId);
        }

        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    private static void awaitCaughtUp(ServiceRunner runner, Anvil local, Anvil base) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            Map<String, ServiceRunner.NetworkView> s = runner.statuses();
            FollowStatus l = s.get("localhost").status();
            FollowStatus b = s.get("base-sepolia").status();
            if (l != null && b != null && l.syncedBlock() == local.blockNumber() && b.syncedBlock() == base.blockNumber()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not caught up: " + runner.statuses());
    }

    private static JsonNode network(JsonNode health, String name) {
        for (JsonNode n : health.path("networks")) {
            if (n.path("network").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no " + name + " in " + health);
    }

    private static double gauge(String metrics, String name, String network) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*network=\"" + Pattern.quote(network) + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        assertThat(m.find()).as(name + " for " + network + " in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String get(ServiceRunner runner, String path, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.healthPort()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body();
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
