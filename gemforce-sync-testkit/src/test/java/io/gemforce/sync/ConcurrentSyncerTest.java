package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.testkit.ForwardingChainSource;
import io.gemforce.sync.testkit.GemforceScenario;
import io.gemforce.sync.testkit.Stores;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The thread-safety contract as stated on {@link DiamondSyncer} and {@link ChainSource}: many threads
 * on one syncer (and two syncers on one source) running all three operations on the same and on
 * different diamonds never have two threads inside a source that is not thread-safe, and leave the
 * store a sequential run of the same operations leaves.
 */
class ConcurrentSyncerTest {

    /** Counts the threads inside the source at once (the scripted chain is not thread-safe). */
    static final class Probe extends ForwardingChainSource {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        Probe(ChainSource inner) {
            super(inner);
        }

        private <T> T in(Supplier<T> call) {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                Thread.yield(); // widen the window a second thread would enter through
                return call.get();
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public long chainId() {
            return in(super::chainId);
        }

        @Override
        public BlockRef head() {
            return in(super::head);
        }

        @Override
        public Optional<BlockRef> block(long n) {
            return in(() -> super.block(n));
        }

        @Override
        public List<RawLog> logs(LogQuery q) {
            return in(() -> super.logs(q));
        }

        @Override
        public List<Facet> facets(Address d, long b) {
            return in(() -> super.facets(d, b));
        }

        @Override
        public Optional<Address> owner(Address d, long b) {
            return in(() -> super.owner(d, b));
        }

        @Override
        public boolean hasCode(Address a, long b) {
            return in(() -> super.hasCode(a, b));
        }

        @Override
        public Optional<String> transactionInput(String tx) {
            return in(() -> super.transactionInput(tx));
        }
    }

    private static List<Consumer<DiamondSyncer>> operations(GemforceScenario s) {
        List<Consumer<DiamondSyncer>> ops = new ArrayList<>();
        ops.add(x -> x.syncAll("localhost"));
        for (Address d : List.of(s.d1, s.d2, s.d3)) {
            ops.add(x -> x.syncDiamond(d.hex(), "localhost", null));
            ops.add(x -> x.syncEvents(d.hex(), "localhost", null, null));
            ops.add(x -> x.syncEvents(d.hex(), "localhost", "DiamondCut", null));
        }
        return ops;
    }

    @Test
    void manyThreadsOnOneSyncerAndTwoSyncersOnOneSourceMatchTheSequentialRun() throws Exception {
        GemforceScenario s = new GemforceScenario().build();
        List<Consumer<DiamondSyncer>> ops = operations(s);

        InMemoryStateSink sequential = new InMemoryStateSink();
        DiamondSyncer one = DiamondSyncer.builder().chainSource(s.chain).sink(sequential).networks(s.networks())
                .blockRange(2, 1, 2).build();
        ops.forEach(op -> op.accept(one));

        Probe probe = new Probe(s.chain);
        InMemoryStateSink shared = new InMemoryStateSink();
        DiamondSyncer a = DiamondSyncer.builder().chainSource(probe).sink(shared).networks(s.networks())
                .blockRange(2, 1, 2).build();
        DiamondSyncer b = DiamondSyncer.builder().chainSource(probe).sink(shared).networks(s.networks())
                .blockRange(2, 1, 2).concurrency(2).build();
        Random random = new Random(11);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Consumer<DiamondSyncer> op = ops.get(random.nextInt(ops.size()));
                DiamondSyncer on = random.nextBoolean() ? a : b;
                runs.add(pool.submit(() -> op.accept(on)));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        ops.forEach(op -> op.accept(a)); // every scope once more, so each has run at least once
        assertThat(probe.most.get()).as("threads inside the non-thread-safe source at once").isEqualTo(1);
        StoreContents got = Stores.withoutRecentHashes(shared.contents(31337));
        StoreContents want = Stores.withoutRecentHashes(sequential.contents(31337));
        assertThat(got.events()).isEqualTo(want.events());
        assertThat(got.checkpoints()).isEqualTo(want.checkpoints());
        for (int i = 0; i < want.diamonds().size(); i++) {
            assertThat(got.diamonds().get(i)).as("diamond " + i).isEqualTo(want.diamonds().get(i));
        }
        assertThat(got).isEqualTo(want);
    }
}
