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
    private static final Address D = new Address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    private static final Address F = new Address("0x00000000000000000000000000000000000000fa");
    private static final String TX = "0x8f3c2b1a00000000000000000000000000000000000000000000000000000001";

    /**
     * Golden values: the objectIds stored rows already have. If this fails, the change would give
     * every existing row a new objectId, so the next sync would write each event, diamond, facet and
     * checkpoint a second time: revert it, or ship it with a migration of the stored rows.
     */
    @Test
    void idsAreTheOnesExistingStoresHold() {
        assertThat(ObjectIds.diamond(31337, D)).isEqualTo("43debc49f688a71a1b0ed68617b4f152");
        assertThat(ObjectIds.diamond(84532, D)).isEqualTo("9b213dc7a46d977d6805cde272c37680");
        assertThat(ObjectIds.facet(31337, D, F, 0)).isEqualTo("8ebe5145e0852b779d0ca8ddb9853c88");
        assertThat(ObjectIds.facet(31337, D, F, 1)).isEqualTo("8d7980c4423a13d6fd9d18e112a5592d");
        assertThat(ObjectIds.event(31337, "31337:" + TX + ":17")).isEqualTo("a2e9e0f4a09f0828db8bb5a162b2d4e4");
        assertThat(ObjectIds.syncState(31337, "all")).isEqualTo("87f9dcbd205a3fc9ee27da0c49531ceb");
        assertThat(ObjectIds.syncState(31337, "diamond:" + D.hex())).isEqualTo("33b23bf36c9b0ad9568b83742fa94e8a");
        assertThat(ObjectIds.syncState(84532, "events:" + D.hex() + ":DiamondCut"))
                .isEqualTo("eeb226940c2ad77394a3ea5ce0aefe28");
    }

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
