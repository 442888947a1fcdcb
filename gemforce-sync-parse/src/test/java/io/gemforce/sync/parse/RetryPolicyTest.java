package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy p = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(1000), 2.0);

    @RepeatedTest(20)
    void delaysGrowExponentiallyWithEqualJitterAndAreCapped() {
        long[][] bounds = {{50, 100}, {100, 200}, {200, 400}, {400, 800}, {500, 1000}};
        for (int attempt = 2; attempt <= 6; attempt++) {
            long d = p.delayBefore(attempt, null).toMillis();
            assertThat(d).as("before attempt %d", attempt).isBetween(bounds[attempt - 2][0], bounds[attempt - 2][1]);
        }
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() {
        assertThat(p.delayBefore(2, Duration.ofMillis(700)).toMillis()).isEqualTo(700);
        assertThat(p.delayBefore(2, Duration.ofSeconds(30)).toMillis()).isEqualTo(1000);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 2)).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofMillis(-1), Duration.ZERO, 2)).isInstanceOf(
                IllegalArgumentException.class);
        assertThat(RetryPolicy.NONE.maxAttempts()).isEqualTo(1);
    }
}
