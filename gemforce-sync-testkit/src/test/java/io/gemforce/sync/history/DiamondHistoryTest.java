package io.gemforce.sync.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.history.HistoryEntry.Kind;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.testkit.GemforceScenario;
import io.gemforce.sync.testkit.ScriptedChain;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history read from a store equals the scripted chain's loupe at every block. */
class DiamondHistoryTest {
    private static final long CHAIN = GemforceScenario.CHAIN_ID;
    private final GemforceScenario s = new GemforceScenario().build();
    private final InMemoryStateSink sink = new InMemoryStateSink();

    private DiamondSyncer syncer() {
        return DiamondSyncer.builder().chainSource(s.chain).sink(sink).networks(s.networks()).blockRange(4, 1, 4).build();
    }

    /** For every block up to the head: facets and owner as the loupe answers them then, or no diamond yet. */
    static void assertEqualsTheLoupeAtEveryBlock(DiamondHistory h, ScriptedChain chain, long head) {
        Address d = h.diamond();
        for (long b = 0; b <= head; b++) {
            HistoricState st = h.at(b);
            assertThat(st.block()).isEqualTo(b);
            if (!chain.hasCode(d, b)) {
                assertThat(st.exists()).as("%s at %d", d, b).isFalse();
                assertThat(st.facets()).isEmpty();
                continue;
            }
            assertThat(st.exists()).as("%s at %d", d, b).isTrue();
            assertThat(st.state().selectorMap()).as("facets of %s at block %d", d, b)
                    .isEqualTo(io.gemforce.sync.diamond.DiamondState.of(chain.facets(d, b)).selectorMap());
            assertThat(st.owner()).as("owner of %s at block %d", d, b).isEqualTo(chain.owner(d, b).orElse(null));
        }
    }

