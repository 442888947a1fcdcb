package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.testkit.FlakySink;
import io.gemforce.sync.testkit.ForwardingChainSource;
import io.gemforce.sync.testkit.ForwardingStateSink;
import io.gemforce.sync.testkit.Stores;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import okhttp3.Interceptor;

/**
 * Crash anywhere: random crash points between and inside the Parse batches of a sync from a real
 * Anvil node into a real Parse Server, then a resume. The store must equal an uninterrupted run's,
 * every DiamondEvent uid and every Facet, with no duplicate and no gap.
 */
class CrashPointsIT {
    private static ParseTestServer server;
    private static Anvil anvil;
    private static Web3jChainSource chain;
    private static Networks networks;
    private static long head;
    private static StoreContents expected;

    enum Kind {
        /** The sink fails before writing the n-th change set. */
        SINK_BEFORE_WRITE,
        /** The n-th change set is written, then the sink reports a failure (the answer was lost). */
        SINK_AFTER_WRITE,
        /** The n-th transactional /batch reaches Parse Server, which commits it, and the connection drops. */
        BATCH_ANSWER_LOST,
        /** The syncing thread is interrupted while the n-th change set is being sent to Parse. */
        INTERRUPT_DURING_WRITE,
        /** The syncing thread is interrupted just before its n-th eth_getLogs. */
        INTERRUPT_DURING_READ
    }

    record Crash(Kind kind, int at) {
    }

    @BeforeContainer
    static void start() {
        server = ParseTestServer.start();
        anvil = Anvil.start();
        GemforceContracts g = new GemforceContracts(anvil).deployAll();
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address d1 = g.createDiamond(Anvil.DEPLOYER, "CP1", "Crash one");
        Address d2 = g.createDiamond(Anvil.DEPLOYER, "CP2", "Crash two");
        for (int i = 1; i <= 12; i++) {
            g.diamondCut(Anvil.DEPLOYER, i % 2 == 0 ? d1 : d2,
                    List.of(FacetCut.add(g.facetA, List.of(a.get(String.format("a%02d()", i))))));
            if (i % 3 == 0) {
                g.transferOwnership(Anvil.DEPLOYER, d1, Anvil.DEPLOYER);
            }
        }
        g.propose(Anvil.DEPLOYER, d2, List.of(FacetCut.add(g.facetB, List.of(GemforceContracts.selectors("TestFacetB")
                .get("b01()")))));
        anvil.mine(2);
        head = anvil.blockNumber();
        chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build();
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
        networks = Networks.defaults().toBuilder().add(local).build();
        InMemoryStateSink reference = new InMemoryStateSink();
        SyncSummary s = syncer(chain, reference).syncAll("localhost", null, head, false);
        assertThat(s.status()).isEqualTo(SyncStatus.SUCCESS);
        expected = Stores.withoutRecentHashes(reference.contents(31337));
    }

