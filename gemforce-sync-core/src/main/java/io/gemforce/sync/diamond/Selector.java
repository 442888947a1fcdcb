package io.gemforce.sync.diamond;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A 4-byte function selector. Any value is valid, including {@code 0x00000000} and selectors that
 * no known ABI names. Jackson writes it as its hex string ({@code "0x1f931c1c"}) and reads it back
 * with {@link #of(String)}.
 */
public record Selector(int value) implements Comparable<Selector> {
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
    private static final Pattern SHAPE = Pattern.compile("0x[0-9a-fA-F]{8}");
    private static final int HEX_SLOTS = 1024;
    /** Direct-mapped, racy by design: a slot holds an immutable entry; a lost race costs a new string. */
    private static final Hex[] HEX = new Hex[HEX_SLOTS];

    private record Hex(int value, String text) {
    }

    /** Parses {@code 0x} followed by exactly 8 hex digits. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Selector of(String hex) {
        if (hex == null || !SHAPE.matcher(hex).matches()) {
            throw new InvalidInputException(ErrorCode.INVALID_ARGUMENT,
                    "invalid selector: expected 0x followed by 8 hex digits");
        }
        return new Selector(Integer.parseUnsignedInt(hex.substring(2), 16));
    }

    /** From the first four bytes of {@code bytes}. */
    public static Selector of(byte[] bytes) {
        if (bytes.length < 4) {
            throw new IllegalArgumentException("a selector needs 4 bytes");
        }
        return new Selector(((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16)
                | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff));
    }

    /**
     * {@code 0x} followed by 8 lower-case hex digits; also the JSON form. The text of a selector
     * formatted recently is returned as the same instance (selectors repeat across a diamond's cuts,
     * and stores keep many of them).
     */
    @JsonValue
    public String hex() {
        int slot = (value * 0x9E3779B9 >>> 22) & (HEX_SLOTS - 1);
        Hex cached = HEX[slot];
        if (cached != null && cached.value == value) {
            return cached.text;
        }
        byte[] b = new byte[10];
        b[0] = '0';
        b[1] = 'x';
        for (int i = 0; i < 8; i++) {
            b[2 + i] = DIGITS[(value >>> (28 - 4 * i)) & 0xf];
        }
        String text = new String(b, StandardCharsets.ISO_8859_1);
        HEX[slot] = new Hex(value, text);
        return text;
    }

    @Override
    public int compareTo(Selector o) {
        return Integer.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return hex();
    }
}
