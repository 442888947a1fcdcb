package io.gemforce.sync.testkit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.testkit.ScriptedChain;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexingTest {
    static final Selector A = Selector.of("0x0a000001"), B = Selector.of("0x0a000002");

    @Test
    void aReorgTakesBackTheOrphanedCutAndTransfer() {
        ScriptedChain chain = new ScriptedChain(31337);     // "localhost"; block 0 exists
        Address factory = chain.deployFactory(), facet = chain.deployContract();
        Address owner = chain.newAddress(), buyer = chain.newAddress();
        chain.mine();                                       // block 1: the contracts
        Address diamond = chain.createDiamond(factory, owner, "GEM", "Gem", List.of(FacetCut.add(facet, List.of(A))));
        chain.mine();                                       // 2: created through the factory
        chain.cut(diamond, List.of(FacetCut.add(facet, List.of(B))));
        chain.mine();                                       // 3: first cut
        chain.cut(diamond, List.of(FacetCut.remove(List.of(A))));
        chain.transferOwnership(diamond, buyer);
        chain.mine();                                       // 4: second cut and a transfer

        Networks networks = Networks.defaults().toBuilder()
                .add(Networks.defaults().resolve("localhost").withFactories(List.of(factory), 0)).build();
        InMemoryStateSink store = new InMemoryStateSink();
        DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(store).networks(networks).build();
        assertThat(syncer.syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(store.diamond(31337, diamond).orElseThrow().owner()).isEqualTo(buyer);
        assertThat(store.diamond(31337, diamond).orElseThrow().state().selectorMap()).containsOnlyKeys(B);

        chain.rewindTo(3, "fork").mine(2);                  // a reorg: block 4 is gone, 4' and 5' are empty
        assertThat(syncer.syncAll("localhost").lastSyncedBlock()).isEqualTo(5);
        DiamondRecord d = store.diamond(31337, diamond).orElseThrow();
        assertThat(d.owner()).isEqualTo(owner);
        assertThat(d.state().selectorMap()).containsOnlyKeys(A, B);
        assertThat(store.storedEvents(31337, diamond)).extracting(StoredEvent::eventType).containsExactly(
                EventType.DIAMOND_CUT, EventType.OWNERSHIP_TRANSFERRED, EventType.DIAMOND_CREATED, EventType.DIAMOND_CUT);
    }
}
