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
 * run, another run, another syncer sharing the source) makes it: the lock is the source object
 * itself, so two wrappers of one source still exclude each other.
 */
public final class SerializedChainSource implements ChainSource {
    private final ChainSource inner;
    private final Object lock;

    /** Calls into {@code inner} one at a time, holding {@code lock} (the host's source object). */
    public SerializedChainSource(ChainSource inner, Object lock) {
        this.inner = inner;
        this.lock = lock;
    }

    public SerializedChainSource(ChainSource inner) {
        this(inner, inner);
    }

    @Override
    public boolean threadSafe() {
        return true;
    }

    @Override
    public boolean anyAddressLogs() {
        return inner.anyAddressLogs();
    }

    @Override
    public io.gemforce.sync.chain.LogsRound logsRound(LogQuery main, List<LogQuery> extra) {
        synchronized (lock) {
            return inner.logsRound(main, extra);
        }
    }

    @Override
    public io.gemforce.sync.chain.LogsRound logsRound(LogQuery main, List<LogQuery> extra, List<Long> headers) {
        synchronized (lock) {
            return inner.logsRound(main, extra, headers);
        }
    }

    @Override
    public RangeLogs logsAndEnd(LogQuery query) {
        synchronized (lock) {
            return inner.logsAndEnd(query);
        }
    }

    @Override
    public List<Optional<BlockRef>> blocks(List<Long> numbers) {
        synchronized (lock) {
            return inner.blocks(numbers);
        }
    }

    @Override
    public List<LoupeAnswer> loupe(List<Address> diamonds, long block) {
        synchronized (lock) {
            return inner.loupe(diamonds, block);
        }
    }

    @Override
    public List<Optional<String>> transactionInputs(List<String> hashes) {
        synchronized (lock) {
            return inner.transactionInputs(hashes);
        }
    }

    @Override
    public long chainId() {
        synchronized (lock) {
            return inner.chainId();
        }
    }

    @Override
    public BlockRef head() {
        synchronized (lock) {
            return inner.head();
        }
    }

    @Override
    public Optional<BlockRef> block(long number) {
        synchronized (lock) {
            return inner.block(number);
        }
    }

    @Override
    public List<RawLog> logs(LogQuery query) {
        synchronized (lock) {
            return inner.logs(query);
        }
    }

    @Override
    public List<Facet> facets(Address diamond, long block) {
        synchronized (lock) {
            return inner.facets(diamond, block);
        }
    }

    @Override
    public Optional<Address> owner(Address diamond, long block) {
        synchronized (lock) {
            return inner.owner(diamond, block);
        }
    }

    @Override
    public boolean hasCode(Address address, long block) {
        synchronized (lock) {
            return inner.hasCode(address, block);
        }
    }

    @Override
    public Optional<String> transactionInput(String transactionHash) {
        synchronized (lock) {
            return inner.transactionInput(transactionHash);
        }
    }
}
