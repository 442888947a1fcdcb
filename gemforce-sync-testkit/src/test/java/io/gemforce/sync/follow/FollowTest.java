package io.gemforce.sync.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.testkit.ForwardingChainSource;
import io.gemforce.sync.testkit.GemforceScenario;
import io.gemforce.sync.testkit.ScriptedChain;
import io.gemforce.sync.testkit.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Following on the scripted chain: the chain changes under a running follower (mined on the test's
 * thread, read on the follower's; both hold the chain's lock), and the store must always end equal
 * to a fresh sync, the listener having heard every change once.
 */
class FollowTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The scripted chain behind its lock, so the test can mine while the follower reads. */
    static final class Locked extends ForwardingChainSource {
        Locked(ScriptedChain c) {
            super(c);
        }

        @Override
        public long chainId() {
            synchronized (inner) {
                return inner.chainId();
            }
        }

        @Override
        public BlockRef head() {
            synchronized (inner) {
                return inner.head();
            }
        }

        @Override
        public Optional<BlockRef> block(long number) {
            synchronized (inner) {
                return inner.block(number);
            }
        }

        @Override
        public List<RawLog> logs(LogQuery q) {
            synchronized (inner) {
                return inner.logs(q);
            }
        }

        @Override
        public List<Facet> facets(Address d, long block) {
            synchronized (inner) {
                return inner.facets(d, block);
            }
        }

        @Override
        public Optional<Address> owner(Address d, long block) {
            synchronized (inner) {
                return inner.owner(d, block);
            }
        }

        @Override
        public boolean hasCode(Address a, long block) {
            synchronized (inner) {
                return inner.hasCode(a, block);
            }
        }

        @Override
        public Optional<String> transactionInput(String tx) {
            synchronized (inner) {
                return inner.transactionInput(tx);
            }
        }
    }

    static final class Recorder implements ChangeListener {
        final List<DiamondChange> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onChange(DiamondChange c) {
            seen.add(c);
        }

        List<String> kinds() {
            synchronized (seen) {
                return seen.stream().map(c -> c.getClass().getSimpleName()).toList();
            }
        }
    }

    private static DiamondSyncer syncer(GemforceScenario s, ChainSource chain, InMemoryStateSink sink, long window) {
        return DiamondSyncer.builder().chainSource(chain).sink(sink).networks(s.networks()).reorgWindow(window).build();
    }

    private static void assertEqualsFreshSync(GemforceScenario s, InMemoryStateSink sink) {
        InMemoryStateSink fresh = new InMemoryStateSink();
        syncer(s, new Locked(s.chain), fresh, 64).syncAll("localhost");
        assertThat(Stores.withoutDeliveryCursors(sink.contents(31337))).isEqualTo(Stores.withoutDeliveryCursors(fresh.contents(31337)));
    }

    @Test
    void followsNewBlocksAndTellsTheListenerEachChangeOnce() throws Exception {
        GemforceScenario s = new GemforceScenario().build();
        ScriptedChain chain = s.chain;
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder rec = new Recorder();
        DiamondSyncer syncer = syncer(s, new Locked(chain), sink, 64);
        try (Follower f = syncer.follow("localhost", FollowOptions.builder().mode(FollowMode.HEAD)
                .pollInterval(Duration.ofMillis(20)).listener(rec).build())) {
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            assertThat(f.status().syncedBlock()).isEqualTo(20);
            awaitDelivered(f); // delivery runs on the listener's own thread
            int backfill = rec.seen.size();
            assertThat(rec.kinds()).contains("DiamondCreated", "FacetsChanged", "OwnershipChanged",
                    "UpgradeProposed", "UpgradeCancelled");

            Address d4;
            synchronized (chain) {
                d4 = chain.createDiamond(s.factory, s.caller, "GEM4", "Gem Four", s.initialCuts());
                chain.mine();
                chain.propose(d4, s.caller, 1_700_000_100L, 1_700_000_200L, GemforceScenario.PROPOSED);
                chain.mine();
                chain.cut(d4, GemforceScenario.PROPOSED); // executes the pending upgrade
                chain.transferOwnership(d4, s.newOwner);
                chain.mine();
            }
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(f);
            List<DiamondChange> live = rec.seen.subList(backfill, rec.seen.size());
            // the creation: its initial cut, the owner set, DiamondCreated (in log order)
            assertThat(live).extracting(c -> c.getClass().getSimpleName()).containsExactly(
                    "FacetsChanged", "OwnershipChanged", "DiamondCreated", "UpgradeProposed", "UpgradeExecuted", "FacetsChanged",
                    "OwnershipChanged");
            DiamondChange.UpgradeProposed proposed = (DiamondChange.UpgradeProposed) live.get(3);
            assertThat(proposed.diamond()).isEqualTo(d4);
            assertThat(proposed.proposedCuts()).isEqualTo(GemforceScenario.PROPOSED);
            assertThat(live.get(0)).isInstanceOfSatisfying(DiamondChange.FacetsChanged.class,
                    c -> assertThat(c.diamond()).isEqualTo(d4));
            assertThat(rec.seen).extracting(DiamondChange::id).doesNotHaveDuplicates();
            assertEqualsFreshSync(s, sink);
        }
    }

    @Test
    void aReorgUnderTheFollowerIsRolledBackAndTheListenerHearsIt() throws Exception {
        GemforceScenario s = new GemforceScenario().build();
        ScriptedChain chain = s.chain;
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder rec = new Recorder();
        DiamondSyncer syncer = syncer(s, new Locked(chain), sink, 64);
        try (Follower f = syncer.follow("localhost", FollowOptions.builder().mode(FollowMode.HEAD)
                .pollInterval(Duration.ofMillis(20)).listener(rec).build())) {
            synchronized (chain) {
                chain.cut(s.d2, List.of(FacetCut.add(s.facetA, GemforceScenario.selectors(0x0b000000, 3))));
                chain.mine(); // 21
                chain.mine(2); // 22, 23
            }
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            synchronized (chain) {
                chain.rewindTo(20, "fork"); // 21..23 replaced: the cut is gone, another takes its place
                chain.cut(s.d3, List.of(FacetCut.add(s.facetB, GemforceScenario.selectors(0x0c100000, 2))));
                chain.mine();
                chain.mine(3);
            }
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(f);
            assertThat(rec.seen).filteredOn(c -> c instanceof DiamondChange.RolledBack)
                    .singleElement().satisfies(c -> {
                        // a block at or below the fork (20) whose stored hash still holds
                        assertThat(c.blockNumber()).isBetween(12L, 20L);
                        assertThat(((DiamondChange.RolledBack) c).fromBlock()).isEqualTo(23);
                    });
            DiamondChange last = rec.seen.get(rec.seen.size() - 1);
            assertThat(last).isInstanceOfSatisfying(DiamondChange.FacetsChanged.class,
                    c -> assertThat(c.diamond()).isEqualTo(s.d3));
            assertEqualsFreshSync(s, sink);
        }
    }

    @Test
    void aReorgDeeperThanTheWindowIsFoundFromTheStoredEvents() throws Exception {
        GemforceScenario s = new GemforceScenario().build(); // events up to block 13, head 20
        ScriptedChain chain = s.chain;
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder rec = new Recorder();
        DiamondSyncer syncer = syncer(s, new Locked(chain), sink, 4);
        try (Follower f = syncer.follow("localhost", FollowOptions.builder().mode(FollowMode.HEAD)
                .pollInterval(Duration.ofMillis(20)).listener(rec).build())) {
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            synchronized (chain) {
                chain.rewindTo(10, "deep"); // 11..20 replaced: 10 blocks, the window is 4
                chain.transferOwnership(s.d1, s.newOwner);
                chain.mine(); // 11
                chain.mine(12);
            }
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(f);
            assertThat(f.status().state()).isEqualTo(FollowStatus.State.FOLLOWING);
            // the newest stored event still on the chain is the cut of block 10
            assertThat(rec.seen).filteredOn(c -> c instanceof DiamondChange.RolledBack).singleElement()
                    .satisfies(c -> assertThat(c.blockNumber()).isEqualTo(10));
            assertEqualsFreshSync(s, sink);
        }
    }

    @Test
    void inConfirmedModeAReorgShallowerThanTheConfirmationsLeavesTheStoreAlone() throws Exception {
        GemforceScenario s = new GemforceScenario().build();
        ScriptedChain chain = s.chain;
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder rec = new Recorder();
        var net = s.networks().resolve("localhost").withConfirmations(3);
        DiamondSyncer syncer = DiamondSyncer.builder().chainSource(new Locked(chain)).sink(sink)
                .networks(s.networks().toBuilder().add(net).build()).build();
        try (Follower f = syncer.follow("localhost", FollowOptions.builder().pollInterval(Duration.ofMillis(20))
                .listener(rec).build())) {
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            assertThat(f.status().syncedBlock()).isEqualTo(17);
            long mutations = sink.mutations();
            StoreContents before = sink.contents(31337);
            synchronized (chain) {
                chain.rewindTo(18, "shallow"); // 19, 20 replaced, above the confirmed block 17
                chain.mine(2);
            }
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
            assertThat(sink.contents(31337)).isEqualTo(before);
            assertThat(sink.mutations()).isEqualTo(mutations);
            assertThat(rec.seen).noneMatch(c -> c instanceof DiamondChange.RolledBack);
        }
    }

    @Test
    void aListenerThatThrowsLosesNothingAndKeepsTheOrder() throws Exception {
        GemforceScenario s = new GemforceScenario().build();
        InMemoryStateSink sink = new InMemoryStateSink();
        AtomicInteger calls = new AtomicInteger();
        Map<String, Integer> firstSeen = new LinkedHashMap<>();
        ChangeListener flaky = c -> {
            if (calls.incrementAndGet() % 3 == 0) {
                throw new IllegalStateException("listener down");
            }
            synchronized (firstSeen) {
                firstSeen.merge(c.id(), 1, Integer::sum);
            }
        };
        Recorder reference = new Recorder();
        try (Follower ref = syncer(s, new Locked(s.chain), new InMemoryStateSink(), 64).follow("localhost",
                FollowOptions.builder().listener(reference).pollInterval(Duration.ofMillis(20)).build())) {
            assertThat(ref.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(ref);
        }
        Follower f = syncer(s, new Locked(s.chain), sink, 64).follow("localhost",
                FollowOptions.builder().listener(flaky).pollInterval(Duration.ofMillis(20)).build());
        assertThat(f.awaitCaughtUp(WAIT)).isTrue();
        assertThat(f.stop(WAIT)).isTrue();
        assertThat(new ArrayList<>(firstSeen.keySet()))
                .isEqualTo(reference.seen.stream().map(DiamondChange::id).toList());
        assertThat(firstSeen.values()).containsOnly(1);
        assertThat(f.status().state()).isEqualTo(FollowStatus.State.STOPPED);
    }

    @Test
    void aStoppedFollowerResumesFromTheCheckpointWithoutRepeatingChanges() throws Exception {
        GemforceScenario s = new GemforceScenario().build();
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder first = new Recorder();
        DiamondSyncer syncer = syncer(s, new Locked(s.chain), sink, 64);
        Follower f = syncer.follow("localhost", FollowOptions.builder().listener(first)
                .pollInterval(Duration.ofMillis(20)).build());
        assertThat(f.awaitCaughtUp(WAIT)).isTrue();
        assertThat(f.stop(WAIT)).isTrue();
        synchronized (s.chain) {
            s.chain.transferOwnership(s.d3, s.newOwner);
            s.chain.mine();
        }
        Recorder second = new Recorder();
        try (Follower again = syncer.follow("localhost", FollowOptions.builder().listener(second)
                .pollInterval(Duration.ofMillis(20)).build())) {
            assertThat(again.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(again);
        }
        assertThat(second.kinds()).containsExactly("OwnershipChanged");
        assertEqualsFreshSync(s, sink);
    }

    @Test
    void withADeliveryCursorChangesCommittedButNotTakenAreDeliveredAgainAfterARestart() throws Exception {
        GemforceScenario s = new GemforceScenario().build();
        InMemoryStateSink sink = new InMemoryStateSink();
        Recorder reference = new Recorder();
        try (Follower ref = syncer(s, new Locked(s.chain), new InMemoryStateSink(), 64).follow("localhost",
                FollowOptions.builder().listener(reference).pollInterval(Duration.ofMillis(20)).build())) {
            assertThat(ref.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(ref);
        }
        // the first process: its listener takes 4 changes, then fails until the process "dies"
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        ChangeListener failing = c -> {
            if (taken.size() >= 4) {
                throw new IllegalStateException("the host's queue is down");
            }
            taken.add(c.id());
        };
        DiamondSyncer syncer = DiamondSyncer.builder().chainSource(new Locked(s.chain)).sink(sink)
                .networks(s.networks()).commitEvery(1, Duration.ofSeconds(1)).blockRange(3, 1, 3).build();
        Follower first = syncer.follow("localhost", FollowOptions.builder().listener(failing)
                .deliveryCursor("app").pollInterval(Duration.ofMillis(20)).build());
        assertThat(first.awaitCaughtUp(WAIT)).isTrue();
        assertThat(first.stop(Duration.ofMillis(300))).as("the listener never took the rest").isFalse();
        assertThat(sink.checkpoint(31337, "all").orElseThrow().blockNumber()).isEqualTo(20);
        long cursor = sink.checkpoint(31337, "listener:app").orElseThrow().blockNumber();
        assertThat(cursor).as("the cursor trails what was taken").isLessThan(20);

        synchronized (s.chain) {
            s.chain.transferOwnership(s.d1, s.newOwner);
            s.chain.mine();
        }
        Recorder second = new Recorder();
        try (Follower again = syncer.follow("localhost", FollowOptions.builder().listener(second)
                .deliveryCursor("app").pollInterval(Duration.ofMillis(20)).build())) {
            assertThat(again.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(again);
        }
        List<String> all = reference.seen.stream().map(DiamondChange::id).toList();
        List<String> heard = new ArrayList<>(taken);
        second.seen.stream().map(DiamondChange::id).filter(id -> !heard.contains(id)).forEach(heard::add);
        assertThat(heard.subList(0, all.size())).as("every change, in order, at least once").isEqualTo(all);
        assertThat(second.kinds()).last().isEqualTo("OwnershipChanged");
        assertThat(second.seen.get(0).id()).as("the replay starts after the cursor")
                .isNotEqualTo(all.get(0));
        assertThat(sink.checkpoint(31337, "listener:app").orElseThrow().blockNumber()).isEqualTo(21);
        assertEqualsFreshSync(s, sink);
    }

    @Test
    void aStuckListenerHoldsBackOnlyItsOwnFollowerAndLosesNothing() throws Exception {
        GemforceScenario s = new GemforceScenario().build();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> slowSeen = Collections.synchronizedList(new ArrayList<>());
        ChangeListener stuck = c -> {
            release.await();
            slowSeen.add(c.id());
        };
        InMemoryStateSink slowSink = new InMemoryStateSink();
        InMemoryStateSink fastSink = new InMemoryStateSink();
        Recorder fast = new Recorder();
        DiamondSyncer slowSyncer = DiamondSyncer.builder().chainSource(new Locked(s.chain)).sink(slowSink)
                .networks(s.networks()).blockRange(2, 1, 2).build();
        try (Follower slow = slowSyncer.follow("localhost", FollowOptions.builder().listener(stuck).queueCapacity(2)
                .pollInterval(Duration.ofMillis(20)).build());
                Follower other = syncer(s, new Locked(s.chain), fastSink, 64).follow("localhost",
                        FollowOptions.builder().listener(fast).pollInterval(Duration.ofMillis(20)).build())) {
            assertThat(other.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(other);
            assertThat(slow.status().syncedBlock()).as("a full queue holds back the next commit").isLessThan(20);
            assertThat(slow.status().queued()).as("the queue, the change in hand, the one waiting to enter").isLessThanOrEqualTo(4);
            release.countDown();
            assertThat(slow.awaitCaughtUp(WAIT)).isTrue();
            awaitDelivered(slow);
            assertThat(slowSeen).isEqualTo(fast.seen.stream().map(DiamondChange::id).toList());
        }
    }

    @Test
    void anUnknownNetworkIsRefusedBeforeAnythingStarts() {
        GemforceScenario s = new GemforceScenario().build();
        InMemoryStateSink sink = new InMemoryStateSink();
        assertThatThrownBy(() -> syncer(s, s.chain, sink, 64).follow("nowhere", FollowOptions.defaults()))
                .isInstanceOf(InvalidInputException.class);
        assertThat(sink.mutations()).isZero();
    }

    private static void awaitDelivered(Follower f) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (f.status().queued() > 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(f.status().queued()).isZero();
    }
}
