package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.testkit.GemforceScenario;
import io.gemforce.sync.testkit.LogData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node that keeps the state of its newest blocks only, as most public endpoints do. */
class NoArchiveStateTest {
    private final GemforceScenario s = new GemforceScenario().build();

    private DiamondSyncer syncer(InMemoryStateSink sink, Networks nets) {
        return DiamondSyncer.builder().chainSource(s.chain).sink(sink).networks(nets).blockRange(4, 1, 4).build();
    }

    private DiamondSyncer syncer(InMemoryStateSink sink) {
        return syncer(sink, s.networks());
    }

    @Test
    void syncDiamondFromALaterBlockDerivesItsBaseFromItsOwnLogs() {
        InMemoryStateSink archive = new InMemoryStateSink();
        SyncSummary expected = syncer(archive).syncDiamond(s.d3.hex(), "localhost", 12L);
        s.chain.resetCounters();

        s.chain.keepStateFor(3);
        InMemoryStateSink pruned = new InMemoryStateSink();
        SyncSummary summary = syncer(pruned).syncDiamond(s.d3.hex(), "localhost", 12L);

        assertThat(summary.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(summary.errors()).isEmpty();
        assertThat(summary.toJson()).isEqualTo(expected.toJson());
        assertThat(pruned.contents(31337)).isEqualTo(archive.contents(31337));
        DiamondRecord r = pruned.diamond(31337, s.d3).orElseThrow();
        assertThat(r.state().selectorMap()).isEqualTo(s.chain.selectorsOf(s.d3));
        assertThat(r.owner()).isEqualTo(s.caller);
        assertThat(r.pendingUpgrade()).isNotNull();
        assertThat(r.pendingUpgrade().proposedCuts()).isEqualTo(GemforceScenario.PROPOSED);
    }

    @Test
    void syncAllOfConfiguredDiamondsFromALaterBlockNeedsNoOldState() {
        Network local = s.networks().resolve("localhost").withDiamonds(List.of(s.d1, s.d2, s.d3));
        Networks nets = Networks.defaults().toBuilder().add(local).build();
        InMemoryStateSink archive = new InMemoryStateSink();
        syncer(archive, nets).syncAll("localhost", 9L, null, false);

        s.chain.keepStateFor(2);
        InMemoryStateSink pruned = new InMemoryStateSink();
        SyncSummary summary = syncer(pruned, nets).syncAll("localhost", 9L, null, false);
        assertThat(summary.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(summary.diamondsSynced()).isEqualTo(3);
        assertThat(pruned.contents(31337)).isEqualTo(archive.contents(31337));
    }

    @Test
    void withoutACutToStartFromTheErrorIsTypedAndSaysWhatToDo() {
        // the network's start block lies after d2's creation: its logs from there hold no DiamondCut
        Network late = Networks.defaults().resolve("localhost").withFactories(List.of(s.factory), 6);
        Networks nets = Networks.defaults().toBuilder().add(late).build();
        s.chain.keepStateFor(3);
        InMemoryStateSink sink = new InMemoryStateSink();
        assertThatThrownBy(() -> syncer(sink, nets).syncDiamond(s.d2.hex(), "localhost", 13L))
                .isInstanceOf(SyncException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.STATE_UNAVAILABLE))
                .hasMessageContaining("archive node")
                .hasMessageContaining("creation block");
        assertThat(sink.contents(31337).events()).isEmpty();
        assertThat(sink.contents(31337).diamonds()).isEmpty();
        assertThat(sink.contents(31337).checkpoints()).isEmpty();
    }

    @Test
    void aRejectedCutWhoseLoupeIsPrunedFlagsThatDiamondAndTheOthersSyncOn() {
        // block 21: a DiamondCut log that breaks the rules (adds selectors d2 already has); the loupe at the
        // end of that range is long pruned when the sync runs
        s.chain.emit(s.d2, List.of(EventType.DIAMOND_CUT.topic0()), LogData.diamondCut(
                List.of(FacetCut.add(s.facetA, GemforceScenario.CUT)), Address.ZERO, new byte[0]));
        s.chain.mine();
        s.chain.transferOwnership(s.d1, s.newOwner);
        s.chain.mine(30);
        s.chain.keepStateFor(5);

        InMemoryStateSink sink = new InMemoryStateSink();
        SyncSummary summary = syncer(sink).syncAll("localhost");

        assertThat(summary.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(summary.diamondsSynced()).isEqualTo(3);
        assertThat(summary.errors()).extracting(SyncError::code)
                .containsExactly(ErrorCode.INVALID_CUT.name(), SyncError.NOT_RECONCILED);
        assertThat(summary.errors()).allSatisfy(e -> assertThat(e.diamond()).isEqualTo(s.d2.hex()));
        for (Address d : List.of(s.d1, s.d2, s.d3)) {
            DiamondRecord r = sink.diamond(31337, d).orElseThrow();
            assertThat(r.state().selectorMap()).as("facets of %s", d).isEqualTo(s.chain.selectorsOf(d));
            assertThat(r.lastSyncedBlock()).isEqualTo(51);
            assertThat(r.consistent()).as("consistent %s", d).isEqualTo(!d.equals(s.d2));
        }
        assertThat(sink.diamond(31337, s.d1).orElseThrow().owner()).isEqualTo(s.newOwner);
    }

    @Test
    void aReconciliationThatCannotReadTheStateIsReportedNotFailed() {
        s.chain.keepStateFor(1);
        InMemoryStateSink sink = new InMemoryStateSink();
        // synced to block 15 while the node only holds the state of block 20
        SyncSummary summary = syncer(sink).syncAll("localhost", null, 15L, false);
        assertThat(summary.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(summary.lastSyncedBlock()).isEqualTo(15);
        assertThat(summary.errors()).extracting(SyncError::code).containsOnly(SyncError.NOT_RECONCILED);
        assertThat(summary.errors()).hasSize(3);
        assertThat(sink.diamonds(31337)).hasSize(3).allSatisfy(r -> assertThat(r.lastSyncedBlock()).isEqualTo(15));
    }
}
