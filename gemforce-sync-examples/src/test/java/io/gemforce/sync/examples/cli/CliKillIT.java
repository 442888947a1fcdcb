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
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.AnvilExtension;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crashes: a child JVM runs the CLI's sync-all into SQLite and is killed with SIGKILL in the
 * middle, five times; the resumed store equals an uninterrupted run's, with no duplicate and no
 * missing event or facet.
 */
@ExtendWith(AnvilExtension.class)
class CliKillIT {
    @TempDir
    Path dir;

    @Test
    void fiveSigkillsMidSyncThenAResumeGiveTheUninterruptedStore(Anvil anvil) throws Exception {
        anvil.reset();
        GemforceContracts g = new GemforceContracts(anvil).deployAll();
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        List<Address> diamonds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            diamonds.add(g.createDiamond(Anvil.DEPLOYER, "K" + i, "Kill " + i));
        }
        for (int i = 1; i <= 20; i++) {
            anvil.mine(25);
            Address d = diamonds.get(i % 3);
            Selector s = a.get(String.format("a%02d()", i));
            g.diamondCut(Anvil.DEPLOYER, d, List.of(FacetCut.add(g.facetA, List.of(s))));
            if (i % 4 == 0) {
                g.diamondCut(Anvil.DEPLOYER, d, List.of(FacetCut.remove(List.of(s))));
            }
        }
        anvil.mine(30);
        long head = anvil.blockNumber();

        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
        Path refDb = dir.resolve("reference.sqlite");
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build();
                JdbcStateSink ref = JdbcStateSink.sqlite(refDb)) {
            DiamondSyncer.builder().chainSource(chain).sink(ref).networks(Networks.defaults().toBuilder().add(local).build())
                    .build().syncAll("localhost", null, head, false);
        }

        Path db = dir.resolve("killed.sqlite");
        // a rate limit keeps each child running long enough to be killed mid-sync: the pipelined
        // engine sends one request per range (eth_getLogs and its end header in one batch), half as
        // many as the first engine, so the limit is half of what it was (60 -> 25 requests/s)
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), GemforceSyncCli.class.getName(), "sync-all",
                "--network", "localhost", "--rpc-url", anvil.rpcUrl(), "--store", "jdbc:sqlite:" + db,
                "--factory", g.factory.hex(), "--start-block", String.valueOf(g.factoryBlock), "--to-block", String.valueOf(head),
                "--max-block-range", "8", "--requests-per-second", "25", "--no-progress");
        Random random = new Random(20261125);
        List<Long> checkpointsAfterKills = new ArrayList<>();
        int midSyncKills = 0;
        List<String> childEnds = new ArrayList<>();
        for (int attempt = 0; attempt < 12 && midSyncKills < 5; attempt++) {
            Path log = dir.resolve("child-" + attempt + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long before = checkpoint(db);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long wait = 100 + random.nextInt(500);
            // kill once the child has written at least one range of its own, plus a random delay
            while (checkpoint(db) <= before && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(wait);
            boolean alive = p.isAlive();
            p.destroyForcibly(); // SIGKILL
            p.waitFor(10, TimeUnit.SECONDS);
            long after = checkpoint(db);
            checkpointsAfterKills.add(after);
            if (alive && after < head) {
                midSyncKills++;
            } else {
                childEnds.add("attempt " + attempt + " exited by itself with " + p.exitValue() + ": " + Files.readString(log));
            }
        }
        assertThat(midSyncKills).as("kills that hit a running sync, checkpoints %s; %s", checkpointsAfterKills, childEnds)
                .isGreaterThanOrEqualTo(5);
        assertThat(childEnds).as("children that stopped on their own must have finished the sync")
                .allSatisfy(e -> assertThat(e).contains("exited by itself with 0"));

        Process last = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child-final.log").toFile())
                .start();
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(Files.readString(dir.resolve("child-final.log"))).isZero();

        try (JdbcStateSink ref = JdbcStateSink.sqlite(refDb); JdbcStateSink got = JdbcStateSink.sqlite(db)) {
            StoreContents expected = ref.contents(31337);
            StoreContents actual = got.contents(31337);
            List<String> uids = actual.events().stream().map(StoredEvent::uid).toList();
            assertThat(new HashSet<>(uids)).as("no duplicates").hasSize(uids.size());
            assertThat(uids).as("no gaps").containsExactlyElementsOf(expected.events().stream().map(StoredEvent::uid).toList());
            assertThat(actual.events()).isEqualTo(expected.events());
            assertThat(actual.diamonds().stream().map(DiamondRecord::facets).toList())
                    .isEqualTo(expected.diamonds().stream().map(DiamondRecord::facets).toList());
            assertThat(Stores.withoutRecentHashes(actual)).isEqualTo(Stores.withoutRecentHashes(expected));
        }
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
