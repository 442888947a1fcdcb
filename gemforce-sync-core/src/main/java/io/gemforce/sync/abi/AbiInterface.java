package io.gemforce.sync.abi;

import io.gemforce.sync.diamond.Selector;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The functions of one ABI (one contract or interface of an artifact, or one plain ABI file) and
 * its ERC-165 interface id: the XOR of its function selectors. Immutable.
 *
 * @param name the contract or interface name, else the file's name without {@code .json}
 * @param source where it was read: a file path, or {@code "built-in"}
 * @param functions canonical signature by selector, ascending
 */
public record AbiInterface(String name, String source, Map<Selector, String> functions) {
    public AbiInterface {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        functions = Collections.unmodifiableMap(new TreeMap<>(functions));
    }

    /** The ERC-165 interface id: the XOR of every function selector (a 4-byte value, held as a {@link Selector}). */
    public Selector interfaceId() {
        int id = 0;
        for (Selector s : functions.keySet()) {
            id ^= s.value();
        }
        return new Selector(id);
    }

    /** Whether a facet serving {@code served} serves every function of this ABI (and it has at least one). */
    public boolean isServedBy(java.util.Set<Selector> served) {
        return !functions.isEmpty() && served.containsAll(functions.keySet());
    }

    @Override
    public String toString() {
        return name + " " + interfaceId().hex();
    }
}
