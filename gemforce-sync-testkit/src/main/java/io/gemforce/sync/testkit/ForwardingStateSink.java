package io.gemforce.sync.testkit;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StateSink;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A sink that forwards every call of the port, {@link #eventBlocks} included, to another: extend
 * it and override what should fail, stall or be observed (e.g. interrupt the thread in the middle
 * of an {@code apply}, count rollbacks, throw on the third {@code checkpoint} read).
 * {@link FlakySink} is one.
 *
 * <p>It forwards only the {@link StateSink} port: read the store's contents (or its events) through
 * the wrapped sink. Thread-safe when the wrapped sink is and the subclass adds no unsafe state.
 */
public abstract class ForwardingStateSink implements StateSink {
    /** The wrapped sink. */
    protected final StateSink inner;

    /** @param inner the sink every call goes to */
    protected ForwardingStateSink(StateSink inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
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
    public List<BlockId> eventBlocks(long chainId, long atOrBelow, int limit) {
        return inner.eventBlocks(chainId, atOrBelow, limit);
    }
}
