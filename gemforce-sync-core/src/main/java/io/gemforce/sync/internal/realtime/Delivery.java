package io.gemforce.sync.internal.realtime;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.follow.ChangeListener;
import io.gemforce.sync.follow.DiamondChange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's side of a follower: a bounded queue and one thread that hands each change to the
 * listener in order, offering a change again after the listener threw (with a growing back-off)
 * until it returns. {@link #offer} blocks while the queue is full: a slow listener holds back its
 * own follower, never loses a change.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final long FIRST_RETRY_MS = 100;
    private static final long MAX_RETRY_MS = 5_000;

    private final ChangeListener listener;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** The block up to which every committed change was taken by the listener (a commit's marker), or null. */
    private volatile BlockId taken;
    /** Changes offered and not yet taken by the listener. */
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean closing;

    Delivery(String name, ChangeListener listener, int capacity) {
        this.listener = listener;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "gemforce-follow-" + name + "-listener");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues the changes in order; waits while the queue is full. */
    void offer(List<DiamondChange> changes) throws InterruptedException {
        for (DiamondChange c : changes) {
            outstanding.incrementAndGet();
            queue.put(c);
        }
    }

    /** After the changes of a commit: once the listener took them, {@link #taken()} is {@code through}. */
    void offerMarker(BlockId through) throws InterruptedException {
        queue.put(through);
    }

    BlockId taken() {
        return taken;
    }

    long delivered() {
        return delivered.get();
    }

    long failures() {
        return failures.get();
    }

    int queued() {
        return outstanding.get();
    }

    /**
     * Lets the queue drain, then ends the thread; waits up to {@code timeout}.
     *
     * @return true when everything queued was delivered
     */
    boolean drainAndClose(Duration timeout) throws InterruptedException {
        closing = true;
        thread.join(Math.max(1, timeout.toMillis()));
        if (thread.isAlive()) {
            thread.interrupt();
            LOG.warn("{}: {} changes not delivered before the stop timeout", thread.getName(), queued());
            return false;
        }
        return true;
    }

    private void run() {
        try {
            while (true) {
                Object next = queue.poll(50, TimeUnit.MILLISECONDS);
                if (next == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                if (next instanceof BlockId marker) {
                    taken = marker;
                    continue;
                }
                deliver((DiamondChange) next);
                outstanding.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(DiamondChange c) throws InterruptedException {
        long wait = FIRST_RETRY_MS;
        while (true) {
            try {
                listener.onChange(c);
                delivered.incrementAndGet();
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw (Error) e;
                }
                failures.incrementAndGet();
                LOG.warn("the change listener failed on {} ({}); offering it again in {} ms", c.id(),
                        e.toString(), wait);
                Thread.sleep(wait);
                wait = Math.min(MAX_RETRY_MS, wait * 2);
            }
        }
    }
}
