package io.gemforce.sync.examples.cli;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.examples.cli.SparseChain.Chain;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoreContentsReader;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.LatencyProxy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The sparse case a hosted provider makes slow: few events spread over a long chain, read through a
 * {@link LatencyProxy} that adds a fixed latency to every request and refuses {@code eth_getLogs}
 * over more blocks than a cap. Time is then spent in round trips, not in decoding, so the program
 * compares the sync's wall time with the lower bound {@code ceil(blocks / cap) / concurrency x latency}
 * and its HTTP requests with the budget {@code ceil(blocks / cap) + 10}.
 *
 * <p>A pruned Anvil node ({@code --prune-history}, no old state: the sync must not need old-block
 * calls), the project's factory, {@code --diamonds} diamonds created through it and {@code --events}
 * valid EIP-2535 cuts (add, replace, remove of the test facets' selectors) on random diamonds, all at
 * random blocks over {@code --blocks} blocks ({@link SparseChain}: built on a forking node, which mines
 * fast, and loaded into the pruned one; {@code --chain-cache} keeps it for later runs).
 *
 * <p>Each run reads the span raw first (one plain {@code eth_getLogs} per cap-sized range, the same
 * concurrency, proxy and node: what the node's scanning costs, which the bound leaves out), then
 * syncs it with {@code syncAll} into fresh stores in this JVM, and with {@code gemforce-sync sync-all}
 * in a child JVM as a user runs it (the issue's own measurement; its target adds a JVM start, timed
 * with {@code --help}). Each sync is verified: status success, no errors, every diamond synced to the
 * head, its stored facets equal to the loupe's and to the cuts the program made, and every DiamondCut
 * event stored. A run that fails the check makes the command exit 1.
 *
 * <p>Then (unless {@code --no-replay}) the raw read, the in-process sync and the CLI run again with
 * the proxy replaying the node's answers from the live runs ({@link LatencyProxy#replay}): the same
 * latency, cap and answers, but a node that takes no time, which is what the bound's formula
 * assumes. On a machine where the node shares the cores with the client, the live rows carry the
 * node's scanning and the replayed rows show what the client's scheduling alone costs.
 */
@Command(name = "bench-sparse", description = "Measure syncAll over a long sparse chain behind a provider-like proxy"
        + " (latency, eth_getLogs block-range cap) against the round-trip lower bound.")
final class BenchSparseCommand implements Callable<Integer> {
    @Option(names = "--diamonds", defaultValue = "100", description = "diamonds created through the factory (default: ${DEFAULT-VALUE})")
    int diamonds;

    @Option(names = "--events", defaultValue = "500", description = "DiamondCut events (cuts) after the creations (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--blocks", defaultValue = "1000000", description = "blocks the sync covers, from the factory's"
            + " deployment block; the creations and cuts are spread over them (default: ${DEFAULT-VALUE})")
    long blocks;

    @Option(names = "--cap", defaultValue = "10000", description = "the proxy's eth_getLogs block-range cap (default: ${DEFAULT-VALUE})")
    long cap;

    @Option(names = "--latency-ms", defaultValue = "50", description = "latency the proxy adds to every HTTP request (default: ${DEFAULT-VALUE})")
    long latencyMs;

    @Option(names = "--concurrency", defaultValue = "4", description = "eth_getLogs requests in flight (DiamondSyncer.Builder.concurrency; default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--sqlite", description = "also sync into the JDBC sink on a SQLite file")
    boolean sqlite;

    @Option(names = "--runs", defaultValue = "1", description = "fresh syncs per store (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--seed", defaultValue = "1", description = "random seed of the block positions and cuts (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--prune-history", defaultValue = "0", description = "states the serving Anvil node keeps besides the"
            + " head's (0, the default: the head's only; the chain is loaded, not mined there, so none older is held either way;"
            + " the sync's loupe calls are at the head)")
    long pruneHistory;

    @Option(names = "--chain-cache", paramLabel = "DIR", description = "keep the generated chain (an Anvil state dump) in DIR,"
            + " keyed by the shape, the seed, the Anvil version and the contracts, and load it from there when present")
    Path chainCache;

    @Option(names = "--no-jvm-start", description = "do not time a child JVM running `gemforce-sync --help`")
    boolean noJvmStart;

    @Option(names = "--no-cli", description = "do not run `gemforce-sync sync-all` in a child JVM (as a user runs it) each run")
    boolean noCli;

    @Option(names = "--no-replay", description = "do not run the variants again against a replayed node (the proxy answering"
            + " from memory what the node answered in the live runs: a node that takes no time, the bound's model)")
    boolean noReplay;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One sync: what it took and whether its result checked out. */
    record Run(String name, double seconds, long requests, Map<String, Long> byMethod, long refused, Cpu cpu,
            SyncSummary summary, List<String> problems, String stored, Resumed resumed, Replay replay) {
    }

    /** Calls a replaying proxy answered from memory during a run, and calls it had to ask the node. */
    record Replay(long replayed, long missed) {
        static Replay of(LatencyProxy proxy) {
            return new Replay(proxy.replayed(), proxy.replayMisses());
        }
    }

    /** The baseline of one run: the same span read with plain eth_getLogs, cap-sized ranges, through the same proxy. */
    record Raw(String name, double seconds, long requests, long logs, Cpu cpu) {
    }

    /** The same sync run again on its store with nothing new: what a follower's idle round costs. */
    record Resumed(double seconds, long requests, Map<String, Long> byMethod) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        log(err, "generating " + diamonds + " diamonds and " + events + " cuts over " + blocks + " blocks (seed " + seed + ")...");
        long t0 = System.nanoTime();
        try (SparseChain sc = SparseChain.create(new SparseChain.Shape(diamonds, events, blocks, seed), pruneHistory,
                chainCache, err)) {
            double genSeconds = (System.nanoTime() - t0) / 1e9;
            Anvil anvil = sc.node;
            Chain chain = sc.chain;
            long head = sc.head;
            long span = head - sc.factoryBlock + 1;
            log(err, String.format("generated in %.1f s: blocks %d..%d, %s", genSeconds, sc.factoryBlock, head, sc.how));

            Map<Address, List<Facet>> loupe = new LinkedHashMap<>();
            try (Web3jChainSource direct = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build()) {
                for (Address d : chain.models().keySet()) {
                    loupe.put(d, direct.facets(d, head));
                }
            }

            Network local = Networks.defaults().resolve("localhost").withFactories(List.of(sc.factory), sc.factoryBlock);
            Networks nets = Networks.defaults().toBuilder().add(local).build();
            List<Run> results = new ArrayList<>();
            List<Raw> raws = new ArrayList<>();
            List<Raw> pairs = new ArrayList<>(); // each result's raw read: the one of its run
            LatencyProxy.Builder proxied = LatencyProxy.builder(anvil.rpcUrl()).latency(Duration.ofMillis(latencyMs))
                    .maxBlockRange(cap).threads(Math.max(32, 2 * concurrency));
            try (LatencyProxy proxy = (noReplay ? proxied : proxied.remember()).start()) {
                List<String> filters = rawFilters(sc.factoryBlock, head);
                for (boolean replayed : noReplay ? new boolean[] {false} : new boolean[] {false, true}) {
                    if (!noReplay) {
                        proxy.replay(replayed); // after the live runs, which the proxy remembers: the node's answers from memory
                    }
                    String node = replayed ? ", replayed" : "";
                    for (int i = 1; i <= runs; i++) {
                        String suffix = node + (runs > 1 ? " #" + i : "");
                        Raw raw = runRaw("(r" + concurrency + ") raw eth_getLogs" + suffix, proxy, anvil, filters, err);
                        raws.add(raw);
                        results.add(runSync("syncAll -> in-memory sink" + suffix, proxy, anvil, nets, new InMemoryStateSink(), chain,
                                loupe, head, err));
                        if (sqlite && !replayed) {
                            Path file = Files.createTempFile("gemforce-bench-sparse", ".sqlite");
                            try (JdbcStateSink sink = JdbcStateSink.sqlite(file)) {
                                results.add(runSync("syncAll -> JDBC sink (SQLite)" + suffix, proxy, anvil, nets, sink, chain, loupe, head,
                                        err));
                            } finally {
                                Files.deleteIfExists(file);
                            }
                        }
                        if (!noCli) {
                            results.add(runCli("sync-all CLI (child JVM) -> SQLite" + suffix, proxy, anvil, sc, chain, loupe, err));
                        }
                        while (pairs.size() < results.size()) {
                            pairs.add(raw);
                        }
                    }
                }
            }
            double jvm = noJvmStart ? -1 : ChildJvm.start(2);
            SparseReport.print(this, out, sc.factoryBlock, head, span, genSeconds, sc.how, raws, results, pairs, jvm);
            long stored = results.stream().filter(r -> r.summary() != null).mapToLong(r -> r.summary().eventsIndexed()).max()
                    .orElse(0);
            boolean ok = results.stream().allMatch(r -> r.problems().isEmpty()) && raws.stream().allMatch(r -> r.logs() >= stored);
            return ok ? GemforceSyncCli.OK : GemforceSyncCli.FAILURE;
        }
    }

    private void validate() {
        if (diamonds < 1 || events < 0 || cap < 1 || latencyMs < 0 || runs < 1 || pruneHistory < 0) {
            throw new IllegalArgumentException("need --diamonds >= 1, --events >= 0, --cap >= 1, --latency-ms >= 0, --runs >= 1,"
                    + " --prune-history >= 0");
        }
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("--concurrency must be between 1 and 64");
        }
        if ((long) diamonds + events + 2 > blocks) { // the factory's setup takes the span's first two blocks
            throw new IllegalArgumentException("--blocks must be at least --diamonds + --events + 2 (one transaction per block)");
        }
    }

    private static void log(PrintWriter err, String s) {
        err.println(s);
        err.flush();
    }

    // ------------------------------------------------------------------------------- the runs

    private <S extends StateSink & StoreContentsReader> Run runSync(String name, LatencyProxy proxy, Anvil anvil, Networks nets,
            S sink, Chain chain, Map<Address, List<Facet>> loupe, long head, PrintWriter err) {
        System.gc();
        proxy.reset();
        try (Web3jChainSource source = Web3jChainSource.builder().rpcUrl(proxy.url()).timeout(Duration.ofMinutes(2)).build()) {
            DiamondSyncer syncer = DiamondSyncer.builder().chainSource(source).sink(sink).networks(nets)
                    .concurrency(concurrency).build();
            Cpu.Clock clock = Cpu.start(anvil);
            long t0 = System.nanoTime();
            SyncSummary s = syncer.syncAll("localhost", null, null, false);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Cpu cpu = clock.stop();
            Map<String, Long> byMethod = proxy.counts();
            long requests = proxy.requests();
            long refused = proxy.refused();
            Replay replay = Replay.of(proxy);
            log(err, name + ": " + s.toJson());
            List<String> problems = new ArrayList<>();
            String stored = verify(s, sink, chain, loupe, head, problems);
            proxy.reset();
            long t1 = System.nanoTime();
            SyncSummary again = syncer.syncAll("localhost", null, null, false);
            Resumed resumed = new Resumed((System.nanoTime() - t1) / 1e9, proxy.requests(), proxy.counts());
            if (again.status() != SyncStatus.SUCCESS || again.eventsIndexed() != 0 || again.lastSyncedBlock() != head) {
                problems.add("run again with nothing new: " + again.toJson());
            }
            problems.forEach(p -> log(err, "  CHECK FAILED: " + p));
            return new Run(name, seconds, requests, byMethod, refused, cpu, s, problems, stored, resumed, replay);
        }
    }

    /** One filter per cap-sized range of {@code [first, head]}, for the events syncAll reads, of any emitter. */
    private List<String> rawFilters(long first, long head) {
        List<String> topic0s = java.util.Arrays.stream(EventType.values()).map(EventType::topic0).toList();
        List<String> filters = new ArrayList<>();
        for (long from = first; from <= head; from += cap) {
            filters.add(RawGetLogs.filter(from, Math.min(head, from + cap - 1), List.of(), topic0s));
        }
        return filters;
    }

    /**
     * The baseline: what reading the span costs with no SDK, the node and the proxy being the same. Its
     * wall time holds the node's scanning, which the round-trip bound leaves out.
     */
    private Raw runRaw(String name, LatencyProxy proxy, Anvil anvil, List<String> filters, PrintWriter err)
            throws Exception {
        System.gc();
        proxy.reset();
        Cpu.Clock clock = Cpu.start(anvil);
        long t0 = System.nanoTime();
        long logs = RawGetLogs.count(proxy.url(), filters, concurrency);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Raw r = new Raw(name, seconds, proxy.requests(), logs, clock.stop());
        log(err, name + ": " + logs + " logs in " + r.requests() + " requests");
        return r;
    }

    /** The checks a correct sync passes; adds what fails to {@code problems}, returns what the store holds. */
    private <S extends StateSink & StoreContentsReader> String verify(SyncSummary s, S sink, Chain chain,
            Map<Address, List<Facet>> loupe, long head, List<String> problems) {
        if (s.status() != SyncStatus.SUCCESS || !s.errors().isEmpty()) {
            problems.add("status " + s.status().jsonValue() + ", errors " + s.errors());
        }
        if (s.diamondsSynced() != diamonds) {
            problems.add("diamondsSynced " + s.diamondsSynced() + ", expected " + diamonds);
        }
        if (s.lastSyncedBlock() != head) {
            problems.add("lastSyncedBlock " + s.lastSyncedBlock() + ", expected the head " + head);
        }
        long chainId = 31337;
        StoreContents contents = sink.contents(chainId);
        long storedCuts = contents.events().stream().filter(e -> e.eventType() == EventType.DIAMOND_CUT).count();
        if (storedCuts != chain.diamondCuts()) {
            problems.add(storedCuts + " DiamondCut events stored, expected " + chain.diamondCuts());
        }
        Map<Address, DiamondRecord> records = new HashMap<>();
        sink.diamonds(chainId).forEach(r -> records.put(r.address(), r));
        if (records.size() != diamonds) {
            problems.add(records.size() + " diamonds stored, expected " + diamonds);
        }
        int facetMismatches = 0;
        for (Map.Entry<Address, Map<Selector, Address>> e : chain.models().entrySet()) {
            DiamondRecord r = records.get(e.getKey());
            if (r == null) {
                problems.add(e.getKey() + " not stored");
                continue;
            }
            Map<Selector, Address> testPart = new HashMap<>(r.state().selectorMap());
            testPart.keySet().retainAll(new java.util.HashSet<>(SparseChain.TestSelectors.ALL));
            boolean ok = r.lastSyncedBlock() == head && r.consistent() && r.state().sameFacetsAs(loupe.get(e.getKey()))
                    && testPart.equals(e.getValue());
            if (!ok && facetMismatches++ < 5) {
                problems.add(e.getKey() + ": stored facets " + r.facets() + " at block " + r.lastSyncedBlock()
                        + (r.consistent() ? "" : " (flagged inconsistent)") + "; loupe " + loupe.get(e.getKey())
                        + "; cuts made " + e.getValue());
            }
        }
        if (facetMismatches > 5) {
            problems.add((facetMismatches - 5) + " more diamonds differ");
        }
        return contents.events().size() + " events, " + records.size() + " diamonds";
    }

    /**
     * {@code gemforce-sync sync-all} in a child JVM into a fresh SQLite file, as a user runs it after a
     * build: the issue's own measurement. Verified as the in-process runs are (the summary it printed,
     * the store it left); run again with nothing new.
     */
    private Run runCli(String name, LatencyProxy proxy, Anvil anvil, SparseChain sc, Chain chain,
            Map<Address, List<Facet>> loupe, PrintWriter err) throws Exception {
        Path file = Files.createTempFile("gemforce-bench-sparse-cli", ".sqlite");
        try {
            List<String> args = List.of("sync-all", "--network", "localhost", "--rpc-url", proxy.url(), "--factory",
                    sc.factory.hex(), "--start-block", Long.toString(sc.factoryBlock), "--store", "jdbc:sqlite:" + file,
                    "--concurrency", Integer.toString(concurrency), "--no-progress");
            proxy.reset();
            Cpu.Clock clock = Cpu.start(anvil);
            ChildJvm.Outcome o = ChildJvm.run(args, 600);
            Cpu node = clock.stop();
            Map<String, Long> byMethod = proxy.counts();
            long requests = proxy.requests();
            long refused = proxy.refused();
            Replay replay = Replay.of(proxy);
            List<String> problems = new ArrayList<>();
            SyncSummary s = ChildJvm.summary(o, problems);
            log(err, name + ": " + (s == null ? "exit " + o.exit() : s.toJson()));
            String stored = "-";
            if (s != null) {
                try (JdbcStateSink sink = JdbcStateSink.sqlite(file)) {
                    stored = verify(s, sink, chain, loupe, sc.head, problems);
                }
            }
            proxy.reset();
            ChildJvm.Outcome again = ChildJvm.run(args, 600);
            SyncSummary a = ChildJvm.summary(again, problems);
            if (a != null && (a.status() != SyncStatus.SUCCESS || a.eventsIndexed() != 0 || a.lastSyncedBlock() != sc.head)) {
                problems.add("run again with nothing new: " + a.toJson());
            }
            problems.forEach(p -> log(err, "  CHECK FAILED: " + p));
            return new Run(name, o.seconds(), requests, byMethod, refused, new Cpu(-1, node.nodeNanos()), s, problems, stored,
                    new Resumed(again.seconds(), proxy.requests(), proxy.counts()), replay);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
