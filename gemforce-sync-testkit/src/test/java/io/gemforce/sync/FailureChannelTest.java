package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.testkit.ForwardingChainSource;
import io.gemforce.sync.testkit.ForwardingStateSink;
import io.gemforce.sync.testkit.GemforceScenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One failure channel: whatever a host's sink or chain source throws reaches the host typed, thrown
 * when the run had not started its ranges, reported in the summary once it had; a loupe answer no
 * diamond can give is that diamond's typed error, not an untyped crash.
 */
class FailureChannelTest {

    /** A host's store that fails with its own exception type. */
    static final class RedisLikeSink extends ForwardingStateSink {
        final AtomicInteger applies = new AtomicInteger();
        final int failAtApply;
        final boolean failReads;

        RedisLikeSink(int failAtApply, boolean failReads) {
            super(new InMemoryStateSink());
            this.failAtApply = failAtApply;
            this.failReads = failReads;
        }

        @Override
        public ApplyResult apply(ChangeSet changes) {
            if (applies.incrementAndGet() >= failAtApply) {
                throw new IllegalStateException("redis: connection refused");
            }
            return super.apply(changes);
        }

        @Override
        public Optional<Checkpoint> checkpoint(long chainId, String scope) {
            if (failReads) {
                throw new IllegalStateException("redis: connection refused");
            }
            return super.checkpoint(chainId, scope);
        }
    }

    private static DiamondSyncer syncer(GemforceScenario s, io.gemforce.sync.chain.ChainSource chain,
            io.gemforce.sync.sink.StateSink sink) {
        return DiamondSyncer.builder().chainSource(chain).sink(sink).networks(s.networks()).blockRange(4, 1, 4).build();
    }

    @Test
    void aForeignSinkFailureMidRunIsReportedTypedInTheSummary() {
        GemforceScenario s = new GemforceScenario().build();
        RedisLikeSink sink = new RedisLikeSink(3, false);
        SyncSummary summary = syncer(s, s.chain, sink).syncAll("localhost");
        assertThat(summary.status()).isEqualTo(SyncStatus.PARTIAL);
        assertThat(summary.errors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SINK_FAILURE.name());
            assertThat(e.message()).contains("redis: connection refused");
        });
    }

    @Test
    void aForeignSinkFailureBeforeTheFirstRangeIsThrownTypedWithItsCause() {
        GemforceScenario s = new GemforceScenario().build();
        assertThatThrownBy(() -> syncer(s, s.chain, new RedisLikeSink(Integer.MAX_VALUE, true)).syncAll("localhost"))
                .isInstanceOf(SinkException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.SINK_FAILURE))
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aForeignChainSourceFailureIsThrownTyped() {
        GemforceScenario s = new GemforceScenario().build();
        ForwardingChainSource broken = new ForwardingChainSource(s.chain) {
            @Override
            public BlockRef head() {
                throw new UnsupportedOperationException("my node client has no head()");
            }
        };
        InMemoryStateSink sink = new InMemoryStateSink();
        assertThatThrownBy(() -> syncer(s, broken, sink).syncAll("localhost"))
                .isInstanceOf(ChainException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.CHAIN_ERROR))
                .hasMessageContaining("my node client has no head()");
        assertThat(sink.mutations()).isZero();
    }

    @Test
    void aLoupeListingASelectorTwiceIsThatDiamondsTypedErrorAndTheOthersAreSynced() {
        GemforceScenario s = new GemforceScenario().build();
        ForwardingChainSource lying = new ForwardingChainSource(s.chain) {
            @Override
            public List<Facet> facets(Address diamond, long block) {
                List<Facet> facets = new ArrayList<>(super.facets(diamond, block));
                if (diamond.equals(s.d2)) {
                    Selector dup = facets.get(0).selectors().get(0);
                    facets.add(new Facet(s.facetB, List.of(dup)));
                }
                return facets;
            }
        };
        InMemoryStateSink sink = new InMemoryStateSink();
        // the three diamonds configured, synced from block 15: each base state comes from the loupe at 14
        var net = s.networks().resolve("localhost").withDiamonds(List.of(s.d1, s.d2, s.d3));
        SyncSummary summary = DiamondSyncer.builder().chainSource(lying).sink(sink)
                .networks(s.networks().toBuilder().add(net).build()).build().syncAll("localhost", 15L, null, false);
        assertThat(summary.status()).isEqualTo(SyncStatus.PARTIAL);
        assertThat(summary.errors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_LOUPE_ANSWER.name());
            assertThat(e.diamond()).isEqualTo(s.d2.hex());
        });
        assertThat(sink.diamond(31337, s.d1)).isPresent();
        assertThat(sink.diamond(31337, s.d3)).isPresent();

        // one diamond alone: a typed failure, never an IllegalArgumentException
        assertThatThrownBy(() -> syncer(s, lying, new InMemoryStateSink()).syncDiamond(s.d2.hex(), "localhost", 15L))
                .isInstanceOf(SyncException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.INVALID_LOUPE_ANSWER));
    }
}
