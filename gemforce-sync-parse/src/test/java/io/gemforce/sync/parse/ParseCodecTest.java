package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records → Parse rows → JSON text (as Parse stores and returns them) → records. */
class ParseCodecTest {
    private static final ObjectMapper M = new ObjectMapper();
    private final ParseCodec codec = new ParseCodec(M);

    /** What a create stores and a query returns: nulls omitted, numbers re-parsed. */
    private static ObjectNode viaJson(String id, ObjectNode row) throws Exception {
        return (ObjectNode) M.readTree(M.writeValueAsString(ParseCodec.createBody(id, row)));
    }

    @Test
    void everyRecordRoundTrips() throws Exception {
        ChangeSet cs = SinkFixtures.range(SinkFixtures.CHAIN_B, 7, 9);
        for (StoredEvent e : cs.events()) {
            assertThat(codec.event(viaJson("x", codec.eventRow(e)))).isEqualTo(e);
        }
        for (DiamondRecord d : cs.diamonds()) {
            List<ObjectNode> facets = new ArrayList<>();
            for (int i = d.facets().size() - 1; i >= 0; i--) { // stored order does not matter, position does
                Facet f = d.facets().get(i);
                facets.add(viaJson("f" + i, codec.facetRow(d, f, i, List.of())));
            }
            assertThat(codec.diamond(viaJson("d", codec.diamondRow(d)), facets)).isEqualTo(d);
        }
        for (Checkpoint cp : cs.checkpoints()) {
            assertThat(codec.checkpoint(viaJson("c", codec.syncStateRow("n", 1, cp)))).isEqualTo(cp);
        }
    }

    /**
     * The row's args are written in ABI order; read back in the order PostgreSQL's jsonb returns
     * (shorter keys first), they are in ABI order again, so every reader writes the same bytes.
     */
    @Test
    void eventArgsAreWrittenInAbiOrderAndReadBackInIt() throws Exception {
        StoredEvent cut = SinkFixtures.event(1, SinkFixtures.addr(0xd1), 5, 0);
        assertThat(cut.eventType()).isEqualTo(io.gemforce.sync.event.EventType.DIAMOND_CUT);
        String canonical = "{\"diamondCut\":[{\"facetAddress\":\"" + SinkFixtures.addr(0x100).hex()
                + "\",\"action\":\"ADD\",\"functionSelectors\":[\"0x00000000\",\"0x7a0ed627\"]}],"
                + "\"init\":\"0x0000000000000000000000000000000000000000\",\"calldata\":\"0x\"}";
        assertThat(M.writeValueAsString(codec.eventRow(cut).get("args"))).isEqualTo(canonical);
        ObjectNode row = viaJson("x", codec.eventRow(cut));
        row.set("args", M.readTree("{\"init\":\"0x0000000000000000000000000000000000000000\",\"calldata\":\"0x\","
                + "\"diamondCut\":[{\"action\":\"ADD\",\"facetAddress\":\"" + SinkFixtures.addr(0x100).hex()
                + "\",\"functionSelectors\":[\"0x00000000\",\"0x7a0ed627\"]}]}"));
        StoredEvent back = codec.event(row);
        assertThat(back).isEqualTo(cut);
        assertThat(M.writeValueAsString(codec.eventRow(back).get("args"))).isEqualTo(canonical);
    }

    @Test
    void holdsComparesNumbersByValueObjectsWithoutKeyOrderAndNullAsAbsent() throws Exception {
        ObjectNode stored = (ObjectNode) M.readTree("{\"a\":1.0,\"o\":{\"y\":[1,\"z\"],\"x\":2},\"keep\":true}");
        assertThat(ParseCodec.holds(stored, (ObjectNode) M.readTree("{\"a\":1,\"o\":{\"x\":2,\"y\":[1,\"z\"]}}")))
                .isTrue();
        assertThat(ParseCodec.holds(stored, (ObjectNode) M.readTree("{\"missing\":null}"))).isTrue();
        assertThat(ParseCodec.holds(stored, (ObjectNode) M.readTree("{\"a\":null}"))).isFalse();
        assertThat(ParseCodec.holds(stored, (ObjectNode) M.readTree("{\"o\":{\"x\":2}}"))).isFalse();
        assertThat(ParseCodec.holds(stored, (ObjectNode) M.readTree("{\"o\":{\"y\":[\"z\",1],\"x\":2}}"))).isFalse();
    }

    @Test
    void createOmitsNullsAndUpdateDeletesThem() throws Exception {
        ObjectNode row = (ObjectNode) M.readTree("{\"a\":1,\"b\":null}");
        assertThat(ParseCodec.createBody("id1", row)).isEqualTo(M.readTree("{\"objectId\":\"id1\",\"a\":1}"));
        JsonNode update = ParseCodec.updateBody(row);
        assertThat(update).isEqualTo(M.readTree("{\"a\":1,\"b\":{\"__op\":\"Delete\"}}"));
    }
}
