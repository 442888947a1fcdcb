package io.gemforce.sync;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import java.util.List;
import java.util.Optional;

/**
 * One call at a time into a {@link ChainSource}, whichever thread makes it: a run reads the next
 * range on a prefetch thread while it writes the current one, and sources are only required to
 * serve one caller at a time.
 */
final class SerializedChainSource implements ChainSource {
    private final ChainSource inner;

    SerializedChainSource(ChainSource inner) {
        this.inner = inner;
    }

    @Override
    public synchronized long chainId() {
        return inner.chainId();
    }

    @Override
    public synchronized BlockRef head() {
        return inner.head();
    }

    @Override
    public synchronized Optional<BlockRef> block(long number) {
        return inner.block(number);
    }

    @Override
    public synchronized List<RawLog> logs(LogQuery query) {
        return inner.logs(query);
    }

    @Override
    public synchronized List<Facet> facets(Address diamond, long block) {
        return inner.facets(diamond, block);
    }

    @Override
    public synchronized Optional<Address> owner(Address diamond, long block) {
        return inner.owner(diamond, block);
    }

    @Override
    public synchronized boolean hasCode(Address address, long block) {
        return inner.hasCode(address, block);
    }

    @Override
    public synchronized Optional<String> transactionInput(String transactionHash) {
        return inner.transactionInput(transactionHash);
    }
}
