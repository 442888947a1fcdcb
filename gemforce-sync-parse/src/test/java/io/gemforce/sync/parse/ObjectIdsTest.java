package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.diamond.Address;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectIdsTest {
    private static final Address A = SinkFixtures.addr(1);
    private static final Address B = SinkFixtures.addr(2);

    @Test
    void idsAreDeterministicHexAndDistinctPerClassChainAndKey() {
        assertThat(ObjectIds.diamond(1, A)).isEqualTo(ObjectIds.diamond(1, A)).matches("[0-9a-f]{32}");
        List<String> ids = List.of(ObjectIds.diamond(1, A), ObjectIds.diamond(2, A), ObjectIds.diamond(1, B),
                ObjectIds.facet(1, A, B, 0), ObjectIds.facet(1, A, B, 1), ObjectIds.facet(1, B, A, 0),
                ObjectIds.event(1, "1:0xabc:0"), ObjectIds.event(2, "1:0xabc:0"), ObjectIds.syncState(1, "all"),
                ObjectIds.syncState(2, "all"), ObjectIds.syncState(1, "diamond:" + A.hex()));
        Set<String> distinct = new HashSet<>(ids);
        assertThat(distinct).hasSameSizeAs(ids);
        // the key parts are length-prefixed: moving a separator does not collide
        assertThat(ObjectIds.syncState(1, "1")).isNotEqualTo(ObjectIds.syncState(11, ""));
    }
}
