package io.gemforce.sync.internal.abi;

import io.gemforce.sync.event.MalformedEventException;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Selector;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Bounds-checked reads of ABI-encoded words. Every offset and length is checked against the data
 * before it is used, so hostile data (huge lengths, offsets past the end, dirty padding) is
 * rejected with a {@link MalformedEventException} and never allocates more than the data's size.
 */
public final class AbiReader {
    private static final int WORD = 32;
    private final byte[] data;

    /** Hex digits' values by character, -1 for any other below 128. */
    private static final byte[] NIBBLES = new byte[128];

    static {
        Arrays.fill(NIBBLES, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            NIBBLES[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            NIBBLES[c] = (byte) (c - 'a' + 10);
            NIBBLES[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
    }

    public AbiReader(byte[] data) {
        this.data = data;
    }

    public static AbiReader ofHex(String hex) {
        int from = hex.startsWith("0x") || hex.startsWith("0X") ? 2 : 0;
        if (((hex.length() - from) & 1) != 0) {
            throw new MalformedEventException("odd-length hex data");
        }
        byte[] out = new byte[(hex.length() - from) >> 1];
        for (int i = 0, j = from; i < out.length; i++, j += 2) {
            int hi = nibble(hex.charAt(j));
            int lo = nibble(hex.charAt(j + 1));
            if ((hi | lo) < 0) {
                throw new MalformedEventException("data is not hex");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return new AbiReader(out);
    }

    private static int nibble(char c) {
        return c < 128 ? NIBBLES[c] : -1;
    }

    public int length() {
        return data.length;
    }

    private void need(long pos, long len) {
        if (pos < 0 || len < 0 || pos + len > data.length) {
            throw new MalformedEventException("ABI data too short: needs bytes " + pos + ".." + (pos + len)
                    + " of " + data.length);
        }
    }

    /** A word that must fit in a non-negative int and point at or before the end (offsets, lengths). */
    public int smallUint(long pos) {
        need(pos, WORD);
        for (int i = 0; i < WORD - 4; i++) {
            if (data[(int) pos + i] != 0) {
                throw new MalformedEventException("offset or length at byte " + pos + " is too large");
            }
        }
        int p = (int) pos + WORD - 4;
        long v = ((data[p] & 0xffL) << 24) | ((data[p + 1] & 0xffL) << 16) | ((data[p + 2] & 0xffL) << 8)
                | (data[p + 3] & 0xffL);
        if (v > data.length) {
            throw new MalformedEventException("offset or length " + v + " at byte " + pos + " exceeds the data");
        }
        return (int) v;
    }

    /** A uint256 word. */
    public BigInteger uint(long pos) {
        need(pos, WORD);
        return new BigInteger(1, Arrays.copyOfRange(data, (int) pos, (int) pos + WORD));
    }

    /** A uint8 word with clean high bits. */
    public int uint8(long pos) {
        need(pos, WORD);
        for (int i = 0; i < WORD - 1; i++) {
            if (data[(int) pos + i] != 0) {
                throw new MalformedEventException("uint8 at byte " + pos + " has dirty high bits");
            }
        }
        return data[(int) pos + WORD - 1] & 0xff;
    }

    /**
     * An address word with clean high bits. Decoded addresses repeat (facets, the zero address as
     * {@code _init}): a recently decoded equal address is returned as the same instance, so that
     * stores keeping many events keep its text once.
     */
    public Address address(long pos) {
        need(pos, WORD);
        for (int i = 0; i < 12; i++) {
            if (data[(int) pos + i] != 0) {
                throw new MalformedEventException("address at byte " + pos + " has dirty high bits");
            }
        }
        return RecentAddresses.of(data, (int) pos + 12);
    }

    /** A bytes4 word with clean low bits. */
    public int bytes4(long pos) {
        need(pos, WORD);
        for (int i = 4; i < WORD; i++) {
            if (data[(int) pos + i] != 0) {
                throw new MalformedEventException("bytes4 at byte " + pos + " has dirty low bits");
            }
        }
        int p = (int) pos;
        return ((data[p] & 0xff) << 24) | ((data[p + 1] & 0xff) << 16) | ((data[p + 2] & 0xff) << 8)
                | (data[p + 3] & 0xff);
    }

    /** Dynamic {@code bytes} whose head word sits at {@code pos}: length then content. */
    public byte[] bytes(long pos) {
        int len = smallUint(pos);
        need(pos + WORD, len);
        return Arrays.copyOfRange(data, (int) pos + WORD, (int) pos + WORD + len);
    }

    /** Dynamic {@code string}, which must be valid UTF-8. */
    public String string(long pos) {
        byte[] raw = bytes(pos);
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MalformedEventException("string at byte " + pos + " is not UTF-8");
        }
    }

    /** A dynamic {@code bytes4[]} whose head word (its length) sits at {@code pos}. */
    public List<Selector> selectors(long pos) {
        int m = arrayLength(pos, 1);
        Selector[] out = new Selector[m];
        for (int j = 0; j < m; j++) {
            out[j] = new Selector(bytes4(pos + WORD + (long) j * WORD));
        }
        return List.of(out);
    }

    /** An array length at {@code pos} whose {@code headWords} words per element fit in the data. */
    public int arrayLength(long pos, int headWords) {
        int n = smallUint(pos);
        need(pos + WORD, (long) n * headWords * WORD);
        return n;
    }
}
