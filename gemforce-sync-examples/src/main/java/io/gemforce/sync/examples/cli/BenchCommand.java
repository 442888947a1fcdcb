package io.gemforce.sync.examples.cli;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.testbed.LocalPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint256;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Sync throughput against the node's own serving rate, measured in one run on one machine. The
 * baselines fetch exactly the ranges a {@code syncEvents} run used with raw {@code eth_getLogs}, the
 * JSON streamed and every log counted: (a1) one request in flight, (aN) {@code --concurrency} requests
 * in flight. The variants: {@code syncEvents} and {@code syncAll} (the factory configured), each into
 * the in-memory sink, the JDBC sink on a SQLite file and the JDBC sink on a private PostgreSQL
 * ({@link LocalPostgres}). It prints events per second, the ratios to both baselines, the RPC calls by
 * method, the peak heap of each. Run it with a small heap (-Xmx256m) to check that memory stays bounded.
 */
@Command(name = "bench", description = "Measure syncEvents and syncAll throughput against raw eth_getLogs baselines"
        + " (1 and --concurrency requests in flight) on a local Anvil node.")
final class BenchCommand implements Callable<Integer> {
    /** Every variant the program runs, by id; --skip takes an id or a word of one (memory, syncAll, ...). */
    private static final List<String> VARIANTS = List.of("syncEvents-sqlite", "raw-parallel", "syncEvents-postgres",
            "syncAll-sqlite", "syncAll-postgres", "syncEvents-memory", "syncAll-memory");
    private static final List<String> SKIP_WORDS = List.of("memory", "sqlite", "postgres", "jdbc", "syncEvents", "syncAll",
            "raw-parallel");

    @Option(names = "--events", defaultValue = "100000", description = "DiamondCut events to generate (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--per-tx", defaultValue = "4000", description = "events per transaction (default: ${DEFAULT-VALUE})")
    int perTx;

    @Option(names = "--initial-range", defaultValue = "2", description = "first eth_getLogs range in blocks (default: ${DEFAULT-VALUE})")
    long initialRange;

    @Option(names = "--concurrency", defaultValue = "4", description = "eth_getLogs requests in flight: given to the syncer"
            + " (DiamondSyncer.Builder.concurrency) and used by the parallel raw baseline (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--skip", split = ",", description = "variants to skip: memory, sqlite, postgres, jdbc (SQLite and"
            + " PostgreSQL), syncEvents, syncAll, raw-parallel, or one variant such as syncAll-postgres; repeatable")
    List<String> skip = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    record Result(String name, long events, double seconds, Map<String, Long> calls, long[] heap, String note, Cpu cpu) {
        long peakHeap() {
            return heap[0];
        }

        long peakLive() {
            return heap[1];
        }

        double rate() {
            return events / seconds;
        }
    }

