package io.gemforce.sync.parse;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How {@link ParseClient} retries a request that got no answer, HTTP 429 or a 5xx: at most
 * {@code maxAttempts} attempts in all, waiting between them an exponentially growing delay
 * ({@code initialDelay * multiplier^(n-1)}, capped at {@code maxDelay}) with "equal jitter" (a
 * random value between half the delay and the delay). A 429's {@code Retry-After} is honoured up to
 * {@code maxDelay}.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier) {

    /** 5 attempts, 200 ms doubling up to 5 s: about 3 s of waiting before giving up. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5), 2.0);

    /** One attempt, no retry. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0);

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialDelay.isNegative() || maxDelay.isNegative() || multiplier < 1.0) {
            throw new IllegalArgumentException("delays must not be negative and the multiplier at least 1");
        }
    }

    /**
     * The wait before attempt {@code nextAttempt} (2 for the first retry).
     *
     * @param retryAfter the server's {@code Retry-After}, or {@code null}
     */
    public Duration delayBefore(int nextAttempt, Duration retryAfter) {
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, nextAttempt - 2));
        long capped = (long) Math.min(base, maxDelay.toMillis());
        long half = capped / 2;
        long jittered = half + (capped - half > 0 ? ThreadLocalRandom.current().nextLong(capped - half + 1) : 0);
        if (retryAfter != null && !retryAfter.isNegative()) {
            jittered = Math.max(jittered, Math.min(retryAfter.toMillis(), maxDelay.toMillis()));
        }
        return Duration.ofMillis(jittered);
    }
}
