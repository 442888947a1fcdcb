package io.gemforce.sync.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint256;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Sync throughput against the node's own serving rate, measured in one run on one machine:
 * (a) raw {@code eth_getLogs} over exactly the ranges the sync used, parsed as JSON and counted;
 * (b) {@code syncEvents} into the in-memory sink; (c) {@code syncEvents} into the JDBC sink on a
 * SQLite file. It prints events per second, the ratios b/a and c/a, the RPC calls and the peak
 * heap of each. Run it with a small heap (-Xmx256m) to check that memory stays bounded.
 */
@Command(name = "bench", description = "Measure syncEvents throughput against a raw eth_getLogs baseline on a local Anvil node.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "100000", description = "DiamondCut events to generate (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--per-tx", defaultValue = "4000", description = "events per transaction (default: ${DEFAULT-VALUE})")
    int perTx;

    @Option(names = "--initial-range", defaultValue = "2", description = "first eth_getLogs range in blocks (default: ${DEFAULT-VALUE})")
    long initialRange;

    @Option(names = "--skip", description = "variants to skip: memory, jdbc")
    List<String> skip = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    record Result(String name, long events, double seconds, Map<String, Long> calls, long[] heap, String note) {
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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Anvil anvil = Anvil.start()) {
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
            Network local = Networks.defaults().resolve("localhost");
            Networks nets = Networks.defaults().toBuilder().add(local).build();

            // (c) first: it records the ranges that (a) replays; (b) last, as it may run out of heap
            List<long[]> ranges = new ArrayList<>();
            Result jdbc = null;
            if (!skip.contains("jdbc")) {
                Path file = Files.createTempFile("gemforce-bench", ".sqlite");
                try (JdbcStateSink sink = JdbcStateSink.sqlite(file)) {
                    jdbc = runSync("(c) syncEvents -> JDBC sink (SQLite)", anvil, nets, diamond, from, sink, ranges, err);
                } finally {
                    Files.deleteIfExists(file);
                }
            } else {
                runSync("(ranges)", anvil, nets, diamond, from, new CountingSink(), ranges, err);
            }
            Result raw = rawGetLogs(anvil.rpcUrl(), diamond, ranges, err);
            List<Result> results = new ArrayList<>();
            results.add(raw);
            if (!skip.contains("memory")) {
                results.add(runSync("(b) syncEvents -> in-memory sink", anvil, nets, diamond, from, new InMemoryStateSink(),
                        new ArrayList<>(), err));
            }
            if (jdbc != null) {
                results.add(jdbc);
            }
            print(out, results, raw, ranges.size());
            return 0;
        }
    }

    private static void log(PrintWriter err, String s) {
        err.println(s);
        err.flush();
    }

    private Result runSync(String name, Anvil anvil, Networks nets, Address diamond, long from, StateSink sink,
            List<long[]> ranges, PrintWriter err) {
        System.gc();
        LiveHeap live = new LiveHeap();
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).timeout(Duration.ofMinutes(2)).build()) {
            DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(nets)
                    .blockRange(initialRange, 1, 100_000)
                    .listener((scope, a, b, target, ev) -> ranges.add(new long[] {a, b})).build();
            long t0 = System.nanoTime();
            try {
                SyncSummary s = syncer.syncEvents(diamond.hex(), "localhost", "DiamondCut", from);
                double seconds = (System.nanoTime() - t0) / 1e9;
                log(err, name + ": " + s.toJson());
                return new Result(name, s.eventsIndexed(), seconds, chain.callCounts(), live.stop(),
                        s.status().jsonValue());
            } catch (OutOfMemoryError oom) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                log(err, name + ": ran out of heap after " + seconds + " s");
                return new Result(name, 0, seconds, chain.callCounts(), live.stop(),
                        "OUT OF MEMORY (this sink holds every event on the heap)");
            }
        }
    }

    /** The baseline: the same ranges fetched with eth_getLogs, the JSON parsed and the logs counted. */
    private Result rawGetLogs(String url, Address diamond, List<long[]> ranges, PrintWriter err) throws IOException {
        System.gc();
        LiveHeap live = new LiveHeap();
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofMinutes(2)).readTimeout(Duration.ofMinutes(2)).build();
        JsonFactory json = new JsonFactory();
        long count = 0;
        long t0 = System.nanoTime();
        int id = 0;
        for (long[] r : ranges) {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (++id) + ",\"method\":\"eth_getLogs\",\"params\":[{\"fromBlock\":\"0x"
                    + Long.toHexString(r[0]) + "\",\"toBlock\":\"0x" + Long.toHexString(r[1]) + "\",\"address\":[\"" + diamond.hex()
                    + "\"],\"topics\":[[\"" + EventType.DIAMOND_CUT.topic0() + "\"]]}]}";
            Request req = new Request.Builder().url(url).post(RequestBody.create(body, MediaType.get("application/json"))).build();
            try (Response resp = http.newCall(req).execute(); InputStream in = resp.body().byteStream();
                    JsonParser p = json.createParser(in)) {
                int depth = 0;
                boolean inResult = false;
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    if (t == JsonToken.FIELD_NAME && depth == 1 && "result".equals(p.currentName())) {
                        inResult = true;
                    } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        depth++;
                        if (inResult && t == JsonToken.START_OBJECT && depth == 3) {
                            count++;
                        }
                    } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                        depth--;
                    } else if (t == JsonToken.VALUE_STRING) {
                        p.getText(); // materialise values as a client would
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        log(err, "(a) raw eth_getLogs: " + count + " logs in " + ranges.size() + " calls");
        return new Result("(a) raw eth_getLogs, same ranges", count, seconds, Map.of("eth_getLogs", (long) ranges.size()),
                live.stop(), "baseline");
    }

    /** The largest heap in use right after a garbage collection, sampled while a variant runs. */
    private static final class LiveHeap {
        private volatile boolean running = true;
        private volatile long max;
        private volatile long maxUsed;
        private final Thread sampler;

        LiveHeap() {
            sampler = new Thread(() -> {
                while (running) {
                    long sum = 0;
                    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                            sum += pool.getCollectionUsage().getUsed();
                        }
                    }
                    max = Math.max(max, sum);
                    maxUsed = Math.max(maxUsed, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        /** Stops sampling; returns {max used, max live}. */
        long[] stop() {
            running = false;
            sampler.interrupt();
            return new long[] {maxUsed, max};
        }
    }

    private static void print(PrintWriter out, List<Result> results, Result raw, int ranges) {
        long max = Runtime.getRuntime().maxMemory();
        out.printf("%nbenchmark: %d DiamondCut events, %d eth_getLogs ranges, max heap %d MiB, %d cores%n", raw.events(),
                ranges, max >> 20, Runtime.getRuntime().availableProcessors());
        out.printf("%-40s %10s %9s %12s %8s %10s %10s  %s%n", "variant", "events", "seconds", "events/s", "ratio",
                "peak heap", "live heap", "RPC calls / note");
        for (Result r : results) {
            String ratio = r.events() == 0 ? "-" : String.format("%.2f", r.rate() / raw.rate());
            out.printf("%-40s %10d %9.2f %12.0f %8s %6d MiB %6d MiB  %s %s%n", r.name(), r.events(), r.seconds(),
                    r.events() == 0 ? 0 : r.rate(), ratio, r.peakHeap() >> 20, r.peakLive() >> 20, r.calls(), r.note());
        }
        out.println("peak heap: the most heap in use (sampled every 20 ms, garbage included); live heap: the most in use right after a collection");
        out.flush();
    }

    /** Stores nothing: used only to learn the ranges when the in-memory variant is skipped. */
    private static final class CountingSink implements StateSink {
        private final InMemoryStateSink checkpoints = new InMemoryStateSink();

        @Override
        public java.util.Optional<io.gemforce.sync.sink.Checkpoint> checkpoint(long chainId, String scope) {
            return checkpoints.checkpoint(chainId, scope);
        }

        @Override
        public List<io.gemforce.sync.sink.DiamondRecord> diamonds(long chainId) {
            return List.of();
        }

        @Override
        public java.util.Optional<io.gemforce.sync.sink.DiamondRecord> diamond(long chainId, Address address) {
            return java.util.Optional.empty();
        }

        @Override
        public io.gemforce.sync.sink.ApplyResult apply(io.gemforce.sync.sink.ChangeSet changes) {
            checkpoints.apply(new io.gemforce.sync.sink.ChangeSet(changes.network(), changes.chainId(), List.of(), List.of(),
                    changes.checkpoints()));
            return new io.gemforce.sync.sink.ApplyResult(changes.events().size(), 0);
        }

        @Override
        public void rollback(long chainId, io.gemforce.sync.chain.BlockId fork) {
            checkpoints.rollback(chainId, fork);
        }

        @Override
        public void reset(long chainId) {
            checkpoints.reset(chainId);
        }

        @Override
        public io.gemforce.sync.sink.StoreContents contents(long chainId) {
            return checkpoints.contents(chainId);
        }
    }
}
