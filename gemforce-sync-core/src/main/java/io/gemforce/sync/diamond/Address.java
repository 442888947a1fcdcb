package io.gemforce.sync.diamond;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.web3j.crypto.Keys;

/**
 * A 20-byte EVM address in canonical form: {@code 0x} followed by 40 lower-case hex digits.
 *
 * <p>{@link #of(String)} accepts all-lower-case and all-upper-case hex, and mixed case only when it
 * is a correct EIP-55 checksum: a mistyped checksummed address is rejected, not silently used.
 *
 * <p>Jackson writes it as its canonical hex string and reads it back with {@link #of(String)}.
 */
public record Address(String hex) implements Comparable<Address> {
    private static final Pattern SHAPE = Pattern.compile("0x[0-9a-fA-F]{40}");

    /** The zero address, {@code 0x0000000000000000000000000000000000000000}. */
    public static final Address ZERO = new Address("0x" + "0".repeat(40));

    public Address {
        if (!canonical(hex)) {
            throw new IllegalArgumentException("not a canonical address");
        }
    }

    /** {@code 0x} and 40 lower-case hex digits (checked by hand: this runs once per log). */
    private static boolean canonical(String hex) {
        if (hex == null || hex.length() != 42 || hex.charAt(0) != '0' || hex.charAt(1) != 'x') {
            return false;
        }
        for (int i = 2; i < 42; i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** {@code 0x} and 40 lower-case hex digits; also the JSON form. */
    @Override
    @JsonValue
    public String hex() {
        return hex;
    }

    /**
     * Parses and validates an address.
     *
     * @throws InvalidInputException with {@link ErrorCode#INVALID_ADDRESS} when malformed or when the
     *     EIP-55 checksum of a mixed-case address is wrong
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Address of(String text) {
        if (text == null) {
            throw new InvalidInputException(ErrorCode.INVALID_ADDRESS, "address is required");
        }
        if (canonical(text)) {
            return new Address(text);
        }
        if (text.length() != 42 || !SHAPE.matcher(text).matches()) {
            throw new InvalidInputException(ErrorCode.INVALID_ADDRESS,
                    "invalid address " + quote(text) + ": expected 0x followed by 40 hex digits");
        }
        String body = text.substring(2);
        String lower = body.toLowerCase(Locale.ROOT);
        boolean mixed = !body.equals(lower) && !body.equals(body.toUpperCase(Locale.ROOT));
        if (mixed && !Keys.toChecksumAddress(lower).substring(2).equals(body)) {
            throw new InvalidInputException(ErrorCode.INVALID_ADDRESS,
                    "invalid address " + quote(text) + ": mixed case does not match its EIP-55 checksum");
        }
        return new Address("0x" + lower);
    }

    /** The EIP-55 mixed-case form, for display. */
    public String checksummed() {
        return Keys.toChecksumAddress(hex);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    @Override
    public int compareTo(Address o) {
        return hex.compareTo(o.hex);
    }

    @Override
    public String toString() {
        return hex;
    }

    private static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "'" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