    @Test
    void everyBlockOfTheScenarioEqualsTheLoupeAtThatBlock() {
        assertThat(syncer().syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
        for (Address d : List.of(s.d1, s.d2, s.d3)) {
            DiamondHistory h = DiamondHistory.read(sink, CHAIN, d);
            assertThat(h.complete()).as(h.incompleteBecause().orElse("")).isTrue();
            assertThat(h.lastBlock()).isEqualTo(20);
            assertEqualsTheLoupeAtEveryBlock(h, s.chain, 20);
        }
        DiamondHistory d1 = DiamondHistory.read(sink, CHAIN, s.d1);
        assertThat(d1.createdBlock()).contains(2L);
        assertThat(d1.changeBlocks()).containsExactly(2L, 5L, 10L);
        assertThat(d1.at(4).facets()).hasSize(3);
        assertThat(d1.at(5).selectorCount()).isEqualTo(d1.at(4).selectorCount() + 20);
    }

    @Test
    void theTimelineListsEveryUpgradeStepWithItsBlockAndTransaction() {
        syncer().syncAll("localhost");
        DiamondHistory d2 = DiamondHistory.read(sink, CHAIN, s.d2);
        assertThat(d2.timeline()).extracting(HistoryEntry::kind).containsExactly(Kind.CUT, Kind.OWNERSHIP_TRANSFERRED,
                Kind.CREATED, Kind.OWNERSHIP_TRANSFERRED, Kind.PROPOSED, Kind.CANCELLED);
        assertThat(d2.timeline()).extracting(HistoryEntry::blockNumber).containsExactly(3L, 3L, 3L, 8L, 11L, 12L);
        List<StoredEvent> stored = sink.storedEvents(CHAIN, s.d2);
        assertThat(d2.timeline()).extracting(HistoryEntry::transactionHash)
                .containsExactlyElementsOf(stored.stream().map(StoredEvent::transactionHash).toList());
        assertThat(d2.timeline().get(0).cuts()).hasSize(3);
        assertThat(d2.at(10).pendingUpgrade()).isNull();
        assertThat(d2.at(11).pendingUpgrade().proposer()).isEqualTo(s.newOwner);
        assertThat(d2.at(12).pendingUpgrade()).as("cancelled").isNull();
        assertThat(d2.at(7).owner()).isEqualTo(s.caller);
        assertThat(d2.at(8).owner()).isEqualTo(s.newOwner);

        DiamondHistory d3 = DiamondHistory.read(sink, CHAIN, s.d3);
        assertThat(d3.at(8).pendingUpgrade()).isNull();
        assertThat(d3.at(9).pendingUpgrade().proposedCuts()).as("the stored record knows what it will do")
                .isEqualTo(GemforceScenario.PROPOSED);
    }

    @Test
    void aCutWhileAProposalIsPendingIsItsExecution() {
        s.chain.cut(s.d3, GemforceScenario.PROPOSED);
        s.chain.mine(); // 21
        syncer().syncAll("localhost");
        DiamondHistory d3 = DiamondHistory.read(sink, CHAIN, s.d3);
        HistoryEntry last = d3.timeline().get(d3.timeline().size() - 1);
        assertThat(last.kind()).isEqualTo(Kind.EXECUTED);
        assertThat(last.blockNumber()).isEqualTo(21);
        assertThat(last.cuts()).isEqualTo(GemforceScenario.PROPOSED);
        assertThat(d3.at(20).pendingUpgrade()).isNotNull();
        assertThat(d3.at(21).pendingUpgrade()).isNull();
        assertThat(d3.at(21).state().facetOf(Selector.of("0x0c000001"))).isPresent();
        assertEqualsTheLoupeAtEveryBlock(d3, s.chain, 21);
        assertThat(DiamondHistory.read(sink, CHAIN, s.d1).timeline()).extracting(HistoryEntry::kind)
                .doesNotContain(Kind.EXECUTED);
    }

    @Test
    void afterAReorgTheHistoryFollowsTheNewChain() {
        syncer().syncAll("localhost");
        s.chain.rewindTo(9, "fork");
        s.chain.cut(s.d1, List.of(FacetCut.remove(List.of(new Selector(0x0a000005)))));
        s.chain.mine(); // 10'
        s.chain.transferOwnership(s.d1, s.newOwner);
        s.chain.mine(12); // 11'..22'
        assertThat(syncer().syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
        for (Address d : List.of(s.d1, s.d2, s.d3)) {
            assertEqualsTheLoupeAtEveryBlock(DiamondHistory.read(sink, CHAIN, d), s.chain, 22);
        }
    }

    @Test
    void aBlockAfterTheLastSyncedOneIsNotAnswered() {
        syncer().syncAll("localhost", null, 15L, false);
        DiamondHistory h = DiamondHistory.read(sink, CHAIN, s.d1);
        assertThat(h.at(15).exists()).isTrue();
        assertThatThrownBy(() -> h.at(16)).isInstanceOfSatisfying(SyncException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.HISTORY_UNAVAILABLE)).hasMessageContaining("block 15");
    }

    @Test
    void aSyncThatStartedAfterTheCreationCannotAnswerStates() {
        syncer().syncDiamond(s.d1.hex(), "localhost", 6L); // base state from a loupe snapshot at block 5
        DiamondHistory h = DiamondHistory.read(sink, CHAIN, s.d1);
        assertThat(h.complete()).isFalse();
        assertThat(h.incompleteBecause().orElseThrow()).contains("does not hold every event").doesNotContain("null");
        assertThatThrownBy(() -> h.at(12)).isInstanceOfSatisfying(SyncException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.HISTORY_UNAVAILABLE));
        assertThat(h.timeline()).extracting(HistoryEntry::blockNumber).containsExactly(10L);
    }

    @Test
    void eventsWithoutTheirDiamondRecordCannotBeChecked() {
        syncer().syncEvents(s.d1.hex(), "localhost", "DiamondCut", null);
        DiamondHistory h = DiamondHistory.read(sink, CHAIN, s.d1);
        assertThat(h.complete()).isFalse();
        assertThatThrownBy(() -> h.at(12)).isInstanceOf(SyncException.class).hasMessageContaining("no record");
    }

    @Test
    void aStoreThatLostOneEventIsCaughtByTheCheckAgainstItsRecord() {
        syncer().syncAll("localhost");
        List<StoredEvent> all = sink.storedEvents(CHAIN, s.d2);
        List<StoredEvent> lost = all.stream().filter(e -> !(e.eventType() == EventType.OWNERSHIP_TRANSFERRED
                && e.blockNumber() == 8)).toList();
        assertThat(lost).hasSize(all.size() - 1);
        var record = sink.diamond(CHAIN, s.d2).orElseThrow();
        assertThat(DiamondHistory.of(s.d2, all, record).complete()).isTrue();
        DiamondHistory h = DiamondHistory.of(s.d2, lost, record);
        assertThat(h.complete()).isFalse();
        assertThatThrownBy(() -> h.at(5)).isInstanceOf(SyncException.class).hasMessageContaining("does not give the stored state");
    }
}
