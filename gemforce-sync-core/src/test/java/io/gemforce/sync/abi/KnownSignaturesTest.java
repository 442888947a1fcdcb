package io.gemforce.sync.abi;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownSignaturesTest {
    private static final Address F = Address.of("0x00000000000000000000000000000000000000f1");

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

    @Test
    void selectorsOfKnownSignatures() {
        assertThat(KnownSignatures.selectorOf("transfer(address,uint256)")).isEqualTo(Selector.of("0xa9059cbb"));
        assertThat(KnownSignatures.selectorOf("diamondCut((address,uint8,bytes4[])[],address,bytes)"))
                .isEqualTo(Selector.of("0x1f931c1c"));
        assertThat(KnownSignatures.selectorOf("facets()")).isEqualTo(Selector.of("0x7a0ed627"));
    }

    @Test
    void theStandardInterfacesHaveTheirPublishedIds() {
        assertThat(KnownSignatures.standard().interfaces())
                .extracting(i -> i.name() + " " + i.interfaceId().hex())
                .containsExactly("IERC165 0x01ffc9a7", "IERC173 0x7f5828d0", "IDiamondLoupe 0x48e2b093",
                        "IDiamondCut 0x1f931c1c");
    }

    @Test
    void aFacetServesTheInterfacesWhoseEveryFunctionItHas() {
        KnownSignatures k = KnownSignatures.standard();
        Facet ownership = new Facet(F, List.of(Selector.of("0x8da5cb5b"), Selector.of("0xf2fde38b"), Selector.of("0x01ffc9a7")));
        assertThat(k.interfacesOf(ownership)).extracting(AbiInterface::name).containsExactly("IERC165", "IERC173");
        Facet half = new Facet(F, List.of(Selector.of("0x8da5cb5b")));
        assertThat(k.interfacesOf(half)).isEmpty();
        assertThat(k.functions(new Facet(F, List.of(Selector.of("0xdeadbeef"), Selector.of("0x8da5cb5b")))))
                .containsExactly("owner()");
    }

    @Test
    void theBuilderDoesNotChangeWhatItBuiltBefore() {
        KnownSignatures.Builder b = KnownSignatures.builder().addSignatures(List.of("a()"));
        KnownSignatures first = b.build();
        b.addSignatures(List.of("b()"));
        assertThat(first.apply(KnownSignatures.selectorOf("b()"))).isEmpty();
        assertThat(b.build().apply(KnownSignatures.selectorOf("b()"))).contains("b()");
        assertThat(KnownSignatures.standard().apply(KnownSignatures.selectorOf("a()"))).isEmpty();
    }
}
