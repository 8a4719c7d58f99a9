package io.eddy.sns.delivery;

import java.time.Duration;

/**
 * When SNS retries a failed delivery, in AWS's four phases: retries without delay, retries
 * {@code minDelay} apart, retries whose delays grow from {@code minDelay} to {@code maxDelay} along
 * the backoff function, then retries {@code maxDelay} apart until {@code numRetries} is spent.
 */
public record RetryPolicy(int numRetries, int numNoDelayRetries, int numMinDelayRetries, int numMaxDelayRetries,
                          int minDelaySeconds, int maxDelaySeconds, String backoffFunction) {

    /** SQS, Lambda and Firehose: 100,015 attempts over about 23 days. */
    public static final RetryPolicy AWS_MANAGED = new RetryPolicy(100_015 - 1, 3, 2, 100_000, 1, 20, "exponential");

    /** Email, SMS and mobile push: 50 attempts over about 6 hours. */
    public static final RetryPolicy CUSTOMER_MANAGED = new RetryPolicy(50, 0, 2, 38, 10, 600, "exponential");

    /** HTTP/S without a delivery policy: three retries 20 seconds apart. */
    public static final RetryPolicy HTTP_DEFAULT = new RetryPolicy(3, 0, 0, 0, 20, 20, "linear");

    private int backoffRetries() {
        return Math.max(0, numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries);
    }

    /** The wait before retry number {@code retry} (1 for the first retry), or null when the policy is spent. */
    public Duration delayBefore(int retry) {
        if (retry < 1 || retry > numRetries) return null;
        if (retry <= numNoDelayRetries) return Duration.ZERO;
        int r = retry - numNoDelayRetries;
        if (r <= numMinDelayRetries) return Duration.ofSeconds(minDelaySeconds);
        r -= numMinDelayRetries;
        int backoff = backoffRetries();
        if (r <= backoff) return Duration.ofMillis(Math.round(backoffDelaySeconds(r, backoff) * 1000));
        return Duration.ofSeconds(maxDelaySeconds);
    }

    /** Delay of backoff retry {@code i} of {@code n}: the first waits minDelay, the last maxDelay. */
    private double backoffDelaySeconds(int i, int n) {
        if (n <= 1 || maxDelaySeconds == minDelaySeconds) return minDelaySeconds;
        double t = (double) (i - 1) / (n - 1);
        double span = maxDelaySeconds - minDelaySeconds;
        return switch (backoffFunction) {
            case "exponential" -> minDelaySeconds * Math.pow((double) maxDelaySeconds / minDelaySeconds, t);
            case "geometric" -> minDelaySeconds + span * Math.sqrt(t);
            case "arithmetic" -> minDelaySeconds + span * t * t;
            default -> minDelaySeconds + span * t;
        };
    }
}
