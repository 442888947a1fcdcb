package io.gemforce.sync.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding against byte vectors assembled by hand, word by word, from the ABI specification. */
class EventDecoderTest {
    static final Address DIAMOND = Address.of("0x00000000000000000000000000000000000000d1");
    static final String TX = "0x" + "ab".repeat(32);
    static final String BLOCK_HASH = "0x" + "cd".repeat(32);

    static String w(String hex) { // right-align a value in a 32-byte word
        return "0".repeat(64 - hex.length()) + hex;
    }

    static String left(String hex) { // left-align (bytesN, string content)
        return hex + "0".repeat(64 - hex.length());
    }

    static final String F1 = "11".repeat(20);
    static final String F2 = "22".repeat(20);
    static final String INIT = "33".repeat(20);

    /** DiamondCut([(F1, Add, [aaaaaaaa, bbbbbbbb]), (F2, Replace, [cccccccc])], INIT, 0xdeadbeef). */
    static final String TWO_CUTS = "0x"
            + w("60") + w(INIT) + w("220")                 // head: cuts@0x60, init, calldata@0x220
            + w("2") + w("40") + w("100")                  // 0x60: length 2, offsets of the two tuples
            + w(F1) + w("0") + w("60") + w("2") + left("aaaaaaaa") + left("bbbbbbbb")  // 0xc0: cut 0
            + w(F2) + w("1") + w("60") + w("1") + left("cccccccc")                      // 0x180: cut 1
            + w("4") + left("deadbeef");                   // 0x220: calldata

    static RawLog log(Address from, List<String> topics, String data) {
        return new RawLog(from, topics, data, 7, BLOCK_HASH, TX, 3);
    }

    @Test
    void topicsAreTheKnownGemforceConstants() {
        assertThat(EventType.DIAMOND_CUT.topic0())
                .isEqualTo("0x8faa70878671ccd212d20771b795c50af8fd3ff6cf27f4bde57e5d4de0aeb673");
        assertThat(EventType.OWNERSHIP_TRANSFERRED.topic0())
                .isEqualTo("0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0");
        assertThat(EventType.DIAMOND_CREATED.topic0())
                .isEqualTo("0x4f2c5a087f1c980b963a6e3e4265622b6c0d2df4ad839a8394a4e68bdf814a93");
        assertThat(EventType.DIAMOND_CUT_PROPOSED.topic0())
                .isEqualTo("0x11c0a67eabfbe53177aaac87bbbb2f9c5730614d4c5c6a6ec177e86ddfe5c7e0");
        assertThat(EventType.DIAMOND_CUT_CANCELLED.topic0())
                .isEqualTo("0xde8f30fefd36ba49bcf89e333c7bafb2b3b3bad08938db1630376b2a66b15f6c");
    }

    @Test
    void decodesTwoCutsWithDifferentSelectorCountsAndCalldata() {
        DiamondEvent e = EventDecoder.decode(log(DIAMOND, List.of(EventType.DIAMOND_CUT.topic0()), TWO_CUTS)).orElseThrow();
        DiamondEvent.DiamondCut cut = (DiamondEvent.DiamondCut) e;
        assertThat(cut.cuts()).containsExactly(
                new FacetCut(Address.of("0x" + F1), FacetCut.Action.ADD,
                        List.of(Selector.of("0xaaaaaaaa"), Selector.of("0xbbbbbbbb"))),
                new FacetCut(Address.of("0x" + F2), FacetCut.Action.REPLACE, List.of(Selector.of("0xcccccccc"))));
        assertThat(cut.init()).isEqualTo(Address.of("0x" + INIT));
        assertThat(cut.calldata()).isEqualTo("0xdeadbeef");
        assertThat(cut.position()).isEqualTo(new LogPosition(7, BLOCK_HASH, TX, 3));
        assertThat(cut.diamond()).isEqualTo(DIAMOND);
    }

