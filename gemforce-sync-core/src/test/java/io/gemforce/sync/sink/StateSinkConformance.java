package io.gemforce.sync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StateSink} must keep. A sink's test extends this class and returns
 * an empty sink from {@link #newSink()}; in-memory, Parse and JDBC sinks all run it.
 */
public abstract class StateSinkConformance {
    protected static final long CHAIN = 31337;
    protected static final long OTHER_CHAIN = 84532;
    protected static final Address D1 = Address.of("0x00000000000000000000000000000000000000d1");
    protected static final Address D2 = Address.of("0x00000000000000000000000000000000000000d2");
    protected static final Address F1 = Address.of("0x00000000000000000000000000000000000000f1");
    protected static final Address F2 = Address.of("0x00000000000000000000000000000000000000f2");
    protected static final Address F3 = Address.of("0x00000000000000000000000000000000000000f3");
    protected static final Address OWNER = Address.of("0x00000000000000000000000000000000000000a1");

    protected StateSink sink;

    /** An empty sink (or one whose data for {@link #CHAIN} and {@link #OTHER_CHAIN} was reset). */
    protected abstract StateSink newSink();

    @BeforeEach
    void freshSink() {
        sink = newSink();
    }

    protected static String hash(long n) {
        return "0x" + String.format("%064x", n * 7919 + 1);
    }

    protected static String network(long chainId) {
        return chainId == CHAIN ? "localhost" : "base-sepolia";
    }

    protected static StoredEvent event(long chainId, Address diamond, long block, long logIndex, EventType type) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("newOwner", OWNER.hex());
        args.put("list", List.of("0x7a0ed627", "0x00000000"));
        args.put("nested", Map.of("symbol", "GEM", "n", "115792089237316195423570985008687907853269984665640564039457584007913129639935"));
        return new StoredEvent(chainId + ":" + hash(block * 1000 + logIndex) + ":" + logIndex, network(chainId), chainId,
                diamond, diamond, type, block, hash(block), hash(block * 1000 + logIndex), logIndex, args);
    }

    protected static DiamondRecord diamond(long chainId, Address address, long createdBlock, long syncedBlock,
            List<Facet> facets, PendingUpgrade pending) {
        return new DiamondRecord(network(chainId), chainId, address, "GEM", "Gem One", F3, OWNER, facets, createdBlock,
                hash(createdBlock * 1000), syncedBlock, hash(syncedBlock), pending, true);
    }

    protected static List<Facet> facets(int variant) {
        List<Facet> out = new ArrayList<>();
        out.add(new Facet(F2, List.of(Selector.of("0x1f931c1c"), Selector.of("0x00000000"))));
        out.add(new Facet(F1, List.of(Selector.of("0x7a0ed627"), Selector.of("0xadfca15e"), Selector.of("0xdeadbeef"))));
        if (variant > 0) {
            out.add(new Facet(D1, List.of(Selector.of("0xe0537b68"))));
        }
        return out;
    }

    protected static PendingUpgrade pending(long block) {
        return new PendingUpgrade(OWNER, BigInteger.valueOf(1_700_000_000L), BigInteger.TWO.pow(256).subtract(BigInteger.ONE),
                block, hash(block * 1000 + 5), List.of(
                        io.gemforce.sync.diamond.FacetCut.add(F3, List.of(Selector.of("0x00000000"), Selector.of("0xabcdef01"))),
                        io.gemforce.sync.diamond.FacetCut.remove(List.of(Selector.of("0xdeadbeef")))));
    }

    protected static Checkpoint checkpoint(String scope, long block) {
        return new Checkpoint(scope, block, hash(block), List.of(new BlockId(block, hash(block)),
                new BlockId(block - 1, hash(block - 1)), new BlockId(block - 8, hash(block - 8))));
    }

    protected ChangeSet range(long chainId, long block, List<StoredEvent> events, List<DiamondRecord> diamonds) {
        return new ChangeSet(network(chainId), chainId, events, diamonds, List.of(checkpoint(Checkpoint.allScope(), block)));
    }

    @Test
    void anEmptySinkHasNothing() {
        assertThat(sink.checkpoint(CHAIN, "all")).isEmpty();
        assertThat(sink.diamonds(CHAIN)).isEmpty();
        assertThat(sink.diamond(CHAIN, D1)).isEmpty();
        assertThat(sink.contents(CHAIN)).isEqualTo(new StoreContents(List.of(), List.of(), List.of()));
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
        StoreContents c = sink.contents(CHAIN);
        assertThat(c.events()).containsExactly(e2, e1); // block order
        assertThat(c.diamonds()).containsExactly(d, bare); // address order
        assertThat(c.checkpoints()).containsExactly(checkpoint("all", 20));
    }

    @Test
    void applyingTheSameChangeSetTwiceChangesNothing() {
        ChangeSet cs = range(CHAIN, 20, List.of(event(CHAIN, D1, 12, 0, EventType.DIAMOND_CUT)),
                List.of(diamond(CHAIN, D1, 10, 20, facets(0), null)));
        sink.apply(cs);
        StoreContents once = sink.contents(CHAIN);
        assertThat(sink.apply(cs)).isEqualTo(new ApplyResult(0, 0));
        assertThat(sink.contents(CHAIN)).isEqualTo(once);
    }

    @Test
    void anEventIsNeverUpdatedOnceStored() {
        StoredEvent first = event(CHAIN, D1, 12, 0, EventType.DIAMOND_CUT);
        StoredEvent sameUid = new StoredEvent(first.uid(), first.network(), CHAIN, D1, D1, EventType.DIAMOND_CUT, 13,
                hash(13), first.transactionHash(), 0, Map.of());
        sink.apply(range(CHAIN, 12, List.of(first), List.of()));
        assertThat(sink.apply(range(CHAIN, 13, List.of(sameUid), List.of())).eventsInserted()).isZero();
        assertThat(sink.contents(CHAIN).events()).containsExactly(first);
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
        StoreContents otherBefore = sink.contents(OTHER_CHAIN);

        sink.rollback(CHAIN, new BlockId(30, hash(30)));

        StoreContents c = sink.contents(CHAIN);
        assertThat(c.events()).extracting(StoredEvent::blockNumber).containsExactly(10L, 30L);
        assertThat(c.diamonds()).containsExactly(old.stale());
        assertThat(sink.checkpoint(CHAIN, "all")).contains(checkpoint("all", 40).rolledBackTo(new BlockId(30, hash(30))));
        assertThat(sink.checkpoint(CHAIN, "all").orElseThrow().blockNumber()).isEqualTo(30);
        assertThat(sink.checkpoint(CHAIN, "events:x:*")).contains(checkpoint("events:x:*", 25));
        assertThat(sink.contents(OTHER_CHAIN)).isEqualTo(otherBefore);
    }

    @Test
    void resetDeletesOneChainOnly() {
        sink.apply(range(CHAIN, 20, List.of(event(CHAIN, D1, 12, 0, EventType.DIAMOND_CUT)),
                List.of(diamond(CHAIN, D1, 10, 20, facets(0), null))));
        sink.apply(range(OTHER_CHAIN, 20, List.of(event(OTHER_CHAIN, D1, 12, 0, EventType.DIAMOND_CUT)),
                List.of(diamond(OTHER_CHAIN, D1, 10, 20, facets(0), null))));
        StoreContents otherBefore = sink.contents(OTHER_CHAIN);
        sink.reset(CHAIN);
        assertThat(sink.contents(CHAIN)).isEqualTo(new StoreContents(List.of(), List.of(), List.of()));
        assertThat(sink.contents(OTHER_CHAIN)).isEqualTo(otherBefore);
        // and it can be written again
        sink.apply(range(CHAIN, 20, List.of(event(CHAIN, D1, 12, 0, EventType.DIAMOND_CUT)), List.of()));
        assertThat(sink.contents(CHAIN).events()).hasSize(1);
    }

    @Test
    void manyEventsInOneChangeSet() {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            events.add(event(CHAIN, D1, 100 + i / 3, i % 3, EventType.DIAMOND_CUT));
        }
        assertThat(sink.apply(range(CHAIN, 200, events, List.of())).eventsInserted()).isEqualTo(250);
        assertThat(sink.apply(range(CHAIN, 200, events, List.of())).eventsInserted()).isZero();
        assertThat(sink.contents(CHAIN).events()).containsExactlyElementsOf(events);
    }
}
