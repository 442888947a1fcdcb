package io.gemforce.sync.internal.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.MalformedEventException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The hand-written hex and word readers against the JDK's {@link HexFormat} and {@link String#format}. */
class AbiReaderProperties {

    @Property(tries = 300)
    void hexIsReadAsTheJdkReadsIt(@ForAll @Size(max = 200) byte[] bytes, @ForAll boolean prefix,
            @ForAll boolean upper) {
        String digits = HexFormat.of().formatHex(bytes);
        String hex = (prefix ? "0x" : "") + (upper ? digits.toUpperCase(Locale.ROOT) : digits);
        AbiReader r = AbiReader.ofHex(hex);
        assertThat(r.length()).isEqualTo(bytes.length);
        if (bytes.length >= 32) {
            assertThat(r.uint(0)).isEqualTo(new java.math.BigInteger(1, java.util.Arrays.copyOf(bytes, 32)));
        }
    }

    @Property(tries = 200)
    void anythingButHexIsRefused(@ForAll @Size(min = 1, max = 40) byte[] bytes, @ForAll("notHex") char bad,
            @ForAll @IntRange(min = 0, max = 79) int at) {
        char[] digits = ("0x" + HexFormat.of().formatHex(bytes)).toCharArray();
        digits[2 + at % (digits.length - 2)] = bad;
        assertThatThrownBy(() -> AbiReader.ofHex(new String(digits))).isInstanceOf(MalformedEventException.class);
    }

    @Provide
    Arbitrary<Character> notHex() {
        return Arbitraries.chars().filter(c -> Character.digit(c, 16) < 0 || c > 127);
    }

    @Property(tries = 20)
    void oddLengthIsRefused(@ForAll @Size(max = 40) byte[] bytes) {
        assertThatThrownBy(() -> AbiReader.ofHex("0x" + HexFormat.of().formatHex(bytes) + "a"))
                .isInstanceOf(MalformedEventException.class);
    }

    /**
     * Many more addresses than the cache has slots, read in turn and again: each reads as its own
     * text whatever shares its slot, and an address read twice in a row is one instance.
     */
    @Property(tries = 10)
    void addressesReadAsThemselvesWhateverShareTheirSlot(
            @ForAll @Size(min = 2000, max = 3000) List<@Size(value = 20) byte[]> addresses) {
        for (byte[] a : addresses) {
            byte[] word = new byte[64];
            System.arraycopy(a, 0, word, 12, 20);
            System.arraycopy(a, 0, word, 44, 20);
            AbiReader r = new AbiReader(word);
            Address first = r.address(0);
            assertThat(first.hex()).isEqualTo("0x" + HexFormat.of().formatHex(a));
            assertThat(r.address(32)).isSameAs(first);
        }
    }

    @Property(tries = 10)
    void selectorsFormatAsThemselvesWhateverShareTheirSlot(@ForAll @Size(min = 2000, max = 3000) List<Integer> values) {
        for (int v : values) {
            Selector s = new Selector(v);
            String hex = s.hex();
            assertThat(hex).isEqualTo(String.format("0x%08x", v));
            assertThat(s.hex()).isSameAs(hex);
        }
    }
}
