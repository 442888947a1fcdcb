package io.gemforce.sync.testkit;

import io.gemforce.sync.SinkException;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.StateSink;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink that fails its n-th {@link #apply} with a {@link SinkException}, as a store that goes down
 * would: {@link When#BEFORE_WRITE before writing} (the change set is lost) or
 * {@link When#AFTER_WRITE after writing} (the change set is stored, but the caller sees a failure,
 * as when a connection drops on the way back). Every other call, and every other {@code apply},
 * reaches the wrapped sink unchanged.
 *
 * <p>The test that makes a sink crash at every range boundary: for {@code failAt} = 1, 2, ... sync
 * through a {@code FlakySink} into a fresh store, then sync again through the bare store, and check
 * that the store equals an uninterrupted run's (nothing lost, nothing doubled), compared with
 * {@link Stores#withoutRecentHashes}; stop when a sync ends before reaching the {@code failAt}-th
 * apply ({@link #applies()} &lt; {@code failAt}).
 *
 * <p>Thread-safe when the wrapped sink is: applies are counted atomically.
 */
public final class FlakySink extends ForwardingStateSink {
    /** When the failing {@code apply} throws. */
    public enum When {
        /** Before the wrapped sink is called: nothing of the change set is written. */
        BEFORE_WRITE,
        /** After the wrapped sink wrote the change set: the write happened, the caller sees a failure. */
        AFTER_WRITE
    }

    private final int failAt;
    private final When when;
    private final AtomicInteger applies = new AtomicInteger();

    /**
     * @param inner the sink that stores
     * @param failAt which {@code apply} fails, counting from 1 (0: none)
     * @param when before or after {@code inner} writes
     */
    public FlakySink(StateSink inner, int failAt, When when) {
        super(inner);
        this.failAt = failAt;
        this.when = when;
    }

    /** How many times {@link #apply} was called, the failing call included. */
    public int applies() {
        return applies.get();
    }

    /** Forwards, except the {@code failAt}-th call, which throws {@link SinkException} before or after forwarding. */
    @Override
    public ApplyResult apply(ChangeSet changes) {
        int n = applies.incrementAndGet();
        if (n == failAt && when == When.BEFORE_WRITE) {
            throw new SinkException("injected failure before apply #" + n);
        }
        ApplyResult r = inner.apply(changes);
        if (n == failAt) {
            throw new SinkException("injected failure after apply #" + n);
        }
        return r;
    }
}
