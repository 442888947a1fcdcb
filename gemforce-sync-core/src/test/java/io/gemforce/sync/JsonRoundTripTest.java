package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.event.LogPosition;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoredEvent;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The public value types written and read back by a plain {@link ObjectMapper}, with no module or configuration. */
class JsonRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Address D = Address.of("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    private static final Address F = Address.of("0x00000000000000000000000000000000000000fa");
    private static final Selector CUT = Selector.of("0x1f931c1c");
    private static final String TX = "0x" + "c".repeat(64);
    private static final String BLOCK = "0x" + "b".repeat(64);

    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        T back = JSON.readValue(JSON.writeValueAsString(value), type);
        assertThat(back).isEqualTo(value);
        assertThat(JSON.writeValueAsString(back)).isEqualTo(JSON.writeValueAsString(value));
        return back;
    }

    private static PendingUpgrade pending() {
        return new PendingUpgrade(D, BigInteger.valueOf(1_700_000_000L), BigInteger.TWO.pow(256).subtract(BigInteger.ONE),
                12, TX, List.of(FacetCut.add(F, List.of(Selector.of("0x12345678"))), FacetCut.remove(List.of(CUT))));
    }

    @Test
    void anAddressIsItsHexStringAndReadsBackFromAnyValidCase() throws Exception {
        assertThat(JSON.writeValueAsString(D)).isEqualTo("\"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\"");
        assertThat(JSON.writeValueAsString(Address.ZERO)).doesNotContain("zero");
        roundTrip(D, Address.class);
        roundTrip(Address.ZERO, Address.class);
        assertThat(JSON.readValue("\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"", Address.class)).isEqualTo(D);
        assertThatThrownBy(() -> JSON.readValue("\"0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"", Address.class))
                .isInstanceOf(JsonMappingException.class).hasRootCauseInstanceOf(InvalidInputException.class);
    }

    @Test
    void aSelectorIsItsHexString() throws Exception {
        assertThat(JSON.writeValueAsString(CUT)).isEqualTo("\"0x1f931c1c\"");
        roundTrip(CUT, Selector.class);
        roundTrip(Selector.of("0x00000000"), Selector.class);
        roundTrip(Selector.of("0xffffffff"), Selector.class);
    }

    @Test
    void addressesAndSelectorsWorkAsMapKeys() throws Exception {
        Map<Address, Selector> m = new TreeMap<>(Map.of(D, CUT, F, Selector.of("0xcdffacc6")));
        String text = JSON.writeValueAsString(m);
        assertThat(text).isEqualTo("{\"" + F.hex() + "\":\"0xcdffacc6\",\"" + D.hex() + "\":\"0x1f931c1c\"}");
        assertThat(JSON.readValue(text, new TypeReference<Map<Address, Selector>>() { })).isEqualTo(m);
        Map<Selector, Address> bySelector = Map.of(CUT, D);
        assertThat(JSON.readValue(JSON.writeValueAsString(bySelector), new TypeReference<Map<Selector, Address>>() { }))
                .isEqualTo(bySelector);
    }

    @Test
    void aFacetCutIsWrittenAsStoresKeepIt() throws Exception {
        FacetCut cut = FacetCut.replace(F, List.of(CUT, Selector.of("0x00000000")));
        assertThat(JSON.writeValueAsString(cut)).isEqualTo(JSON.writeValueAsString(cut.toMap()))
                .isEqualTo("{\"facetAddress\":\"" + F.hex() + "\",\"action\":\"REPLACE\",\"functionSelectors\":[\"0x1f931c1c\",\"0x00000000\"]}");
        roundTrip(cut, FacetCut.class);
    }

    @Test
    void facetsAndDiamondStatesRoundTrip() throws Exception {
        Facet facet = new Facet(F, List.of(CUT, Selector.of("0x7a0ed627")));
        assertThat(JSON.writeValueAsString(facet))
                .isEqualTo("{\"facetAddress\":\"" + F.hex() + "\",\"selectors\":[\"0x1f931c1c\",\"0x7a0ed627\"]}");
        roundTrip(facet, Facet.class);
        DiamondState state = DiamondState.of(List.of(facet, new Facet(D, List.of(Selector.of("0x8da5cb5b")))));
        assertThat(JSON.writeValueAsString(state)).isEqualTo(JSON.writeValueAsString(state.facets()));
        roundTrip(state, DiamondState.class);
        roundTrip(DiamondState.empty(), DiamondState.class);
    }

    @Test
    void aPendingUpgradeIsWrittenAsStoresKeepIt() throws Exception {
        PendingUpgrade p = pending();
        assertThat(JSON.writeValueAsString(p)).isEqualTo(JSON.writeValueAsString(p.toMap()));
        roundTrip(p, PendingUpgrade.class);
    }

    @Test
    void summariesAndTheirErrorsRoundTrip() throws Exception {
        SyncSummary s = new SyncSummary(2, 3, 15, 20, SyncStatus.PARTIAL, List.of(
                new SyncError(ErrorCode.TIME_BUDGET.name(), null, null, "time budget"),
                new SyncError(ErrorCode.STATE_MISMATCH.name(), D.hex(), 19L, "loupe differs")));
        assertThat(JSON.writeValueAsString(s)).isEqualTo(s.toJson());
        roundTrip(s, SyncSummary.class);
        roundTrip(new SyncSummary(0, 0, 0, -1, SyncStatus.FAILED, List.of()), SyncSummary.class);
    }

    @Test
    void storedRecordsRoundTrip() throws Exception {
        DiamondEvent cut = new DiamondEvent.DiamondCut(D, new LogPosition(12, BLOCK, TX, 4),
                List.of(FacetCut.add(F, List.of(CUT))), Address.ZERO, "0x");
        StoredEvent e = StoredEvent.of("localhost", 31337, cut);
        assertThat(JSON.writeValueAsString(e)).contains("\"eventType\":\"DiamondCut\"")
                .contains("\"args\":{\"diamondCut\":[{\"facetAddress\"");
        roundTrip(e, StoredEvent.class);
        DiamondRecord full = new DiamondRecord("localhost", 31337, D, "GEM", "Gem", F, D,
                List.of(new Facet(F, List.of(CUT))), 3L, TX, 12, BLOCK, pending(), true);
        DiamondRecord bare = new DiamondRecord("localhost", 31337, F, null, null, null, null, List.of(), null, null, -1,
                null, null, false);
        roundTrip(full, DiamondRecord.class);
        roundTrip(bare, DiamondRecord.class);
        Checkpoint cp = new Checkpoint(Checkpoint.diamondScope(D), 12, BLOCK, List.of(new BlockId(12, BLOCK),
                new BlockId(11, "0x" + "a".repeat(64))));
        roundTrip(cp, Checkpoint.class);
        roundTrip(new StoreContents(List.of(e), List.of(full, bare), List.of(cp)), StoreContents.class);
    }

    @Test
    void eventTypesAreWrittenWithTheirEventNames() throws Exception {
        for (EventType t : EventType.values()) {
            assertThat(JSON.writeValueAsString(t)).isEqualTo("\"" + t.eventName() + "\"");
            roundTrip(t, EventType.class);
        }
    }

    @Test
    void networksRoundTripWithTheirAliasesInOneOrder() throws Exception {
        Network n = new Network("base-sepolia", 84532, Set.of("basesep", "base-testnet", "bs"), 10, 5, List.of(F),
                List.of(D));
        assertThat(JSON.writeValueAsString(n)).contains("\"aliases\":[\"base-testnet\",\"basesep\",\"bs\"]");
        roundTrip(n, Network.class);
    }
}
