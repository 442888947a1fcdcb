package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.testkit.GemforceScenario;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad input gets a typed error and writes nothing. */
class InvalidInputTest {
    private static final GemforceScenario S = new GemforceScenario().build();
    private final InMemoryStateSink sink = new InMemoryStateSink();
    private final DiamondSyncer syncer = DiamondSyncer.builder().chainSource(S.chain).sink(sink)
            .networks(S.networks()).build();

    @AfterEach
    void nothingWasWritten() {
        assertThat(sink.mutations()).isZero();
        assertThat(sink.contents(31337).events()).isEmpty();
        assertThat(sink.contents(31337).diamonds()).isEmpty();
        assertThat(sink.contents(31337).checkpoints()).isEmpty();
    }

    static Stream<Arguments> cases() {
        String d1 = S.d1.hex();
        String wrongChecksum = "0x" + S.d1.checksummed().substring(2, 41)
                + flipCase(S.d1.checksummed().charAt(41));
        return Stream.of(
                Arguments.of("malformed address", ErrorCode.INVALID_ADDRESS, call(s -> s.syncDiamond("0x1234", "localhost", null))),
                Arguments.of("not hex", ErrorCode.INVALID_ADDRESS, call(s -> s.syncDiamond("0x" + "g".repeat(40), "localhost", null))),
                Arguments.of("no 0x", ErrorCode.INVALID_ADDRESS, call(s -> s.syncDiamond(d1.substring(2), "localhost", null))),
                Arguments.of("wrong checksum", ErrorCode.INVALID_ADDRESS, call(s -> s.syncDiamond(wrongChecksum, "localhost", null))),
                Arguments.of("null address", ErrorCode.INVALID_ADDRESS, call(s -> s.syncEvents(null, "localhost", null, null))),
                Arguments.of("unknown network", ErrorCode.UNKNOWN_NETWORK, call(s -> s.syncAll("base-mainnet-typo", null, null, false))),
                Arguments.of("blank network", ErrorCode.UNKNOWN_NETWORK, call(s -> s.syncAll(" ", null, null, false))),
                Arguments.of("null network", ErrorCode.UNKNOWN_NETWORK, call(s -> s.syncDiamond(d1, null, null))),
                Arguments.of("fromBlock > toBlock", ErrorCode.INVALID_BLOCK_RANGE, call(s -> s.syncAll("localhost", 10L, 5L, false))),
                Arguments.of("negative fromBlock", ErrorCode.INVALID_BLOCK_RANGE, call(s -> s.syncAll("localhost", -1L, null, false))),
                Arguments.of("negative toBlock", ErrorCode.INVALID_BLOCK_RANGE, call(s -> s.syncAll("localhost", null, -5L, false))),
                Arguments.of("negative fromBlock for a diamond", ErrorCode.INVALID_BLOCK_RANGE, call(s -> s.syncDiamond(d1, "localhost", -1L))),
                Arguments.of("toBlock above head", ErrorCode.INVALID_BLOCK_RANGE, call(s -> s.syncAll("localhost", null, 1_000_000L, false))),
                Arguments.of("huge fromBlock", ErrorCode.INVALID_BLOCK_RANGE, call(s -> s.syncDiamond(d1, "localhost", Long.MAX_VALUE))),
                Arguments.of("unknown event type", ErrorCode.INVALID_EVENT_TYPE, call(s -> s.syncEvents(d1, "localhost", "Transfer", null))),
                Arguments.of("not a diamond", ErrorCode.NOT_A_DIAMOND, call(s -> s.syncDiamond(S.facetA.hex(), "localhost", null))),
                Arguments.of("no code", ErrorCode.NO_CODE, call(s -> s.syncDiamond(S.caller.hex(), "localhost", null))),
                Arguments.of("events of no code", ErrorCode.NO_CODE, call(s -> s.syncEvents(S.newOwner.hex(), "localhost", null, null))),
                Arguments.of("wrong chain", ErrorCode.CHAIN_ID_MISMATCH, call(s -> s.syncAll("base-sepolia", null, null, false))));
    }

    interface SyncCall {
        void run(DiamondSyncer s);
    }

    static SyncCall call(SyncCall c) {
        return c;
    }

    static char flipCase(char c) {
        return Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aTypedErrorAndNothingWritten(String name, ErrorCode code, SyncCall c) {
        ThrowingCallable call = () -> c.run(syncer);
        assertThatThrownBy(call).isInstanceOf(SyncException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).as(name).isEqualTo(code))
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        if (code.name().startsWith("INVALID") || code == ErrorCode.UNKNOWN_NETWORK) {
            assertThatThrownBy(call).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void theWrongChecksumCaseReallyDiffersOnlyInCase() {
        String cs = S.d1.checksummed();
        assertThat(cs).isNotEqualTo(cs.toLowerCase());
        assertThat(Address.of(cs)).isEqualTo(S.d1);
    }
}
