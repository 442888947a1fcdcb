package io.gemforce.sync.testkit;

import io.gemforce.sync.SinkException;
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

/**
 * Wraps a sink and fails its n-th {@link #apply}: before writing (the write is lost) or after
 * writing (the write happened but the caller sees a failure, as when a connection drops on the
 * way back).
 */
public final class FlakySink implements StateSink {
    public enum When { BEFORE_WRITE, AFTER_WRITE }

    private final StateSink inner;
    private final int failAt;
    private final When when;
    private int applies;

    public FlakySink(StateSink inner, int failAt, When when) {
        this.inner = inner;
        this.failAt = failAt;
        this.when = when;
    }

    public int applies() {
        return applies;
    }

    @Override
    public ApplyResult apply(ChangeSet changes) {
        applies++;
        if (applies == failAt && when == When.BEFORE_WRITE) {
            throw new SinkException("injected failure before apply #" + applies);
        }
        ApplyResult r = inner.apply(changes);
        if (applies == failAt) {
            throw new SinkException("injected failure after apply #" + applies);
        }
        return r;
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