    @Test
    void web3jEncodesTheHandVectorByteForByteAndDecodesItToo() {
        List<FacetCut> cuts = List.of(
                new FacetCut(Address.of("0x" + F1), FacetCut.Action.ADD,
                        List.of(Selector.of("0xaaaaaaaa"), Selector.of("0xbbbbbbbb"))),
                new FacetCut(Address.of("0x" + F2), FacetCut.Action.REPLACE, List.of(Selector.of("0xcccccccc"))));
        assertThat(Web3jAbi.encodeDiamondCut(cuts, Address.of("0x" + INIT), new byte[] {(byte) 0xde, (byte) 0xad,
                (byte) 0xbe, (byte) 0xef})).isEqualTo(TWO_CUTS);
        assertThat(Web3jAbi.decodeDiamondCutWithWeb3j(TWO_CUTS)).isEqualTo(cuts);
    }

    @Test
    void decodesTheCutsOfAProposeDiamondCutCall() {
        // proposeDiamondCut's arguments are laid out exactly as DiamondCut's data
        String input = "0xbbf2358e" + TWO_CUTS.substring(2);
        assertThat(EventDecoder.proposedCuts(input)).contains(List.of(
                new FacetCut(Address.of("0x" + F1), FacetCut.Action.ADD,
                        List.of(Selector.of("0xaaaaaaaa"), Selector.of("0xbbbbbbbb"))),
                new FacetCut(Address.of("0x" + F2), FacetCut.Action.REPLACE, List.of(Selector.of("0xcccccccc")))));
        assertThat(EventDecoder.proposedCuts("0x1f931c1c" + TWO_CUTS.substring(2))).as("another call").isEmpty();
        assertThat(EventDecoder.proposedCuts("0xbbf2358e1234")).as("broken").isEmpty();
        assertThat(EventDecoder.proposedCuts(null)).isEmpty();
    }

    @Test
    void decodesDiamondCreatedWithSymbolAndNameFromTheSettingsTuple() {
        String owner = "44".repeat(20);
        String factory = "55".repeat(20);
        String data = "0x" + w("20")
                + w(owner) + w(factory) + w("0") + w("a0") + w("e0")
                + w("3") + left("47454d")                        // "GEM"
                + w("9") + left("47656d666f72636531");          // "Gemforce1"
        Address f = Address.of("0x" + factory);
        String symbolHash = "0x" + "99".repeat(32);
        DiamondEvent e = EventDecoder.decode(log(f, List.of(EventType.DIAMOND_CREATED.topic0(), "0x" + w(factory),
                "0x" + w("d1"), symbolHash), data)).orElseThrow();
        DiamondEvent.DiamondCreated c = (DiamondEvent.DiamondCreated) e;
        assertThat(c.createdDiamond()).isEqualTo(DIAMOND);
        assertThat(c.diamond()).isEqualTo(DIAMOND);
        assertThat(c.factory()).isEqualTo(f);
        assertThat(c.symbol()).isEqualTo("GEM");
        assertThat(c.name()).isEqualTo("Gemforce1");
        assertThat(c.symbolHash()).isEqualTo(symbolHash);
        assertThat(c.settingsOwner()).isEqualTo(Address.of("0x" + owner));
        assertThat(c.svgManager()).isEqualTo(Address.ZERO);
        assertThat(Web3jAbi.encodeSettings(Address.of("0x" + owner), f, Address.ZERO, "GEM", "Gemforce1")).isEqualTo(data);
    }

