package io.gemforce.sync.examples.cli;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.follow.FollowMode;
import io.gemforce.sync.follow.FollowOptions;
import io.gemforce.sync.follow.FollowStatus;
import io.gemforce.sync.follow.Follower;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.parse.ParseClient;
import io.gemforce.sync.parse.ParseSchema;
import io.gemforce.sync.parse.ParseStateSink;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.testbed.LocalParseDashboard;
import io.gemforce.sync.testbed.LocalParseServer;
import io.gemforce.sync.testbed.LocalPostgres;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code demo --follow}: a local Anvil node mining a block every few seconds, the project's factory
 * and two diamonds, a follower (head mode) into the demo store, and a scenario ({@link DemoDriver})
 * that changes the diamonds every few seconds while the listener prints each committed change. With
 * {@code --parse} the store is a local Parse Server on a private PostgreSQL, with Parse Dashboard.
 * SIGINT (Ctrl-C), SIGTERM or the end of {@code --duration} stops the scenario, the follower and every
 * process the demo started; the exit code is then 0.
 */
final class LiveDemo {
    private static final Logger log = LoggerFactory.getLogger(LiveDemo.class);
    static final String APP_ID = "gemforce-demo";
    private static final Duration SIGNAL_GRACE = Duration.ofSeconds(3);

    /** What the command line chose. */
    record Settings(Path db, KnownSignatures names, boolean parse, Duration duration, int blockTimeSeconds,
            Duration interval, Duration pollInterval) {
    }

    private final Settings settings;
    private final PrintWriter out;
    private final PrintWriter err;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private LocalParseServer parseServer;

    LiveDemo(Settings settings, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    int run() throws Exception {
        List<sun.misc.Signal> signals = List.of(new sun.misc.Signal("INT"), new sun.misc.Signal("TERM"));
        List<sun.misc.SignalHandler> previous = new ArrayList<>();
        for (sun.misc.Signal s : signals) {
            previous.add(sun.misc.Signal.handle(s, sig -> {
                if (stopRequested.getCount() > 0) {
                    say("SIG" + sig.getName() + ": stopping the demo and everything it started...");
                }
                stopRequested.countDown();
            }));
        }
        try (Started started = new Started()) {
            return runIn(started);
        } finally {
            for (int i = 0; i < signals.size(); i++) {
                sun.misc.Signal.handle(signals.get(i), previous.get(i));
            }
        }
    }

    private int runIn(Started started) throws Exception {
        say("starting a local Anvil node (a block every " + settings.blockTimeSeconds() + " s)...");
        Anvil anvil = started.add("Anvil", Anvil.start(List.of("--block-time", Integer.toString(settings.blockTimeSeconds()))));
        GemforceContracts g = new GemforceContracts(anvil).deployAll();
        say("deployed the DiamondFactory at " + g.factory + " and its facets (" + anvil.rpcUrl() + ")");
        DemoDriver driver = new DemoDriver(anvil, g);
        driver.createDiamond();
        driver.createDiamond();
        say("alice is " + driver.alice() + ", bob is " + driver.bob() + " (two of Anvil's unlocked accounts)");
        say("created GEM1 (alice's) and GEM2 (bob's): " + driver.diamonds().get(0) + ", " + driver.diamonds().get(1));
        if (stopped()) {
            return GemforceSyncCli.OK;
        }

        StateSink sink = settings.parse() ? startParse(started) : openSqlite(started);
        if (stopped()) {
            return GemforceSyncCli.OK;
        }
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
        Web3jChainSource chain = started.add("chain source", Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build());
        DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink)
                .networks(Networks.defaults().toBuilder().add(local).build()).build();
        Follower follower = syncer.follow("localhost", FollowOptions.builder().mode(FollowMode.HEAD)
                .pollInterval(settings.pollInterval()).listener(c -> {
                    out.println(FollowCommand.line(c));
                    out.flush();
                }).build());
        started.add("follower", follower); // close(): stop within 30 s
        say("following localhost (head mode, polling every " + settings.pollInterval().toMillis() + " ms);"
                + " every committed change prints one line. Ctrl-C stops the demo"
                + (settings.duration() == null ? "." : "; it stops by itself after " + settings.duration().toSeconds() + " s."));

        FollowStatus end = drive(driver, follower);
        if (end != null) {
            err.println("error: following stopped: " + end.lastError());
            err.flush();
            return GemforceSyncCli.FAILURE;
        }
        follower.stop(Duration.ofSeconds(30));
        FollowStatus st = follower.status();
        if (parseServer != null && !parseServer.healthy()) {
            say("stopped following at block " + st.syncedBlock() + " (Parse Server is gone: Ctrl-C in a terminal stops it"
                    + " as well)");
            return GemforceSyncCli.OK;
        }
        say("stopped following at block " + st.syncedBlock() + "; the store now holds:");
        out.println();
        new FacetTable(settings.names(), g.facetNames()).summary(out, sink.diamonds(local.chainId()));
        out.flush();
        return GemforceSyncCli.OK;
    }

