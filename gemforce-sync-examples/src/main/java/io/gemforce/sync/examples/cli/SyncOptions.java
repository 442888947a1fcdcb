package io.gemforce.sync.examples.cli;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncListener;
import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.parse.ParseClient;
import io.gemforce.sync.parse.ParseStateSink;
import io.gemforce.sync.parse.Secret;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StateSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every sync command shares: where the chain is, where the store is, network tuning. */
final class SyncOptions {
    @Option(names = "--rpc-url", description = "JSON-RPC URL; repeat for fallbacks (default: $GEMFORCE_RPC_URL)")
    List<String> rpcUrls = new ArrayList<>();

    @Option(names = "--store", defaultValue = "jdbc:sqlite:gemforce-sync.sqlite",
            description = "JDBC URL of the store: jdbc:sqlite:<file> or jdbc:postgresql://... (default: ${DEFAULT-VALUE});"
                    + " the password comes from $GEMFORCE_STORE_PASSWORD")
    String store;

    @Option(names = "--store-user", description = "database user (PostgreSQL)")
    String storeUser;

    @Option(names = "--parse-url", description = "sync into Parse Server at this URL (e.g. http://127.0.0.1:1337/parse)"
            + " instead of --store; the master key comes from $PARSE_MASTER_KEY")
    String parseUrl;

    @Option(names = "--app-id", description = "the Parse application id (with --parse-url)")
    String appId;

    @Option(names = "--factory", description = "a Gemforce DiamondFactory whose DiamondCreated logs define the known diamonds; repeatable")
    List<String> factories = new ArrayList<>();

    @Option(names = "--diamond", description = "a diamond to track besides the factories' ones; repeatable")
    List<String> diamonds = new ArrayList<>();

    @Option(names = "--start-block", description = "first block of a first sync (the factory's deployment block)")
    Long startBlock;

    @Option(names = "--confirmations", description = "blocks behind the head to stop at when --to-block is omitted")
    Long confirmations;

    @Option(names = "--time-budget", description = "stop at a range boundary after this many seconds (status partial)")
    Long timeBudgetSeconds;

    @Option(names = "--requests-per-second", defaultValue = "0", description = "RPC request rate limit (0: none)")
    double requestsPerSecond;

    @Option(names = "--max-block-range", description = "largest eth_getLogs range in blocks (default 100000)")
    Long maxBlockRange;

    @Option(names = "--concurrency", defaultValue = "4",
            description = "eth_getLogs requests kept in flight (default: ${DEFAULT-VALUE}); ranges are still stored in block order")
    int concurrency;

    @Option(names = "--addressed-logs", description = "name the contracts in every eth_getLogs (for providers that"
            + " require it); by default sync-all reads the synced events of every emitter and keeps its diamonds'")
    boolean addressedLogs;

    @Option(names = "--no-progress", description = "no progress bar on stderr")
    boolean noProgress;

    @Option(names = "--abi", paramLabel = "PATH", description = "ABI files or directories (searched recursively: Foundry out/,"
            + " Hardhat artifacts/, solc --combined-json or standard JSON, plain ABI arrays) naming the facets' functions"
            + " in the store and in tables; repeatable")
    List<Path> abi = new ArrayList<>();

    private KnownSignatures signatures;

    Web3jChainSource chain() {
        List<String> urls = new ArrayList<>(rpcUrls);
        if (urls.isEmpty()) {
            String env = System.getenv("GEMFORCE_RPC_URL");
            if (env == null || env.isBlank()) {
                throw new IllegalArgumentException("no RPC URL: pass --rpc-url or set GEMFORCE_RPC_URL");
            }
            urls.addAll(List.of(env.split("[,\\s]+")));
        }
        return Web3jChainSource.builder().rpcUrls(urls).requestsPerSecond(requestsPerSecond)
                .anyAddressLogs(!addressedLogs).build();
    }

    StateSink sink() {
        if (parseUrl != null) {
            return ParseStateSink.builder(parseClient()).signatures(signatures()).build();
        }
        return openJdbc(store, storeUser, signatures());
    }

    /** A JDBC store with the password from {@code $GEMFORCE_STORE_PASSWORD}. */
    static JdbcStateSink openJdbc(String url, String user, KnownSignatures names) {
        return JdbcStateSink.open(url, user, System.getenv("GEMFORCE_STORE_PASSWORD"), names);
    }

    /** The standard signatures plus those of the {@code --abi} files (read once). */
    KnownSignatures signatures() {
        if (signatures == null) {
            signatures = signatures(abi);
        }
        return signatures;
    }

    /**
     * The standard signatures plus those of {@code paths} (files or directories).
     *
     * @throws io.gemforce.sync.abi.InvalidAbiException naming the file that cannot be read
     */
    static KnownSignatures signatures(List<Path> paths) {
        KnownSignatures.Builder b = KnownSignatures.builder();
        for (Path p : paths) {
            b.addAbiPath(p);
        }
        return b.build();
    }

