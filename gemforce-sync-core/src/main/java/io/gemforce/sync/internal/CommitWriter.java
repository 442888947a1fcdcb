package io.gemforce.sync.internal;

import io.gemforce.sync.SinkException;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.StateSink;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a run's commits to the sink, behind the pipeline when asked: one change set is written on a
 * writer thread while the next ranges go through the state step. At most one write is in flight, and
 * the next is handed over only after it succeeded, so change sets reach the sink one at a time, in
 * block order, and none follows a failed one: a crash or a failure at any point leaves the same
 * store as a synchronous run stopped there. What follows a finished write (the state step's
 * bookkeeping, the observer, the listener) runs on the pipeline's thread, in {@link #write} or
 * {@link #drain}. Not thread-safe: the pipeline's thread only.
 */
final class CommitWriter implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** What follows a stored commit, on the pipeline's thread. */
    interface Written {
        void written(Commit c, ApplyResult result, long nanos);
    }

    private record Outcome(ApplyResult result, long nanos) {
    }

    private final StateSink sink;
    private final boolean behind;
    private final Written then;
    private ExecutorService thread;
    private Commit inFlight;
    private Future<Outcome> outcome;

    /** @param behind write on a writer thread (true) or on the caller's, before {@link #write} returns */
    CommitWriter(StateSink sink, boolean behind, Written then) {
        this.sink = sink;
        this.behind = behind;
        this.then = then;
    }

    /** Writes {@code c} after the write in flight has finished (its failure is thrown here, and {@code c} dropped). */
    void write(Commit c) {
        drain();
        if (!behind) {
            Outcome o = apply(c);
            then.written(c, o.result(), o.nanos());
            return;
        }
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "gemforce-sync-writer-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        inFlight = c;
        outcome = thread.submit(() -> apply(c));
    }

    private Outcome apply(Commit c) {
        long t0 = System.nanoTime();
        ApplyResult r = sink.apply(c.changes);
        return new Outcome(r, System.nanoTime() - t0);
    }

    /**
     * Waits for the write in flight, if any, and runs what follows it; throws its failure. An
     * interrupt does not abandon the write (the store would not say whether it landed): it is
     * waited for, and the thread's interrupt flag set again.
     */
    void drain() {
        if (inFlight == null) {
            return;
        }
        Commit c = inFlight;
        inFlight = null;
        boolean interrupted = false;
        Outcome o;
        try {
            while (true) {
                try {
                    o = outcome.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrown(e.getCause());
                }
            }
        } finally {
            outcome = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        then.written(c, o.result(), o.nanos());
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new SinkException("the store failed in apply: " + cause, cause);
    }

    /** Waits for a write still in flight (its outcome unreported), then stops the writer thread. */
    @Override
    public void close() {
        try {
            if (inFlight != null) {
                drain();
            }
        } catch (RuntimeException | Error ignored) {
            // the run already failed; what landed is what its checkpoint says on the next run
        } finally {
            if (thread != null) {
                thread.shutdown();
            }
        }
    }
}
