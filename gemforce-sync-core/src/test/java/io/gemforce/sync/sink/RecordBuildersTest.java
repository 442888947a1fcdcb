package io.gemforce.sync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builders custom sinks use to read records back equal the canonical constructors field for field. */
class RecordBuildersTest {
    private static final Address D = Address.of("0x00000000000000000000000000000000000000d1");
    private static final Address F = Address.of("0x00000000000000000000000000000000000000f1");

    @Test
    void diamondRecordBuilderEqualsTheConstructorAndRoundTripsThroughToBuilder() {
        List<Facet> facets = List.of(new Facet(F, List.of(Selector.of("0x1f931c1c"))));
        DiamondRecord direct = new DiamondRecord("localhost", 31337, D, "GEM", "Gem", F, D, facets, 5L, "0xtx", 9,
                "0xhash", null, false);
        DiamondRecord built = DiamondRecord.builder("localhost", 31337, D).symbol("GEM").name("Gem").factory(F)
                .owner(D).facets(facets).created(5L, "0xtx").lastSynced(9, "0xhash").consistent(false).build();
        assertThat(built).isEqualTo(direct);
        assertThat(direct.toBuilder().build()).isEqualTo(direct);
        DiamondRecord minimal = DiamondRecord.builder("localhost", 31337, D).build();
        assertThat(minimal.lastSyncedBlock()).isEqualTo(-1);
        assertThat(minimal.consistent()).isTrue();
        assertThat(minimal.facets()).isEmpty();
    }

    @Test
    void storedEventBuilderDerivesTheUidAndEqualsTheConstructor() {
        Map<String, Object> args = Map.of("previousOwner", D.hex(), "newOwner", F.hex());
        StoredEvent direct = new StoredEvent("31337:0xtx:3", "localhost", 31337, D, D, EventType.OWNERSHIP_TRANSFERRED,
                7, "0xblock", "0xtx", 3, args);
        StoredEvent built = StoredEvent.builder("localhost", 31337, EventType.OWNERSHIP_TRANSFERRED).diamond(D, D)
                .at(7, "0xblock", "0xtx", 3).args(args).build();
        assertThat(built).isEqualTo(direct);
        assertThat(built.uid()).isEqualTo("31337:0xtx:3");
    }
}