    /** A Parse client with the master key from {@code $PARSE_MASTER_KEY}. */
    ParseClient parseClient() {
        String key = System.getenv("PARSE_MASTER_KEY");
        if (parseUrl == null || appId == null || key == null || key.isBlank()) {
            throw new IllegalArgumentException("Parse needs --parse-url, --app-id and $PARSE_MASTER_KEY");
        }
        return ParseClient.builder().serverUrl(parseUrl).applicationId(appId).masterKey(Secret.of(key)).build();
    }

    /** The default networks with this command line's factories, diamonds and settings applied to {@code network}. */
    Networks networks(String network) {
        Networks defaults = Networks.defaults();
        Network n = defaults.resolve(network);
        if (!factories.isEmpty() || startBlock != null) {
            n = n.withFactories(factories.isEmpty() ? n.factories() : factories.stream().map(Address::of).toList(),
                    startBlock != null ? startBlock : n.startBlock());
        }
        if (!diamonds.isEmpty()) {
            n = n.withDiamonds(diamonds.stream().map(Address::of).toList());
        }
        if (confirmations != null) {
            n = n.withConfirmations(confirmations);
        }
        return defaults.toBuilder().add(n).build();
    }

    /**
     * The body every sync command shares: validates the options (before any connection), opens the
     * node and the store, runs {@code operation}, prints {@code render} of its summary and returns the
     * exit code.
     */
    int run(String network, picocli.CommandLine.Model.CommandSpec spec,
            java.util.function.Function<DiamondSyncer, io.gemforce.sync.SyncSummary> operation,
            java.util.function.Function<io.gemforce.sync.SyncSummary, String> render) {
        return run(network, spec, operation, render, null);
    }

    /**
     * As {@link #run(String, picocli.CommandLine.Model.CommandSpec, java.util.function.Function,
     * java.util.function.Function)}, then prints the facet table of the diamonds {@code shown} picks
     * from the store (none when it is null).
     */
    int run(String network, picocli.CommandLine.Model.CommandSpec spec,
            java.util.function.Function<DiamondSyncer, io.gemforce.sync.SyncSummary> operation,
            java.util.function.Function<io.gemforce.sync.SyncSummary, String> render,
            java.util.function.BiFunction<StateSink, Long, List<DiamondRecord>> shown) {
        Networks nets = networks(network);
        KnownSignatures names = signatures(); // bad ABI files are input errors: before any connection
        try (Web3jChainSource chain = chain()) {
            StateSink sink = sink();
            try {
                io.gemforce.sync.SyncSummary s = operation.apply(syncer(chain, sink, nets, spec.commandLine().getErr()));
                spec.commandLine().getOut().println(render.apply(s));
                if (shown != null) {
                    spec.commandLine().getOut().println();
                    new FacetTable(names, Map.of()).diamonds(spec.commandLine().getOut(),
                            shown.apply(sink, nets.resolve(network).chainId()));
                }
                return GemforceSyncCli.exitCode(s);
            } finally {
                if (sink instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // closing
                    }
                }
            }
        }
    }

    DiamondSyncer syncer(Web3jChainSource chain, StateSink sink, Networks networks, PrintWriter err) {
        DiamondSyncer.Builder b = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(networks);
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("--concurrency must be between 1 and 64");
        }
        b.concurrency(concurrency);
        if (maxBlockRange != null) {
            if (maxBlockRange < 1) {
                throw new IllegalArgumentException("--max-block-range must be positive");
            }
            b.blockRange(Math.min(2_000, maxBlockRange), 1, maxBlockRange);
        }
        if (timeBudgetSeconds != null) {
            b.timeBudget(Duration.ofSeconds(timeBudgetSeconds));
        }
        if (!noProgress) {
            b.listener(progress(err));
        }
        return b.build();
    }

    /** A one-line progress bar on stderr, redrawn at most ten times a second. */
    static SyncListener progress(PrintWriter err) {
        long[] state = {-1, 0, 0}; // first block, last draw (nanos), drawn
        return (scope, from, to, target, events) -> {
            if (state[0] < 0) {
                state[0] = from;
            }
            long now = System.nanoTime();
            boolean done = to >= target;
            if (!done && now - state[1] < 100_000_000L) {
                return;
            }
            state[1] = now;
            state[2] = 1;
            long total = Math.max(1, target - state[0] + 1);
            long doneBlocks = to - state[0] + 1;
            int width = 30;
            int filled = (int) Math.min(width, doneBlocks * width / total);
            err.print("\r[" + "=".repeat(filled) + " ".repeat(width - filled) + "] " + (doneBlocks * 100 / total)
                    + "% block " + to + "/" + target + ", " + events + " events" + (done ? "\n" : ""));
            err.flush();
        };
    }
}
