package io.gemforce.sync.diamond;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KnownSignaturesTest {
    @Test
    void namesTheStandardSelectorsAndTheHostsOwn() {
        KnownSignatures k = KnownSignatures.standard();
        assertThat(k.apply(Selector.of("0x7a0ed627"))).contains("facets()");
        assertThat(k.apply(Selector.of("0x1f931c1c"))).contains("diamondCut((address,uint8,bytes4[])[],address,bytes)");
        assertThat(k.apply(Selector.of("0xbbf2358e"))).contains("proposeDiamondCut((address,uint8,bytes4[])[],address,bytes)");
        assertThat(k.apply(Selector.of("0x8da5cb5b"))).contains("owner()");
        assertThat(k.apply(Selector.of("0xdeadbeef"))).isEmpty();
        KnownSignatures more = k.with(List.of("transfer(address,uint256)"));
        assertThat(more.apply(Selector.of("0xa9059cbb"))).contains("transfer(address,uint256)");
        assertThat(k.apply(Selector.of("0xa9059cbb"))).as("immutable").isEmpty();
        assertThat(more.size()).isEqualTo(k.size() + 1);
    }
}
