package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.testkit.ChaosChain;
import io.gemforce.sync.testkit.GemforceScenario;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The pipelined sync against the sequential one: ranges served out of order with random delays,
 * refused and failing at random, with any number of requests in flight and any range size; after
 * re-running until success, the store equals the one a sequential, fault-free run builds.
 */
class PipelineProperties {

    private static GemforceScenario scenario() {
        GemforceScenario s = new GemforceScenario().build();
        // more blocks and changes after the standard flow: cuts, a transfer, a new diamond late
        s.chain.cut(s.d2, List.of(FacetCut.add(s.facetA, GemforceScenario.selectors(0x0d000000, 5))));
        s.chain.mine(3);
        s.chain.transferOwnership(s.d1, s.newOwner);
        s.chain.createDiamond(s.factory, s.newOwner, "GEM4", "Gem Four", s.initialCuts());
        s.chain.mine(2);
        s.chain.cut(s.d2, List.of(FacetCut.remove(List.of(new Selector(0x0d000001)))));
        s.chain.mine(6);
        return s;
    }

    @Property(tries = 60)
    void outOfOrderDelayedRefusedAndFailingReadsGiveTheSequentialStore(
            @ForAll @IntRange(min = 1, max = 6) int concurrency, @ForAll @LongRange(min = 1, max = 12) long range,
            @ForAll @IntRange(min = 0, max = 40) int refusePercent, @ForAll @IntRange(min = 0, max = 15) int failPercent,
            @ForAll @IntRange(min = 1, max = 8) int commitRanges, @ForAll long seed) {
        GemforceScenario s = scenario();
        InMemoryStateSink reference = new InMemoryStateSink();
        SyncSummary sequential = DiamondSyncer.builder().chainSource(s.chain).sink(reference).networks(s.networks())
                .blockRange(4, 1, 4).prefetch(false).concurrency(1).build().syncAll("localhost");
        assertThat(sequential.status()).isEqualTo(SyncStatus.SUCCESS);

        ChaosChain chaos = new ChaosChain(s.chain, seed, refusePercent, failPercent, 2);
        InMemoryStateSink store = new InMemoryStateSink();
        DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chaos).sink(store).networks(s.networks())
                .blockRange(Math.min(range, 6), 1, range).concurrency(concurrency)
                .commitEvery(commitRanges, java.time.Duration.ofSeconds(1)).build();
        SyncSummary last = null;
        for (int run = 0; run < 500 && (last == null || last.status() != SyncStatus.SUCCESS); run++) {
            last = syncer.syncAll("localhost");
        }
        assertThat(last.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(normalized(store.contents(31337))).isEqualTo(normalized(reference.contents(31337)));
        // the stream keeps at most `concurrency` in flight; a side read (new diamonds) may add one
        assertThat(chaos.maxConcurrent()).isLessThanOrEqualTo(concurrency + 1);
    }

    private static StoreContents normalized(StoreContents c) {
        return DiamondSyncerTest.normalized(c);
    }
}
