package io.gemforce.sync.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.examples.cli.GemforceSyncCli;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.testkit.Stores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of {@code follow --config} (child JVMs) on one store: exactly one leads the network,
 * the other stands by; the leader SIGKILLed, the other takes over once the lease runs out, and the
 * store ends equal to a fresh sync.
 */
class FollowLeaseIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void oneInstanceLeadsAndTheOtherTakesOverWhenItIsKilled() throws Exception {
        try (Anvil anvil = Anvil.start()) {
            GemforceContracts g = new GemforceContracts(anvil).deployAll();
            Address d = g.createDiamond(Anvil.DEPLOYER, "LS", "Leased");
            Path db = dir.resolve("store.sqlite");
            Path file = dir.resolve("gemforce.yaml");
            Files.writeString(file, """
                    store:
                      jdbc:
                        url: jdbc:sqlite:%s
                    networks:
                      localhost:
                        rpcUrls: [%s]
                        factories: [%s]
                        startBlock: %d
                        mode: head
                        pollInterval: 100ms
                    lease:
                      ttl: 3s
                    """.formatted(db, anvil.rpcUrl(), g.factory.hex(), g.factoryBlock));
            int portA = freePort();
            int portB = freePort();
            Process a = instance(file, portA, dir.resolve("a.log"));
            Process b = null;
            try {
                awaitRole(portA, "leader", 60);
                b = instance(file, portB, dir.resolve("b.log"));
                awaitRole(portB, "standby", 60);
                assertThat(role(portA)).isEqualTo("leader");

                Map<String, Selector> sel = GemforceContracts.selectors("TestFacetA");
                g.diamondCut(Anvil.DEPLOYER, d, List.of(FacetCut.add(g.facetA, List.of(sel.get("a01()")))));
                anvil.mine(2);
                a.destroyForcibly(); // SIGKILL the leader
                a.waitFor(10, TimeUnit.SECONDS);
                g.transferOwnership(Anvil.DEPLOYER, d, anvil.accounts().get(1));
                anvil.mine(3);
                awaitRole(portB, "leader", 30); // within the 3 s lease plus a renewal period
                long head = anvil.blockNumber();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (synced(portB) < head && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                assertThat(synced(portB)).as(Files.readString(dir.resolve("b.log"))).isEqualTo(head);
                b.destroy(); // SIGTERM: stops at a range boundary, gives the lease up, exits 0
                assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(b.exitValue()).as(Files.readString(dir.resolve("b.log"))).isZero();

                Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
                Path refDb = dir.resolve("reference.sqlite");
                try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build();
                        JdbcStateSink ref = JdbcStateSink.sqlite(refDb)) {
                    DiamondSyncer.builder().chainSource(chain).sink(ref)
                            .networks(Networks.defaults().toBuilder().add(local).build()).build()
                            .syncAll("localhost", null, head, false);
                }
                try (JdbcStateSink ref = JdbcStateSink.sqlite(refDb); JdbcStateSink got = JdbcStateSink.sqlite(db)) {
                    assertThat(Stores.withoutRecentHashes(got.contents(31337))).isEqualTo(Stores.withoutRecentHashes(ref.contents(31337)));
                    assertThat(got.holder("network:localhost")).as("the lease was given up").isEmpty();
                }
            } finally {
                a.destroyForcibly();
                if (b != null) {
                    b.destroyForcibly();
                }
            }
        }
    }

    @Test
    void twoNetworksSpreadOverTwoInstances() throws Exception {
        try (Anvil local = Anvil.start(); Anvil base = Anvil.start(84532, List.of())) {
            GemforceContracts gl = new GemforceContracts(local).deployAll();
            GemforceContracts gb = new GemforceContracts(base).deployAll();
            Path file = dir.resolve("two.yaml");
            Files.writeString(file, """
                    store:
                      jdbc:
                        url: jdbc:sqlite:%s
                    networks:
                      localhost:
                        rpcUrls: [%s]
                        factories: [%s]
                        startBlock: %d
                        pollInterval: 100ms
                      base-sepolia:
                        rpcUrls: [%s]
                        factories: [%s]
                        startBlock: %d
                        confirmations: 0
                        pollInterval: 100ms
                    lease:
                      ttl: 3s
                    """.formatted(dir.resolve("two.sqlite"), local.rpcUrl(), gl.factory.hex(), gl.factoryBlock,
                    base.rpcUrl(), gb.factory.hex(), gb.factoryBlock));
            int portA = freePort();
            int portB = freePort();
            Process a = instance(file, portA, dir.resolve("two-a.log"));
            Process b = null;
            try {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (leaders(portA) < 2 && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertThat(leaders(portA)).as("alone, it leads both").isEqualTo(2);
                b = instance(file, portB, dir.resolve("two-b.log"));
                until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!(leaders(portA) == 1 && leaders(portB) == 1) && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertThat(List.of(leaders(portA), leaders(portB))).as("one network each").containsExactly(1, 1);
            } finally {
                a.destroyForcibly();
                if (b != null) {
                    b.destroyForcibly();
                }
            }
        }
    }

    /** How many networks the instance on {@code port} leads. */
    private static int leaders(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            int n = 0;
            for (JsonNode net : JSON.readTree(r.body()).path("networks")) {
                n += net.path("role").asText().equals("leader") ? 1 : 0;
            }
            return n;
        } catch (Exception notYet) {
            return -1;
        }
    }

    private static Process instance(Path config, int port, Path log) throws Exception {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), GemforceSyncCli.class.getName(), "follow", "--config",
                config.toString(), "--metrics-port", String.valueOf(port));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static JsonNode health(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body()).path("networks").path(0);
        } catch (Exception notYet) {
            return JSON.createObjectNode();
        }
    }

    private static String role(int port) {
        return health(port).path("role").asText("");
    }

    private static long synced(int port) {
        return health(port).path("syncedBlock").asLong(-1);
    }

    private static void awaitRole(int port, String role, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!role(port).equals(role) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(role(port)).as("instance on port " + port + ": " + health(port)).isEqualTo(role);
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
