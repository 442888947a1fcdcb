package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.follow.DiamondChange;
import io.gemforce.sync.follow.FollowMode;
import io.gemforce.sync.follow.FollowOptions;
import io.gemforce.sync.follow.FollowStatus;
import io.gemforce.sync.follow.Follower;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.testkit.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Following into a real Parse Server while the store goes away: Parse Server stopped and started
 * again, then its PostgreSQL stopped and started again, each while the chain changes. The follower
 * retries; the store ends equal to a fresh sync, and the listener heard each change.
 */
@ExtendWith(ParseServerExtension.class)
class FollowParseIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void theStoreGoingAwayWhileFollowingLosesNothing(ParseTestServer server) throws Exception {
        server.purgeSinkClasses();
        try (Anvil anvil = Anvil.start(); ParseClient client = server.newClient()) {
            GemforceContracts g = new GemforceContracts(anvil).deployAll();
            String owner = Anvil.DEPLOYER;
            String other = anvil.accounts().get(1);
            Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
            Address d = g.createDiamond(owner, "FP", "Followed into Parse");
            Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
            Networks nets = Networks.defaults().toBuilder().add(local).build();
            ParseStateSink parse = ParseStateSink.builder(client).build();
            List<DiamondChange> seen = Collections.synchronizedList(new ArrayList<>());
            try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build()) {
                DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(parse).networks(nets).build();
                try (Follower f = syncer.follow("localhost", FollowOptions.builder().mode(FollowMode.HEAD)
                        .pollInterval(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)).listener(seen::add)
                        .build())) {
                    assertThat(f.awaitCaughtUp(WAIT)).isTrue();

                    server.stopParse();
                    g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, List.of(a.get("a01()"), a.get("a02()")))));
                    anvil.mine(3);
                    awaitState(f, FollowStatus.State.RETRYING);
                    server.startParse();
                    assertThat(f.awaitCaughtUp(WAIT)).isTrue();

                    server.stopPostgres();
                    g.transferOwnership(owner, d, other);
                    anvil.mine(2);
                    awaitState(f, FollowStatus.State.RETRYING);
                    server.startPostgres();
                    assertThat(f.awaitCaughtUp(WAIT)).isTrue();
                    assertThat(f.stop(WAIT)).isTrue();

                    long synced = f.status().syncedBlock();
                    InMemoryStateSink fresh = new InMemoryStateSink();
                    DiamondSyncer.builder().chainSource(chain).sink(fresh).networks(nets).build()
                            .syncAll("localhost", null, synced, false);
                    assertThat(Stores.withoutRecentHashes(parse.contents(31337)))
                            .isEqualTo(Stores.withoutRecentHashes(fresh.contents(31337)));
                    assertThat(seen).filteredOn(c -> c instanceof DiamondChange.FacetsChanged fc
                            && fc.cuts().stream().anyMatch(k -> k.facetAddress().equals(g.facetA))).hasSize(1);
                    assertThat(seen).filteredOn(c -> c instanceof DiamondChange.OwnershipChanged oc
                            && oc.newOwner().hex().equals(other)).hasSize(1);
                }
            }
        } finally {
            if (!server.postgresRunning()) {
                server.startPostgres();
            }
            if (!server.parseRunning()) {
                server.startParse();
            }
        }
    }

    private static void awaitState(Follower f, FollowStatus.State state) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (f.status().state() != state && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(f.status().state()).as(f.status().toString()).isEqualTo(state);
        assertThat(f.status().lastError()).isNotBlank();
    }
}
