package io.gemforce.sync.internal;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A chain read made on a thread of its own while the pipeline goes on, so that two round trips that
 * do not depend on each other cost one (the head beside the chain id; the last range's reorg-guard
 * headers beside the ranges). Its result or failure is taken with {@link #join}; one that is no
 * longer needed is {@link #cancel}led.
 */
public final class Aside<T> {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final FutureTask<T> task;

    private Aside(Supplier<T> read) {
        this.task = new FutureTask<>(read::get);
    }

    public static <T> Aside<T> start(Supplier<T> read) {
        Aside<T> a = new Aside<>(read);
        Thread t = new Thread(a.task, "gemforce-sync-aside-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return a;
    }

    /** Stops the read if it is still going (its thread is interrupted); nobody will join it. */
    public void cancel() {
        task.cancel(true);
    }

    /** The read's result; its failure thrown as it was thrown. */
    public T join() {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(ErrorCode.INTERRUPTED, "interrupted while waiting for a chain read");
        }
    }
}