    /**
     * Runs the scenario until a stop is asked or the duration is over.
     *
     * @return the follower's status when it failed, else null
     */
    private FollowStatus drive(DemoDriver driver, Follower follower) throws InterruptedException {
        long deadline = settings.duration() == null ? Long.MAX_VALUE : System.nanoTime() + settings.duration().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || stopRequested.await(Math.min(left, settings.interval().toNanos()), TimeUnit.NANOSECONDS)) {
                return null;
            }
            FollowStatus st = follower.status();
            if (st.state() == FollowStatus.State.FAILED) {
                return st;
            }
            if (System.nanoTime() >= deadline) {
                return null;
            }
            try {
                driver.step(this::act);
            } catch (RuntimeException e) {
                // Ctrl-C in a terminal reaches the whole process group: Anvil may be gone before this JVM hears it
                if (stopRequested.await(SIGNAL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    return null;
                }
                throw e;
            }
        }
    }

    private StateSink openSqlite(Started started) throws Exception {
        Files.deleteIfExists(settings.db());
        String url = "jdbc:sqlite:" + settings.db().toAbsolutePath();
        say("the store: SQLite " + settings.db().toAbsolutePath());
        return started.add("store", JdbcStateSink.open(url, null, null, settings.names()));
    }

    private StateSink startParse(Started started) throws Exception {
        Path logs = Files.createTempDirectory("gemforce-demo-logs-");
        say("starting PostgreSQL, Parse Server and Parse Dashboard (their logs: " + logs + ")...");
        LocalPostgres pg = started.add("PostgreSQL", LocalPostgres.builder().logDir(logs).start());
        LocalParseServer parse = started.add("Parse Server", LocalParseServer.builder(pg).appId(APP_ID).logDir(logs).start());
        parseServer = parse;
        ParseClient client;
        char[] key = parse.masterKey();
        try {
            client = started.add("Parse client", ParseClient.builder().serverUrl(parse.serverUrl()).applicationId(APP_ID)
                    .masterKey(key).build());
        } finally {
            Arrays.fill(key, '\0');
        }
        ParseStateSink sink = ParseStateSink.builder(client).signatures(settings.names()).build();
        LocalParseDashboard dashboard = started.add("Parse Dashboard", LocalParseDashboard.builder(parse).logDir(logs).start());
        say("Parse Server: " + parse.serverUrl() + " (app id " + APP_ID + ", on PostgreSQL " + pg.host() + ":" + pg.port() + ")");
        say("Parse Dashboard: " + dashboard.url() + " (no login from this machine; it holds the master key, which is"
                + " not printed)");
        for (String c : List.of(ParseSchema.DIAMOND, ParseSchema.FACET, ParseSchema.DIAMOND_EVENT)) {
            say("  open " + dashboard.classUrl(c));
        }
        return sink;
    }

    private boolean stopped() {
        return stopRequested.getCount() == 0;
    }

    private void act(String what) {
        say("-> " + what);
    }

    private void say(String line) {
        err.println(line);
        err.flush();
    }

    /** What the demo started, closed in reverse order; a failure to close one is logged and the rest still closed. */
    private final class Started implements AutoCloseable {
        private final Deque<String> names = new ArrayDeque<>();
        private final Deque<AutoCloseable> items = new ArrayDeque<>();

        <T extends AutoCloseable> T add(String name, T item) {
            names.push(name);
            items.push(item);
            return item;
        }

        @Override
        public void close() {
            List<String> closed = new ArrayList<>();
            while (!items.isEmpty()) {
                String name = names.pop();
                try {
                    items.pop().close();
                    closed.add(name);
                } catch (Exception e) {
                    log.warn("closing {} failed: {}", name, e.toString());
                }
            }
            if (!closed.isEmpty()) {
                say("stopped: " + String.join(", ", closed));
            }
        }
    }
}
