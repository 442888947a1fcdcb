package io.gemforce.sync.examples.cli;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.testbed.RepoRoot;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The first thing to run: a local Anvil node, the project's Gemforce factory and three diamonds
 * (one upgraded through the time lock, one with an upgrade still pending, one whose ownership
 * moved), one {@code syncAll} into a SQLite file, and what the store then holds. With
 * {@code --follow}, the live demo instead ({@link LiveDemo}): a chain that keeps changing, followed.
 */
@Command(name = "demo", description = "Start a local chain, deploy Gemforce diamonds, sync them into SQLite and show the result;"
        + " with --follow, keep changing them and print each change as the follower commits it (--parse: into Parse,"
        + " with Parse Dashboard).")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--db", defaultValue = "gemforce-demo.sqlite", description = "SQLite file to sync into (recreated; default: ${DEFAULT-VALUE})")
    Path db;

    @Option(names = "--abi", paramLabel = "PATH", description = "ABI files or directories naming the facets' functions;"
            + " repeatable (default: the project's contracts/artifacts, the contracts the demo deploys)")
    List<Path> abi = new ArrayList<>();

    @Option(names = "--follow", description = "keep going: Anvil mines a block every --block-time seconds, a follower keeps"
            + " the store in step, and every few seconds a diamond is upgraded, an upgrade cancelled or an ownership"
            + " transferred; each committed change prints one line. Ctrl-C stops it all (exit 0)")
    boolean follow;

    @Option(names = "--parse", description = "with --follow: the store is a local Parse Server (on a private PostgreSQL),"
            + " with Parse Dashboard to watch the Diamond, Facet and DiamondEvent rows change")
    boolean parse;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "with --follow: stop by itself after this many seconds")
    Long duration;

    @Option(names = "--block-time", paramLabel = "SECONDS", defaultValue = "2",
            description = "with --follow: Anvil's block time (default: ${DEFAULT-VALUE})")
    int blockTime;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "3",
            description = "with --follow: pause between two actions on the chain (default: ${DEFAULT-VALUE})")
    double interval;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!follow && (parse || duration != null)) {
            throw new IllegalArgumentException("--parse and --duration go with --follow");
        }
        if (duration != null && duration < 1 || blockTime < 1 || interval <= 0) {
            throw new IllegalArgumentException("--duration and --block-time must be at least 1 s, --interval positive");
        }
        KnownSignatures names = SyncOptions.signatures(abi.isEmpty()
                ? List.of(RepoRoot.find().resolve("contracts").resolve("artifacts")) : abi);
        if (follow) {
            return new LiveDemo(new LiveDemo.Settings(db, names, parse, duration == null ? null : Duration.ofSeconds(duration),
                    blockTime, Duration.ofMillis(Math.round(interval * 1000)), Duration.ofMillis(500)), out, err).run();
        }
        say(err, "starting a local Anvil node...");
        try (Anvil anvil = Anvil.start()) {
            GemforceContracts g = new GemforceContracts(anvil).deployAll();
            List<String> accounts = anvil.accounts();
            String alice = accounts.get(0);
            String bob = accounts.get(1);
            say(err, "deployed the DiamondFactory at " + g.factory + " and its facets");

            Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
            Map<String, Selector> b = GemforceContracts.selectors("TestFacetB");
            Address gem1 = g.createDiamond(alice, "GEM1", "Gem One");
            Address gem2 = g.createDiamond(alice, "GEM2", "Gem Two");
            Address gem3 = g.createDiamond(bob, "GEM3", "Gem Three");
            say(err, "created 3 diamonds through the factory: " + gem1 + ", " + gem2 + ", " + gem3);

            g.propose(alice, gem1, List.of(FacetCut.add(g.facetA, pick(a, "a", 1, 8))));
            anvil.increaseTime(86_401);
            anvil.mine(1);
            g.execute(alice, gem1);
            say(err, "GEM1: proposed an upgrade, waited out the 1-day time lock, executed it");
            g.propose(alice, gem2, List.of(FacetCut.add(g.facetB, pick(b, "b", 1, 4))));
            say(err, "GEM2: proposed an upgrade that is still pending");
            g.transferOwnership(bob, gem3, alice);
            say(err, "GEM3: ownership transferred from " + bob + " to " + alice);

            Files.deleteIfExists(db);
            Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
            try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build();
                    JdbcStateSink sink = JdbcStateSink.open("jdbc:sqlite:" + db.toAbsolutePath(), null, null, names)) {
                DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink)
                        .networks(Networks.defaults().toBuilder().add(local).build()).build();
                say(err, "syncAll(\"localhost\") into " + db.toAbsolutePath() + " ...");
                SyncSummary summary = syncer.syncAll("localhost", null, null, false);
                out.println(summary.toJson());
                out.println();
                new FacetTable(names, g.facetNames()).diamonds(out, sink.diamonds(31337));
                out.flush();
                return GemforceSyncCli.exitCode(summary);
            }
        } finally {
            say(err, "local Anvil node stopped");
        }
    }

    private static void say(PrintWriter err, String line) {
        err.println(line);
        err.flush();
    }

    private static List<Selector> pick(Map<String, Selector> all, String prefix, int from, int to) {
        List<Selector> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(all.get(String.format("%s%02d()", prefix, i)));
        }
        return out;
    }
}
