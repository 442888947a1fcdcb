package io.gemforce.sync.examples.cli;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
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
import io.gemforce.sync.testbed.GemforceContracts;
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
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
 * random blocks over {@code --blocks} blocks. Each run is a fresh {@code syncAll} into a fresh store,
 * and is verified: status success, no errors, every diamond synced to the head, its stored facets equal
 * to the loupe's and to the cuts the program made, and every DiamondCut event stored. A run that fails
 * the check makes the command exit 1.
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

    @Option(names = "--prune-history", defaultValue = "0", description = "states the Anvil node keeps besides the head's"
            + " (0, the default: the head's only, fastest to mine; the sync's loupe calls are at the head)")
    long pruneHistory;

    @Option(names = "--no-jvm-start", description = "do not time a child JVM running `gemforce-sync --help`")
    boolean noJvmStart;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One sync: what it took and whether its result checked out. */
    record Run(String name, double seconds, long requests, Map<String, Long> byMethod, long refused, SyncSummary summary,
            List<String> problems, String stored) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        try (Anvil anvil = Anvil.startPruned(pruneHistory)) {
            GemforceContracts g = new GemforceContracts(anvil).deployAll();
            log(err, "generating " + diamonds + " diamonds and " + events + " cuts over " + blocks + " blocks (seed " + seed + ")...");
            long t0 = System.nanoTime();
            Chain chain = generate(anvil, g, err);
            double genSeconds = (System.nanoTime() - t0) / 1e9;
            long head = anvil.blockNumber();
            long span = head - g.factoryBlock + 1;
            log(err, String.format("generated in %.1f s: blocks %d..%d", genSeconds, g.factoryBlock, head));

            Map<Address, List<Facet>> loupe = new LinkedHashMap<>();
            try (Web3jChainSource direct = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build()) {
                for (Address d : chain.models.keySet()) {
                    loupe.put(d, direct.facets(d, head));
                }
            }

            Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
            Networks nets = Networks.defaults().toBuilder().add(local).build();
            List<Run> results = new ArrayList<>();
            try (LatencyProxy proxy = LatencyProxy.builder(anvil.rpcUrl()).latency(Duration.ofMillis(latencyMs))
                    .maxBlockRange(cap).threads(Math.max(32, 2 * concurrency)).start()) {
                for (int i = 1; i <= runs; i++) {
                    String suffix = runs > 1 ? " #" + i : "";
                    results.add(runSync("syncAll -> in-memory sink" + suffix, proxy, nets, new InMemoryStateSink(), chain, loupe,
                            head, err));
                    if (sqlite) {
                        Path file = Files.createTempFile("gemforce-bench-sparse", ".sqlite");
                        try (JdbcStateSink sink = JdbcStateSink.sqlite(file)) {
                            results.add(runSync("syncAll -> JDBC sink (SQLite)" + suffix, proxy, nets, sink, chain, loupe, head,
                                    err));
                        } finally {
                            Files.deleteIfExists(file);
                        }
                    }
                }
            }
            double jvm = noJvmStart ? -1 : jvmStart(err);
            print(out, g.factoryBlock, head, span, genSeconds, results, jvm);
            return results.stream().allMatch(r -> r.problems().isEmpty()) ? GemforceSyncCli.OK : GemforceSyncCli.FAILURE;
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

    // ------------------------------------------------------------------------------ the chain

    /** What the program did: per diamond, the test selectors it holds and their facets; DiamondCut events emitted. */
    record Chain(Map<Address, Map<Selector, Address>> models, long diamondCuts) {
    }

    /**
     * Creations and cuts at {@code diamonds + events} distinct random blocks of the next {@code blocks}
     * blocks (one transaction per block, gaps mined with {@code anvil_mine}); creations are spread over
     * the range like the cuts, so the sync discovers diamonds as it goes.
     */
    private Chain generate(Anvil anvil, GemforceContracts g, PrintWriter err) {
        Random rnd = new Random(seed);
        List<Address> facets = List.of(g.facetA, g.facetB, g.facetC);
        long start = anvil.blockNumber();
        long last = g.factoryBlock + blocks - 1; // the synced span, factoryBlock..last, is --blocks blocks
        long room = last - start;
        int slots = diamonds + events;
        if (room < slots) {
            throw new IllegalArgumentException("--blocks " + blocks + " leaves " + room + " blocks for " + slots
                    + " transactions");
        }
        // selection sampling: each of the blocks start+1 .. last is picked with probability needed/left
        long[] positions = new long[slots];
        int picked = 0;
        for (long b = 1; b <= room && picked < slots; b++) {
            if (rnd.nextDouble() * (room - b + 1) < slots - picked) {
                positions[picked++] = start + b;
            }
        }
        Map<Address, Map<Selector, Address>> models = new LinkedHashMap<>();
        List<Address> created = new ArrayList<>();
        long current = start;
        long cuts = 0;
        long lastReport = System.nanoTime();
        for (int i = 0; i < slots; i++) {
            mineTo(anvil, current, positions[i] - 1);
            int leftToCreate = diamonds - created.size();
            boolean create = created.isEmpty() || (leftToCreate > 0 && rnd.nextInt(slots - i) < leftToCreate);
            if (create) {
                int n = created.size() + 1;
                Address d = g.createDiamond(Anvil.DEPLOYER, "SP" + n, "Sparse " + n);
                created.add(d);
                models.put(d, new HashMap<>());
            } else {
                Address d = created.get(rnd.nextInt(created.size()));
                FacetCut cut = randomCut(rnd, models.get(d), TestSelectors.ALL, facets);
                g.diamondCut(Anvil.DEPLOYER, d, List.of(cut));
                cuts++;
            }
            current = positions[i];
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                log(err, "  " + (i + 1) + "/" + slots + " transactions, block " + current);
                lastReport = System.nanoTime();
            }
        }
        mineTo(anvil, current, last);
        return new Chain(models, cuts + created.size()); // each creation emits one DiamondCut too
    }

    /**
     * Mines from {@code current} up to {@code target} (nothing when already there), 2,000 blocks per call
     * at most: on a pruned Anvil each block costs time in proportion to the state (measured here: about
     * 0.05 ms per block for each factory-made diamond), and one call must answer within 30 s.
     */
    private static void mineTo(Anvil anvil, long current, long target) {
        long left = target - current;
        while (left > 0) {
            int n = (int) Math.min(left, 2_000);
            anvil.mine(n);
            left -= n;
        }
    }

    /** A cut that EIP-2535 accepts on a diamond holding {@code model}; applies it to {@code model}. */
    private static FacetCut randomCut(Random rnd, Map<Selector, Address> model, List<Selector> all, List<Address> facets) {
        List<Selector> absent = new ArrayList<>(all);
        absent.removeAll(model.keySet());
        List<Selector> present = new ArrayList<>(all);
        present.retainAll(model.keySet());
        while (true) {
            int action = rnd.nextInt(10); // add 40 %, replace 30 %, remove 30 %
            if (action < 4 && !absent.isEmpty()) {
                Address facet = facets.get(rnd.nextInt(facets.size()));
                List<Selector> chosen = pick(rnd, absent);
                chosen.forEach(s -> model.put(s, facet));
                return FacetCut.add(facet, chosen);
            }
            if (action >= 4 && action < 7 && !present.isEmpty()) {
                Address facet = facets.get(rnd.nextInt(facets.size()));
                List<Selector> movable = present.stream().filter(s -> !model.get(s).equals(facet)).toList();
                if (movable.isEmpty()) {
                    continue;
                }
                List<Selector> chosen = pick(rnd, movable);
                chosen.forEach(s -> model.put(s, facet));
                return FacetCut.replace(facet, chosen);
            }
            if (action >= 7 && !present.isEmpty()) {
                List<Selector> chosen = pick(rnd, present);
                chosen.forEach(model::remove);
                return FacetCut.remove(chosen);
            }
        }
    }

    /** One to three distinct selectors of {@code from}, in a random order. */
    private static List<Selector> pick(Random rnd, List<Selector> from) {
        List<Selector> copy = new ArrayList<>(from);
        java.util.Collections.shuffle(copy, rnd);
        return new ArrayList<>(copy.subList(0, Math.min(copy.size(), 1 + rnd.nextInt(3))));
    }

    // ------------------------------------------------------------------------------- the runs

    private <S extends StateSink & StoreContentsReader> Run runSync(String name, LatencyProxy proxy, Networks nets,
            S sink, Chain chain, Map<Address, List<Facet>> loupe, long head, PrintWriter err) {
        System.gc();
        proxy.reset();
        try (Web3jChainSource source = Web3jChainSource.builder().rpcUrl(proxy.url()).timeout(Duration.ofMinutes(2)).build()) {
            DiamondSyncer syncer = DiamondSyncer.builder().chainSource(source).sink(sink).networks(nets)
                    .concurrency(concurrency).build();
            long t0 = System.nanoTime();
            SyncSummary s = syncer.syncAll("localhost", null, null, false);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Long> byMethod = proxy.counts();
            long requests = proxy.requests();
            long refused = proxy.refused();
            log(err, name + ": " + s.toJson());
            List<String> problems = new ArrayList<>();
            String stored = verify(s, sink, chain, loupe, head, problems);
            problems.forEach(p -> log(err, "  CHECK FAILED: " + p));
            return new Run(name, seconds, requests, byMethod, refused, s, problems, stored);
        }
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
            testPart.keySet().retainAll(new java.util.HashSet<>(TestSelectors.ALL));
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
     * The test facets' selectors (a01()..a22(), b01()..b22(), c01()..c09()) in a fixed order: what the cuts
     * move. Read from the contract artifacts when first needed (picocli creates this command for every
     * command line).
     */
    private static final class TestSelectors {
        static final List<Selector> ALL = testSelectors();
    }

    private static List<Selector> testSelectors() {
        List<Selector> out = new ArrayList<>();
        for (String name : List.of("TestFacetA", "TestFacetB", "TestFacetC")) {
            GemforceContracts.selectors(name).forEach((sig, sel) -> {
                if (sig.matches("[abc]\\d\\d\\(\\)")) { // not supportsInterface (the loupe's) nor emitTransfer
                    out.add(sel);
                }
            });
        }
        return List.copyOf(out);
    }

    /** Wall time of a child JVM running {@code gemforce-sync --help} from this JVM's class path: best of two, seconds. */
    private static double jvmStart(PrintWriter err) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"), GemforceSyncCli.class.getName(), "--help");
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            try {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return -1;
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            } catch (Exception e) {
                log(err, "could not time a child JVM: " + e);
                return -1;
            }
        }
        return best;
    }

    // ----------------------------------------------------------------------------- the report

    private void print(PrintWriter out, long first, long head, long span, double genSeconds, List<Run> results, double jvm) {
        long minRequests = (span + cap - 1) / cap;
        double bound = (double) minRequests / concurrency * latencyMs / 1000.0;
        long budget = minRequests + 10;
        out.printf("%nbench-sparse: %d diamonds, %d DiamondCut events (cuts) over %d blocks; synced blocks %d..%d (%d blocks),"
                + " generated in %.1f s%n", diamonds, events, blocks, first, head, span, genSeconds);
        out.printf("proxy: +%d ms per HTTP request, eth_getLogs capped at %d blocks; syncer concurrency %d; %d cores%n",
                latencyMs, cap, concurrency, Runtime.getRuntime().availableProcessors());
        out.printf("lower bound = ceil(%d / %d) / %d x %d ms = %.3f s; request budget = ceil(%d / %d) + 10 = %d%n%n", span, cap,
                concurrency, latencyMs, bound, span, cap, budget);
        out.printf("%-34s %9s %9s %11s %9s %8s %8s  %s%n", "variant", "wall s", "bound s", "wall/bound", "requests", "budget",
                "within", "verified");
        for (Run r : results) {
            out.printf("%-34s %9.3f %9.3f %11.2f %9d %8d %8s  %s%n", r.name(), r.seconds(), bound,
                    bound > 0 ? r.seconds() / bound : Double.NaN, r.requests(), budget, r.requests() <= budget ? "yes" : "NO",
                    r.problems().isEmpty() ? "yes (" + r.stored() + ", facets = loupe = cuts made)" : "NO: see the checks above");
        }
        out.println();
        for (Run r : results) {
            out.printf("%-34s requests by method: %s; refused by the cap: %d%n", r.name(), r.byMethod(), r.refused());
        }
        if (jvm >= 0) {
            out.printf("%nJVM start + `gemforce-sync --help` in a child JVM (best of 2): %.3f s%n", jvm);
        }
        out.flush();
    }
}
