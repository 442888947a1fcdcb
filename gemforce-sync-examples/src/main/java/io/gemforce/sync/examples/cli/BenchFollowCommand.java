package io.gemforce.sync.examples.cli;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.follow.DiamondChange;
import io.gemforce.sync.follow.FollowMode;
import io.gemforce.sync.follow.FollowOptions;
import io.gemforce.sync.follow.Follower;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How long a change takes from the chain to the listener while following. An Anvil node mines a
 * block every {@code --block-time} seconds; a raw poller in the same process reads
 * {@code eth_blockNumber} every 5 ms and notes when it first sees each block; the project's
 * contracts make one cut per block on a diamond; a follower (head mode, in-memory sink) hears each
 * {@code FacetsChanged}. Latency = the listener's call minus the raw poller's first sight of the
 * change's block. Variants: polling at {@code --poll-interval}, and a WebSocket ({@code newHeads})
 * with the same poll interval as its fallback. Each run is verified (every cut heard exactly once;
 * the store equals a fresh sync), else exit 1. Times are printed, never asserted.
 */
@Command(name = "bench-follow", description = "Measure the latency from a new block to the follower's listener,"
        + " polling and over a WebSocket.")
final class BenchFollowCommand implements Callable<Integer> {
    @Option(names = "--changes", defaultValue = "30", description = "cuts per variant, one per block (default: ${DEFAULT-VALUE})")
    int changes;

    @Option(names = "--block-time", defaultValue = "1", description = "Anvil's block time in seconds (default: ${DEFAULT-VALUE})")
    int blockTime;

    @Option(names = "--poll-interval", defaultValue = "1000", description = "the follower's poll interval in ms (default: ${DEFAULT-VALUE})")
    long pollMs;

