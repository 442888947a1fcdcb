package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.testkit.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's {@code follow} in a child JVM, SIGKILLed three times while the chain keeps changing and
 * started again each time; the last one is stopped with SIGTERM (exit 0). The store equals a fresh
 * sync to the same block: no gap, no duplicate; with a delivery cursor every change was printed at
 * least once across the children.
 */
class FollowKillIT {
    @TempDir
    Path dir;

    @Test
    void sigkillsWhileFollowingThenSigtermLeaveTheStoreAFreshSyncWouldMake() throws Exception {
        try (Anvil anvil = Anvil.start()) {
            GemforceContracts g = new GemforceContracts(anvil).deployAll();
            String owner = Anvil.DEPLOYER;
            String other = anvil.accounts().get(1);
            Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
            List<Address> diamonds = List.of(g.createDiamond(owner, "K1", "Kill one"), g.createDiamond(owner, "K2", "Kill two"));
            AtomicBoolean driving = new AtomicBoolean(true);
            List<Throwable> driverErrors = new ArrayList<>();
            Thread driver = new Thread(() -> {
                Random r = new Random(20261130);
                boolean[] owned = {true, true};
                try {
                    for (int i = 1; driving.get(); i++) {
                        int k = i % 2;
                        Address d = diamonds.get(k);
                        Selector s = a.get(String.format("a%02d()", 1 + (i / 2) % 20));
                        String by = owned[k] ? owner : other;
                        if (i % 5 == 0) {
                            g.transferOwnership(by, d, owned[k] ? other : owner);
                            owned[k] = !owned[k];
                        } else if ((i / 2) / 20 % 2 == 0) {
                            g.diamondCut(by, d, List.of(FacetCut.add(g.facetA, List.of(s))));
                        } else {
                            g.diamondCut(by, d, List.of(FacetCut.remove(List.of(s))));
                        }
                        anvil.mine(1 + r.nextInt(3));
                        Thread.sleep(30);
                    }
                } catch (Throwable t) {
                    driverErrors.add(t);
                }
            }, "chain-driver");
            driver.start();

            Path db = dir.resolve("follow.sqlite");
            List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), GemforceSyncCli.class.getName(), "follow",
                    "--network", "localhost", "--rpc-url", anvil.rpcUrl(), "--store", "jdbc:sqlite:" + db,
                    "--factory", g.factory.hex(), "--start-block", String.valueOf(g.factoryBlock), "--mode", "head",
                    "--poll-interval", "100ms", "--max-block-range", "4", "--requests-per-second", "40",
                    "--delivery-cursor", "cli");
            Random random = new Random(7);
            int kills = 0;
            for (int attempt = 0; attempt < 3; attempt++) {
                Path log = dir.resolve("child-" + attempt + ".log");
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                long before = checkpoint(db);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (checkpoint(db) <= before && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(200 + random.nextInt(800));
                assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                p.destroyForcibly(); // SIGKILL
                p.waitFor(10, TimeUnit.SECONDS);
                kills++;
            }
            driving.set(false);
            driver.join(30_000);
            assertThat(driverErrors).isEmpty();
            long head = anvil.blockNumber();

            Path log = dir.resolve("child-final.log");
            Process last = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (checkpoint(db) < head && last.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(checkpoint(db)).as(Files.readString(log)).isEqualTo(head);
            last.destroy(); // SIGTERM
            assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(last.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("stopped at block " + head);
            assertThat(kills).isEqualTo(3);

            Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
            Path refDb = dir.resolve("reference.sqlite");
            try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build();
                    JdbcStateSink ref = JdbcStateSink.sqlite(refDb)) {
                DiamondSyncer.builder().chainSource(chain).sink(ref).networks(Networks.defaults().toBuilder().add(local).build())
                        .build().syncAll("localhost", null, head, false);
            }
            try (JdbcStateSink ref = JdbcStateSink.sqlite(refDb); JdbcStateSink got = JdbcStateSink.sqlite(db)) {
                StoreContents expected = ref.contents(31337);
                StoreContents actual = got.contents(31337);
                List<String> uids = actual.events().stream().map(StoredEvent::uid).toList();
                assertThat(new HashSet<>(uids)).as("no duplicates").hasSize(uids.size());
                assertThat(uids).as("no gaps").containsExactlyElementsOf(expected.events().stream().map(StoredEvent::uid).toList());
                assertThat(Stores.withoutDeliveryCursors(actual)).isEqualTo(Stores.withoutDeliveryCursors(expected));
                // every change was printed at least once across the killed children (the delivery cursor)
                java.util.Set<String> printed = new HashSet<>();
                try (var logs = Files.list(dir)) {
                    for (Path l : logs.filter(f -> f.getFileName().toString().startsWith("child-")).toList()) {
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(31337:[^\\]]+)]")
                                .matcher(Files.readString(l));
                        while (m.find()) {
                            printed.add(m.group(1));
                        }
                    }
                }
                List<String> missing = expected.events().stream().map(e -> e.uid() + ":" + kind(e))
                        .filter(id -> !printed.contains(id)).toList();
                assertThat(missing).as("changes never printed").isEmpty();
            }
        }
    }

    private static String kind(StoredEvent e) {
        return switch (e.eventType()) {
            case DIAMOND_CREATED -> "created";
            case DIAMOND_CUT -> "facets";
            case OWNERSHIP_TRANSFERRED -> "owner";
            case DIAMOND_CUT_PROPOSED -> "proposed";
            case DIAMOND_CUT_CANCELLED -> "cancelled";
        };
    }

    private static long checkpoint(Path db) {
        if (!Files.exists(db)) {
            return -1;
        }
        try (JdbcStateSink s = JdbcStateSink.sqlite(db)) {
            return s.checkpoint(31337, "all").map(Checkpoint::blockNumber).orElse(-1L);
        } catch (RuntimeException busy) {
            return -1;
        }
    }
}
