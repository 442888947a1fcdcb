package io.gemforce.sync.testkit;

import io.gemforce.sync.SinkException;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.StateSink;

/**
 * Wraps a sink and fails its n-th {@link #apply}: before writing (the write is lost) or after
 * writing (the write happened but the caller sees a failure, as when a connection drops on the
 * way back).
 */
public final class FlakySink extends ForwardingStateSink {
    public enum When { BEFORE_WRITE, AFTER_WRITE }

    private final int failAt;
    private final When when;
    private int applies;

    public FlakySink(StateSink inner, int failAt, When when) {
        super(inner);
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
}
