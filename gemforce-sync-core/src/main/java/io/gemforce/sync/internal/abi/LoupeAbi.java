package io.gemforce.sync.internal.abi;

import io.gemforce.sync.event.MalformedEventException;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict decoding of loupe answers: {@code facets()} returns {@code (address, bytes4[])[]} and
 * {@code owner()} one address word. Bounds-checked like the event decoder, so a contract that
 * answers garbage is rejected instead of trusted.
 */
public final class LoupeAbi {
    private static final int WORD = 32;

    private LoupeAbi() {
    }

    /**
     * @throws MalformedEventException when {@code hex} is not a {@code facets()} answer
     */
    public static List<Facet> decodeFacets(String hex) {
        AbiReader r = AbiReader.ofHex(hex);
        int arrayAt = r.smallUint(0);
        int n = r.arrayLength(arrayAt, 1);
        long base = arrayAt + WORD;
        List<Facet> facets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long tuple = base + r.smallUint(base + (long) i * WORD);
            Address facet = r.address(tuple);
            facets.add(new Facet(facet, r.selectors(tuple + r.smallUint(tuple + WORD))));
        }
        return facets;
    }

    /**
     * @throws MalformedEventException when {@code hex} is not exactly one address word
     */
    public static Address decodeAddress(String hex) {
        AbiReader r = AbiReader.ofHex(hex);
        if (r.length() != WORD) {
            throw new MalformedEventException("expected one 32-byte word, got " + r.length() + " bytes");
        }
        return r.address(0);
    }
}
