package io.gemforce.sync.testkit;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import java.util.List;
import java.util.Optional;

/** A chain source that forwards every call to another; fault-injecting test sources override what they need. */
public abstract class ForwardingChainSource implements ChainSource {
    protected final ChainSource inner;

    protected ForwardingChainSource(ChainSource inner) {
        this.inner = inner;
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
