package io.gemforce.sync.parse;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StoredEvent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deterministic sample data for the sink tests. */
final class SinkFixtures {
    static final long CHAIN_A = 31337;
    static final long CHAIN_B = 84532;
    static final Address FACTORY = addr(0xfac);
    static final Address OWNER = addr(0x0e1);

    private SinkFixtures() {
    }

    static String network(long chainId) {
        return chainId == CHAIN_B ? "base-sepolia" : "local";
    }

    static Address addr(int n) {
        return new Address(String.format("0x%040x", n));
    }

    static String hash(String kind, long chainId, long n) {
        String seed = Integer.toHexString((kind + ":" + chainId + ":" + n).hashCode());
        StringBuilder sb = new StringBuilder("0x");
        while (sb.length() < 66) {
            sb.append(seed);
        }
        return sb.substring(0, 66).toLowerCase();
    }

    static String blockHash(long chainId, long block) {
        return hash("block", chainId, block);
    }

    static Selector sel(int n) {
        return new Selector(n);
    }

    /** An event of a rotating type, with realistic nested args. */
    static StoredEvent event(long chainId, Address diamond, long block, long logIndex) {
        String tx = hash("tx", chainId, block * 1000 + logIndex);
        String uid = chainId + ":" + tx + ":" + logIndex;
        EventType type = EventType.values()[(int) ((block + logIndex) % EventType.values().length)];
        Map<String, Object> args = new LinkedHashMap<>();
        switch (type) {
            case DIAMOND_CUT -> {
                Map<String, Object> cut = new LinkedHashMap<>();
                cut.put("facetAddress", addr(0x100 + (int) logIndex).hex());
                cut.put("action", "ADD");
                cut.put("functionSelectors", List.of("0x00000000", sel(0x7a0ed627).hex()));
                args.put("diamondCut", List.of(cut));
                args.put("init", Address.ZERO.hex());
                args.put("calldata", "0x");
            }
            case OWNERSHIP_TRANSFERRED -> {
                args.put("previousOwner", Address.ZERO.hex());
                args.put("newOwner", OWNER.hex());
            }
            case DIAMOND_CUT_PROPOSED -> {
                args.put("proposer", OWNER.hex());
                args.put("proposalTime", "1700000000");
                args.put("executionTime", "115792089237316195423570985008687907853269984665640564039457584007913129639935");
            }
            case DIAMOND_CUT_CANCELLED -> args.put("canceller", OWNER.hex());
            case DIAMOND_CREATED -> {
                Map<String, Object> settings = new LinkedHashMap<>();
                settings.put("owner", OWNER.hex());
                settings.put("factory", FACTORY.hex());
                settings.put("svgManager", Address.ZERO.hex());
                settings.put("symbol", "GEM");
                settings.put("name", "Gem \"quoted\" ünicode");
                args.put("factory", FACTORY.hex());
                args.put("diamond", diamond.hex());
                args.put("symbolHash", hash("sym", chainId, 1));
                args.put("settings", settings);
            }
            default -> throw new IllegalStateException();
        }
        return new StoredEvent(uid, network(chainId), chainId, diamond,
                type == EventType.DIAMOND_CREATED ? FACTORY : diamond, type, block, blockHash(chainId, block), tx,
                logIndex, args);
    }

    static List<StoredEvent> events(long chainId, Address diamond, long fromBlock, long toBlock, int perBlock) {
        return events(chainId, diamond, fromBlock, toBlock, perBlock, 0);
    }

    /** {@code perBlock} events in each block, with log indexes from {@code firstLogIndex}. */
    static List<StoredEvent> events(long chainId, Address diamond, long fromBlock, long toBlock, int perBlock,
            int firstLogIndex) {
        List<StoredEvent> out = new ArrayList<>();
        for (long b = fromBlock; b <= toBlock; b++) {
            for (int i = 0; i < perBlock; i++) {
                out.add(event(chainId, diamond, b, firstLogIndex + i));
            }
        }
        return out;
    }

    static Facet facet(int facetNo, int... selectors) {
        List<Selector> s = new ArrayList<>();
        for (int x : selectors) {
            s.add(sel(x));
        }
        return new Facet(addr(0x100 + facetNo), s);
    }

    /** A fully populated diamond (every nullable field set, pending upgrade included). */
    static DiamondRecord fullDiamond(long chainId, Address address, long created, long synced, List<Facet> facets) {
        return new DiamondRecord(network(chainId), chainId, address, "GEM", "Gem Diamond", FACTORY, OWNER, facets,
                created, hash("ctx", chainId, created), synced, blockHash(chainId, synced),
                new PendingUpgrade(OWNER, BigInteger.valueOf(1_700_000_000L),
                        new BigInteger("115792089237316195423570985008687907853269984665640564039457584007913129639935"),
                        synced, hash("ptx", chainId, synced), List.of(io.gemforce.sync.diamond.FacetCut.add(OWNER,
                                List.of(io.gemforce.sync.diamond.Selector.of("0x12345678"))))),
                true);
    }

    /** A diamond whose nullable fields are all null. */
    static DiamondRecord bareDiamond(long chainId, Address address, long synced, List<Facet> facets) {
        return new DiamondRecord(network(chainId), chainId, address, null, null, null, null, facets, null, null, synced,
                null, null, false);
    }

    static Checkpoint checkpoint(long chainId, String scope, long block) {
        List<BlockId> recent = new ArrayList<>();
        for (long b = block; b > Math.max(-1, block - 4); b--) {
            recent.add(new BlockId(b, blockHash(chainId, b)));
        }
        return new Checkpoint(scope, block, blockHash(chainId, block), recent);
    }

    static List<Facet> threeFacets() {
        return List.of(facet(1, 0x1f931c1c), facet(2, 0x7a0ed627, 0xadfca15e, 0x52ef6b2c, 0xcdffacc6),
                facet(3, 0x8da5cb5b, 0x00000000));
    }

    /** A typical range: events of two diamonds over blocks [from, to], both diamonds, two checkpoints. */
    static ChangeSet range(long chainId, long from, long to) {
        Address d1 = addr(0xd1);
        Address d2 = addr(0xd2);
        List<StoredEvent> ev = new ArrayList<>(events(chainId, d1, from, to, 2));
        ev.addAll(events(chainId, d2, from, to, 1, 2));
        List<DiamondRecord> ds = List.of(fullDiamond(chainId, d1, from, to, threeFacets()),
                bareDiamond(chainId, d2, to, List.of(facet(4, 0x11111111))));
        return new ChangeSet(network(chainId), chainId, ev, ds,
                List.of(checkpoint(chainId, Checkpoint.allScope(), to), checkpoint(chainId, Checkpoint.diamondScope(d1), to)));
    }
}