    @AfterContainer
    static void stop() {
        if (chain != null) {
            chain.close();
        }
        if (anvil != null) {
            anvil.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static DiamondSyncer syncer(ChainSource source, StateSink sink) {
        return DiamondSyncer.builder().chainSource(source).sink(sink).networks(networks).blockRange(2, 1, 2).build();
    }

    @Provide
    Arbitrary<List<Crash>> crashes() {
        Arbitrary<Crash> one = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(1, 12))
                .as(Crash::new);
        return one.list().ofMinSize(1).ofMaxSize(2);
    }

    private static final AtomicInteger HITS = new AtomicInteger();

    @Property(tries = 52, seed = "20261125")
    void aCrashAnywhereThenAResumeGivesTheUninterruptedStore(@ForAll("crashes") List<Crash> crashes) {
        server.purgeSinkClasses();
        for (Crash crash : crashes) {
            boolean hit = runWithCrash(crash); // false: the crash point lay beyond the end of the run
            Thread.interrupted(); // the crashed run's interrupt must not leak into the next one
            if (hit) {
                HITS.incrementAndGet();
            }
            Statistics.label("crash").collect(crash.kind(), hit ? "hit" : "missed");
        }
        try (ParseClient client = server.newClient()) {
            ParseStateSink parse = ParseStateSink.builder(client).build();
            SyncSummary resumed = null;
            for (int i = 0; i < 3 && (resumed == null || resumed.status() != SyncStatus.SUCCESS); i++) {
                resumed = syncer(chain, parse).syncAll("localhost", null, head, false);
            }
            assertThat(resumed.status()).as("%s: %s", crashes, resumed.toJson()).isEqualTo(SyncStatus.SUCCESS);
            StoreContents actual = parse.contents(31337);
            List<String> uids = actual.events().stream().map(StoredEvent::uid).toList();
            assertThat(new HashSet<>(uids)).as("duplicates after %s", crashes).hasSize(uids.size());
            assertThat(uids).as("gaps after %s", crashes)
                    .containsExactlyElementsOf(expected.events().stream().map(StoredEvent::uid).toList());
            assertThat(actual.diamonds().stream().map(DiamondRecord::facets).toList()).as("facets after %s", crashes)
                    .isEqualTo(expected.diamonds().stream().map(DiamondRecord::facets).toList());
            assertThat(Stores.withoutRecentHashes(actual)).as("store after %s", crashes).isEqualTo(expected);
        }
    }

    @AfterContainer
    static void enoughCrashPointsHit() {
        System.out.println("[CrashPointsIT] crash points that hit a running sync: " + HITS.get());
        assertThat(HITS.get()).as("crash points that hit a running sync").isGreaterThanOrEqualTo(50);
    }

    /** Runs a sync with the crash injected; returns whether the injection fired. */
    private boolean runWithCrash(Crash crash) {
        AtomicInteger batches = new AtomicInteger();
        Interceptor loseAnswer = chain -> {
            okhttp3.Response r = chain.proceed(chain.request());
            if (crash.kind() == Kind.BATCH_ANSWER_LOST && chain.request().url().encodedPath().endsWith("/batch")
                    && batches.incrementAndGet() == crash.at()) {
                r.close();
                throw new IOException("injected: connection dropped after the batch was sent");
            }
            return r;
        };
        try (ParseClient client = server.clientBuilder().addInterceptor(loseAnswer).build()) {
            StateSink parse = ParseStateSink.builder(client).build();
            FlakySink flaky = null;
            InterruptingSink interruptingSink = null;
            InterruptingChain interruptingChain = null;
            StateSink sink = parse;
            ChainSource source = chain;
            switch (crash.kind()) {
                case SINK_BEFORE_WRITE -> sink = flaky = new FlakySink(parse, crash.at(), FlakySink.When.BEFORE_WRITE);
                case SINK_AFTER_WRITE -> sink = flaky = new FlakySink(parse, crash.at(), FlakySink.When.AFTER_WRITE);
                case INTERRUPT_DURING_WRITE -> sink = interruptingSink = new InterruptingSink(parse, crash.at());
                case INTERRUPT_DURING_READ -> source = interruptingChain = new InterruptingChain(chain, crash.at());
                default -> { }
            }
            try {
                syncer(source, sink).syncAll("localhost", null, head, false);
            } catch (RuntimeException escaped) {
                // a crash may also escape the run; the resume must cope either way
            }
            return switch (crash.kind()) {
                case SINK_BEFORE_WRITE, SINK_AFTER_WRITE -> flaky.applies() >= crash.at();
                case BATCH_ANSWER_LOST -> batches.get() >= crash.at();
                case INTERRUPT_DURING_WRITE -> interruptingSink.applies >= crash.at();
                case INTERRUPT_DURING_READ -> interruptingChain.reads >= crash.at();
            };
        }
    }

    /** Interrupts the calling thread as the n-th apply starts: the HTTP calls of that write are cut. */
    private static final class InterruptingSink extends ForwardingStateSink {
        private final int at;
        private int applies;

        InterruptingSink(StateSink inner, int at) {
            super(inner);
            this.at = at;
        }

        @Override
        public ApplyResult apply(ChangeSet changes) {
            if (++applies == at) {
                Thread.currentThread().interrupt();
            }
            return inner.apply(changes);
        }
    }

    /** Interrupts the calling thread before the n-th eth_getLogs. */
    private static final class InterruptingChain extends ForwardingChainSource {
        private final int at;
        private int reads;

        InterruptingChain(ChainSource inner, int at) {
            super(inner);
            this.at = at;
        }

        @Override
        public List<RawLog> logs(LogQuery query) {
            if (++reads == at) {
                Thread.currentThread().interrupt();
            }
            return inner.logs(query);
        }
    }
}
