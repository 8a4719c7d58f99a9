package io.eddy.lambda;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the Lambda service needs from the server around it.
 *
 * @param workDir          where unpacked code and runtime bootstraps live
 * @param endpoint         Eddy's own URL, given to functions as {@code AWS_ENDPOINT_URL}
 * @param accountConcurrencyLimit concurrent executions per account and region (AWS's default is 1000)
 * @param idleEnvironmentTimeout how long a warm environment waits for its next event before it is stopped
 * @param asyncRetryDelay  the wait before the first retry of an asynchronous event whose function
 *                         failed, doubled before the second (Lambda's is about a minute)
 * @param clock            the time asynchronous events are received, retried and aged by
 */
public record LambdaConfig(
        Path workDir,
        Supplier<URI> endpoint,
        int accountConcurrencyLimit,
        Duration idleEnvironmentTimeout,
        Duration asyncRetryDelay,
        Clock clock) {
}