    @Test
    void decodesOwnershipProposalAndCancellation() {
        String a = "0x" + w("a1");
        String b = "0x" + w("b2");
        var o = (DiamondEvent.OwnershipTransferred) EventDecoder.decode(
                log(DIAMOND, List.of(EventType.OWNERSHIP_TRANSFERRED.topic0(), a, b), "0x")).orElseThrow();
        assertThat(o.previousOwner().hex()).endsWith("a1");
        assertThat(o.newOwner().hex()).endsWith("b2");
        var o2 = (DiamondEvent.OwnershipTransferred) EventDecoder.decode(
                log(DIAMOND, List.of(EventType.OWNERSHIP_TRANSFERRED.topic0()), "0x" + w("a1") + w("b2"))).orElseThrow();
        assertThat(o2.newOwner()).isEqualTo(o.newOwner());

        String max = "f".repeat(64);
        var p = (DiamondEvent.DiamondCutProposed) EventDecoder.decode(log(DIAMOND,
                List.of(EventType.DIAMOND_CUT_PROPOSED.topic0(), a, "0x" + max), "0x" + w("15180"))).orElseThrow();
        assertThat(p.proposer().hex()).endsWith("a1");
        assertThat(p.proposalTime()).isEqualTo(BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
        assertThat(p.executionTime()).isEqualTo(BigInteger.valueOf(86400));

        var c = (DiamondEvent.DiamondCutCancelled) EventDecoder.decode(
                log(DIAMOND, List.of(EventType.DIAMOND_CUT_CANCELLED.topic0(), b), "0x")).orElseThrow();
        assertThat(c.canceller().hex()).endsWith("b2");
    }

    @Test
    void skipsEventsItDoesNotIndex() {
        String transfer = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
        assertThat(EventDecoder.decode(log(DIAMOND, List.of(transfer, "0x" + w("1"), "0x" + w("2"), "0x" + w("3")), "0x")))
                .isEqualTo(Optional.empty());
        assertThat(EventDecoder.decode(log(DIAMOND, List.of(), "0x1234"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0x",                                                            // empty
        "0x1234",                                                        // not words
        "0xzz",                                                          // not hex
        "0x123",                                                         // odd length
        // a cuts array claiming 2^64-1 entries
        "0x0000000000000000000000000000000000000000000000000000000000000060"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000080"
                + "000000000000000000000000000000000000000000000000ffffffffffffffff",
        // offset far past the end
        "0x00000000000000000000000000000000000000000000000000000000ffffff00"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000060"
                + "0000000000000000000000000000000000000000000000000000000000000000",
    })
    void rejectsBrokenDiamondCutData(String data) {
        assertThatThrownBy(() -> EventDecoder.decode(log(DIAMOND, List.of(EventType.DIAMOND_CUT.topic0()), data)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("DiamondCut");
    }

    @Test
    void rejectsBadActionDirtyPaddingHugeSelectorArrayAndTruncation() {
        String badAction = TWO_CUTS.replace(w(F1) + w("0"), w(F1) + w("3"));
        String dirtyAddress = TWO_CUTS.replace(w(F1), "ff" + w(F1).substring(2));
        String dirtySelector = TWO_CUTS.replace(left("aaaaaaaa"), left("aaaaaaaa01"));
        String hugeSelectors = TWO_CUTS.replace(w("60") + w("2") + left("aaaaaaaa"), w("60") + w("ffffffff") + left("aaaaaaaa"));
        String truncated = TWO_CUTS.substring(0, TWO_CUTS.length() - 64);
        for (String data : List.of(badAction, dirtyAddress, dirtySelector, hugeSelectors, truncated)) {
            assertThat(data).isNotEqualTo(TWO_CUTS);
            assertThatThrownBy(() -> EventDecoder.decode(log(DIAMOND, List.of(EventType.DIAMOND_CUT.topic0()), data)))
                    .isInstanceOf(MalformedEventException.class);
        }
    }

    @Test
    void rejectsWrongTopicShapes() {
        assertThatThrownBy(() -> EventDecoder.decode(log(DIAMOND,
                List.of(EventType.DIAMOND_CUT_CANCELLED.topic0()), "0x"))).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> EventDecoder.decode(log(DIAMOND,
                List.of(EventType.OWNERSHIP_TRANSFERRED.topic0(), "0x" + "ff".repeat(32), "0x" + w("1")), "0x")))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not an address");
        assertThatThrownBy(() -> EventDecoder.decode(log(DIAMOND,
                List.of(EventType.DIAMOND_CUT.topic0(), "0x" + w("1")), TWO_CUTS))).isInstanceOf(MalformedEventException.class);
    }

    @Test
    void eventTypesParseByNameAndRejectOthers() {
        assertThat(EventType.parse("DiamondCut")).isEqualTo(EventType.DIAMOND_CUT);
        assertThat(EventType.parse("diamondcutproposed")).isEqualTo(EventType.DIAMOND_CUT_PROPOSED);
        assertThatThrownBy(() -> EventType.parse("Transfer"))
                .isInstanceOf(io.gemforce.sync.InvalidInputException.class)
                .hasMessageContaining("DiamondCut");
        assertThatThrownBy(() -> EventType.parse(null)).isInstanceOf(io.gemforce.sync.InvalidInputException.class);
    }
}
