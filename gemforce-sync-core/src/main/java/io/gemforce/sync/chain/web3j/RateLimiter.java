package io.gemforce.sync.chain.web3j;

import java.util.concurrent.TimeUnit;

/**
 * Spaces requests evenly to at most {@code perSecond}; {@code perSecond <= 0} means no limit.
 * Thread-safe: each caller reserves the next free slot under the lock and waits for it outside the
 * lock, so concurrent callers are spaced out too and a waiting caller can be interrupted.
 */
final class RateLimiter {
    private final long intervalNanos;
    private long next; // guarded by this

    RateLimiter(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
        this.next = System.nanoTime();
    }

    void acquire() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = next - now > 0 ? next : now;
            next = slot + intervalNanos;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
