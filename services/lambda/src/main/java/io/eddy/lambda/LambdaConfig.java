package io.eddy.lambda;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import io.eddy.lambda.logs.FunctionLogSink;

/**
 * What the Lambda service needs from the server around it.
 *
 * @param workDir          where unpacked code and runtime bootstraps live
 * @param endpoint         Eddy's own URL, given to functions as {@code AWS_ENDPOINT_URL}
 * @param accountConcurrencyLimit concurrent executions per account and region (AWS's default is 1000)
 * @param idleEnvironmentTimeout how long a warm environment waits for its next event before it is stopped
 * @param logSink          where function logs go
 */
public record LambdaConfig(
        Path workDir,
        Supplier<URI> endpoint,
        int accountConcurrencyLimit,
        Duration idleEnvironmentTimeout,
        FunctionLogSink logSink) {
}