    @Option(names = "--skip-ws", description = "polling only")
    boolean skipWs;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    record Result(String variant, long[] latenciesMs, Map<String, Long> calls, boolean verified, String problem) {
        long pct(double p) {
            long[] s = latenciesMs.clone();
            Arrays.sort(s);
            return s.length == 0 ? -1 : s[(int) Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Result> results = new ArrayList<>();
        double rttMs;
        try (Anvil anvil = Anvil.start(List.of("--block-time", String.valueOf(blockTime)))) {
            GemforceContracts g = new GemforceContracts(anvil).deployAll();
            Address d = g.createDiamond(Anvil.DEPLOYER, "BF", "Bench follow");
            Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
            Networks nets = Networks.defaults().toBuilder().add(local).build();
            rttMs = roundTripMs(anvil);
            Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
            List<String> variants = skipWs ? List.of("poll") : List.of("poll", "ws");
            int offset = 0;
            for (String v : variants) {
                err.println("bench-follow: " + v + ", " + changes + " cuts, one per block");
                results.add(run(v, anvil, g, d, nets, a, offset));
                offset += changes;
            }
        }
        print(out, results, rttMs);
        return results.stream().allMatch(Result::verified) ? GemforceSyncCli.OK : GemforceSyncCli.FAILURE;
    }

    private Result run(String variant, Anvil anvil, GemforceContracts g, Address d, Networks nets,
            Map<String, Selector> a, int offset) throws Exception {
        Map<Long, Long> firstSeen = new ConcurrentHashMap<>();
        Map<Long, Long> heard = new ConcurrentHashMap<>();
        List<Long> heardBlocks = java.util.Collections.synchronizedList(new ArrayList<>());
        InMemoryStateSink sink = new InMemoryStateSink();
        Thread poller = rawPoller(anvil, firstSeen);
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build()) {
            DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(nets).build();
            FollowOptions.Builder o = FollowOptions.builder().mode(FollowMode.HEAD).pollInterval(Duration.ofMillis(pollMs))
                    .listener(c -> {
                        long now = System.nanoTime();
                        if (c instanceof DiamondChange.FacetsChanged fc && fc.diamond().equals(d)) {
                            heard.putIfAbsent(c.blockNumber(), now);
                            heardBlocks.add(c.blockNumber());
                        }
                    });
            if (variant.equals("ws")) {
                o.webSocketUrl("ws://127.0.0.1:" + anvil.port());
            }
            try (Follower f = syncer.follow("localhost", o.build())) {
                f.awaitCaughtUp(Duration.ofSeconds(60));
                chain.resetCallCounts();
                List<Long> blocks = new ArrayList<>();
                for (int i = 0; i < changes; i++) {
                    Selector s = a.get(String.format("a%02d()", 1 + (offset + i) % 22));
                    boolean add = ((offset + i) / 22) % 2 == 0;
                    var r = g.diamondCut(Anvil.DEPLOYER, d, List.of(add ? FacetCut.add(g.facetA, List.of(s))
                            : FacetCut.remove(List.of(s))));
                    blocks.add(r.getBlockNumber().longValue());
                }
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!heard.keySet().containsAll(blocks) && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                f.awaitCaughtUp(Duration.ofSeconds(30));
                Map<String, Long> calls = chain.callCounts();
                long synced = f.status().syncedBlock();
                f.stop(Duration.ofSeconds(30));
                poller.interrupt();
                long[] lat = blocks.stream().filter(b -> heard.containsKey(b) && firstSeen.containsKey(b))
                        .mapToLong(b -> (heard.get(b) - firstSeen.get(b)) / 1_000_000).toArray();
                String problem = null;
                if (!heard.keySet().containsAll(blocks)) {
                    problem = "cuts not heard: " + blocks.stream().filter(b -> !heard.containsKey(b)).toList();
                } else if (heardBlocks.stream().filter(blocks::contains).count() != blocks.size()) {
                    problem = heardBlocks.stream().filter(blocks::contains).count() + " cuts heard for "
                            + blocks.size() + " made";
                } else {
                    InMemoryStateSink fresh = new InMemoryStateSink();
                    DiamondSyncer.builder().chainSource(chain).sink(fresh).networks(nets).build()
                            .syncAll("localhost", null, synced, false);
                    if (!normalized(fresh.contents(31337)).equals(normalized(sink.contents(31337)))) {
                        problem = "the store differs from a fresh sync";
                    }
                }
                return new Result(variant, lat, calls, problem == null, problem);
            }
        } finally {
            poller.interrupt();
        }
    }

    private static StoreContents normalized(StoreContents c) {
        return new StoreContents(c.events(), c.diamonds(), c.checkpoints().stream()
                .map(cp -> new Checkpoint(cp.scope(), cp.blockNumber(), cp.blockHash(), List.of())).toList());
    }

    /** Reads the head every 5 ms and notes when each block number is first seen. */
    private static Thread rawPoller(Anvil anvil, Map<Long, Long> firstSeen) {
        Thread t = new Thread(() -> {
            long last = -1;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    long n = anvil.blockNumber();
                    long now = System.nanoTime();
                    for (long b = last + 1; b <= n; b++) {
                        if (last >= 0) {
                            firstSeen.putIfAbsent(b, now);
                        }
                    }
                    last = Math.max(last, n);
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the node is closing
                }
            }
        }, "raw-poller");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Median of 50 {@code eth_blockNumber} round trips. */
    private static double roundTripMs(Anvil anvil) {
        long[] t = new long[50];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            anvil.blockNumber();
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[t.length / 2] / 1e6;
    }

    private void print(PrintWriter out, List<Result> results, double rttMs) {
        double bound = pollMs + 2 * rttMs;
        out.printf("bench-follow: block time %d s, poll interval %d ms, round trip %.2f ms (median eth_blockNumber)%n",
                blockTime, pollMs, rttMs);
        out.printf("target: p50 <= poll interval + 2 round trips = %.1f ms (polling); lower with a WebSocket%n", bound);
        out.println("latency = the listener's call - the raw 5 ms poller's first sight of the change's block");
        out.println();
        out.println("| variant | cuts heard | p50 ms | p99 ms | max ms | p50 / target | verified | RPC calls by method |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            out.printf("| %s | %d | %d | %d | %d | %.2f | %s | %s |%n", r.variant(), r.latenciesMs().length, r.pct(0.5),
                    r.pct(0.99), r.pct(1.0), r.pct(0.5) / bound, r.verified() ? "yes" : "NO: " + r.problem(),
                    new java.util.TreeMap<>(r.calls()));
        }
        out.flush();
    }
}
