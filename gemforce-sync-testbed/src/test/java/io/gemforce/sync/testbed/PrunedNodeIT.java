package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncError;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.internal.abi.AbiEncoder;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.utils.Numeric;

/**
 * The engine against an Anvil node that keeps the state of its last 16 blocks only
 * ({@code --prune-history 16}), as most public endpoints are not archive nodes: logs and headers
 * stay, {@code eth_call} at older blocks fails.
 */
class PrunedNodeIT {
    private Anvil anvil;
    private GemforceContracts g;
    private Web3jChainSource chain;
    private String owner;
    private String other;

    @BeforeEach
    void start() {
        anvil = Anvil.start(List.of("--prune-history", "16"));
        g = new GemforceContracts(anvil).deployAll();
        chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .build();
        owner = anvil.accounts().get(0);
        other = anvil.accounts().get(1);
    }

    @AfterEach
    void stop() {
        chain.close();
        anvil.close();
    }

    private Networks networks(long startBlock) {
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), startBlock);
        return Networks.defaults().toBuilder().add(local).build();
    }

    private DiamondSyncer syncer(InMemoryStateSink sink, Networks nets) {
        return DiamondSyncer.builder().chainSource(chain).sink(sink).networks(nets).build();
    }

    private void assertMatchesLoupe(InMemoryStateSink sink, Address d) {
        long head = anvil.blockNumber();
        DiamondRecord r = sink.diamond(31337, d).orElseThrow();
        assertThat(r.lastSyncedBlock()).isEqualTo(head);
        assertThat(r.state()).isEqualTo(DiamondState.of(chain.facets(d, head)));
        chain.owner(d, head).ifPresent(o -> assertThat(r.owner()).isEqualTo(o));
    }

    @Test
    void syncDiamondFromABlockWhoseStateIsPrunedDerivesTheBaseFromTheDiamondsLogs() {
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address d = g.createDiamond(owner, "PRN", "Pruned");
        g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, List.of(a.get("a01()"), a.get("a02()")))));
        g.transferOwnership(owner, d, other);
        g.propose(other, d, List.of(FacetCut.add(g.facetA, List.of(a.get("a03()")))));
        anvil.mine(40);
        long from = anvil.blockNumber() - 30;
        assertThatThrownBy(() -> chain.facets(d, from - 1)).as("the node really has no state there")
                .isInstanceOf(ChainException.StateUnavailable.class);

        InMemoryStateSink sink = new InMemoryStateSink();
        SyncSummary s = syncer(sink, networks(g.factoryBlock)).syncDiamond(d.hex(), "localhost", from);

        assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(s.errors()).as(s.toJson()).isEmpty();
        assertMatchesLoupe(sink, d);
        DiamondRecord r = sink.diamond(31337, d).orElseThrow();
        assertThat(r.owner().hex()).isEqualTo(other);
        assertThat(r.pendingUpgrade()).isNotNull();
        assertThat(r.pendingUpgrade().proposedCuts()).containsExactly(FacetCut.add(g.facetA, List.of(a.get("a03()"))));
        assertThat(r.consistent()).isTrue();
    }

    @Test
    void whenTheDiamondsLogsHoldNoCutToStartFromTheErrorIsTypedAndSaysWhatToDo() {
        Address d = g.createDiamond(owner, "LATE", "Late start");
        long created = anvil.blockNumber();
        g.transferOwnership(owner, d, other);
        anvil.mine(40);
        InMemoryStateSink sink = new InMemoryStateSink();
        DiamondSyncer late = syncer(sink, networks(created + 1)); // the start block lies after the creation
        assertThatThrownBy(() -> late.syncDiamond(d.hex(), "localhost", anvil.blockNumber() - 30))
                .isInstanceOf(SyncException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.STATE_UNAVAILABLE))
                .hasMessageContaining("archive node")
                .hasMessageContaining("creation block");
        assertThat(sink.mutations()).isZero();
    }

    @Test
    void syncAllOverDiamondsWithAnInvalidCutStoresTheOthersAndFlagsThatOne() {
        Address d1 = g.createDiamond(owner, "OK1", "Fine one");
        Address d2 = g.createDiamond(owner, "BAD", "Bad cut");
        Address d3 = g.createDiamond(owner, "OK3", "Fine three");
        Address emitter = g.deploy("BrokenEmitter");
        Selector emit = GemforceContracts.selectors("BrokenEmitter").get("emitBroken(bytes)");
        g.diamondCut(owner, d2, List.of(FacetCut.add(emitter, List.of(emit))));
        // d2 logs a DiamondCut that adds selectors it already has: the EIP-2535 rules reject it
        List<Selector> loupe = List.copyOf(GemforceContracts.selectors("DiamondLoupeFacet").values());
        String cut = AbiEncoder.diamondCutData(List.of(FacetCut.add(g.facetA, loupe)), Address.ZERO, new byte[0]);
        g.send(owner, d2, GemforceContracts.call("emitBroken", List.of(new DynamicBytes(Numeric.hexStringToByteArray(cut)))));
        g.transferOwnership(owner, d3, other);
        anvil.mine(40);

        InMemoryStateSink sink = new InMemoryStateSink();
        // small ranges: the range holding the bad cut ends where the node has no state any more
        SyncSummary s = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(networks(g.factoryBlock))
                .blockRange(10, 1, 10).build().syncAll("localhost");

        assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(s.diamondsSynced()).isEqualTo(3);
        assertThat(s.errors()).extracting(SyncError::code)
                .containsExactly(ErrorCode.INVALID_CUT.name(), SyncError.NOT_RECONCILED);
        assertThat(s.errors()).allSatisfy(e -> assertThat(e.diamond()).isEqualTo(d2.hex()));
        for (Address d : List.of(d1, d2, d3)) {
            assertMatchesLoupe(sink, d);
        }
        assertThat(sink.diamond(31337, d1).orElseThrow().consistent()).isTrue();
        assertThat(sink.diamond(31337, d3).orElseThrow().consistent()).isTrue();
        assertThat(sink.diamond(31337, d2).orElseThrow().consistent()).isFalse();
        assertThat(sink.diamond(31337, d3).orElseThrow().owner().hex()).isEqualTo(other);
    }
}
