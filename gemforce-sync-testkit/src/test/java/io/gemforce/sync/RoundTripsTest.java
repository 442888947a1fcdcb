package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.testkit.ChaosChain;
import io.gemforce.sync.testkit.ForwardingChainSource;
import io.gemforce.sync.testkit.ForwardingStateSink;
import io.gemforce.sync.testkit.GemforceScenario;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Reads the pipeline makes beside its ranges (the head beside the chain id, headers read ahead): none wasted. */
class RoundTripsTest {
    private final GemforceScenario s = new GemforceScenario().build();
    private final InMemoryStateSink sink = new InMemoryStateSink();

    private DiamondSyncer syncer() {
        return DiamondSyncer.builder().chainSource(s.chain).sink(sink).networks(s.networks()).blockRange(4, 1, 4).build();
    }

    @Test
    void aRunWithNothingToSyncReadsNoHeaderBeyondTheReorgCheck() {
        syncer().syncAll("localhost");
        s.chain.resetCounters();
        SyncSummary idle = syncer().syncAll("localhost");
        assertThat(idle.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(idle.eventsIndexed()).isZero();
        assertThat(s.chain.calls("eth_chainId")).isEqualTo(1);
        assertThat(s.chain.calls("eth_blockNumber")).isEqualTo(1);
        // the reorg guard's check of the stored checkpoint's block, and nothing read ahead for a last
        // range that the run does not have (a follower's idle rounds make many such runs)
        assertThat(s.chain.calls("eth_getBlockByNumber")).isEqualTo(1);
        assertThat(s.chain.logQueries()).isEmpty();
    }

    @Test
    void aResumedRunAsksForTheCheckpointsBlockBesideTheHead() {
        syncer().syncAll("localhost"); // a checkpoint to resume from
        CountDownLatch headerAsked = new CountDownLatch(1);
        AtomicBoolean headFirst = new AtomicBoolean();
        ChainSource chain = new ForwardingChainSource(new ChaosChain(s.chain, 1, 0, 0, 0)) {
            @Override
            public boolean threadSafe() {
                return true;
            }

            @Override
            public BlockRef head() {
                // the head's answer waits until a header is asked for: a run that asks for the
                // checkpoint's block only after the head (a second round trip) makes it wait it out
                try {
                    headFirst.set(!headerAsked.await(5, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.head();
            }

            @Override
            public Optional<BlockRef> block(long number) {
                headerAsked.countDown();
                return super.block(number);
            }
        };
        SyncSummary resumed = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(s.networks())
                .blockRange(4, 1, 4).build().syncAll("localhost");
        assertThat(resumed.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(headFirst).as("the checkpoint's block was asked for only after the head's answer").isFalse();
    }

    /**
     * A chain that lies within the reorg window of its head (a follower's, a young chain's): the
     * headers each range's checks need travel in the range's own round trip, so a reader thread does
     * not send a header read of its own once the logs are in (on a node busy with the other ranges in
     * flight, that read waits behind them while the consumer waits for the range).
     */
    @Test
    void nearTheHeadARangesHeadersTravelInItsOwnRoundTrip() {
        List<String> separate = new CopyOnWriteArrayList<>();
        List<Long> withRanges = new CopyOnWriteArrayList<>();
        ThreadLocal<Boolean> inRound = ThreadLocal.withInitial(() -> false);
        ChainSource chain = new ForwardingChainSource(s.chain) {
            @Override
            public io.gemforce.sync.chain.LogsRound logsRound(io.gemforce.sync.chain.LogQuery main,
                    List<io.gemforce.sync.chain.LogQuery> extra, List<Long> headers) {
                withRanges.addAll(headers);
                inRound.set(true);
                io.gemforce.sync.chain.LogsRound r;
                try {
                    r = logsRound(main, extra); // the port's default: the logs, then the end's header
                } finally {
                    inRound.set(false);
                }
                java.util.Map<Long, BlockRef> read = new java.util.HashMap<>();
                headers.forEach(n -> s.chain.block(n).ifPresent(b -> read.put(n, b)));
                return r.refused() != null ? r : new io.gemforce.sync.chain.LogsRound(r.main(), null, r.extra(), read);
            }

            @Override
            public Optional<BlockRef> block(long number) {
                if (!inRound.get() && Thread.currentThread().getName().startsWith("gemforce-sync-reader")) {
                    separate.add(number + "");
                }
                return super.block(number);
            }
        };
        SyncSummary summary = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(s.networks())
                .blockRange(4, 1, 4).build().syncAll("localhost");
        assertThat(summary.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(withRanges).as("headers asked with the ranges").isNotEmpty();
        assertThat(separate).as("header reads of their own on the reader threads").isEmpty();
        InMemoryStateSink sequential = new InMemoryStateSink();
        DiamondSyncer.builder().chainSource(s.chain).sink(sequential).networks(s.networks()).blockRange(4, 1, 4)
                .prefetch(false).build().syncAll("localhost");
        assertThat(sink.contents(GemforceScenario.CHAIN_ID)).isEqualTo(sequential.contents(GemforceScenario.CHAIN_ID));
    }

    @Test
    void withoutPrefetchTheStoredCheckpointIsReadOnTheCallersThread() {
        syncer().syncAll("localhost");
        List<String> threads = new CopyOnWriteArrayList<>();
        ForwardingStateSink recording = new ForwardingStateSink(sink) {
            @Override
            public Optional<Checkpoint> checkpoint(long chainId, String scope) {
                threads.add(Thread.currentThread().getName());
                return super.checkpoint(chainId, scope);
            }
        };
        DiamondSyncer.builder().chainSource(s.chain).sink(recording).networks(s.networks()).blockRange(4, 1, 4)
                .prefetch(false).build().syncAll("localhost");
        assertThat(threads).isNotEmpty().containsOnly(Thread.currentThread().getName());
    }
}
