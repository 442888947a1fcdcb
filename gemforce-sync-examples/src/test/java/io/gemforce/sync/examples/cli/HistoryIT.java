package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.internal.abi.LoupeAbi;
import io.gemforce.sync.examples.cli.HistoryCommandTest.Result;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.history.DiamondHistory;
import io.gemforce.sync.history.HistoricState;
import io.gemforce.sync.history.HistoryEntry;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.AnvilExtension;
import io.gemforce.sync.testbed.GemforceContracts;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;

/**
 * The Gemforce flow on a real Anvil node (creations, direct cuts, time-locked proposals executed
 * and cancelled, replaces and removes, ownership transfers), synced into SQLite by the CLI; then,
 * for every block of the flow and every diamond, {@code history --at-block} (the API and the
 * command) equals what the node's loupe answers at that block ({@code eth_call} of {@code facets()}
 * and {@code owner()} at the block: Anvil keeps every block's state).
 */
@ExtendWith(AnvilExtension.class)
class HistoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The loupe's facets at {@code block}, or null when the address holds no code then. */
    private static List<Facet> loupeFacets(Anvil anvil, Address d, long block) throws IOException {
        DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(block));
        String code = anvil.web3j().ethGetCode(d.hex(), at).send().getCode();
        if (code == null || code.equals("0x")) {
            return null;
        }
        return LoupeAbi.decodeFacets(call(anvil, d, "0x7a0ed627", at));
    }

    private static Address loupeOwner(Anvil anvil, Address d, long block) throws IOException {
        return LoupeAbi.decodeAddress(call(anvil, d, "0x8da5cb5b", DefaultBlockParameter.valueOf(BigInteger.valueOf(block))));
    }

    private static String call(Anvil anvil, Address to, String data, DefaultBlockParameter at) throws IOException {
        var r = anvil.web3j().ethCall(Transaction.createEthCallTransaction(null, to.hex(), data), at).send();
        assertThat(r.hasError()).as("eth_call %s on %s", data, to).isFalse();
        return r.getValue();
    }

    private static List<Selector> pick(Map<String, Selector> all, String prefix, int from, int to) {
        List<Selector> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(all.get(String.format("%s%02d()", prefix, i)));
        }
        return out;
    }

    @Test
    void atEveryBlockOfTheFlowTheHistoryEqualsTheLoupe(Anvil anvil) throws Exception {
        anvil.reset();
        GemforceContracts g = new GemforceContracts(anvil).deployAll();
        String alice = anvil.accounts().get(0);
        String bob = anvil.accounts().get(1);
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Map<String, Selector> b = GemforceContracts.selectors("TestFacetB");
        Map<String, Selector> c = GemforceContracts.selectors("TestFacetC");

        Address gem1 = g.createDiamond(alice, "GEM1", "Gem One");
        g.diamondCut(alice, gem1, List.of(FacetCut.add(g.facetA, pick(a, "a", 1, 8))));
        Address gem2 = g.createDiamond(bob, "GEM2", "Gem Two");
        g.propose(alice, gem1, List.of(FacetCut.add(g.facetB, pick(b, "b", 1, 4))));
        anvil.increaseTime(86_401);
        anvil.mine(1);
        g.execute(alice, gem1);
        g.propose(alice, gem1, List.of(FacetCut.remove(pick(a, "a", 1, 2))));
        g.cancel(alice, gem1);
        g.diamondCut(alice, gem1, List.of(FacetCut.replace(g.facetC, List.of(a.get("a03()"), a.get("a04()"))),
                FacetCut.add(g.facetC, pick(c, "c", 1, 3)), FacetCut.remove(List.of(b.get("b04()")))));
        g.transferOwnership(alice, gem1, bob);
        g.diamondCut(bob, gem2, List.of(FacetCut.add(g.facetB, pick(b, "b", 5, 9))));
        g.transferOwnership(bob, gem2, alice);
        g.diamondCut(bob, gem1, List.of(FacetCut.remove(pick(a, "a", 5, 8))));
        anvil.mine(2);
        long head = anvil.blockNumber();

        String store = "jdbc:sqlite:" + dir.resolve("history.sqlite");
        Result sync = HistoryCommandTest.run("sync-all", "--network", "anvil", "--rpc-url", anvil.rpcUrl(), "--store", store,
                "--factory", g.factory.hex(), "--start-block", String.valueOf(g.factoryBlock), "--no-progress",
                "--max-block-range", "3");
        assertThat(sync.code()).as(sync.err()).isZero();
        assertThat(sync.out()).contains("\"diamondsSynced\":2").contains("\"lastSyncedBlock\":" + head);

        int compared = 0;
        try (JdbcStateSink sink = JdbcStateSink.open(store, null, null)) {
            for (Address d : List.of(gem1, gem2)) {
                DiamondHistory h = DiamondHistory.read(sink, 31337, d);
                assertThat(h.complete()).as(h.incompleteBecause().orElse("")).isTrue();
                for (long block = g.factoryBlock; block <= head; block++) {
                    List<Facet> loupe = loupeFacets(anvil, d, block);
                    HistoricState api = h.at(block);
                    Result cli = HistoryCommandTest.run("history", "--diamond", d.hex(), "--network", "anvil", "--store", store,
                            "--at-block", String.valueOf(block), "--json");
                    assertThat(cli.code()).as(cli.err()).isZero();
                    JsonNode json = JSON.readTree(cli.out());
                    if (loupe == null) {
                        assertThat(api.exists()).as("%s before its creation, block %d", d, block).isFalse();
                        assertThat(json.get("exists").asBoolean()).isFalse();
                        continue;
                    }
                    Map<Selector, Address> truth = DiamondState.of(loupe).selectorMap();
                    assertThat(api.state().selectorMap()).as("API: facets of %s at block %d", d, block).isEqualTo(truth);
                    assertThat(DiamondState.of(facets(json)).selectorMap()).as("CLI: facets of %s at block %d", d, block)
                            .isEqualTo(truth);
                    Address owner = loupeOwner(anvil, d, block);
                    assertThat(api.owner()).as("owner of %s at block %d", d, block).isEqualTo(owner);
                    assertThat(json.get("owner").asText()).isEqualTo(owner.hex());
                    compared++;
                }
            }
            DiamondHistory h1 = DiamondHistory.read(sink, 31337, gem1);
            assertThat(h1.timeline()).extracting(HistoryEntry::kind).containsExactly(HistoryEntry.Kind.CUT,
                    HistoryEntry.Kind.OWNERSHIP_TRANSFERRED, HistoryEntry.Kind.CREATED, HistoryEntry.Kind.CUT,
                    HistoryEntry.Kind.PROPOSED, HistoryEntry.Kind.EXECUTED, HistoryEntry.Kind.PROPOSED,
                    HistoryEntry.Kind.CANCELLED, HistoryEntry.Kind.CUT, HistoryEntry.Kind.OWNERSHIP_TRANSFERRED,
                    HistoryEntry.Kind.CUT);
            for (HistoryEntry e : h1.timeline()) {
                var receipt = anvil.web3j().ethGetTransactionReceipt(e.transactionHash()).send().getTransactionReceipt()
                        .orElseThrow();
                assertThat(receipt.getBlockNumber().longValue()).as("block of %s", e).isEqualTo(e.blockNumber());
            }
        }
        assertThat(compared).as("blocks compared with a live loupe").isGreaterThan(25);

        Result timeline = HistoryCommandTest.run("history", "--diamond", gem1.hex(), "--network", "anvil", "--store", store);
        assertThat(timeline.code()).as(timeline.err()).isZero();
        assertThat(timeline.out()).contains("EXECUTED").contains("CANCELLED").contains("replace 2 selectors with "
                + g.facetC.hex());
    }

    private static List<Facet> facets(JsonNode state) {
        List<Facet> out = new ArrayList<>();
        for (JsonNode f : state.get("facets")) {
            List<Selector> sels = new ArrayList<>();
            f.get("selectors").forEach(x -> sels.add(Selector.of(x.asText())));
            out.add(new Facet(Address.of(f.get("facetAddress").asText()), sels));
        }
        return out;
    }
}
