package io.gemforce.sync.internal;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.LoupeAnswer;
import io.gemforce.sync.chain.RangeLogs;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import java.util.List;
import java.util.Optional;

/**
 * One call at a time into a {@link ChainSource} that is not thread-safe, whichever thread (reader,
 * run, another run) makes it.
 */
public final class SerializedChainSource implements ChainSource {
    private final ChainSource inner;

    public SerializedChainSource(ChainSource inner) {
        this.inner = inner;
    }

    @Override
    public boolean threadSafe() {
        return true;
    }

    @Override
    public synchronized io.gemforce.sync.chain.LogsRound logsRound(LogQuery main, List<LogQuery> extra) {
        return inner.logsRound(main, extra);
    }

    @Override
    public synchronized RangeLogs logsAndEnd(LogQuery query) {
        return inner.logsAndEnd(query);
    }

    @Override
    public synchronized List<Optional<BlockRef>> blocks(List<Long> numbers) {
        return inner.blocks(numbers);
    }

    @Override
    public synchronized List<LoupeAnswer> loupe(List<Address> diamonds, long block) {
        return inner.loupe(diamonds, block);
    }

    @Override
    public synchronized List<Optional<String>> transactionInputs(List<String> hashes) {
        return inner.transactionInputs(hashes);
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