    /** Whether a variant ({@code syncAll-postgres}, {@code raw-parallel}, ...) is skipped: by its id or one of its words. */
    boolean skipped(String variant) {
        for (String token : skip) {
            String t = token.trim();
            if (t.equalsIgnoreCase(variant)) {
                return true;
            }
            for (String word : variant.split("-")) {
                if (t.equalsIgnoreCase(word) || (t.equalsIgnoreCase("jdbc") && (word.equals("sqlite") || word.equals("postgres")))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void validate() {
        for (String token : skip) {
            String t = token.trim();
            if (SKIP_WORDS.stream().noneMatch(t::equalsIgnoreCase) && VARIANTS.stream().noneMatch(t::equalsIgnoreCase)) {
                throw new IllegalArgumentException("--skip " + t + ": not a variant; use one of " + SKIP_WORDS + " or "
                        + VARIANTS);
            }
        }
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("--concurrency must be between 1 and 64");
        }
        if (events < 1 || perTx < 1 || initialRange < 1) {
            throw new IllegalArgumentException("--events, --per-tx and --initial-range must be positive");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        try (Anvil anvil = Anvil.start(); Closer closer = new Closer()) {
            GemforceContracts g = new GemforceContracts(anvil).deployAll();
            Address diamond = g.createDiamond(Anvil.DEPLOYER, "BENCH", "Bench");
            Address spammer = g.deploy("CutSpammer");
            Selector emit = GemforceContracts.selectors("CutSpammer").get("emitCuts(uint256,address,bytes4)");
            g.diamondCut(Anvil.DEPLOYER, diamond, List.of(FacetCut.add(spammer, List.of(emit))));
            long from = anvil.blockNumber();
            log(err, "generating " + events + " DiamondCut events, " + perTx + " per transaction...");
            long t0 = System.nanoTime();
            for (int done = 0; done < events; done += perTx) {
                int n = Math.min(perTx, events - done);
                @SuppressWarnings("rawtypes")
                List<Type> args = List.of(new Uint256(BigInteger.valueOf(n)), new org.web3j.abi.datatypes.Address(g.facetA.hex()),
                        new Bytes4(new byte[] {0x12, 0x34, 0x56, 0x78}));
                g.send(Anvil.DEPLOYER, diamond, GemforceContracts.call("emitCuts", args));
            }
            long to = anvil.blockNumber();
            log(err, String.format("generated in %.1f s, blocks %d..%d", (System.nanoTime() - t0) / 1e9, from, to));
            // the factory is configured: syncAll finds the diamond through its DiamondCreated log
            Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
            Networks nets = Networks.defaults().toBuilder().add(local).build();
            Operation syncEvents = new Operation("syncEvents",
                    syncer -> syncer.syncEvents(diamond.hex(), "localhost", "DiamondCut", from));
            Operation syncAll = new Operation("syncAll", syncer -> syncer.syncAll("localhost", null, null, false));

            // untimed warm-up: a syncEvents into a sink that stores nothing (it records the ranges that the baselines
            // replay), one into a throw-away SQLite file when a SQLite variant runs (PostgreSQL's comes with its
            // server), a syncAll into one when a syncAll variant runs (its state step, discovery and diamond writes),
            // a raw pass; every timed variant then runs on warm code (the JDBC sink's and the driver's too), as a
            // long-running service does after its first minute. Memory last, as it may run out of heap.
            List<long[]> ranges = new ArrayList<>();
            List<Result> results = new ArrayList<>();
            runSync("(warm-up)", syncEvents, anvil, nets, new CountingSink(), ranges, err);
            if (!skipped("syncEvents-sqlite") || !skipped("syncAll-sqlite")) {
                sqlite(new Operation("(warm-up)", syncEvents.call()), anvil, nets, new ArrayList<>(), err);
            }
            if (!skipped("syncAll-sqlite") || !skipped("syncAll-postgres") || !skipped("syncAll-memory")) {
                sqlite(new Operation("(warm-up)", syncAll.call()), anvil, nets, new ArrayList<>(), err);
            }
            rawGetLogs(anvil, diamond, ranges, 1, err);
            // each variant is paired with a parallel raw read of the same ranges just before it: the node's speed
            // drifts over a run (its CPU for the same read moved by a quarter between runs), and a ratio against a
            // baseline taken minutes earlier would carry that drift
            Paired paired = new Paired(skipped("raw-parallel") ? null : () -> rawGetLogs(anvil, diamond, ranges, concurrency, err));
            if (!skipped("syncEvents-sqlite")) {
                results.add(paired.run(() -> sqlite(syncEvents, anvil, nets, new ArrayList<>(), err)));
            }
            Result raw1 = rawGetLogs(anvil, diamond, ranges, 1, err);
            Result rawN = concurrency > 1 && !skipped("raw-parallel") ? rawGetLogs(anvil, diamond, ranges, concurrency, err)
                    : null;
            Postgres pg = new Postgres(err);
            closer.add(pg);
            if (!skipped("syncEvents-postgres")) {
                pg.ready(syncEvents, anvil, nets);
                results.add(paired.run(() -> pg.run(syncEvents, anvil, nets)));
            }
            if (!skipped("syncAll-sqlite")) {
                results.add(paired.run(() -> sqlite(syncAll, anvil, nets, new ArrayList<>(), err)));
            }
            if (!skipped("syncAll-postgres")) {
                pg.ready(syncAll, anvil, nets);
                results.add(paired.run(() -> pg.run(syncAll, anvil, nets)));
            }
            if (!skipped("syncEvents-memory")) {
                results.add(paired.run(() -> runSync("syncEvents -> in-memory sink", syncEvents, anvil, nets,
                        new InMemoryStateSink(), new ArrayList<>(), err)));
            }
            if (!skipped("syncAll-memory")) {
                results.add(paired.run(() -> runSync("syncAll -> in-memory sink", syncAll, anvil, nets, new InMemoryStateSink(),
                        new ArrayList<>(), err)));
            }
            List<Result> baselines = new ArrayList<>();
            baselines.add(raw1);
            if (rawN != null) {
                baselines.add(rawN);
            }
            BenchReport.print(out, baselines, results, paired.pairs, ranges.size());
            return BenchReport.verified(out, raw1.events(), results) ? GemforceSyncCli.OK : GemforceSyncCli.FAILURE;
        }
    }

    private static void log(PrintWriter err, String s) {
        err.println(s);
        err.flush();
    }

    /** Runs each variant right after a raw read of its own (none when raw-parallel is skipped), kept by the variant's name. */
    private static final class Paired {
        final Map<String, Result> pairs = new java.util.LinkedHashMap<>();
        private final Callable<Result> raw;

        Paired(Callable<Result> raw) {
            this.raw = raw;
        }

        Result run(Callable<Result> variant) throws Exception {
            Result before = raw == null ? null : raw.call();
            Result r = variant.call();
            if (before != null) {
                pairs.put(r.name(), before);
            }
            return r;
        }
    }

    /** A sync operation of the façade, named for the report. */
    record Operation(String name, java.util.function.Function<DiamondSyncer, SyncSummary> call) {
    }

    private Result sqlite(Operation op, Anvil anvil, Networks nets, List<long[]> ranges, PrintWriter err) throws IOException {
        Path file = Files.createTempFile("gemforce-bench", ".sqlite");
        try (JdbcStateSink sink = JdbcStateSink.sqlite(file)) {
            return runSync(op.name() + " -> JDBC sink (SQLite)", op, anvil, nets, sink, ranges, err);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A private PostgreSQL, started on first use; a database per variant. */
    private final class Postgres implements AutoCloseable {
        private final PrintWriter err;
        private LocalPostgres pg;
        private Path logs;
        private String unavailable;
        /** Whether an untimed sync into a throw-away database has run (the driver's and the sink's code warm). */
        private boolean warm;

        Postgres(PrintWriter err) {
            this.err = err;
        }

        Result run(Operation op, Anvil anvil, Networks nets) {
            String name = op.name() + " -> JDBC sink (PostgreSQL)";
            if (!ready(op, anvil, nets)) {
                return new Result(name, 0, 0, Map.of(), new long[2], "SKIPPED: PostgreSQL unavailable (" + unavailable + ")",
                        Cpu.NONE);
            }
            return syncInto("bench_" + op.name().toLowerCase(java.util.Locale.ROOT), name, op, anvil, nets);
        }

        /** Starts the server and warms the sink's code on first use; false when PostgreSQL is unavailable. */
        boolean ready(Operation op, Anvil anvil, Networks nets) {
            if (pg == null && unavailable == null) {
                try {
                    logs = Files.createTempDirectory("gemforce-bench-pg-logs");
                    log(err, "starting a private PostgreSQL...");
                    pg = LocalPostgres.builder().logDir(logs).start();
                } catch (IOException | RuntimeException e) {
                    unavailable = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                    log(err, "PostgreSQL unavailable, its variants are skipped: " + unavailable);
                }
            }
            if (pg == null) {
                return false;
            }
            if (!warm) {
                warm = true;
                syncInto("bench_warmup", "(warm-up) -> JDBC sink (PostgreSQL)", op, anvil, nets);
            }
            return true;
        }

        /** {@code op} into a new database {@code db} of the private server. */
        private Result syncInto(String db, String name, Operation op, Anvil anvil, Networks nets) {
            pg.createDatabase(db);
            try (JdbcStateSink sink = JdbcStateSink.open(pg.jdbcUrl(db), null, null)) {
                return runSync(name, op, anvil, nets, sink, new ArrayList<>(), err);
            }
        }

        @Override
        public void close() {
            if (pg != null) {
                pg.close();
            }
            if (logs != null) {
                try (var files = Files.walk(logs)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** Closes what was added, last first. */
    private static final class Closer implements AutoCloseable {
        private final List<AutoCloseable> items = new ArrayList<>();

        void add(AutoCloseable c) {
            items.add(c);
        }

        @Override
        public void close() throws Exception {
            for (int i = items.size() - 1; i >= 0; i--) {
                items.get(i).close();
            }
        }
    }

    private Result runSync(String name, Operation op, Anvil anvil, Networks nets, StateSink sink, List<long[]> ranges,
            PrintWriter err) {
        System.gc();
        LiveHeap live = new LiveHeap();
        Cpu.Clock cpu = Cpu.start(anvil);
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).timeout(Duration.ofMinutes(2)).build()) {
            DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(nets)
                    .blockRange(initialRange, 1, 100_000).concurrency(concurrency)
                    .listener((scope, a, b, target, ev) -> ranges.add(new long[] {a, b})).build();
            long t0 = System.nanoTime();
            try {
                SyncSummary s = op.call().apply(syncer);
                double seconds = (System.nanoTime() - t0) / 1e9;
                Cpu used = cpu.stop(); // before the heap's closing collection, which is not the variant's
                log(err, name + ": " + s.toJson());
                return new Result(name, s.eventsIndexed(), seconds, chain.callCounts(), live.stop(sink),
                        s.status().jsonValue(), used);
            } catch (OutOfMemoryError oom) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                Cpu used = cpu.stop();
                log(err, name + ": ran out of heap after " + seconds + " s");
                return new Result(name, 0, seconds, chain.callCounts(), live.stop(sink),
                        "OUT OF MEMORY (this sink holds every event on the heap)", used);
            }
        }
    }

    /**
     * A baseline: the same ranges fetched with eth_getLogs, {@code inFlight} requests at a time, the
     * JSON parsed and the logs counted.
     */
    private Result rawGetLogs(Anvil anvil, Address diamond, List<long[]> ranges, int inFlight, PrintWriter err) throws Exception {
        List<String> filters = ranges.stream().map(r -> RawGetLogs.filter(r[0], r[1], List.of(diamond.hex()),
                List.of(EventType.DIAMOND_CUT.topic0()))).toList();
        System.gc();
        LiveHeap live = new LiveHeap();
        Cpu.Clock cpu = Cpu.start(anvil);
        long t0 = System.nanoTime();
        long count = RawGetLogs.count(anvil.rpcUrl(), filters, inFlight);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Cpu used = cpu.stop();
        String name = "(a" + inFlight + ") raw eth_getLogs, " + inFlight + " in flight";
        log(err, name + ": " + count + " logs in " + ranges.size() + " calls");
        return new Result(name, count, seconds, Map.of("eth_getLogs", (long) ranges.size()), live.stop(null), "baseline", used);
    }
}
