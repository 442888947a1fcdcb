package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.testkit.Stores;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.abi.datatypes.DynamicBytes;

/**
 * {@code syncAll} reading each range for every emitter of the synced topics (the default with
 * {@link Web3jChainSource}) on a real node, among other contracts' logs of the same topics: the
 * diamonds of a factory the network does not sync, a contract emitting malformed {@code DiamondCut}
 * logs. The store and the summary equal those of a run that names its addresses, with fewer
 * {@code eth_getLogs}: the diamonds found mid-run are in the answers already.
 */
@ExtendWith(AnvilExtension.class)
class AnyAddressReadIT {
    private final Anvil anvil;

    AnyAddressReadIT(Anvil anvil) {
        this.anvil = anvil;
    }

    @Test
    void readingEveryEmitterAmongOtherContractsLogsGivesTheStoreOfReadingByAddress() {
        anvil.reset();
        GemforceContracts g = new GemforceContracts(anvil).deployAll();
        GemforceContracts stranger = new GemforceContracts(anvil).deployAll(); // a factory this network does not sync
        String owner = anvil.accounts().get(0);
        String other = anvil.accounts().get(1);
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address broken = g.deploy("BrokenEmitter");
        // a DiamondCut topic with data that is not ABI: reported if it came from a synced diamond
        String brokenCut = GemforceContracts.call("emitBroken", List.of(new DynamicBytes(new byte[] {1, 2, 3})));

        Address x1 = stranger.createDiamond(owner, "OTH1", "Other one");
        Address d1 = g.createDiamond(owner, "GEM1", "Gem one");
        for (int i = 1; i <= 12; i++) {
            anvil.mine(5);
            stranger.diamondCut(owner, x1, List.of(FacetCut.add(stranger.facetA, List.of(a.get(String.format("a%02d()", i))))));
            g.send(owner, broken, brokenCut);
            if (i == 4) {
                g.createDiamond(other, "GEM2", "Gem two"); // found mid-run, ranges already in flight
            }
            if (i % 3 == 0) {
                g.diamondCut(owner, d1, List.of(FacetCut.add(g.facetA, List.of(a.get(String.format("a%02d()", i))))));
            }
            if (i == 8) {
                stranger.createDiamond(other, "OTH2", "Other two");
            }
        }
        stranger.transferOwnership(owner, x1, other);
        anvil.mine(20);
        long head = anvil.blockNumber();

        InMemoryStateSink byAddress = new InMemoryStateSink();
        InMemoryStateSink anyEmitter = new InMemoryStateSink();
        Web3jChainSource named = source().anyAddressLogs(false).build();
        Web3jChainSource any = source().build();
        try (named; any) {
            assertThat(named.anyAddressLogs()).isFalse();
            assertThat(any.anyAddressLogs()).isTrue();
            SyncSummary s1 = syncAll(named, byAddress, g);
            SyncSummary s2 = syncAll(any, anyEmitter, g);
            for (SyncSummary s : List.of(s1, s2)) {
                assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
                assertThat(s.errors()).as(s.toJson()).isEmpty();
                assertThat(s.diamondsSynced()).isEqualTo(2);
                assertThat(s.lastSyncedBlock()).isEqualTo(head);
            }
            assertThat(s2.eventsIndexed()).isEqualTo(s1.eventsIndexed());
            assertThat(Stores.withoutRecentHashes(anyEmitter.contents(31337)))
                    .isEqualTo(Stores.withoutRecentHashes(byAddress.contents(31337)));
            assertThat(anyEmitter.diamonds(31337).stream().map(DiamondRecord::address).collect(Collectors.toSet()))
                    .contains(d1).doesNotContain(x1).hasSize(2);
            for (DiamondRecord r : anyEmitter.diamonds(31337)) {
                assertThat(r.state()).isEqualTo(DiamondState.of(any.facets(r.address(), head)));
            }
            long namedLogs = named.callCounts().getOrDefault("eth_getLogs", 0L);
            long anyLogs = any.callCounts().getOrDefault("eth_getLogs", 0L);
            System.out.println("[AnyAddressReadIT] eth_getLogs by address " + named.callCounts() + ", for any emitter "
                    + any.callCounts());
            assertThat(anyLogs).as("no riders for the diamond found mid-run").isLessThan(namedLogs);
        }
    }

    private Web3jChainSource.Builder source() {
        return Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).backoff(Duration.ofMillis(5), Duration.ofMillis(50));
    }

    private static SyncSummary syncAll(Web3jChainSource chain, InMemoryStateSink sink, GemforceContracts g) {
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
        return DiamondSyncer.builder().chainSource(chain).sink(sink)
                .networks(Networks.defaults().toBuilder().add(local).build())
                .blockRange(8, 1, 8).concurrency(4).build().syncAll("localhost");
    }
}
