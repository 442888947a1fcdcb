package io.gemforce.sync.network;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of networks, looked up by name, alias or chain id. Matching ignores case, '-' and
 * '_', so {@code base-sepolia}, {@code baseSepolia}, {@code base_sepolia} and the alias
 * {@code basesep} all find chain 84532. Immutable; start from {@link #defaults()} and add or replace
 * networks with {@link #toBuilder()}.
 */
public final class Networks {
    private final Map<String, Network> byKey;
    private final Map<Long, Network> byChainId;
    private final List<Network> all;

    private Networks(List<Network> networks) {
        Map<String, Network> keys = new LinkedHashMap<>();
        Map<Long, Network> ids = new LinkedHashMap<>();
        for (Network n : networks) {
            if (ids.put(n.chainId(), n) != null) {
                throw new IllegalArgumentException("two networks with chain id " + n.chainId());
            }
            register(keys, n.name(), n);
            for (String alias : n.aliases()) {
                register(keys, alias, n);
            }
        }
        this.byKey = Collections.unmodifiableMap(keys);
        this.byChainId = Collections.unmodifiableMap(ids);
        this.all = List.copyOf(networks);
    }

    private static void register(Map<String, Network> keys, String name, Network n) {
        Network prev = keys.put(Network.key(name), n);
        if (prev != null && prev != n) {
            throw new IllegalArgumentException("name '" + name + "' is used by two networks");
        }
    }

    /**
     * The networks known out of the box: ethereum 1, sepolia 11155111, base 8453, base-sepolia
     * 84532, optimism 10, optimism-sepolia 11155420, and the local dev chain 31337. None has a
     * factory configured: a host application adds the factories it deploys or trusts.
     */
    public static Networks defaults() {
        return new Builder()
                .add(new Network("ethereum", 1, Set.of("mainnet", "eth", "homestead"), 12, 0, List.of(), List.of()))
                .add(new Network("sepolia", 11155111, Set.of("eth-sepolia", "ethereum-sepolia"), 6, 0, List.of(), List.of()))
                .add(new Network("base", 8453, Set.of("base-mainnet"), 10, 0, List.of(), List.of()))
                .add(new Network("base-sepolia", 84532, Set.of("basesep", "base-testnet"), 10, 0, List.of(), List.of()))
                .add(new Network("optimism", 10, Set.of("op", "op-mainnet", "optimism-mainnet"), 10, 0, List.of(), List.of()))
                .add(new Network("optimism-sepolia", 11155420, Set.of("op-sepolia", "opsep"), 10, 0, List.of(), List.of()))
                .add(new Network("localhost", 31337, Set.of("local", "anvil", "hardhat", "dev"), 0, 0, List.of(), List.of()))
                .build();
    }

    /**
     * The network for a name, alias or decimal chain id.
     *
     * @throws InvalidInputException with {@link ErrorCode#UNKNOWN_NETWORK}
     */
    public Network resolve(String nameOrAlias) {
        if (nameOrAlias == null || nameOrAlias.isBlank()) {
            throw new InvalidInputException(ErrorCode.UNKNOWN_NETWORK, "network is required");
        }
        Network n = byKey.get(Network.key(nameOrAlias.trim()));
        if (n == null && nameOrAlias.trim().matches("[0-9]{1,18}")) {
            n = byChainId.get(Long.parseLong(nameOrAlias.trim()));
        }
        if (n == null) {
            String shown = nameOrAlias.length() > 40 ? nameOrAlias.substring(0, 40) + "..." : nameOrAlias;
            throw new InvalidInputException(ErrorCode.UNKNOWN_NETWORK, "unknown network '"
                    + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'; known: " + names());
        }
        return n;
    }

    public Optional<Network> byChainId(long chainId) {
        return Optional.ofNullable(byChainId.get(chainId));
    }

    public List<Network> all() {
        return all;
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        all.forEach(n -> names.add(n.name()));
        return names;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        all.forEach(b::add);
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds networks; a network with the chain id of an earlier one replaces it. */
    public static final class Builder {
        private final Map<Long, Network> networks = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder add(Network network) {
            networks.put(network.chainId(), network);
            return this;
        }

        public Builder addAll(Collection<Network> list) {
            list.forEach(this::add);
            return this;
        }

        public Networks build() {
            return new Networks(new ArrayList<>(networks.values()));
        }
    }
}
