package io.gemforce.sync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.event.LogPosition;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stored event's {@code args} serialise to one sequence of bytes whatever order its map had:
 * keys in ABI order, the fields of tuples too. The inputs here are built in reverse ABI order, so
 * that a sink which kept the given order (or {@code Map.copyOf}'s per-JVM order) fails.
 */
class CanonicalArgsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Address D = Address.of("0x00000000000000000000000000000000000000d1");
    private static final Address F = Address.of("0x00000000000000000000000000000000000000fa");
    private static final Address O = Address.of("0x00000000000000000000000000000000000000e1");
    private static final LogPosition POS = new LogPosition(7, "0x" + "b".repeat(64), "0x" + "c".repeat(64), 3);

    /** A map with the given key/value pairs inserted in reverse order. */
    private static Map<String, Object> reversed(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = kv.length - 2; i >= 0; i -= 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static StoredEvent stored(EventType type, Map<String, Object> args) {
        return new StoredEvent("31337:" + POS.transactionHash() + ":3", "localhost", 31337, D, D, type, 7,
                POS.blockHash(), POS.transactionHash(), 3, args);
    }

    private static String json(Object o) throws Exception {
        return JSON.writeValueAsString(o);
    }

    @Test
    void aDiamondCutsArgsAndEachFacetCutTupleAreWrittenInAbiOrder() throws Exception {
        Map<String, Object> cut = reversed("facetAddress", F.hex(), "action", "ADD",
                "functionSelectors", List.of("0x1f931c1c", "0x00000000"));
        StoredEvent e = stored(EventType.DIAMOND_CUT, reversed("diamondCut", List.of(cut), "init", Address.ZERO.hex(),
                "calldata", "0x"));
        assertThat(json(e.args())).isEqualTo("{\"diamondCut\":[{\"facetAddress\":\"" + F.hex()
                + "\",\"action\":\"ADD\",\"functionSelectors\":[\"0x1f931c1c\",\"0x00000000\"]}],\"init\":\""
                + Address.ZERO.hex() + "\",\"calldata\":\"0x\"}");
    }

    @Test
    void everyEventTypeIsWrittenInItsAbiOrder() throws Exception {
        assertThat(json(stored(EventType.OWNERSHIP_TRANSFERRED,
                reversed("previousOwner", Address.ZERO.hex(), "newOwner", O.hex())).args()))
                .isEqualTo("{\"previousOwner\":\"" + Address.ZERO.hex() + "\",\"newOwner\":\"" + O.hex() + "\"}");
        assertThat(json(stored(EventType.DIAMOND_CUT_PROPOSED,
                reversed("proposer", O.hex(), "proposalTime", "1700000000", "executionTime", "1700003600")).args()))
                .isEqualTo("{\"proposer\":\"" + O.hex() + "\",\"proposalTime\":\"1700000000\",\"executionTime\":\"1700003600\"}");
        assertThat(json(stored(EventType.DIAMOND_CUT_CANCELLED, reversed("canceller", O.hex())).args()))
                .isEqualTo("{\"canceller\":\"" + O.hex() + "\"}");
        Map<String, Object> settings = reversed("owner", O.hex(), "factory", F.hex(), "svgManager", Address.ZERO.hex(),
                "symbol", "GEM", "name", "Gem");
        assertThat(json(stored(EventType.DIAMOND_CREATED,
                reversed("factory", F.hex(), "diamond", D.hex(), "symbolHash", "0x" + "a".repeat(64), "settings", settings))
                .args()))
                .isEqualTo("{\"factory\":\"" + F.hex() + "\",\"diamond\":\"" + D.hex() + "\",\"symbolHash\":\"0x"
                        + "a".repeat(64) + "\",\"settings\":{\"owner\":\"" + O.hex() + "\",\"factory\":\"" + F.hex()
                        + "\",\"svgManager\":\"" + Address.ZERO.hex() + "\",\"symbol\":\"GEM\",\"name\":\"Gem\"}}");
    }

    @Test
    void eachDecodedEventsArgsAreAlreadyInTheStoredOrder() {
        List<DiamondEvent> events = List.of(
                new DiamondEvent.DiamondCut(D, POS, List.of(FacetCut.add(F, List.of(Selector.of("0x12345678")))),
                        Address.ZERO, "0x"),
                new DiamondEvent.OwnershipTransferred(D, POS, Address.ZERO, O),
                new DiamondEvent.DiamondCutProposed(D, POS, O, BigInteger.ONE, BigInteger.TWO),
                new DiamondEvent.DiamondCutCancelled(D, POS, O),
                new DiamondEvent.DiamondCreated(F, POS, F, D, "0x" + "a".repeat(64), O, F, Address.ZERO, "GEM", "Gem"));
        assertThat(events.stream().map(DiamondEvent::type).toList()).containsExactlyInAnyOrder(EventType.values());
        for (DiamondEvent e : events) {
            assertThat(List.copyOf(e.args().keySet())).as(e.type().eventName()).isEqualTo(e.type().argNames());
            StoredEvent s = StoredEvent.of("localhost", 31337, e);
            assertThat(List.copyOf(s.args().keySet())).isEqualTo(e.type().argNames());
            assertThat(s.args()).isEqualTo(e.args());
        }
    }

    @Test
    void keysTheAbiDoesNotNameFollowInLexicographicOrder() throws Exception {
        Map<String, Object> args = reversed("canceller", O.hex(), "b", "2", "a", Map.of("z", "1", "y", "2"));
        assertThat(json(stored(EventType.DIAMOND_CUT_CANCELLED, args).args()))
                .isEqualTo("{\"canceller\":\"" + O.hex() + "\",\"a\":{\"y\":\"2\",\"z\":\"1\"},\"b\":\"2\"}");
    }

    @Test
    void theCanonicalFormIsADeepImmutableCopyEqualToTheGivenMap() {
        List<Object> selectors = new ArrayList<>(List.of("0x12345678"));
        Map<String, Object> cut = reversed("facetAddress", F.hex(), "action", "ADD", "functionSelectors", selectors);
        List<Object> cuts = new ArrayList<>(List.of(cut));
        Map<String, Object> given = reversed("diamondCut", cuts, "init", Address.ZERO.hex(), "calldata", "0x");
        StoredEvent e = stored(EventType.DIAMOND_CUT, given);
        assertThat(e.args()).isEqualTo(given);
        assertThat(e).isEqualTo(stored(EventType.DIAMOND_CUT, new LinkedHashMap<>(given)));
        selectors.add("0x87654321");
        cuts.add(Map.of());
        assertThat(e.args()).isNotEqualTo(given);
        assertThatThrownBy(() -> e.args().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> storedCuts = (List<Object>) e.args().get("diamondCut");
        assertThatThrownBy(() -> storedCuts.add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(storedCuts).hasSize(1);
        assertThat(Collections.emptyMap()).isEqualTo(stored(EventType.DIAMOND_CUT, Map.of()).args());
    }
}
