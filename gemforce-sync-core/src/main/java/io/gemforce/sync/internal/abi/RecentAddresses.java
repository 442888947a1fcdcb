package io.gemforce.sync.internal.abi;

import io.gemforce.sync.diamond.Address;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The addresses decoded last, one per slot of a small direct-mapped table: a decoded address equal
 * to the one in its slot is returned as that instance. Facet addresses and {@code _init} repeat across
 * a diamond's cuts, and a store that keeps a million events then keeps each address's text once
 * instead of a million times. Thread-safe without locks: a slot holds an immutable entry, and a lost
 * race only costs a new instance.
 */
final class RecentAddresses {
    private static final int SLOTS = 1024;
    private static final Entry[] TABLE = new Entry[SLOTS];

    private record Entry(byte[] bytes, Address address) {
    }

    private RecentAddresses() {
    }

    /** The address in the 20 bytes of {@code data} from {@code from}. */
    static Address of(byte[] data, int from) {
        int h = 1;
        for (int i = from; i < from + 20; i++) {
            h = 31 * h + data[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        Entry e = TABLE[slot];
        if (e != null && Arrays.equals(e.bytes, 0, 20, data, from, from + 20)) {
            return e.address;
        }
        byte[] bytes = Arrays.copyOfRange(data, from, from + 20);
        Address a = new Address("0x" + HexFormat.of().formatHex(bytes));
        TABLE[slot] = new Entry(bytes, a);
        return a;
    }
}
