package io.eddy.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.eddy.sns.delivery.RetryPolicy;

class RetryPolicyTest {

    @Test
    void awsManagedPolicyRunsItsFourPhases() {
        RetryPolicy p = RetryPolicy.AWS_MANAGED;
        assertThat(p.delayBefore(1)).isZero();
        assertThat(p.delayBefore(3)).isZero();
        assertThat(p.delayBefore(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayBefore(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayBefore(6)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayBefore(15)).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.delayBefore(10)).isGreaterThan(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(20));
        assertThat(p.delayBefore(100_000)).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.delayBefore(100_014)).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.delayBefore(100_015)).as("100,015 attempts in all").isNull();
    }

    @Test
    void httpDefaultRetriesThreeTimesTwentySecondsApart() {
        RetryPolicy p = RetryPolicy.HTTP_DEFAULT;
        assertThat(p.delayBefore(1)).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.delayBefore(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.delayBefore(4)).isNull();
    }

    @Test
    void backoffFunctionsRiseFromMinimumToMaximum() {
        for (String function : new String[] {"linear", "arithmetic", "geometric", "exponential"}) {
            RetryPolicy p = new RetryPolicy(10, 0, 0, 0, 5, 260, function);
            assertThat(p.delayBefore(1)).as(function).isEqualTo(Duration.ofSeconds(5));
            assertThat(p.delayBefore(10)).as(function).isEqualTo(Duration.ofSeconds(260));
            for (int i = 2; i <= 10; i++) assertThat(p.delayBefore(i)).as(function).isGreaterThan(p.delayBefore(i - 1));
        }
        RetryPolicy linear = new RetryPolicy(3, 0, 0, 0, 10, 30, "linear");
        assertThat(linear.delayBefore(2)).isEqualTo(Duration.ofSeconds(20));
    }
}
