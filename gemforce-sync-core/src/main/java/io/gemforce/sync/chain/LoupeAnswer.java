package io.gemforce.sync.chain;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One diamond's loupe {@code facets()} and ERC-173 {@code owner()} at one block, as read by
 * {@link ChainSource#loupe(List, long)}: either the answer or the typed failure of that diamond
 * alone (other diamonds of the same batch are not affected).
 *
 * @param diamond the diamond asked
 * @param block the block the state was read at
 * @param facets the facets, or {@code null} when {@code failure} is set
 * @param owner the owner, empty when the contract has no {@code owner()}
 * @param failure why this diamond could not be read, or {@code null}
 */
public record LoupeAnswer(Address diamond, long block, List<Facet> facets, Optional<Address> owner,
        SyncException failure) {
    public LoupeAnswer {
        Objects.requireNonNull(diamond, "diamond");
        Objects.requireNonNull(owner, "owner");
        if ((facets == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of facets and failure");
        }
        facets = facets == null ? null : List.copyOf(facets);
    }

    /**
     * The answer, or a failed one ({@code INVALID_LOUPE_ANSWER}) when the facets list a selector
     * more than once: no diamond can route one selector to two facets, so the answer is not state.
     */
    public static LoupeAnswer of(Address diamond, long block, List<Facet> facets, Optional<Address> owner) {
        Set<Selector> seen = new HashSet<>();
        for (Facet f : facets) {
            for (Selector s : f.selectors()) {
                if (!seen.add(s)) {
                    return failed(diamond, block, new ChainException(ErrorCode.INVALID_LOUPE_ANSWER, "the loupe of "
                            + diamond + " at block " + block + " lists selector " + s + " more than once"
                            + " (facets() is inconsistent; the diamond is left as it was)"));
                }
            }
        }
        return new LoupeAnswer(diamond, block, facets, owner, null);
    }

    public static LoupeAnswer failed(Address diamond, long block, SyncException failure) {
        return new LoupeAnswer(diamond, block, null, Optional.empty(), failure);
    }

    public boolean ok() {
        return failure == null;
    }
}
