package io.gemforce.sync.diamond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {
    // EIP-55's own test vector
    private static final String CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    @Test
    void acceptsLowerUpperAndCorrectChecksumAsTheSameCanonicalAddress() {
        Address lower = Address.of(CHECKSUMMED.toLowerCase());
        assertThat(lower.hex()).isEqualTo("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        assertThat(Address.of(CHECKSUMMED)).isEqualTo(lower);
        assertThat(Address.of("0x" + CHECKSUMMED.substring(2).toUpperCase())).isEqualTo(lower);
        assertThat(lower.checksummed()).isEqualTo(CHECKSUMMED);
    }

    @Test
    void rejectsAMixedCaseAddressWithAWrongChecksum() {
        String wrong = "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"; // one letter's case flipped
        assertThatThrownBy(() -> Address.of(wrong))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("checksum")
                .extracting(e -> ((InvalidInputException) e).code()).isEqualTo(ErrorCode.INVALID_ADDRESS);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "0x", "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea",
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00", "0xZZaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        " 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0X5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"})
    void rejectsMalformedAddresses(String text) {
        assertThatThrownBy(() -> Address.of(text))
                .isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).code()).isEqualTo(ErrorCode.INVALID_ADDRESS);
    }

    @Test
    void selectorsRoundTripIncludingZero() {
        assertThat(Selector.of("0x00000000").value()).isZero();
        assertThat(Selector.of("0xFFFFFFFF").hex()).isEqualTo("0xffffffff");
        assertThat(Selector.of(new byte[] {0x7a, 0x0e, (byte) 0xd6, 0x27})).isEqualTo(Selector.of("0x7a0ed627"));
        assertThatThrownBy(() -> Selector.of("0x7a0ed6")).isInstanceOf(InvalidInputException.class);
    }
}
