package io.gemforce.sync.testkit;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A Gemforce deployment on a {@link ScriptedChain}, and the flow the engine's own tests share.
 *
 * <p>{@code new GemforceScenario()} deploys, in block 1, a factory and the standard facets
 * ({@link #cutFacet}, {@link #loupeFacet}, {@link #ownershipFacet}) plus two more
 * ({@link #facetA}, {@link #facetB}), and makes two accounts ({@link #caller}, {@link #newOwner});
 * script the rest on {@link #chain}, e.g. {@code chain.createDiamond(factory, caller, "GEM", "Gem",
 * initialCuts())}. {@link #networks()} is the registry a syncer needs to discover the factory's
 * diamonds on chain {@value #CHAIN_ID} ({@code localhost}).
 *
 * <p>{@link #build()} scripts the whole 20-block flow:
 * <table>
 *   <caption>blocks of {@link #build()}</caption>
 *   <tr><th>block</th><th>what happens</th></tr>
 *   <tr><td>1</td><td>the factory and the facets are deployed</td></tr>
 *   <tr><td>2</td><td>{@link #d1} is created through the factory ({@code GEM1}, "Gem One") with {@link #initialCuts()}</td></tr>
 *   <tr><td>3</td><td>{@link #d2} is created ({@code GEM2})</td></tr>
 *   <tr><td>4</td><td>empty</td></tr>
 *   <tr><td>5</td><td>a cut adds 20 selectors of {@link #facetA} to d1</td></tr>
 *   <tr><td>6</td><td>{@link #d3} is created ({@code GEM3})</td></tr>
 *   <tr><td>7</td><td>empty</td></tr>
 *   <tr><td>8</td><td>d2's ownership goes from {@link #caller} to {@link #newOwner}</td></tr>
 *   <tr><td>9</td><td>an upgrade of d3 is proposed ({@link #PROPOSED}) and stays pending</td></tr>
 *   <tr><td>10</td><td>one cut on d1 replaces two selectors, removes three and adds two</td></tr>
 *   <tr><td>11, 12</td><td>an upgrade of d2 is proposed, then cancelled</td></tr>
 *   <tr><td>13</td><td>an ERC-721 {@code Transfer} from d1, which the syncer must skip</td></tr>
 *   <tr><td>14 to 20</td><td>empty blocks</td></tr>
 * </table>
 * After it, a sync of {@code localhost} finds 3 diamonds and indexes 15 events.
 *
 * <p>Not thread-safe, as its chain is not.
 */
public final class GemforceScenario {
    /** The chain id of the scenario's chain: {@code localhost} in the default networks. */
    public static final long CHAIN_ID = 31337;
    /** The chain everything is scripted on. */
    public final ScriptedChain chain = new ScriptedChain(CHAIN_ID);
    /** The Gemforce factory that {@link #networks()} configures. */
    public final Address factory;
    /** The account that creates the diamonds: their first owner. */
    public final Address caller;
    /** An account that d2's ownership goes to in {@link #build()}. */
    public final Address newOwner;
    /** The facet of {@link #CUT}'s selectors. */
    public final Address cutFacet;
    /** The facet of {@link #LOUPE}'s selectors. */
    public final Address loupeFacet;
    /** The facet of {@link #OWNERSHIP}'s selectors. */
    public final Address ownershipFacet;
    /** A facet for the test's own selectors. */
    public final Address facetA;
    /** Another facet for the test's own selectors. */
    public final Address facetB;
    /** The diamonds {@link #build()} creates: {@code null} before. */
    public Address d1;
    /** See {@link #d1}. */
    public Address d2;
    /** See {@link #d1}. */
    public Address d3;

    /** The diamond-cut facet's selectors ({@code diamondCut} and Gemforce's proposal functions). */
    public static final List<Selector> CUT = List.of(Selector.of("0x1f931c1c"), Selector.of("0xbbf2358e"),
            Selector.of("0xf37a5da0"), Selector.of("0x6fb05998"));
    /** The loupe facet's selectors ({@code facets}, {@code facetFunctionSelectors}, ... and {@code supportsInterface}). */
    public static final List<Selector> LOUPE = List.of(Selector.of("0x7a0ed627"), Selector.of("0xadfca15e"),
            Selector.of("0x52ef6b2c"), Selector.of("0xcdffacc6"), Selector.of("0x01ffc9a7"));
    /** The ownership facet's selectors ({@code owner}, {@code transferOwnership}). */
    public static final List<Selector> OWNERSHIP = List.of(Selector.of("0x8da5cb5b"), Selector.of("0xf2fde38b"));

    /** What the pending proposal on d3 would do. */
    public static final List<FacetCut> PROPOSED = List.of(FacetCut.add(Address.of("0x00000000000000000000000000000000000000aa"),
            List.of(Selector.of("0x0c000001"), Selector.of("0x0c000002"))));

    /** {@code n} consecutive selectors from {@code base}, e.g. {@code selectors(0x0a000000, 20)}. */
    public static List<Selector> selectors(int base, int n) {
        return IntStream.range(0, n).mapToObj(i -> new Selector(base + i)).toList();
    }

    /** The deployment only: block 1 holds the factory and the facets; no diamond yet. */
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

    /** The standard facets as a new diamond's first cut: {@link #CUT}, {@link #LOUPE} and {@link #OWNERSHIP}. */
    public List<FacetCut> initialCuts() {
        return List.of(FacetCut.add(cutFacet, CUT), FacetCut.add(loupeFacet, LOUPE),
                FacetCut.add(ownershipFacet, OWNERSHIP));
    }

    /** Scripts the whole 20-block flow (see the class comment) on top of the deployment; call it once. */
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
        // an event to skip: an ERC-721 Transfer from a facet
        chain.emit(d1, List.of("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
                LogData.topic(caller), LogData.topic(newOwner), "0x" + "0".repeat(63) + "1"), "0x");
        chain.mine(); // 13
        chain.mine(7); // 14..20
        return this;
    }

    /**
     * {@link Networks#defaults()} with {@code localhost} (chain {@value #CHAIN_ID}) configured to
     * discover the diamonds of {@link #factory} from block 0.
     */
    public Networks networks() {
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(factory), 0);
        return Networks.defaults().toBuilder().add(local).build();
    }
}
