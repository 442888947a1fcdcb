package io.gemforce.sync.parse.cloud;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A token bucket per caller, in this instance's memory. */
final class CallerRateLimiter {
    private final int perMinute;
    private final Clock clock;
    private final Map<String, double[]> buckets = new HashMap<>();

    CallerRateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    synchronized boolean tryAcquire(String caller) {
        if (perMinute <= 0) {
            return true;
        }
        long now = clock.millis();
        double[] b = buckets.computeIfAbsent(caller, k -> new double[] {perMinute, now});
        b[0] = Math.min(perMinute, b[0] + (now - b[1]) * perMinute / 60_000.0);
        b[1] = now;
        if (b[0] < 1) {
            return false;
        }
        b[0] -= 1;
        return true;
    }
}
