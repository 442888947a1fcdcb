package io.gemforce.sync.chain;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import java.util.List;
import java.util.Optional;

/**
 * The port to an EVM node: everything the syncer reads from a chain. Implementations map provider
 * failures to {@link ChainException} subclasses and retry transient ones themselves; the default
 * implementation speaks JSON-RPC.
 *
 * <p>Implementations must be safe to call from one thread at a time; the syncer does not share a
 * source between concurrent runs.
 */
public interface ChainSource extends AutoCloseable {

    /** The chain id the node serves ({@code eth_chainId}). */
    long chainId();

    /** The latest block. */
    BlockRef head();

    /** The block at {@code number}, or empty when the chain is not that long. */
    Optional<BlockRef> block(long number);

    /**
     * The logs matching {@code query}, in any order.
     *
     * @throws ChainException.RangeTooLarge when the node refuses the range or caps the result
     */
    List<RawLog> logs(LogQuery query);

    /**
     * The loupe's {@code facets()} at {@code block}.
     *
     * @throws io.gemforce.sync.NotADiamondException when the address holds no code or the call
     *     reverts or answers something that is not a {@code facets()} result
     */
    List<Facet> facets(Address diamond, long block);

    /** ERC-173 {@code owner()} at {@code block}, or empty when the contract has no such function. */
    Optional<Address> owner(Address diamond, long block);

    /** Whether the address holds code at {@code block}. */
    boolean hasCode(Address address, long block);

    /**
     * The input data of a transaction ({@code eth_getTransactionByHash}), 0x-prefixed hex, or empty
     * when the node does not know it. Used to show what a pending upgrade proposes; sources that
     * cannot answer keep this default.
     */
    default Optional<String> transactionInput(String transactionHash) {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
