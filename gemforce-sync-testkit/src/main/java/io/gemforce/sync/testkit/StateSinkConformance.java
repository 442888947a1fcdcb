package io.gemforce.sync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoreContentsReader;
import io.gemforce.sync.sink.StoredEvent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StateSink} must keep, as a JUnit 5 suite: a sink's test extends this
 * class and returns an empty sink from {@link #newSink()}. The project's in-memory, Parse and JDBC
 * sinks all run it.
 *
 * <pre>{@code
 * class MySinkTest extends StateSinkConformance {
 *     @Override
 *     protected StateSink newSink() {
 *         return new MySink(...); // empty, or reset for chains 31337 and 84532
 *     }
 * }
 * }</pre>
 *
 * <p>What it checks: an empty sink has nothing; what is written reads back equal (records, facet
 * and selector order, pending upgrades, checkpoints with their recent hashes); {@code apply} is
 * idempotent and never updates a stored event; a diamond record replaces the stored one, facets
 * included; checkpoints are kept per scope; {@code rollback} removes exactly what is above the fork
 * and {@code reset} deletes one chain only; a change set of 250 events; {@code eventBlocks} lists
 * the distinct blocks of the stored events, newest first.
 *
 * <p>To compare whole stores it reads them with {@link #contents(long)}: by default through
 * {@link StoreContentsReader}, which the sink may implement; a sink that does not must override
 * {@link #contents(long)} (reading its tables directly, say). A sink that keeps the default
 * {@link StateSink#eventBlocks} (it lists nothing, so a follower cannot locate a fork deeper than the
 * reorg window in it) overrides {@link #listsEventBlocks()} to skip that check.
 *
 * <p>Each test starts with {@link #newSink()} and writes chains {@value #CHAIN} and
 * {@value #OTHER_CHAIN} only.
 */
public abstract class StateSinkConformance {
    /** The chain the tests write ({@code localhost}). */
    protected static final long CHAIN = 31337;
    /** The chain that must stay untouched by what is done to {@link #CHAIN} ({@code base-sepolia}). */
    protected static final long OTHER_CHAIN = 84532;
    private static final Address D1 = Address.of("0x00000000000000000000000000000000000000d1");
    private static final Address D2 = Address.of("0x00000000000000000000000000000000000000d2");
    private static final Address F1 = Address.of("0x00000000000000000000000000000000000000f1");
    private static final Address F2 = Address.of("0x00000000000000000000000000000000000000f2");
    private static final Address F3 = Address.of("0x00000000000000000000000000000000000000f3");
    private static final Address OWNER = Address.of("0x00000000000000000000000000000000000000a1");

    /** The sink under test: {@link #newSink()}'s, new for each test. */
    protected StateSink sink;

    /** An empty sink (or one whose data for {@link #CHAIN} and {@link #OTHER_CHAIN} was reset). */
    protected abstract StateSink newSink();

    /**
     * Everything {@link #sink} holds for the chain, in canonical order (see
     * {@link StoreContentsReader#contents}). The default reads it through {@link StoreContentsReader}
     * and fails the test when the sink does not implement it: override it to read the store another way.
     */
    protected StoreContents contents(long chainId) {
        if (sink instanceof StoreContentsReader reader) {
            return reader.contents(chainId);
        }
        return fail(sink.getClass().getName() + " does not implement StoreContentsReader: implement it, or override"
                + " StateSinkConformance.contents(long) to read the store's contents another way");
    }

    /**
     * Whether the sink implements {@link StateSink#eventBlocks}; {@code true} by default. Override it
     * to return {@code false} for a sink that keeps the port's default, which lists nothing.
     */
    protected boolean listsEventBlocks() {
        return true;
    }

    @BeforeEach
    void freshSink() {
        sink = newSink();
    }

    private static String hash(long n) {
        return "0x" + String.format("%064x", n * 7919 + 1);
    }

    private static String network(long chainId) {
        return chainId == CHAIN ? "localhost" : "base-sepolia";
    }

    private static StoredEvent event(long chainId, Address diamond, long block, long logIndex, EventType type) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("newOwner", OWNER.hex());
        args.put("list", List.of("0x7a0ed627", "0x00000000"));
        args.put("nested", Map.of("symbol", "GEM", "n", "115792089237316195423570985008687907853269984665640564039457584007913129639935"));
        return new StoredEvent(chainId + ":" + hash(block * 1000 + logIndex) + ":" + logIndex, network(chainId), chainId,
                diamond, diamond, type, block, hash(block), hash(block * 1000 + logIndex), logIndex, args);
    }

    private static DiamondRecord diamond(long chainId, Address address, long createdBlock, long syncedBlock,
            List<Facet> facets, PendingUpgrade pending) {
        return new DiamondRecord(network(chainId), chainId, address, "GEM", "Gem One", F3, OWNER, facets, createdBlock,
                hash(createdBlock * 1000), syncedBlock, hash(syncedBlock), pending, true);
    }

    private static List<Facet> facets(int variant) {
        List<Facet> out = new ArrayList<>();
        out.add(new Facet(F2, List.of(Selector.of("0x1f931c1c"), Selector.of("0x00000000"))));
        out.add(new Facet(F1, List.of(Selector.of("0x7a0ed627"), Selector.of("0xadfca15e"), Selector.of("0xdeadbeef"))));
        if (variant > 0) {
            out.add(new Facet(D1, List.of(Selector.of("0xe0537b68"))));
        }
        return out;
    }

    private static PendingUpgrade pending(long block) {
        return new PendingUpgrade(OWNER, BigInteger.valueOf(1_700_000_000L), BigInteger.TWO.pow(256).subtract(BigInteger.ONE),
                block, hash(block * 1000 + 5), List.of(
                        FacetCut.add(F3, List.of(Selector.of("0x00000000"), Selector.of("0xabcdef01"))),
                        FacetCut.remove(List.of(Selector.of("0xdeadbeef")))));
    }

    private static Checkpoint checkpoint(String scope, long block) {
        return new Checkpoint(scope, block, hash(block), List.of(new BlockId(block, hash(block)),
                new BlockId(block - 1, hash(block - 1)), new BlockId(block - 8, hash(block - 8))));
    }

    private static ChangeSet range(long chainId, long block, List<StoredEvent> events, List<DiamondRecord> diamonds) {
        return new ChangeSet(network(chainId), chainId, events, diamonds, List.of(checkpoint(Checkpoint.allScope(), block)));
    }

    @Test
    void anEmptySinkHasNothing() {
        assertThat(sink.checkpoint(CHAIN, "all")).isEmpty();
        assertThat(sink.diamonds(CHAIN)).isEmpty();
        assertThat(sink.diamond(CHAIN, D1)).isEmpty();
        assertThat(contents(CHAIN)).isEqualTo(new StoreContents(List.of(), List.of(), List.of()));
    }

    @Test
    void whatIsWrittenReadsBackEqual() {
        DiamondRecord d = diamond(CHAIN, D1, 10, 20, facets(1), pending(15));
        DiamondRecord bare = new DiamondRecord(network(CHAIN), CHAIN, D2, null, null, null, null, List.of(), null, null,
                20, null, null, false);
        StoredEvent e1 = event(CHAIN, D1, 12, 0, EventType.DIAMOND_CUT);
        StoredEvent e2 = event(CHAIN, D1, 11, 4, EventType.OWNERSHIP_TRANSFERRED);
        ApplyResult r = sink.apply(range(CHAIN, 20, List.of(e1, e2), List.of(d, bare)));
        assertThat(r).isEqualTo(new ApplyResult(2, 2));
        assertThat(sink.diamond(CHAIN, D1)).contains(d);
        assertThat(sink.diamond(CHAIN, D2)).contains(bare);
        assertThat(sink.diamonds(CHAIN)).containsExactlyInAnyOrder(d, bare);
        assertThat(sink.checkpoint(CHAIN, "all")).contains(checkpoint("all", 20));
        StoreContents c = contents(CHAIN);
        assertThat(c.events()).containsExactly(e2, e1); // block order
        assertThat(c.diamonds()).containsExactly(d, bare); // address order
        assertThat(c.checkpoints()).containsExactly(checkpoint("all", 20));
    }

    @Test
    void applyingTheSameChangeSetTwiceChangesNothing() {
        ChangeSet cs = range(CHAIN, 20, List.of(event(CHAIN, D1, 12, 0, EventType.DIAMOND_CUT)),
                List.of(diamond(CHAIN, D1, 10, 20, facets(0), null)));
        sink.apply(cs);
        StoreContents once = contents(CHAIN);
        assertThat(sink.apply(cs)).isEqualTo(new ApplyResult(0, 0));
        assertThat(contents(CHAIN)).isEqualTo(once);
    }

    @Test
    void anEventIsNeverUpdatedOnceStored() {
        StoredEvent first = event(CHAIN, D1, 12, 0, EventType.DIAMOND_CUT);
        StoredEvent sameUid = new StoredEvent(first.uid(), first.network(), CHAIN, D1, D1, EventType.DIAMOND_CUT, 13,
                hash(13), first.transactionHash(), 0, Map.of());
        sink.apply(range(CHAIN, 12, List.of(first), List.of()));
        assertThat(sink.apply(range(CHAIN, 13, List.of(sameUid), List.of())).eventsInserted()).isZero();
        assertThat(contents(CHAIN).events()).containsExactly(first);
    }

    @Test
    void aDiamondRecordReplacesTheStoredOneFacetsIncluded() {
        sink.apply(range(CHAIN, 20, List.of(), List.of(diamond(CHAIN, D1, 10, 20, facets(1), pending(15)))));
        DiamondRecord shrunk = diamond(CHAIN, D1, 10, 30, List.of(new Facet(F1, List.of(Selector.of("0xdeadbeef")))), null);
        ApplyResult r = sink.apply(range(CHAIN, 30, List.of(), List.of(shrunk)));
        assertThat(r.diamondsChanged()).isEqualTo(1);
        assertThat(sink.diamond(CHAIN, D1)).contains(shrunk);
        assertThat(sink.diamond(CHAIN, D1).orElseThrow().pendingUpgrade()).isNull();
        // and back: facet order is kept as given
        DiamondRecord grown = diamond(CHAIN, D1, 10, 40, facets(1), pending(35));
        sink.apply(range(CHAIN, 40, List.of(), List.of(grown)));
        assertThat(sink.diamond(CHAIN, D1)).contains(grown);
        assertThat(sink.diamond(CHAIN, D1).orElseThrow().facets()).containsExactlyElementsOf(facets(1));
    }

    @Test
    void checkpointsAreKeptPerScope() {
        sink.apply(new ChangeSet(network(CHAIN), CHAIN, List.of(), List.of(),
                List.of(checkpoint("all", 20), checkpoint(Checkpoint.diamondScope(D1), 25))));
        sink.apply(new ChangeSet(network(CHAIN), CHAIN, List.of(), List.of(), List.of(checkpoint("all", 30))));
        assertThat(sink.checkpoint(CHAIN, "all")).contains(checkpoint("all", 30));
        assertThat(sink.checkpoint(CHAIN, Checkpoint.diamondScope(D1))).contains(checkpoint(Checkpoint.diamondScope(D1), 25));
        assertThat(sink.checkpoint(OTHER_CHAIN, "all")).isEmpty();
    }

    @Test
    void rollbackRemovesExactlyWhatIsAboveTheForkAndLeavesOtherChainsAlone() {
        DiamondRecord old = diamond(CHAIN, D1, 10, 40, facets(0), null);
        DiamondRecord young = diamond(CHAIN, D2, 35, 40, facets(1), null);
        sink.apply(range(CHAIN, 40, List.of(event(CHAIN, D1, 10, 0, EventType.DIAMOND_CUT),
                event(CHAIN, D1, 30, 1, EventType.DIAMOND_CUT), event(CHAIN, D1, 31, 0, EventType.OWNERSHIP_TRANSFERRED),
                event(CHAIN, D2, 35, 0, EventType.DIAMOND_CREATED)), List.of(old, young)));
        sink.apply(new ChangeSet(network(CHAIN), CHAIN, List.of(), List.of(), List.of(checkpoint("events:x:*", 25))));
        DiamondRecord other = diamond(OTHER_CHAIN, D1, 10, 40, facets(0), null);
        sink.apply(range(OTHER_CHAIN, 40, List.of(event(OTHER_CHAIN, D1, 31, 0, EventType.DIAMOND_CUT)), List.of(other)));
        StoreContents otherBefore = contents(OTHER_CHAIN);

        sink.rollback(CHAIN, new BlockId(30, hash(30)));

        StoreContents c = contents(CHAIN);
        assertThat(c.events()).extracting(StoredEvent::blockNumber).containsExactly(10L, 30L);
        assertThat(c.diamonds()).containsExactly(old.stale());
        assertThat(sink.checkpoint(CHAIN, "all")).contains(checkpoint("all", 40).rolledBackTo(new BlockId(30, hash(30))));
        assertThat(sink.checkpoint(CHAIN, "all").orElseThrow().blockNumber()).isEqualTo(30);
        assertThat(sink.checkpoint(CHAIN, "events:x:*")).contains(checkpoint("events:x:*", 25));
        assertThat(contents(OTHER_CHAIN)).isEqualTo(otherBefore);
    }

    @Test
    void resetDeletesOneChainOnly() {
        sink.apply(range(CHAIN, 20, List.of(event(CHAIN, D1, 12, 0, EventType.DIAMOND_CUT)),
                List.of(diamond(CHAIN, D1, 10, 20, facets(0), null))));
        sink.apply(range(OTHER_CHAIN, 20, List.of(event(OTHER_CHAIN, D1, 12, 0, EventType.DIAMOND_CUT)),
                List.of(diamond(OTHER_CHAIN, D1, 10, 20, facets(0), null))));
        StoreContents otherBefore = contents(OTHER_CHAIN);
        sink.reset(CHAIN);
        assertThat(contents(CHAIN)).isEqualTo(new StoreContents(List.of(), List.of(), List.of()));
        assertThat(contents(OTHER_CHAIN)).isEqualTo(otherBefore);
        // and it can be written again
        sink.apply(range(CHAIN, 20, List.of(event(CHAIN, D1, 12, 0, EventType.DIAMOND_CUT)), List.of()));
        assertThat(contents(CHAIN).events()).hasSize(1);
    }

    @Test
    void manyEventsInOneChangeSet() {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            events.add(event(CHAIN, D1, 100 + i / 3, i % 3, EventType.DIAMOND_CUT));
        }
        assertThat(sink.apply(range(CHAIN, 200, events, List.of())).eventsInserted()).isEqualTo(250);
        assertThat(sink.apply(range(CHAIN, 200, events, List.of())).eventsInserted()).isZero();
        assertThat(contents(CHAIN).events()).containsExactlyElementsOf(events);
    }

    /** {@code n} cuts of D1 from block 100 on, seven per block, in block order. */
    private static List<StoredEvent> sevenPerBlock(int n) {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(event(CHAIN, D1, 100 + i / 7, i % 7, EventType.DIAMOND_CUT));
        }
        return events;
    }

    /** Sinks write large change sets in chunks: the count must still be exact where chunks mix stored and new events. */
    @Test
    void aLargeChangeSetMixingStoredAndNewEventsCountsOnlyTheNew() {
        List<StoredEvent> events = sevenPerBlock(2100);
        assertThat(sink.apply(range(CHAIN, 200, events.subList(0, 1000), List.of())).eventsInserted()).isEqualTo(1000);
        assertThat(sink.apply(range(CHAIN, 500, events, List.of())).eventsInserted()).isEqualTo(1100);
        assertThat(contents(CHAIN).events()).containsExactlyElementsOf(events);
    }

    /**
     * Stored events in the middle of a change set whose first and last events are new (two scopes that
     * overlap): a sink that takes a bulk path for new events must still skip exactly those.
     */
    @Test
    void storedEventsBetweenNewOnesAreSkippedAndTheRestStored() {
        List<StoredEvent> events = sevenPerBlock(2100);
        assertThat(sink.apply(range(CHAIN, 200, events.subList(1000, 1010), List.of())).eventsInserted()).isEqualTo(10);
        assertThat(sink.apply(range(CHAIN, 500, events, List.of())).eventsInserted()).isEqualTo(2090);
        assertThat(contents(CHAIN).events()).containsExactlyElementsOf(events);
        assertThat(sink.checkpoint(CHAIN, Checkpoint.allScope())).map(Checkpoint::blockNumber).contains(500L);
    }

    @Test
    void eventBlocksListsTheDistinctBlocksOfTheStoredEventsNewestFirst() {
        Assumptions.assumeTrue(listsEventBlocks(), "the sink keeps StateSink.eventBlocks' default");
        assertThat(sink.eventBlocks(CHAIN, Long.MAX_VALUE, 10)).isEmpty();
        List<StoredEvent> events = new ArrayList<>();
        for (long b : new long[] {5, 9, 9, 12, 12, 12, 20, 31}) {
            events.add(event(CHAIN, b % 2 == 0 ? D1 : D2, b, events.size(), EventType.DIAMOND_CUT));
        }
        sink.apply(range(CHAIN, 40, events, List.of()));
        sink.apply(range(OTHER_CHAIN, 40, List.of(event(OTHER_CHAIN, D1, 25, 0, EventType.DIAMOND_CUT)), List.of()));

        assertThat(sink.eventBlocks(CHAIN, Long.MAX_VALUE, 100)).containsExactly(block(31), block(20), block(12),
                block(9), block(5));
        assertThat(sink.eventBlocks(CHAIN, 20, 100)).containsExactly(block(20), block(12), block(9), block(5));
        assertThat(sink.eventBlocks(CHAIN, 19, 2)).containsExactly(block(12), block(9));
        assertThat(sink.eventBlocks(CHAIN, 4, 100)).isEmpty();
        assertThat(sink.eventBlocks(OTHER_CHAIN, Long.MAX_VALUE, 100)).containsExactly(block(25));

        sink.rollback(CHAIN, block(12));
        assertThat(sink.eventBlocks(CHAIN, Long.MAX_VALUE, 100)).containsExactly(block(12), block(9), block(5));
        sink.reset(CHAIN);
        assertThat(sink.eventBlocks(CHAIN, Long.MAX_VALUE, 100)).isEmpty();
    }

    @Test
    void eventBlocksPagesThroughManyEventsPerBlock() {
        Assumptions.assumeTrue(listsEventBlocks(), "the sink keeps StateSink.eventBlocks' default");
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            events.add(event(CHAIN, D1, 100 + i / 50, i % 50, EventType.DIAMOND_CUT));
        }
        sink.apply(range(CHAIN, 200, events, List.of()));
        assertThat(sink.eventBlocks(CHAIN, 1000, 64)).containsExactly(block(104), block(103), block(102), block(101),
                block(100));
        assertThat(sink.eventBlocks(CHAIN, 103, 3)).containsExactly(block(103), block(102), block(101));
    }

    private static BlockId block(long n) {
        return new BlockId(n, hash(n));
    }
}
