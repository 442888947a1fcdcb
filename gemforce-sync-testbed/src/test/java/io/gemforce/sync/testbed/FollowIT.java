package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.follow.ChangeListener;
import io.gemforce.sync.follow.DiamondChange;
import io.gemforce.sync.follow.FollowMode;
import io.gemforce.sync.follow.FollowOptions;
import io.gemforce.sync.follow.FollowStatus;
import io.gemforce.sync.follow.Follower;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.testkit.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Following a real node while the project's contracts change diamonds under it. */
class FollowIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private Anvil anvil;
    private GemforceContracts g;
    private Web3jChainSource chain;
    private String owner;
    private String other;

    @AfterEach
    void stop() {
        if (chain != null) {
            chain.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    private void start(List<String> anvilArgs) {
        anvil = Anvil.start(anvilArgs);
        g = new GemforceContracts(anvil).deployAll();
        chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).backoff(Duration.ofMillis(5), Duration.ofMillis(50))
                .build();
        owner = anvil.accounts().get(0);
        other = anvil.accounts().get(1);
    }

    private Networks networks(long confirmations) {
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock)
                .withConfirmations(confirmations);
        return Networks.defaults().toBuilder().add(local).build();
    }

    private DiamondSyncer syncer(InMemoryStateSink sink, long confirmations, Consumer<DiamondSyncer.Builder> tweak) {
        DiamondSyncer.Builder b = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(networks(confirmations));
        tweak.accept(b);
        return b.build();
    }

    static final class Recorder implements ChangeListener {
        final List<DiamondChange> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onChange(DiamondChange c) {
            seen.add(c);
        }

        List<DiamondChange> snapshot() {
            synchronized (seen) {
                return new ArrayList<>(seen);
            }
        }
    }

    /** The store equals a fresh sync from scratch up to the same block. */
    private void assertEqualsFreshSync(InMemoryStateSink sink, long synced) {
        InMemoryStateSink fresh = new InMemoryStateSink();
        var s = syncer(fresh, 0, b -> { }).syncAll("localhost", null, synced, false);
        assertThat(s.errors()).as(s.toJson()).isEmpty();
        assertThat(Stores.withoutRecentHashes(sink.contents(31337))).isEqualTo(Stores.withoutRecentHashes(fresh.contents(31337)));
    }

    private static String kind(StoredEvent e) {
        return switch (e.eventType()) {
            case DIAMOND_CREATED -> "created";
            case DIAMOND_CUT -> "facets";
            case OWNERSHIP_TRANSFERRED -> "owner";
            case DIAMOND_CUT_PROPOSED -> "proposed";
            case DIAMOND_CUT_CANCELLED -> "cancelled";
        };
    }

    private static void awaitDelivered(Follower f) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (f.status().queued() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(f.status().queued()).isZero();
    }

    private static List<Selector> range(Map<String, Selector> all, int from, int to) {
        List<Selector> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(all.get(String.format("a%02d()", i)));
        }
        return out;
    }

    @Test
    void followsTheGemforceFlowForMoreThan120BlocksAndTheListenerHearsEachChangeOnce() throws Exception {
        start(List.of("--block-time", "1"));
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder rec = new Recorder();
        int executions = 0;
        try (Follower f = syncer(sink, 0, b -> { }).follow("localhost", FollowOptions.builder()
                .mode(FollowMode.HEAD).pollInterval(Duration.ofMillis(250)).listener(rec).build())) {
            long first = anvil.blockNumber();
            Address d = null;
            for (int step = 0; anvil.blockNumber() < first + 120; step++) {
                switch (step % 6) {
                    case 0 -> d = g.createDiamond(owner, "F" + step, "Followed " + step);
                    case 1 -> g.propose(owner, d, List.of(FacetCut.add(g.facetA, range(a, 1, 5))));
                    case 2 -> {
                        anvil.increaseTime(86_401);
                        g.execute(owner, d);
                        executions++;
                    }
                    case 3 -> g.propose(owner, d, List.of(FacetCut.add(g.facetA, range(a, 6, 10))));
                    case 4 -> g.cancel(owner, d);
                    default -> g.transferOwnership(owner, d, other);
                }
            }
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            assertThat(f.stop(WAIT)).isTrue();
            FollowStatus st = f.status();
            assertThat(st.state()).isEqualTo(FollowStatus.State.STOPPED);
            assertThat(st.syncedBlock() - first).isGreaterThanOrEqualTo(120);

            assertEqualsFreshSync(sink, st.syncedBlock());
            List<DiamondChange> seen = rec.snapshot();
            assertThat(seen).extracting(DiamondChange::id).doesNotHaveDuplicates();
            Set<String> expected = sink.contents(31337).events().stream().map(e -> e.uid() + ":" + kind(e))
                    .collect(Collectors.toSet());
            assertThat(seen.stream().filter(c -> !(c instanceof DiamondChange.UpgradeExecuted))
                    .map(DiamondChange::id).collect(Collectors.toSet())).isEqualTo(expected);
            assertThat(seen).filteredOn(c -> c instanceof DiamondChange.UpgradeExecuted).hasSize(executions);
            assertThat(seen).noneMatch(c -> c instanceof DiamondChange.RolledBack);
        }
    }

    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {1, 5, 30})
    void aReorgWhileFollowingAtTheHeadIsRolledBackAndHeard(int depth) throws Exception {
        start(List.of());
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address d = g.createDiamond(owner, "RG", "Reorged");
        anvil.mine(40);
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder rec = new Recorder();
        try (Follower f = syncer(sink, 0, b -> { }).follow("localhost", FollowOptions.builder()
                .mode(FollowMode.HEAD).pollInterval(Duration.ofMillis(50)).listener(rec).build())) {
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, range(a, 1, 2))));
            if (depth > 1) {
                anvil.mine(depth - 1);
            }
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            assertThat(sink.diamond(31337, d).orElseThrow().state().selectorsOf(g.facetA)).hasSize(2);
            long head = anvil.blockNumber();

            // the last `depth` blocks are replaced by a branch where the owner hands the diamond over instead
            String transfer = GemforceContracts.call("transferOwnership",
                    List.of(new org.web3j.abi.datatypes.Address(other)));
            anvil.rpc("anvil_reorg", depth, List.of(List.of(Map.of("from", owner, "to", d.hex(), "data", transfer,
                    "gas", "0x100000"), 0)));
            assertThat(anvil.blockNumber()).isEqualTo(head);
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(f);

            assertThat(sink.diamond(31337, d).orElseThrow().state().selectorsOf(g.facetA)).isEmpty();
            assertThat(sink.diamond(31337, d).orElseThrow().owner().hex()).isEqualTo(other);
            List<DiamondChange> seen = rec.snapshot();
            int rollback = -1;
            for (int i = 0; i < seen.size(); i++) {
                if (seen.get(i) instanceof DiamondChange.RolledBack) {
                    rollback = i;
                }
            }
            assertThat(rollback).as("a rollback was heard").isGreaterThanOrEqualTo(0);
            assertThat(seen.get(rollback).blockNumber()).isLessThanOrEqualTo(head - depth);
            assertThat(seen.subList(rollback + 1, seen.size())).filteredOn(c -> c instanceof DiamondChange.OwnershipChanged)
                    .singleElement().satisfies(c -> assertThat(((DiamondChange.OwnershipChanged) c).newOwner().hex())
                            .isEqualTo(other));
            assertEqualsFreshSync(sink, f.status().syncedBlock());
        }
    }

    @Test
    void inConfirmedModeAReorgShallowerThanTheConfirmationsNeverTouchesTheStore() throws Exception {
        start(List.of());
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address d = g.createDiamond(owner, "CF", "Confirmed");
        anvil.mine(20);
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder rec = new Recorder();
        try (Follower f = syncer(sink, 8, b -> { }).follow("localhost", FollowOptions.builder()
                .pollInterval(Duration.ofMillis(50)).listener(rec).build())) {
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, range(a, 1, 2))));
            anvil.mine(2);
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            StoreContents before = sink.contents(31337);
            long mutations = sink.mutations();

            anvil.rpc("anvil_reorg", 3, List.of()); // the cut and two blocks: all above the confirmed block
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            assertThat(sink.contents(31337)).isEqualTo(before);
            assertThat(sink.mutations()).isEqualTo(mutations);

            anvil.mine(10);
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(f);
            assertThat(rec.snapshot()).noneMatch(c -> c instanceof DiamondChange.RolledBack)
                    .noneMatch(c -> c instanceof DiamondChange.FacetsChanged fc
                            && fc.cuts().stream().anyMatch(k -> k.facetAddress().equals(g.facetA)));
            assertThat(sink.diamond(31337, d).orElseThrow().state().selectorsOf(g.facetA)).isEmpty();
            assertEqualsFreshSync(sink, f.status().syncedBlock());
        }
    }

    @Test
    void aReorgDeeperThanTheWindowIsRecoveredFromTheStoredEventsHashes() throws Exception {
        start(List.of());
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address d = g.createDiamond(owner, "DP", "Deep");
        anvil.mine(10);
        long kept = anvil.blockNumber();
        g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, range(a, 1, 3))));
        anvil.mine(5);
        g.transferOwnership(owner, d, other);
        anvil.mine(20);
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder rec = new Recorder();
        try (Follower f = syncer(sink, 0, b -> b.reorgWindow(8)).follow("localhost", FollowOptions.builder()
                .mode(FollowMode.HEAD).pollInterval(Duration.ofMillis(50)).listener(rec).build())) {
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            long head = anvil.blockNumber();
            anvil.rpc("anvil_reorg", (int) (head - kept), List.of()); // 27 blocks, the window is 8
            anvil.mine(2);
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(f);
            assertThat(f.status().state()).isEqualTo(FollowStatus.State.FOLLOWING);
            assertThat(rec.snapshot()).filteredOn(c -> c instanceof DiamondChange.RolledBack).singleElement()
                    .satisfies(c -> assertThat(c.blockNumber()).as("the newest stored event still on the chain")
                            .isLessThanOrEqualTo(kept));
            assertThat(sink.diamond(31337, d).orElseThrow().state().selectorsOf(g.facetA)).isEmpty();
            assertThat(sink.diamond(31337, d).orElseThrow().owner().hex()).isEqualTo(owner);
            assertEqualsFreshSync(sink, f.status().syncedBlock());
        }
    }

    @Test
    void theNodeGoingAwayAndComingBackLeavesNoGap() throws Exception {
        start(List.of());
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address d = g.createDiamond(owner, "ND", "Node down");
        LatencyProxy proxy = LatencyProxy.builder(anvil.rpcUrl()).latency(Duration.ZERO).start();
        int port = Integer.parseInt(proxy.url().replaceAll(".*:(\\d+).*", "$1"));
        chain.close();
        chain = Web3jChainSource.builder().rpcUrl(proxy.url()).maxAttempts(2).timeout(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder rec = new Recorder();
        try (Follower f = syncer(sink, 0, b -> { }).follow("localhost", FollowOptions.builder()
                .mode(FollowMode.HEAD).pollInterval(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(400))
                .listener(rec).build())) {
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            proxy.close(); // the node is gone for the follower
            g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, range(a, 1, 4))));
            g.transferOwnership(owner, d, other);
            long until = System.nanoTime() + WAIT.toNanos();
            while (f.status().state() != FollowStatus.State.RETRYING && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(f.status().state()).isEqualTo(FollowStatus.State.RETRYING);
            assertThat(f.status().lastError()).isNotBlank().doesNotContain("anvil");

            proxy = LatencyProxy.builder(anvil.rpcUrl()).latency(Duration.ZERO).port(port).start(); // back
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(f);
            assertThat(f.status().lastError()).isNull();
            assertThat(rec.snapshot()).filteredOn(c -> c instanceof DiamondChange.OwnershipChanged oc
                    && oc.diamond().equals(d) && oc.newOwner().hex().equals(other)).hasSize(1);
            assertEqualsFreshSync(sink, f.status().syncedBlock());
        } finally {
            proxy.close();
        }
    }
}
