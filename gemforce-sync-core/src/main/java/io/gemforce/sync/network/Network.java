package io.gemforce.sync.network;

import io.gemforce.sync.diamond.Address;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A chain the syncer can serve: its canonical name (stored with every record), chain id, the
 * aliases callers may use, how many confirmations to wait for, where discovery starts, the
 * Gemforce factories whose {@code DiamondCreated} logs define the known diamonds, and diamonds to
 * track besides those.
 *
 * @param confirmations blocks behind the head that a sync stops at when {@code toBlock} is omitted
 * @param startBlock first block of a first sync when {@code fromBlock} is omitted (the factory's
 *     deployment block)
 */
public record Network(String name, long chainId, Set<String> aliases, long confirmations,
        long startBlock, List<Address> factories, List<Address> diamonds) {

    public Network {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("network name is blank");
        }
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId must be positive");
        }
        if (confirmations < 0 || startBlock < 0) {
            throw new IllegalArgumentException("confirmations and startBlock must not be negative");
        }
        aliases = Collections.unmodifiableSortedSet(new TreeSet<>(aliases)); // sorted: one order in every JVM
        factories = List.copyOf(factories);
        diamonds = List.copyOf(diamonds);
    }

    /** A network with no aliases, factories or configured diamonds. */
    public static Network of(String name, long chainId, long confirmations) {
        return new Network(name, chainId, Set.of(), confirmations, 0, List.of(), List.of());
    }

    public Network withFactories(List<Address> factories, long startBlock) {
        return new Network(name, chainId, aliases, confirmations, startBlock, factories, diamonds);
    }

    public Network withDiamonds(List<Address> diamonds) {
        return new Network(name, chainId, aliases, confirmations, startBlock, factories, diamonds);
    }

    public Network withConfirmations(long confirmations) {
        return new Network(name, chainId, aliases, confirmations, startBlock, factories, diamonds);
    }

    public Network withAliases(Set<String> aliases) {
        return new Network(name, chainId, aliases, confirmations, startBlock, factories, diamonds);
    }

    /** Lower-case, with '-', '_' and spaces removed: the key aliases are matched on. */
    static String key(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[-_\\s]", "");
    }
}
