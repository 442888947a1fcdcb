package io.gemforce.sync.testkit;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The scripted Gemforce flow the engine tests share: a factory, three diamonds created through
 * it, cuts (add, replace, remove), an ownership transfer, a pending proposal, a cancelled one,
 * and events the syncer must skip. 20 blocks.
 */
public final class GemforceScenario {
    public static final long CHAIN_ID = 31337;
    public final ScriptedChain chain = new ScriptedChain(CHAIN_ID);
    public final Address factory;
    public final Address caller;
    public final Address newOwner;
    public final Address cutFacet;
    public final Address loupeFacet;
    public final Address ownershipFacet;
    public final Address facetA;
    public final Address facetB;
    public Address d1;
    public Address d2;
    public Address d3;

    public static final List<Selector> CUT = List.of(Selector.of("0x1f931c1c"), Selector.of("0xbbf2358e"),
            Selector.of("0xf37a5da0"), Selector.of("0x6fb05998"));
    public static final List<Selector> LOUPE = List.of(Selector.of("0x7a0ed627"), Selector.of("0xadfca15e"),
            Selector.of("0x52ef6b2c"), Selector.of("0xcdffacc6"), Selector.of("0x01ffc9a7"));
    public static final List<Selector> OWNERSHIP = List.of(Selector.of("0x8da5cb5b"), Selector.of("0xf2fde38b"));

    /** What the pending proposal on d3 would do. */
    public static final List<FacetCut> PROPOSED = List.of(FacetCut.add(Address.of("0x00000000000000000000000000000000000000aa"),
            List.of(Selector.of("0x0c000001"), Selector.of("0x0c000002"))));

    public static List<Selector> selectors(int base, int n) {
        return IntStream.range(0, n).mapToObj(i -> new Selector(base + i)).toList();
    }

    public GemforceScenario() {
        factory = chain.deployFactory();
        caller = chain.newAddress();
        newOwner = chain.newAddress();
        cutFacet = chain.deployContract();
        loupeFacet = chain.deployContract();
        ownershipFacet = chain.deployContract();
        facetA = chain.deployContract();
        facetB = chain.deployContract();
        chain.mine(); // block 1
    }

    public List<FacetCut> initialCuts() {
        return List.of(FacetCut.add(cutFacet, CUT), FacetCut.add(loupeFacet, LOUPE),
                FacetCut.add(ownershipFacet, OWNERSHIP));
    }

    /** The whole 20-block flow. */
    public GemforceScenario build() {
        d1 = chain.createDiamond(factory, caller, "GEM1", "Gem One", initialCuts());
        chain.mine(); // 2
        d2 = chain.createDiamond(factory, caller, "GEM2", "Gem Two", initialCuts());
        chain.mine(); // 3
        chain.mine(); // 4
        chain.cut(d1, List.of(FacetCut.add(facetA, selectors(0x0a000000, 20))));
        chain.mine(); // 5
        d3 = chain.createDiamond(factory, caller, "GEM3", "Gem Three", initialCuts());
        chain.mine(); // 6
        chain.mine(); // 7
        chain.transferOwnership(d2, newOwner);
        chain.mine(); // 8
        chain.propose(d3, caller, 1_700_000_016L, 1_700_086_416L, PROPOSED);
        chain.mine(); // 9
        List<Selector> replaced = List.of(Selector.of("0x01ffc9a7"), new Selector(0x0a000001));
        chain.cut(d1, List.of(FacetCut.replace(facetB, replaced),
                FacetCut.remove(List.of(new Selector(0x0a000002), new Selector(0x0a000003), new Selector(0x0a000004))),
                FacetCut.add(facetB, List.of(Selector.of("0x00000000"), Selector.of("0xdeadbeef")))));
        chain.mine(); // 10
        chain.propose(d2, newOwner, 1_700_000_022L, 1_700_086_422L);
        chain.mine(); // 11
        chain.cancel(d2, newOwner);
        chain.mine(); // 12
        // events to skip: an ERC-721 Transfer from a facet, and a DiamondCreated-shaped log from a non-factory
        chain.emit(d1, List.of("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
                Web3jAbi.topic(caller), Web3jAbi.topic(newOwner), "0x" + "0".repeat(63) + "1"), "0x");
        chain.mine(); // 13
        chain.mine(7); // 14..20
        return this;
    }

    /** Networks with the local chain configured for this scenario's factory. */
    public Networks networks() {
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(factory), 0);
        return Networks.defaults().toBuilder().add(local).build();
    }

    public static List<Address> all(Address... a) {
        return new ArrayList<>(List.of(a));
    }
}
