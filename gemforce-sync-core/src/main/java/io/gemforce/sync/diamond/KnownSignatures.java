package io.gemforce.sync.diamond;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.web3j.crypto.Hash;

/**
 * Function signatures by selector, for showing which functions a facet serves. Starts with the
 * functions every EIP-2535 diamond and Gemforce's time-locked cut facet have; a host adds its own
 * facets' ABIs with {@link #with(Collection)}. Immutable.
 */
public final class KnownSignatures implements Function<Selector, Optional<String>> {
    private static final String[] STANDARD = {
        "diamondCut((address,uint8,bytes4[])[],address,bytes)",
        "proposeDiamondCut((address,uint8,bytes4[])[],address,bytes)",
        "executeDiamondCut()",
        "cancelDiamondCut()",
        "facets()",
        "facetFunctionSelectors(address)",
        "facetAddresses()",
        "facetAddress(bytes4)",
        "supportsInterface(bytes4)",
        "owner()",
        "transferOwnership(address)",
    };
    private static final KnownSignatures STANDARD_SET = new KnownSignatures(new TreeMap<>()).with(java.util.List.of(STANDARD));

    private final Map<Selector, String> bySelector;

    private KnownSignatures(Map<Selector, String> bySelector) {
        this.bySelector = bySelector;
    }

    /** The loupe, cut, ownership and ERC-165 functions. */
    public static KnownSignatures standard() {
        return STANDARD_SET;
    }

    /** These signatures plus {@code signatures} (canonical form, e.g. {@code "mint(address,uint256)"}). */
    public KnownSignatures with(Collection<String> signatures) {
        Map<Selector, String> m = new TreeMap<>(bySelector);
        for (String sig : signatures) {
            m.putIfAbsent(of(sig), sig);
        }
        return new KnownSignatures(m);
    }

    /** The selector of a canonical signature. */
    public static Selector of(String signature) {
        return Selector.of(Hash.sha3String(signature).substring(0, 10));
    }

    @Override
    public Optional<String> apply(Selector selector) {
        return Optional.ofNullable(bySelector.get(selector));
    }

    public int size() {
        return bySelector.size();
    }
}
