package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.testkit.ChaosChain;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.testkit.GemforceScenario;
import io.gemforce.sync.testkit.LogData;
import io.gemforce.sync.testkit.Stores;
import java.util.List;
import net.jqwik.api.Example;
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
        SyncSummary sequential = sequential(s, reference);

        ChaosChain chaos = new ChaosChain(s.chain, seed, refusePercent, failPercent, 2);
        InMemoryStateSink store = new InMemoryStateSink();
        DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chaos).sink(store).networks(s.networks())
                .blockRange(Math.min(range, 6), 1, range).concurrency(concurrency)
                .commitEvery(commitRanges, java.time.Duration.ofSeconds(1)).build();
        SyncSummary last = untilSuccess(syncer);
        assertThat(Stores.withoutRecentHashes(store.contents(31337))).isEqualTo(Stores.withoutRecentHashes(reference.contents(31337)));
        // the stream keeps at most `concurrency` in flight; a side read (new diamonds) may add one
        assertThat(chaos.maxConcurrent()).isLessThanOrEqualTo(concurrency + 1);
    }

    /**
     * The scenario with other contracts' logs of the synced topics in every block: a diamond made
     * without the factory that cuts, an Ownable contract, a contract emitting a malformed DiamondCut
     * and DiamondCreated as if it were a factory; {@code noise} more OwnershipTransferred logs per block.
     */
    private static GemforceScenario noisyScenario(int noise) {
        GemforceScenario s = new GemforceScenario();
        Address stranger = s.chain.deployDiamond(s.caller, s.initialCuts());
        Address ownable = s.chain.deployContract();
        Address forger = s.chain.deployContract();
        s.chain.mine();
        s.build();
        for (int b = 0; b < 30; b++) {
            for (int i = 0; i < noise; i++) {
                s.chain.emit(ownable, List.of(EventType.OWNERSHIP_TRANSFERRED.topic0(), LogData.topic(s.caller),
                        LogData.topic(s.newOwner)), "0x");
            }
            switch (b % 5) {
                case 0 -> s.chain.cut(stranger, List.of(FacetCut.add(s.facetA, GemforceScenario.selectors(0x0e000000 + b * 16, 2))));
                case 1 -> s.chain.emit(forger, List.of(EventType.DIAMOND_CUT.topic0()), "0x1234");
                case 2 -> s.chain.emit(forger, List.of(EventType.DIAMOND_CREATED.topic0(), LogData.topic(forger),
                        LogData.topic(stranger)), "0x");
                case 3 -> s.chain.emit(ownable, List.of(EventType.OWNERSHIP_TRANSFERRED.topic0()), "0x00");
                default -> s.chain.transferOwnership(stranger, s.newOwner);
            }
            if (b == 7) {
                s.chain.createDiamond(s.factory, s.newOwner, "GEM4", "Gem Four", s.initialCuts());
            }
            if (b == 9 || b == 20) {
                s.chain.cut(s.d2, List.of(FacetCut.add(s.facetB, GemforceScenario.selectors(0x0f000000 + b * 16, 3))));
            }
            s.chain.mine();
        }
        return s;
    }

    /**
     * Ranges read for any emitter (the node takes queries without addresses), out of order, refused
     * and failing at random, among other contracts' logs of the same topics, sometimes enough of them
     * to make the reader name addresses again part way: the store and the reported errors equal those
     * of a sequential run that names its addresses.
     */
    @Property(tries = 60)
    void anyAddressReadsAmongOtherContractsLogsGiveTheAddressedStore(
            @ForAll @IntRange(min = 1, max = 6) int concurrency, @ForAll @LongRange(min = 1, max = 12) long range,
            @ForAll @IntRange(min = 0, max = 30) int refusePercent, @ForAll @IntRange(min = 0, max = 10) int failPercent,
            @ForAll @IntRange(min = 0, max = 300) int noise, @ForAll long seed) {
        GemforceScenario s = noisyScenario(noise);
        InMemoryStateSink reference = new InMemoryStateSink();
        SyncSummary sequential = sequential(s, reference);
        assertThat(s.chain.logQueries()).noneMatch(LogQuery::anyAddress);

        s.chain.acceptAnyAddress(true).resetCounters();
        ChaosChain chaos = new ChaosChain(s.chain, seed, refusePercent, failPercent, 2);
        InMemoryStateSink store = new InMemoryStateSink();
        DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chaos).sink(store).networks(s.networks())
                .blockRange(Math.min(range, 6), 1, range).concurrency(concurrency).build();
        SyncSummary last = untilSuccess(syncer);
        assertThat(s.chain.logQueries()).anyMatch(LogQuery::anyAddress);
        assertThat(Stores.withoutRecentHashes(store.contents(31337))).isEqualTo(Stores.withoutRecentHashes(reference.contents(31337)));
        if (refusePercent == 0 && failPercent == 0) {
            assertThat(last.errors()).isEqualTo(sequential.errors());
        }
    }

    /**
     * A busy chain: answers read for any emitter carry 1,600 logs of other contracts and few wanted
     * ones, so the reader names its addresses from the first such answer on; the store is that of a
     * run that always named them.
     */
    @Example
    void otherContractsLogsOutnumberingTheWantedOnesTurnReadsForAnyEmitterOff() {
        GemforceScenario s = noisyScenario(200);
        InMemoryStateSink reference = new InMemoryStateSink();
        DiamondSyncer.builder().chainSource(s.chain).sink(reference).networks(s.networks()).blockRange(8, 8, 8)
                .build().syncAll("localhost");
        s.chain.acceptAnyAddress(true).resetCounters();
        InMemoryStateSink store = new InMemoryStateSink();
        SyncSummary summary = DiamondSyncer.builder().chainSource(s.chain).sink(store).networks(s.networks())
                .blockRange(8, 8, 8).concurrency(1).build().syncAll("localhost");
        assertThat(summary.status()).as(summary.toJson()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(summary.errors()).isEmpty();
        List<LogQuery> queries = s.chain.logQueries();
        int firstAddressed = 0;
        while (firstAddressed < queries.size() && queries.get(firstAddressed).anyAddress()) {
            firstAddressed++;
        }
        assertThat(firstAddressed).as("read for any emitter first").isPositive();
        assertThat(queries.subList(firstAddressed, queries.size())).as("then by address, for good")
                .isNotEmpty().noneMatch(LogQuery::anyAddress);
        assertThat(Stores.withoutRecentHashes(store.contents(31337))).isEqualTo(Stores.withoutRecentHashes(reference.contents(31337)));
    }

    /**
     * Blocks so full of other contracts' logs that the node's result cap refuses even one of them
     * read for any emitter: the reader names its addresses from there on, and the run succeeds with
     * the store of a run that always named them (without the fallback it fails at the first such block).
     */
    @Example
    void blocksTooFullOfOtherContractsLogsForTheNodesCapAreReadByAddress() {
        GemforceScenario s = noisyScenario(30);
        InMemoryStateSink reference = new InMemoryStateSink();
        DiamondSyncer.builder().chainSource(s.chain).sink(reference).networks(s.networks()).blockRange(4, 1, 8)
                .build().syncAll("localhost");
        s.chain.acceptAnyAddress(true).limitResults(20).resetCounters();
        InMemoryStateSink store = new InMemoryStateSink();
        SyncSummary summary = DiamondSyncer.builder().chainSource(s.chain).sink(store).networks(s.networks())
                .blockRange(4, 1, 8).build().syncAll("localhost");
        assertThat(summary.status()).as(summary.toJson()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(summary.errors()).isEmpty();
        List<LogQuery> queries = s.chain.logQueries();
        assertThat(queries).anyMatch(q -> q.anyAddress() && q.blockCount() == 1);
        assertThat(queries.get(queries.size() - 1).anyAddress()).isFalse();
        assertThat(Stores.withoutRecentHashes(store.contents(31337))).isEqualTo(Stores.withoutRecentHashes(reference.contents(31337)));
    }

    /** A sequential, fault-free syncAll into {@code reference}: the store every other run must equal. */
    private static SyncSummary sequential(GemforceScenario s, InMemoryStateSink reference) {
        SyncSummary sequential = DiamondSyncer.builder().chainSource(s.chain).sink(reference).networks(s.networks())
                .blockRange(4, 1, 4).prefetch(false).concurrency(1).build().syncAll("localhost");
        assertThat(sequential.status()).isEqualTo(SyncStatus.SUCCESS);
        return sequential;
    }

    /** syncAll run again (at most 500 times) until it succeeds; the last summary, checked a success. */
    private static SyncSummary untilSuccess(DiamondSyncer syncer) {
        SyncSummary last = null;
        for (int run = 0; run < 500 && (last == null || last.status() != SyncStatus.SUCCESS); run++) {
            last = syncer.syncAll("localhost");
        }
        assertThat(last.status()).isEqualTo(SyncStatus.SUCCESS);
        return last;
    }
}
