package io.gemforce.sync.chain.web3j;

/** Spaces requests evenly to at most {@code perSecond}; {@code perSecond <= 0} means no limit. */
final class RateLimiter {
    private final long intervalNanos;
    private long next;

    RateLimiter(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
    }

    synchronized void acquire() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        if (next > now) {
            long wait = next - now;
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            now = next;
        }
        next = now + intervalNanos;
    }
}
