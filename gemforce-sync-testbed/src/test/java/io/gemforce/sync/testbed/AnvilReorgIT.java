package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.ReorgTooDeepException;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.testkit.Stores;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reorgs made by Anvil itself ({@code anvil_reorg}) that remove a DiamondCut. */
class AnvilReorgIT {
    private Anvil anvil;

    @BeforeEach
    void ownNode() {
        anvil = Anvil.start(); // a node of its own: reorgs must not meet state left by another chain
    }

    @AfterEach
    void stopNode() {
        anvil.close();
    }

    record Setup(GemforceContracts g, Address diamond, Networks networks) {
    }

    /** A diamond, then a cut in the last {@code depth} blocks of the chain. */
    private Setup chainWithACutInTheLast(int depth) {
        GemforceContracts g = new GemforceContracts(anvil).deployAll();
        Address d = g.createDiamond(Anvil.DEPLOYER, "RG", "Reorg");
        anvil.mine(80);
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        g.diamondCut(Anvil.DEPLOYER, d, List.of(FacetCut.add(g.facetA, List.of(a.get("a01()"), a.get("a02()")))));
        if (depth > 1) {
            anvil.mine(depth - 1);
        }
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
        return new Setup(g, d, Networks.defaults().toBuilder().add(local).build());
    }

    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {1, 5, 60})
    void aReorgOfDepthIsRolledBack(int depth) {
        Setup s = chainWithACutInTheLast(depth);
        InMemoryStateSink sink = new InMemoryStateSink();
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build()) {
            DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(s.networks()).build();
            assertThat(syncer.syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(sink.diamond(31337, s.diamond()).orElseThrow().state().selectorsOf(s.g().facetA)).hasSize(2);
            long head = anvil.blockNumber();

            anvil.rpc("anvil_reorg", depth, List.of()); // the last `depth` blocks, the cut's among them, are replaced
            assertThat(anvil.blockNumber()).isEqualTo(head);

            SyncSummary after = syncer.syncAll("localhost");
            assertThat(after.status()).as(after.toJson()).isEqualTo(SyncStatus.SUCCESS);
            long now = anvil.blockNumber();
            assertThat(sink.diamond(31337, s.diamond()).orElseThrow().state())
                    .isEqualTo(DiamondState.of(chain.facets(s.diamond(), now)));
            assertThat(sink.diamond(31337, s.diamond()).orElseThrow().state().selectorsOf(s.g().facetA)).isEmpty();
            assertThat(sink.contents(31337).events()).allSatisfy(e ->
                    assertThat(chain.block(e.blockNumber()).orElseThrow().hash()).isEqualTo(e.blockHash()));

            InMemoryStateSink fresh = new InMemoryStateSink();
            DiamondSyncer.builder().chainSource(chain).sink(fresh).networks(s.networks()).build().syncAll("localhost");
            assertThat(Stores.withoutRecentHashes(sink.contents(31337))).isEqualTo(Stores.withoutRecentHashes(fresh.contents(31337)));
        }
    }

    @Test
    void aReorgDeeperThanTheWindowStopsLoudlyAndLeavesTheStoreAsItWas() {
        Setup s = chainWithACutInTheLast(60);
        InMemoryStateSink sink = new InMemoryStateSink();
        try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build()) {
            DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(s.networks())
                    .reorgWindow(32).build();
            syncer.syncAll("localhost");
            StoreContents before = sink.contents(31337);
            long mutations = sink.mutations();
            anvil.rpc("anvil_reorg", 60, List.of());
            assertThatThrownBy(() -> syncer.syncAll("localhost")).isInstanceOf(ReorgTooDeepException.class)
                    .hasMessageContaining("32 blocks");
            assertThat(sink.contents(31337)).isEqualTo(before);
            assertThat(sink.mutations()).isEqualTo(mutations);
        }
    }
}
