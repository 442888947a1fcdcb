package io.gemforce.sync.testkit;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import java.util.List;
import java.util.Optional;

/**
 * A chain source that forwards every single call of the port to another: extend it and override
 * what should fail or be observed, e.g. make {@code logs} throw
 * {@link io.gemforce.sync.chain.ChainException.Unavailable} on its fifth call (a node that drops),
 * answer {@code head()} from another chain, or stall a call until a latch opens.
 *
 * <p>The batch methods ({@code blocks}, {@code loupe}, {@code transactionInputs}, {@code logsRound},
 * {@code logsAndEnd}) are not forwarded: the port's defaults run them over this class's single
 * calls, so an override of {@code block} or {@code facets} is seen by batches too. {@code threadSafe()}
 * is the port's default ({@code false}): the syncer calls a forwarding source from one thread at a
 * time whatever the wrapped source allows; override it (and make the subclass safe) to let calls run
 * in parallel. {@code anyAddressLogs()} is forwarded (it is the node's). {@code close()} is not
 * forwarded: the wrapped source stays open.
 */
public abstract class ForwardingChainSource implements ChainSource {
    /** The wrapped source. */
    protected final ChainSource inner;

    /** @param inner the source every call goes to */
    protected ForwardingChainSource(ChainSource inner) {
        this.inner = java.util.Objects.requireNonNull(inner, "inner");
    }

    @Override
    public long chainId() {
        return inner.chainId();
    }

    @Override
    public BlockRef head() {
        return inner.head();
    }

    @Override
    public Optional<BlockRef> block(long number) {
        return inner.block(number);
    }

    @Override
    public List<RawLog> logs(LogQuery query) {
        return inner.logs(query);
    }

    /** Forwarded: whether the wrapped source takes queries for any emitter. */
    @Override
    public boolean anyAddressLogs() {
        return inner.anyAddressLogs();
    }

    @Override
    public List<Facet> facets(Address diamond, long block) {
        return inner.facets(diamond, block);
    }

    @Override
    public Optional<Address> owner(Address diamond, long block) {
        return inner.owner(diamond, block);
    }

    @Override
    public boolean hasCode(Address address, long block) {
        return inner.hasCode(address, block);
    }

    @Override
    public Optional<String> transactionInput(String transactionHash) {
        return inner.transactionInput(transactionHash);
    }
}
