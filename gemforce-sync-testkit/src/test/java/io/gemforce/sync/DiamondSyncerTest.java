package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.testkit.FlakySink;
import io.gemforce.sync.testkit.GemforceScenario;
import io.gemforce.sync.testkit.LogData;
import io.gemforce.sync.testkit.Stores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DiamondSyncerTest {
    private final GemforceScenario s = new GemforceScenario().build();
    private final InMemoryStateSink sink = new InMemoryStateSink();

    private DiamondSyncer syncer(StateSink target, Consumer<DiamondSyncer.Builder> tweak) {
        DiamondSyncer.Builder b = DiamondSyncer.builder().chainSource(s.chain).sink(target).networks(s.networks())
                .blockRange(4, 1, 4);
        tweak.accept(b);
        return b.build();
    }

    private DiamondSyncer syncer() {
        return syncer(sink, b -> { });
    }

    private void assertStoreMatchesChain(StateSink store) {
        for (Address d : List.of(s.d1, s.d2, s.d3)) {
            DiamondRecord r = store.diamond(31337, d).orElseThrow();
            assertThat(r.state().selectorMap()).as("facets of %s", d).isEqualTo(s.chain.selectorsOf(d));
            assertThat(r.lastSyncedBlock()).isEqualTo(20);
            assertThat(r.consistent()).isTrue();
        }
    }

    @Test
    void syncAllDiscoversTheFactoryDiamondsAndReturnsTheSeedSummary() throws Exception {
        SyncSummary summary = syncer().syncAll("localhost", null, null, false);

        JsonNode json = new ObjectMapper().readTree(summary.toJson());
        JsonNode expected = new ObjectMapper().readTree("""
                {"diamondsSynced":3,"facetsUpdated":11,"eventsIndexed":15,"lastSyncedBlock":20,"status":"success","errors":[]}""");
        assertThat(json).isEqualTo(expected);
        assertThat(summary.toJson()).startsWith("{\"diamondsSynced\":3,\"facetsUpdated\":11,\"eventsIndexed\":15,");

        assertStoreMatchesChain(sink);
        DiamondRecord d1 = sink.diamond(31337, s.d1).orElseThrow();
        assertThat(d1.symbol()).isEqualTo("GEM1");
        assertThat(d1.name()).isEqualTo("Gem One");
        assertThat(d1.factory()).isEqualTo(s.factory);
        assertThat(d1.createdBlock()).isEqualTo(2L);
        assertThat(d1.owner()).isEqualTo(s.caller);
        assertThat(d1.facetCount()).isEqualTo(5);
        assertThat(d1.network()).isEqualTo("localhost");
        assertThat(d1.lastSyncedBlockHash()).isEqualTo(s.chain.block(20).orElseThrow().hash());
        assertThat(sink.diamond(31337, s.d2).orElseThrow().owner()).isEqualTo(s.newOwner);
        assertThat(sink.diamond(31337, s.d2).orElseThrow().pendingUpgrade()).isNull();
        var pending = sink.diamond(31337, s.d3).orElseThrow().pendingUpgrade();
        assertThat(pending).isNotNull();
        assertThat(pending.proposer()).isEqualTo(s.caller);
        assertThat(pending.executionTime().longValue()).isEqualTo(1_700_086_416L);
        assertThat(pending.proposedBlock()).isEqualTo(9);
        assertThat(pending.proposedCuts()).as("decoded from the proposing transaction").isEqualTo(GemforceScenario.PROPOSED);

        List<StoredEvent> events = sink.contents(31337).events();
        assertThat(events).hasSize(15);
        assertThat(events).extracting(StoredEvent::uid).doesNotHaveDuplicates();
        assertThat(events.stream().filter(e -> e.eventType() == EventType.DIAMOND_CREATED))
                .extracting(StoredEvent::diamondAddress).containsExactly(s.d1, s.d2, s.d3);
        assertThat(sink.checkpoint(31337, "all").orElseThrow().blockNumber()).isEqualTo(20);
    }

    @Test
    void oneLogQueryPerRangeCoversEveryDiamond() {
        s.chain.resetCounters();
        syncer(sink, b -> b.blockRange(100, 1, 100)).syncAll("localhost");
        // one range for the whole chain, plus one read per range that discovered diamonds
        assertThat(s.chain.logQueries()).hasSize(2);
        assertThat(s.chain.logQueries().get(0).addresses()).containsExactly(s.factory);
        assertThat(s.chain.logQueries().get(1).addresses()).containsExactlyInAnyOrder(s.d1, s.d2, s.d3);
        assertThat(s.chain.logQueries().get(1).fromBlock()).isEqualTo(2);
        s.chain.resetCounters();
        s.chain.mine(5);
        syncer(sink, b -> b.blockRange(100, 1, 100)).syncAll("localhost");
        assertThat(s.chain.logQueries()).hasSize(1);
        assertThat(s.chain.logQueries().get(0).addresses()).containsExactlyInAnyOrder(s.factory, s.d1, s.d2, s.d3);
    }

    @Test
    void readingAheadGivesTheSameStoreAsReadingInTurn() {
        // diamonds are discovered in a range while the next one, read ahead, did not ask for them yet
        InMemoryStateSink inTurn = new InMemoryStateSink();
        syncer(inTurn, b -> b.prefetch(false)).syncAll("localhost");
        SyncSummary ahead = syncer(sink, b -> b.prefetch(true)).syncAll("localhost");
        assertThat(ahead.eventsIndexed()).isEqualTo(15);
        assertThat(sink.contents(31337)).isEqualTo(inTurn.contents(31337));
    }

    @Test
    void aSecondRunWritesNothing() {
        syncer().syncAll("localhost");
        long mutations = sink.mutations();
        StoreContents before = sink.contents(31337);
        SyncSummary again = syncer().syncAll("localhost");
        assertThat(sink.mutations()).isEqualTo(mutations);
        assertThat(sink.contents(31337)).isEqualTo(before);
        assertThat(again.eventsIndexed()).isZero();
        assertThat(again.facetsUpdated()).isZero();
        assertThat(again.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(again.lastSyncedBlock()).isEqualTo(20);

        // replaying the whole range explicitly stores nothing new either
        SyncSummary replay = syncer().syncAll("localhost", 0L, 20L, false);
        assertThat(replay.eventsIndexed()).isZero();
        assertThat(replay.facetsUpdated()).isZero();
        assertThat(sink.contents(31337)).isEqualTo(before);
    }

    @Test
    void resumesAfterNewBlocksWithTheStoredState() {
        syncer().syncAll("localhost", 0L, 7L, false);
        assertThat(sink.checkpoint(31337, "all").orElseThrow().blockNumber()).isEqualTo(7);
        SyncSummary rest = syncer().syncAll("localhost");
        assertThat(rest.lastSyncedBlock()).isEqualTo(20);
        assertThat(rest.eventsIndexed()).isEqualTo(5);
        assertStoreMatchesChain(sink);
        InMemoryStateSink fresh = new InMemoryStateSink();
        syncer(fresh, b -> { }).syncAll("localhost");
        assertThat(Stores.withoutRecentHashes(sink.contents(31337))).isEqualTo(Stores.withoutRecentHashes(fresh.contents(31337)));
    }

    @ParameterizedTest
    @EnumSource(FlakySink.When.class)
    void aSinkFailureAtEveryRangeBoundaryResumesToTheSameStore(FlakySink.When when) {
        InMemoryStateSink reference = new InMemoryStateSink();
        syncer(reference, b -> { }).syncAll("localhost");
        StoreContents expected = Stores.withoutRecentHashes(reference.contents(31337));

        int ranges = 6; // 21 blocks in ranges of 4
        for (int failAt = 1; failAt <= ranges; failAt++) {
            InMemoryStateSink store = new InMemoryStateSink();
            FlakySink flaky = new FlakySink(store, failAt, when);
            SyncSummary crashed = syncer(flaky, b -> { }).syncAll("localhost");
            assertThat(crashed.status()).as("fail at %d", failAt)
                    .isEqualTo(failAt == 1 ? SyncStatus.FAILED : SyncStatus.PARTIAL);
            assertThat(crashed.errors()).extracting(SyncError::code).contains("SINK_FAILURE");

            SyncSummary resumed = syncer(store, b -> { }).syncAll("localhost");
            assertThat(resumed.status()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(Stores.withoutRecentHashes(store.contents(31337))).as("fail at %d (%s)", failAt, when).isEqualTo(expected);
        }
    }

    @Test
    void aReorgAboveABlockLeavesTheStoreEqualToTheNewChain() {
        syncer().syncAll("localhost");
        // replace blocks 13.. with a fork: D1 loses facet B's new selectors, a fourth diamond appears
        s.chain.rewindTo(12, "fork");
        s.chain.cut(s.d1, List.of(FacetCut.remove(List.of(Selector.of("0x00000000"), Selector.of("0xdeadbeef")))));
        s.chain.mine(); // 13'
        Address d4 = s.chain.createDiamond(s.factory, s.newOwner, "GEM4", "Gem Four", s.initialCuts());
        s.chain.mine(); // 14'
        s.chain.transferOwnership(s.d1, s.newOwner);
        s.chain.mine(9); // 15'..23'

        SyncSummary after = syncer().syncAll("localhost");
        assertThat(after.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(after.lastSyncedBlock()).isEqualTo(23);

        InMemoryStateSink fresh = new InMemoryStateSink();
        syncer(fresh, b -> { }).syncAll("localhost");
        assertThat(Stores.withoutRecentHashes(sink.contents(31337))).isEqualTo(Stores.withoutRecentHashes(fresh.contents(31337)));
        assertThat(sink.diamond(31337, d4)).isPresent();
        assertThat(sink.diamond(31337, s.d1).orElseThrow().owner()).isEqualTo(s.newOwner);
        assertThat(sink.diamond(31337, s.d1).orElseThrow().state().selectorMap()).isEqualTo(s.chain.selectorsOf(s.d1));
        assertThat(sink.diamond(31337, s.d3).orElseThrow().pendingUpgrade()).isNotNull();
    }

    @Test
    void aReorgWhileStoppedIsFoundByHashNotHeight() {
        syncer().syncAll("localhost");
        // same height, different blocks from 18 on: nothing but hashes differ
        s.chain.rewindTo(17, "fork");
        s.chain.mine(3); // 18'..20'
        SyncSummary after = syncer().syncAll("localhost");
        assertThat(after.lastSyncedBlock()).isEqualTo(20);
        assertThat(sink.checkpoint(31337, "all").orElseThrow().blockHash())
                .isEqualTo(s.chain.block(20).orElseThrow().hash());
        assertThat(sink.diamond(31337, s.d1).orElseThrow().lastSyncedBlockHash())
                .isEqualTo(s.chain.block(20).orElseThrow().hash());
    }

    @Test
    void aNodeBehindTheCheckpointIsWaitedForNotRolledBack() {
        syncer().syncAll("localhost");
        StoreContents before = sink.contents(31337);
        s.chain.rewindTo(10, "short"); // the node now reports head 10
        SyncSummary behind = syncer().syncAll("localhost");
        assertThat(behind.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(behind.lastSyncedBlock()).isEqualTo(20);
        assertThat(sink.contents(31337)).isEqualTo(before);
        // the chain grows past the checkpoint on another branch: now it is a reorg, found by hash
        s.chain.transferOwnership(s.d3, s.newOwner);
        s.chain.mine(15);
        assertThat(syncer().syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
        InMemoryStateSink fresh = new InMemoryStateSink();
        syncer(fresh, b -> { }).syncAll("localhost");
        assertThat(Stores.withoutRecentHashes(sink.contents(31337))).isEqualTo(Stores.withoutRecentHashes(fresh.contents(31337)));
    }

    @Test
    void aReorgDeeperThanTheWindowStopsWithATypedErrorAndChangesNothing() {
        syncer().syncAll("localhost");
        StoreContents before = sink.contents(31337);
        long mutations = sink.mutations();
        s.chain.rewindTo(5, "deep");
        s.chain.mine(20);
        assertThatThrownBy(() -> syncer(sink, b -> b.reorgWindow(8)).syncAll("localhost"))
                .isInstanceOf(ReorgTooDeepException.class)
                .hasMessageContaining("deeper than the window")
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.REORG_TOO_DEEP));
        assertThat(sink.contents(31337)).isEqualTo(before);
        assertThat(sink.mutations()).isEqualTo(mutations);
    }

    @Test
    void nodeRangeLimitsAreSplitAroundWithTheSameResult() {
        InMemoryStateSink reference = new InMemoryStateSink();
        syncer(reference, b -> b.blockRange(100, 1, 100)).syncAll("localhost");
        StoreContents expected = Stores.withoutRecentHashes(reference.contents(31337));

        s.chain.limitBlockRange(3, false);
        InMemoryStateSink a = new InMemoryStateSink();
        assertThat(syncer(a, b -> b.blockRange(16, 1, 64)).syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(Stores.withoutRecentHashes(a.contents(31337))).isEqualTo(expected);

        s.chain.limitBlockRange(5, true);
        s.chain.resetCounters();
        InMemoryStateSink b2 = new InMemoryStateSink();
        assertThat(syncer(b2, b -> b.blockRange(16, 1, 64)).syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(Stores.withoutRecentHashes(b2.contents(31337))).isEqualTo(expected);
        // with a hint, every refused query is followed by one of exactly the hinted size
        assertThat(s.chain.logQueries()).allSatisfy(q -> assertThat(q.blockCount()).isLessThanOrEqualTo(16));

        s.chain.limitBlockRange(Long.MAX_VALUE, false).limitResults(2);
        InMemoryStateSink c = new InMemoryStateSink();
        assertThat(syncer(c, b -> b.blockRange(16, 1, 64)).syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(Stores.withoutRecentHashes(c.contents(31337))).isEqualTo(expected);
    }

    @Test
    void aNodeThatRefusesEvenOneBlockFailsTyped() {
        s.chain.limitBlockRange(0, false);
        SyncSummary summary = syncer().syncAll("localhost");
        assertThat(summary.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(summary.errors()).extracting(SyncError::code).containsExactly("RANGE_TOO_LARGE");
        assertThat(sink.contents(31337).events()).isEmpty();
    }

    @Test
    void aTimeBudgetStopsAtARangeBoundaryAndTheNextCallContinues() {
        Clock ticking = new Clock() {
            private Instant now = Instant.parse("2026-01-01T00:00:00Z");

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                now = now.plusSeconds(60);
                return now;
            }
        };
        DiamondSyncer budgeted = syncer(sink, b -> b.clock(ticking).timeBudget(Duration.ofMinutes(3)));
        SyncSummary first = budgeted.syncAll("localhost");
        assertThat(first.status()).isEqualTo(SyncStatus.PARTIAL);
        assertThat(first.lastSyncedBlock()).isBetween(0L, 19L);
        assertThat(sink.checkpoint(31337, "all").orElseThrow().blockNumber()).isEqualTo(first.lastSyncedBlock());
        assertThat(first.errors()).extracting(SyncError::code).containsExactly("TIME_BUDGET");
        SyncSummary last = first;
        for (int i = 0; i < 20 && last.status() != SyncStatus.SUCCESS; i++) {
            last = budgeted.syncAll("localhost");
        }
        assertThat(last.status()).isEqualTo(SyncStatus.SUCCESS);
        InMemoryStateSink fresh = new InMemoryStateSink();
        syncer(fresh, b -> { }).syncAll("localhost");
        assertThat(Stores.withoutRecentHashes(sink.contents(31337))).isEqualTo(Stores.withoutRecentHashes(fresh.contents(31337)));
    }

    @Test
    void syncDiamondSyncsOneDiamondFromItsCreation() {
        SyncSummary summary = syncer().syncDiamond(s.d1.checksummed(), "anvil", null);
        assertThat(summary.diamondsSynced()).isEqualTo(1);
        assertThat(summary.facetsUpdated()).isEqualTo(5);
        assertThat(summary.eventsIndexed()).isEqualTo(5); // creation cut, owner, DiamondCreated, two cuts
        assertThat(summary.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(sink.diamonds(31337)).extracting(DiamondRecord::address).containsExactly(s.d1);
        DiamondRecord r = sink.diamond(31337, s.d1).orElseThrow();
        assertThat(r.state().selectorMap()).isEqualTo(s.chain.selectorsOf(s.d1));
        assertThat(r.symbol()).isEqualTo("GEM1");
        assertThat(sink.checkpoint(31337, Checkpoint.diamondScope(s.d1))).isPresent();
        assertThat(syncer().syncDiamond(s.d1.hex(), "localhost", null).eventsIndexed()).isZero();
    }

    @Test
    void syncDiamondFromALaterBlockStartsFromALoupeSnapshot() {
        SyncSummary summary = syncer().syncDiamond(s.d3.hex(), "localhost", 12L);
        assertThat(summary.status()).isEqualTo(SyncStatus.SUCCESS);
        DiamondRecord r = sink.diamond(31337, s.d3).orElseThrow();
        assertThat(r.state().selectorMap()).isEqualTo(s.chain.selectorsOf(s.d3));
        assertThat(r.owner()).isEqualTo(s.caller);
        assertThat(r.pendingUpgrade()).as("proposal before the snapshot block is found").isNotNull();
        assertThat(summary.eventsIndexed()).isZero();
    }

    @Test
    void syncEventsIndexesOnlyTheAskedType() {
        SyncSummary summary = syncer().syncEvents(s.d1.hex(), "localhost", "DiamondCut", null);
        assertThat(summary.eventsIndexed()).isEqualTo(3);
        assertThat(sink.contents(31337).events()).extracting(StoredEvent::eventType).containsOnly(EventType.DIAMOND_CUT);
        assertThat(sink.diamonds(31337)).isEmpty();
        assertThat(syncer().syncEvents(s.d1.hex(), "localhost", "DiamondCut", null).eventsIndexed()).isZero();
        assertThat(syncer().syncEvents(s.d1.hex(), "localhost", null, null).eventsIndexed()).isEqualTo(2);
    }

    @Test
    void aPendingUpgradeIsClearedByTheExecutingCut() {
        syncer().syncAll("localhost");
        s.chain.cut(s.d3, List.of(FacetCut.add(s.facetA, GemforceScenario.selectors(0x0c000000, 3))));
        s.chain.mine();
        SyncSummary summary = syncer().syncAll("localhost");
        assertThat(summary.facetsUpdated()).isEqualTo(1);
        assertThat(sink.diamond(31337, s.d3).orElseThrow().pendingUpgrade()).isNull();
    }

    @Test
    void malformedAndForeignLogsAreSkippedAndReported() {
        syncer().syncAll("localhost");
        s.chain.emit(s.d1, List.of(EventType.DIAMOND_CUT.topic0()), "0x1234");
        s.chain.emit(s.d1, List.of(EventType.DIAMOND_CREATED.topic0(), LogData.topic(s.d1), LogData.topic(s.caller),
                "0x" + "0".repeat(64)), LogData.diamondSettings(s.caller, s.d1, s.caller, "X", "Y"));
        s.chain.mine();
        SyncSummary summary = syncer().syncAll("localhost");
        assertThat(summary.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(summary.errors()).extracting(SyncError::code).containsExactly("MALFORMED_EVENT");
        assertThat(summary.eventsIndexed()).isZero();
        assertThat(sink.diamond(31337, s.caller)).as("a DiamondCreated not from a factory is ignored").isEmpty();
        assertStoreMatchesChainAt(21);
    }

    private void assertStoreMatchesChainAt(long block) {
        for (Address d : List.of(s.d1, s.d2, s.d3)) {
            DiamondRecord r = sink.diamond(31337, d).orElseThrow();
            assertThat(r.state().selectorMap()).isEqualTo(s.chain.selectorsOf(d));
            assertThat(r.lastSyncedBlock()).isEqualTo(block);
        }
    }

    @Test
    void aLoupeThatDisagreesWithTheEventsWinsAndIsReported() {
        syncer().syncAll("localhost");
        // a DiamondCut log that did not happen: the loupe still shows the old facets
        s.chain.emit(s.d2, List.of(EventType.DIAMOND_CUT.topic0()), LogData.diamondCut(
                List.of(FacetCut.add(s.facetA, List.of(Selector.of("0x99999999")))), Address.ZERO, new byte[0]));
        s.chain.mine();
        SyncSummary summary = syncer().syncAll("localhost");
        assertThat(summary.errors()).extracting(SyncError::code).containsExactly(SyncError.STATE_MISMATCH);
        assertThat(summary.errors().get(0).diamond()).isEqualTo(s.d2.hex());
        DiamondRecord r = sink.diamond(31337, s.d2).orElseThrow();
        assertThat(r.consistent()).isFalse();
        assertThat(r.state().selectorMap()).isEqualTo(s.chain.selectorsOf(s.d2));
    }

    @Test
    void aCutThatBreaksTheRulesFallsBackToTheLoupe() {
        syncer().syncAll("localhost");
        s.chain.emit(s.d2, List.of(EventType.DIAMOND_CUT.topic0()), LogData.diamondCut(
                List.of(FacetCut.add(s.facetA, GemforceScenario.CUT)), Address.ZERO, new byte[0]));
        s.chain.mine();
        SyncSummary summary = syncer().syncAll("localhost");
        assertThat(summary.errors()).extracting(SyncError::code).containsExactly("INVALID_CUT");
        assertThat(summary.errors().get(0).message()).contains("already set");
        DiamondRecord r = sink.diamond(31337, s.d2).orElseThrow();
        assertThat(r.state().selectorMap()).isEqualTo(s.chain.selectorsOf(s.d2));
        assertThat(r.consistent()).isFalse();
    }

    @Test
    void reindexAllRebuildsTheNetwork() {
        syncer().syncAll("localhost");
        StoreContents before = Stores.withoutRecentHashes(sink.contents(31337));
        SyncSummary again = syncer().syncAll("localhost", null, null, true);
        assertThat(again.eventsIndexed()).isEqualTo(15);
        assertThat(Stores.withoutRecentHashes(sink.contents(31337))).isEqualTo(before);
    }

    @Test
    void configuredDiamondsWithoutAFactoryAreSynced() {
        Address owner = s.chain.newAddress();
        Address lone = s.chain.deployDiamond(owner, s.initialCuts());
        s.chain.mine();
        var nets = s.networks().toBuilder().add(s.networks().resolve("localhost")
                .withDiamonds(List.of(lone))).build();
        SyncSummary summary = syncer(sink, b -> b.networks(nets)).syncAll("localhost");
        assertThat(summary.diamondsSynced()).isEqualTo(4);
        assertThat(sink.diamond(31337, lone).orElseThrow().state().selectorMap()).isEqualTo(s.chain.selectorsOf(lone));
        assertThat(sink.diamond(31337, lone).orElseThrow().owner()).isEqualTo(owner);
    }

    @Test
    void stateOfAStoredDiamondMatchesTheStateModel() {
        syncer().syncAll("localhost");
        DiamondState state = sink.diamond(31337, s.d1).orElseThrow().state();
        assertThat(state.facetOf(Selector.of("0x01ffc9a7"))).contains(s.facetB);
        assertThat(state.facetOf(Selector.of("0x00000000"))).contains(s.facetB);
        assertThat(state.selectorsOf(s.facetA)).hasSize(16);
        assertThat(Map.copyOf(state.selectorMap())).isEqualTo(s.chain.selectorsOf(s.d1));
    }
}
