package io.gemforce.sync.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The production decoder against web3j's encoder and decoder on random DiamondCuts. */
class EventDecoderProperties {

    @Provide
    Arbitrary<List<FacetCut>> cuts() {
        Arbitrary<Address> address = Arbitraries.bytes().array(byte[].class).ofSize(20)
                .map(b -> new Address("0x" + HexFormat.of().formatHex(b)));
        Arbitrary<Selector> selector = Arbitraries.integers().map(Selector::new);
        Arbitrary<FacetCut> cut = Combinators.combine(address, Arbitraries.of(FacetCut.Action.class),
                selector.list().ofMaxSize(9)).as(FacetCut::new);
        return cut.list().ofMaxSize(6);
    }

    @Property(tries = 300)
    void decodesWhatWeb3jEncodes(@ForAll("cuts") List<FacetCut> cuts,
            @ForAll byte[] calldata) {
        String data = Web3jAbi.encodeDiamondCut(cuts, Address.ZERO, calldata);
        RawLog log = new RawLog(Address.ZERO, List.of(EventType.DIAMOND_CUT.topic0()), data, 1, "0x01", "0x02", 0);
        DiamondEvent.DiamondCut e = (DiamondEvent.DiamondCut) EventDecoder.decode(log).orElseThrow();
        assertThat(e.cuts()).isEqualTo(cuts);
        assertThat(e.calldata()).isEqualTo("0x" + HexFormat.of().formatHex(calldata));
        assertThat(Web3jAbi.decodeDiamondCutWithWeb3j(data)).isEqualTo(cuts);
    }

    @Property(tries = 300)
    void randomBytesNeverCrashTheDecoder(@ForAll byte[] junk) {
        RawLog log = new RawLog(Address.ZERO, List.of(EventType.DIAMOND_CUT.topic0()),
                "0x" + HexFormat.of().formatHex(junk), 1, "0x01", "0x02", 0);
        try {
            EventDecoder.decode(log);
        } catch (MalformedEventException expected) {
            assertThat(expected.getMessage()).contains("DiamondCut");
        }
    }
}
