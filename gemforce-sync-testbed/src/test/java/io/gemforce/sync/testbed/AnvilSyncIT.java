package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.NotADiamondException;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.testkit.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine against a real Anvil node running the project's own Gemforce contracts. */
@ExtendWith(AnvilExtension.class)
class AnvilSyncIT {
    private final Anvil anvil;
    private GemforceContracts g;
    private Web3jChainSource chain;
    private InMemoryStateSink sink;
    private String owner;
    private String other;

    AnvilSyncIT(Anvil anvil) {
        this.anvil = anvil;
    }

    @BeforeEach
    void freshChain() {
        anvil.reset();
        g = new GemforceContracts(anvil).deployAll();
        chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
        sink = new InMemoryStateSink();
        owner = anvil.accounts().get(0);
        other = anvil.accounts().get(1);
    }

    private Networks networks() {
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
        return Networks.defaults().toBuilder().add(local).build();
    }

    private DiamondSyncer syncer(Consumer<DiamondSyncer.Builder> tweak) {
        DiamondSyncer.Builder b = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(networks());
        tweak.accept(b);
        return b.build();
    }

    private SyncSummary syncAll() {
        SyncSummary s = syncer(b -> { }).syncAll("localhost");
        assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(s.errors()).as(s.toJson()).isEmpty();
        return s;
    }

    /** The stored facets equal the chain's facets() (as sets per facet) at the head. */
    private void assertMatchesLoupe(Address diamond) {
        long head = anvil.blockNumber();
        DiamondRecord r = sink.diamond(31337, diamond).orElseThrow();
        assertThat(r.lastSyncedBlock()).isEqualTo(head);
        assertThat(r.state().selectorMap()).isEqualTo(DiamondState.of(chain.facets(diamond, head)).selectorMap());
        assertThat(r.state()).isEqualTo(DiamondState.of(chain.facets(diamond, head)));
        // owner() can be cut away (the owner stays in storage): compare when the chain answers it
        chain.owner(diamond, head).ifPresent(o -> assertThat(r.owner()).isEqualTo(o));
    }

    private static List<Selector> sel(Map<String, Selector> all, String... names) {
        List<Selector> out = new ArrayList<>();
        for (String n : names) {
            out.add(java.util.Objects.requireNonNull(all.get(n), n));
        }
        return out;
    }

