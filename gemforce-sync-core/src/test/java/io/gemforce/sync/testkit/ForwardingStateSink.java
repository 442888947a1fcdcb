package io.gemforce.sync.testkit;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import java.util.List;
import java.util.Optional;

/** A sink that forwards every call to another; fault-injecting test sinks override what they need. */
public abstract class ForwardingStateSink implements StateSink {
    protected final StateSink inner;

    protected ForwardingStateSink(StateSink inner) {
        this.inner = inner;
    }

    @Override
    public ApplyResult apply(ChangeSet changes) {
        return inner.apply(changes);
    }

    @Override
    public Optional<Checkpoint> checkpoint(long chainId, String scope) {
        return inner.checkpoint(chainId, scope);
    }

    @Override
    public List<DiamondRecord> diamonds(long chainId) {
        return inner.diamonds(chainId);
    }

    @Override
    public Optional<DiamondRecord> diamond(long chainId, Address address) {
        return inner.diamond(chainId, address);
    }

    @Override
    public void rollback(long chainId, BlockId fork) {
        inner.rollback(chainId, fork);
    }

    @Override
    public void reset(long chainId) {
        inner.reset(chainId);
    }

    @Override
    public StoreContents contents(long chainId) {
        return inner.contents(chainId);
    }
}
