package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Gemforce flow on a real Anvil node, synced into a real Parse Server and read back over REST. */
@ExtendWith(ParseServerExtension.class)
class ParseAnvilFlowIT {

    @Test
    void theTimeLockedGemforceFlowLandsInParseAsTheChainHasIt(ParseTestServer server) {
        server.purgeSinkClasses();
        try (Anvil anvil = Anvil.start(); ParseClient client = server.newClient()) {
            GemforceContracts g = new GemforceContracts(anvil).deployAll();
            String owner = Anvil.DEPLOYER;
            String other = anvil.accounts().get(1);
            Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
            Address d1 = g.createDiamond(owner, "PF1", "Parse flow one");
            Address d2 = g.createDiamond(owner, "PF2", "Parse flow two");
            Address d3 = g.createDiamond(other, "PF3", "Parse flow three");
            g.propose(owner, d1, List.of(FacetCut.add(g.facetA, List.of(a.get("a01()"), a.get("a02()"), a.get("a03()")))));
            anvil.increaseTime(86_401);
            anvil.mine(1);
            g.execute(owner, d1);
            g.propose(owner, d2, List.of(FacetCut.add(g.facetA, List.of(a.get("a04()")))));
            g.cancel(owner, d2);
            g.propose(other, d3, List.of(FacetCut.add(g.facetA, List.of(a.get("a05()")))));
            g.transferOwnership(other, d3, owner);
            anvil.mine(2);

            Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
            ParseStateSink parse = ParseStateSink.builder(client).build();
            try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build()) {
                DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(parse)
                        .networks(Networks.defaults().toBuilder().add(local).build()).blockRange(3, 1, 3).build();
                SyncSummary s = syncer.syncAll("localhost");
                assertThat(s.status()).as(s.toJson()).isEqualTo(SyncStatus.SUCCESS);
                assertThat(s.diamondsSynced()).isEqualTo(3);
                long head = anvil.blockNumber();
                for (Address d : List.of(d1, d2, d3)) {
                    DiamondRecord r = parse.diamond(31337, d).orElseThrow();
                    assertThat(r.state()).isEqualTo(DiamondState.of(chain.facets(d, head)));
                    assertThat(r.owner()).isEqualTo(chain.owner(d, head).orElseThrow());
                }
                assertThat(parse.diamond(31337, d1).orElseThrow().pendingUpgrade()).isNull();
                assertThat(parse.diamond(31337, d2).orElseThrow().pendingUpgrade()).isNull();
                assertThat(parse.diamond(31337, d3).orElseThrow().pendingUpgrade()).isNotNull();
                assertThat(syncer.syncAll("localhost").eventsIndexed()).isZero();
            }
            // as a Parse client sees it
            ObjectNode where = JsonNodeFactory.instance.objectNode().put("chainId", 31337).put("diamondAddress", d1.hex());
            List<ObjectNode> facets = client.findAll(ParseSchema.FACET, where, 100);
            assertThat(facets).extracting(f -> f.path("facetAddress").asText()).contains(g.facetA.hex());
            ObjectNode facetA = facets.stream().filter(f -> f.path("facetAddress").asText().equals(g.facetA.hex()))
                    .findFirst().orElseThrow();
            assertThat(facetA.path("selectors")).hasSize(3);
            assertThat(facetA.path("diamond").path("className").asText()).isEqualTo("Diamond");
            ObjectNode loupe = facets.stream().filter(f -> f.path("facetAddress").asText().equals(g.loupeFacet.hex()))
                    .findFirst().orElseThrow();
            assertThat(loupe.path("functions").toString()).contains("facets()").contains("facetAddress(bytes4)");
            ObjectNode d3Where = JsonNodeFactory.instance.objectNode().put("chainId", 31337).put("address", d3.hex());
            ObjectNode d3Row = client.findAll(ParseSchema.DIAMOND, d3Where, 10).get(0);
            assertThat(d3Row.path("owner").asText()).isEqualTo(owner);
            assertThat(d3Row.path("pendingUpgrade").path("proposer").asText()).isEqualTo(other);
            assertThat(d3Row.path("symbol").asText()).isEqualTo("PF3");
            ObjectNode cancelled = JsonNodeFactory.instance.objectNode().put("chainId", 31337)
                    .put("eventType", "DiamondCutCancelled");
            assertThat(client.count(ParseSchema.DIAMOND_EVENT, cancelled)).isEqualTo(1);
        }
    }
}
