package io.gemforce.sync.examples.jdbc;

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
import io.gemforce.sync.testbed.LocalPostgres;
import io.gemforce.sync.testkit.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Following into the JDBC sink on a real PostgreSQL that is stopped and started again while the
 * chain changes: the follower retries, and the store ends equal to a fresh sync.
 */
class FollowPostgresIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void postgresGoingAwayWhileFollowingLosesNothing() throws Exception {
        try (Anvil anvil = Anvil.start(); LocalPostgres pg = LocalPostgres.start(Path.of("target", "follow-pg"))) {
            pg.createDatabase("follow");
            GemforceContracts g = new GemforceContracts(anvil).deployAll();
            String owner = Anvil.DEPLOYER;
            String other = anvil.accounts().get(1);
            Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
            Address d = g.createDiamond(owner, "PG", "Followed into PostgreSQL");
            Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
            Networks nets = Networks.defaults().toBuilder().add(local).build();
            List<DiamondChange> seen = Collections.synchronizedList(new ArrayList<>());
            try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build();
                    JdbcStateSink sink = JdbcStateSink.open(pg.jdbcUrl("follow"), LocalPostgres.USER, null)) {
                DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(nets).build();
                try (Follower f = syncer.follow("localhost", FollowOptions.builder().mode(FollowMode.HEAD)
                        .pollInterval(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)).listener(seen::add)
                        .build())) {
                    assertThat(f.awaitCaughtUp(WAIT)).isTrue();
                    pg.stop();
                    g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, List.of(a.get("a01()"), a.get("a02()")))));
                    g.transferOwnership(owner, d, other);
                    anvil.mine(2);
                    long until = System.nanoTime() + WAIT.toNanos();
                    while (f.status().state() != FollowStatus.State.RETRYING && System.nanoTime() < until) {
                        Thread.sleep(20);
                    }
                    assertThat(f.status().state()).as(f.status().toString()).isEqualTo(FollowStatus.State.RETRYING);
                    pg.start();
                    assertThat(f.awaitCaughtUp(WAIT)).isTrue();
                    assertThat(f.stop(WAIT)).isTrue();

                    long synced = f.status().syncedBlock();
                    InMemoryStateSink fresh = new InMemoryStateSink();
                    DiamondSyncer.builder().chainSource(chain).sink(fresh).networks(nets).build()
                            .syncAll("localhost", null, synced, false);
                    assertThat(Stores.withoutRecentHashes(sink.contents(31337))).isEqualTo(Stores.withoutRecentHashes(fresh.contents(31337)));
                    assertThat(seen).filteredOn(c -> c instanceof DiamondChange.OwnershipChanged oc
                            && oc.newOwner().hex().equals(other)).hasSize(1);
                }
            }
        }
    }
}