    private static List<Selector> range(Map<String, Selector> all, String prefix, int from, int to) {
        List<Selector> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(all.get(String.format("%s%02d()", prefix, i)));
        }
        return out;
    }

    @Test
    void theEip2535ReferenceScenarioStepByStep() {
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Map<String, Selector> b = GemforceContracts.selectors("TestFacetB");
        Map<String, Selector> cut = GemforceContracts.selectors("DiamondCutFacet");
        Map<String, Selector> loupe = GemforceContracts.selectors("DiamondLoupeFacet");
        Map<String, Selector> own = GemforceContracts.selectors("OwnershipFacet");

        Address d = g.createDiamond(owner, "REF", "Reference");
        syncAll();
        assertMatchesLoupe(d);
        assertThat(sink.diamond(31337, d).orElseThrow().facetCount()).isEqualTo(3);

        g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, range(a, "a", 1, 20))));
        syncAll();
        assertMatchesLoupe(d);

        g.diamondCut(owner, d, List.of(FacetCut.replace(g.facetA, sel(a, "supportsInterface(bytes4)"))));
        syncAll();
        assertMatchesLoupe(d);
        assertThat(sink.diamond(31337, d).orElseThrow().state().facetOf(Selector.of("0x01ffc9a7"))).contains(g.facetA);

        g.diamondCut(owner, d, List.of(FacetCut.add(g.facetB, range(b, "b", 1, 20))));
        syncAll();
        assertMatchesLoupe(d);

        g.diamondCut(owner, d, List.of(FacetCut.remove(range(b, "b", 6, 20))));
        syncAll();
        assertMatchesLoupe(d);
        assertThat(sink.diamond(31337, d).orElseThrow().state().selectorsOf(g.facetB)).hasSize(5);

        List<Selector> dropA = new ArrayList<>(range(a, "a", 4, 20));
        dropA.add(Selector.of("0x01ffc9a7"));
        g.diamondCut(owner, d, List.of(FacetCut.remove(dropA)));
        syncAll();
        assertMatchesLoupe(d);
        assertThat(sink.diamond(31337, d).orElseThrow().state().selectorsOf(g.facetA)).hasSize(3);

        // everything but facets() and diamondCut
        List<Selector> all = new ArrayList<>(sink.diamond(31337, d).orElseThrow().state().selectorMap().keySet());
        all.remove(Selector.of("0x7a0ed627"));
        all.remove(Selector.of("0x1f931c1c"));
        g.diamondCut(owner, d, List.of(FacetCut.remove(all)));
        syncAll();
        assertMatchesLoupe(d);
        assertThat(sink.diamond(31337, d).orElseThrow().state().selectorCount()).isEqualTo(2);
        assertThat(chain.owner(d, anvil.blockNumber())).as("owner() was removed").isEmpty();

        // everything back in one transaction with four cuts
        List<Selector> cutRest = new ArrayList<>(cut.values());
        cutRest.remove(Selector.of("0x1f931c1c"));
        List<Selector> loupeRest = new ArrayList<>(loupe.values());
        loupeRest.remove(Selector.of("0x7a0ed627"));
        g.diamondCut(owner, d, List.of(FacetCut.add(g.cutFacet, cutRest), FacetCut.add(g.loupeFacet, loupeRest),
                FacetCut.add(g.ownershipFacet, new ArrayList<>(own.values())),
                FacetCut.add(g.facetA, range(a, "a", 1, 22))));
        SyncSummary last = syncAll();
        assertMatchesLoupe(d);
        assertThat(last.facetsUpdated()).isEqualTo(4);
        assertThat(sink.diamond(31337, d).orElseThrow().owner().hex()).isEqualTo(owner);
    }

    @Test
    void theGemforceFlowWithTimeLockedUpgradesAndOneSyncAll() {
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address d1 = g.createDiamond(owner, "GEM1", "Gem One");
        Address d2 = g.createDiamond(owner, "GEM2", "Gem Two");
        Address d3 = g.createDiamond(other, "GEM3", "Gem Three");

        g.propose(owner, d1, List.of(FacetCut.add(g.facetA, range(a, "a", 1, 10))));
        syncAll();
        DiamondRecord pending = sink.diamond(31337, d1).orElseThrow();
        assertThat(pending.pendingUpgrade()).as("the proposal is visible").isNotNull();
        assertThat(pending.pendingUpgrade().proposedCuts()).as("and what it will do")
                .containsExactly(FacetCut.add(g.facetA, range(a, "a", 1, 10)));
        assertThat(pending.pendingUpgrade().proposer().hex()).isEqualTo(owner);
        assertThat(pending.state().selectorsOf(g.facetA)).isEmpty();

        anvil.increaseTime(86_401);
        anvil.mine(1);
        g.execute(owner, d1);
        g.propose(owner, d2, List.of(FacetCut.add(g.facetA, range(a, "a", 11, 12))));
        g.cancel(owner, d2);
        g.transferOwnership(other, d3, owner);
        anvil.mine(3);

        syncAll();
        assertThat(sink.diamond(31337, d1).orElseThrow().pendingUpgrade()).isNull();
        assertThat(sink.diamond(31337, d1).orElseThrow().state().selectorsOf(g.facetA)).hasSize(10);
        assertThat(sink.diamond(31337, d2).orElseThrow().pendingUpgrade()).isNull();
        for (Address d : List.of(d1, d2, d3)) {
            assertMatchesLoupe(d);
        }
        assertThat(sink.diamond(31337, d3).orElseThrow().owner().hex()).isEqualTo(owner);

        // one syncAll from an empty store discovers all three from DiamondCreated
        sink = new InMemoryStateSink();
        chain.resetCallCounts();
        SyncSummary once = syncAll();
        Map<String, Long> calls = chain.callCounts();
        System.out.println("[AnvilSyncIT] one syncAll of the 3-diamond flow, RPC calls by method: " + calls
                + " summary " + once.toJson());
        assertThat(once.diamondsSynced()).isEqualTo(3);
        for (Address d : List.of(d1, d2, d3)) {
            assertMatchesLoupe(d);
            assertThat(sink.diamond(31337, d).orElseThrow().symbol()).startsWith("GEM");
        }
        // one eth_getLogs for the whole (short) range, for every emitter: the diamonds it discovers are in the answer
        assertThat(calls.get("eth_getLogs")).isEqualTo(1L);
        assertThat(once.eventsIndexed()).isEqualTo(3 * 3 + 1 + 1 + 1 + 1 + 1);
    }

    @Test
    void unknownSelectorsZeroSelectorAndImmutableFunctionsRoundTrip() {
        Address d = g.createDiamond(owner, "ODD", "Odd selectors");
        Selector zero = Selector.of("0x00000000");
        Selector unknown = Selector.of("0xdeadbeef");
        Selector immutable = Selector.of("0xe0537b68"); // immutableVersion(), defined in the diamond itself
        g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, List.of(zero, unknown)), FacetCut.add(d, List.of(immutable))));
        syncAll();
        assertMatchesLoupe(d);
        DiamondState s = sink.diamond(31337, d).orElseThrow().state();
        assertThat(s.facetOf(zero)).contains(g.facetA);
        assertThat(s.facetOf(unknown)).contains(g.facetA);
        assertThat(s.facetOf(immutable)).contains(d);
        assertThat(s.facets().get(0).selectors()).isNotEmpty();
    }

    @Test
    void aReorgThatRemovesADiamondCutIsFollowed() {
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address d = g.createDiamond(owner, "ORG", "Reorged");
        anvil.mine(2);
        String beforeCut = anvil.snapshot();
        g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, range(a, "a", 1, 5))));
        anvil.mine(2);
        syncAll();
        assertThat(sink.diamond(31337, d).orElseThrow().state().selectorsOf(g.facetA)).hasSize(5);
        long oldHead = anvil.blockNumber();

        anvil.revert(beforeCut); // the cut's block is gone
        g.diamondCut(owner, d, List.of(FacetCut.add(g.facetB, List.of(GemforceContracts.selectors("TestFacetB").get("b01()")))));
        anvil.mine(5);
        assertThat(anvil.blockNumber()).isGreaterThan(oldHead);

        syncAll();
        assertMatchesLoupe(d);
        assertThat(sink.diamond(31337, d).orElseThrow().state().selectorsOf(g.facetA)).isEmpty();
        assertThat(sink.diamond(31337, d).orElseThrow().state().selectorsOf(g.facetB)).hasSize(1);
        assertThat(sink.contents(31337).events()).allSatisfy(e ->
                assertThat(chain.block(e.blockNumber()).orElseThrow().hash()).isEqualTo(e.blockHash()));
    }

    @Test
    void aNodeThatCapsLogsAndRateLimitsStillGivesTheSameStoreAndRangesGrowBack() {
        Address d = g.createDiamond(owner, "CAP", "Capped");
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        for (int i = 1; i <= 6; i++) {
            anvil.mine(150);
            g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, range(a, "a", i, i))));
        }
        anvil.mine(1200);
        InMemoryStateSink direct = sink;
        syncAll();
        StoreContents expected = Stores.withoutRecentHashes(direct.contents(31337));

        try (RpcProxy proxy = new RpcProxy(anvil.rpcUrl())) {
            final boolean[] capped = {true};
            proxy.rule((req, n) -> {
                String method = req.get("method").asText();
                if (n % 2 == 0) {
                    return Optional.of(new MockResponse().setResponseCode(429));
                }
                if (capped[0] && method.equals("eth_getLogs")) {
                    var p = req.get("params").get(0);
                    long from = Long.decode(p.get("fromBlock").asText());
                    long to = Long.decode(p.get("toBlock").asText());
                    if (to - from + 1 > 100) {
                        return Optional.of(RpcProxy.rpcError(req, -32005, "query returned more than 10000 results"));
                    }
                }
                return Optional.empty();
            });
            // every even-numbered request is refused; with 4 requests in flight sharing that count, a
            // request's retries can land on even numbers several times in a row, so allow many retries
            Web3jChainSource viaProxy = Web3jChainSource.builder().rpcUrl(proxy.url())
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).maxAttempts(40).build();
            InMemoryStateSink capped1 = new InMemoryStateSink();
            List<long[]> ranges = new ArrayList<>();
            DiamondSyncer s = DiamondSyncer.builder().chainSource(viaProxy).sink(capped1).networks(networks())
                    .blockRange(400, 1, 800)
                    .listener((scope, from, to, target, events) -> {
                        ranges.add(new long[] {from, to});
                        if (ranges.size() == 8) {
                            capped[0] = false; // the provider lifts its cap
                        }
                    }).build();
            SyncSummary summary = s.syncAll("localhost");
            assertThat(summary.status()).as(summary.toJson()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(Stores.withoutRecentHashes(capped1.contents(31337))).isEqualTo(expected);
            assertThat(ranges.subList(0, 8)).allSatisfy(r -> assertThat(r[1] - r[0] + 1).isLessThanOrEqualTo(100));
            long last = ranges.get(ranges.size() - 2)[1] - ranges.get(ranges.size() - 2)[0] + 1;
            assertThat(last).as("ranges grow again once the cap is lifted").isGreaterThan(100);
            assertThat(proxy.requests().stream().filter(r -> r.get("method").asText().equals("eth_getLogs")).count())
                    .isGreaterThan(ranges.size());
        }
    }

    @Test
    void aContractThatIsNotADiamondAndAnAddressWithNoCodeAreTypedErrors() {
        Address plain = g.deploy("NotADiamond");
        DiamondSyncer s = syncer(b -> { });
        assertThatThrownBy(() -> s.syncDiamond(plain.hex(), "localhost", null))
                .isInstanceOf(NotADiamondException.class)
                .satisfies(e -> assertThat(((NotADiamondException) e).code()).isEqualTo(ErrorCode.NOT_A_DIAMOND));
        assertThatThrownBy(() -> s.syncDiamond(other, "localhost", null))
                .isInstanceOf(NotADiamondException.class)
                .satisfies(e -> assertThat(((NotADiamondException) e).code()).isEqualTo(ErrorCode.NO_CODE));
        assertThatThrownBy(() -> s.syncEvents(plain.hex(), "localhost", "DiamondCut", null))
                .isInstanceOf(NotADiamondException.class);
        assertThat(sink.mutations()).isZero();
    }
}
