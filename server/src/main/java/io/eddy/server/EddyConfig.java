package io.eddy.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything an Eddy instance needs to start. {@code dataDir} is ignored when {@code memoryOnly}.
 * Port 0 picks a free port.
 */
public record EddyConfig(
        String host,
        int port,
        Path dataDir,
        boolean memoryOnly,
        boolean syncWrites,
        boolean logRequests,
        int maxBodyBytes,
        Duration ttlSweepInterval,
        Duration streamShardRotation,
        Duration lambdaAsyncRetryDelay) {

    public static final int DEFAULT_PORT = 4566;

    /** What {@code ./eddy} runs with: persistent in {@code ./.eddy-data} on 127.0.0.1:4566. */
    public static EddyConfig defaults() {
        return new EddyConfig("127.0.0.1", DEFAULT_PORT, Path.of(".eddy-data"), false, false, true,
                20 * 1024 * 1024, Duration.ofSeconds(5), Duration.ofHours(4),
                Duration.ofMinutes(1));
    }

    /** For tests: in memory, on a free port, quiet, with a fast TTL sweeper. */
    public static EddyConfig inMemory() {
        return defaults().withPort(0).withMemoryOnly(true).withLogRequests(false)
                .withTtlSweepInterval(Duration.ofMillis(250));
    }

    /** For tests that restart a server on the same data. */
    public static EddyConfig persistent(Path dataDir) {
        return inMemory().withMemoryOnly(false).withDataDir(dataDir);
    }

    public EddyConfig withHost(String host) {
        return new EddyConfig(host, port, dataDir, memoryOnly, syncWrites, logRequests, maxBodyBytes, ttlSweepInterval,
                streamShardRotation, lambdaAsyncRetryDelay);
    }

    public EddyConfig withPort(int port) {
        return new EddyConfig(host, port, dataDir, memoryOnly, syncWrites, logRequests, maxBodyBytes, ttlSweepInterval,
                streamShardRotation, lambdaAsyncRetryDelay);
    }

    public EddyConfig withDataDir(Path dataDir) {
        return new EddyConfig(host, port, dataDir, memoryOnly, syncWrites, logRequests, maxBodyBytes, ttlSweepInterval,
                streamShardRotation, lambdaAsyncRetryDelay);
    }

    public EddyConfig withMemoryOnly(boolean memoryOnly) {
        return new EddyConfig(host, port, dataDir, memoryOnly, syncWrites, logRequests, maxBodyBytes, ttlSweepInterval,
                streamShardRotation, lambdaAsyncRetryDelay);
    }

    public EddyConfig withSyncWrites(boolean syncWrites) {
        return new EddyConfig(host, port, dataDir, memoryOnly, syncWrites, logRequests, maxBodyBytes, ttlSweepInterval,
                streamShardRotation, lambdaAsyncRetryDelay);
    }

    public EddyConfig withLogRequests(boolean logRequests) {
        return new EddyConfig(host, port, dataDir, memoryOnly, syncWrites, logRequests, maxBodyBytes, ttlSweepInterval,
                streamShardRotation, lambdaAsyncRetryDelay);
    }

    public EddyConfig withMaxBodyBytes(int maxBodyBytes) {
        return new EddyConfig(host, port, dataDir, memoryOnly, syncWrites, logRequests, maxBodyBytes, ttlSweepInterval,
                streamShardRotation, lambdaAsyncRetryDelay);
    }

    /** How often DynamoDB Streams closes every open shard and opens a child for it (AWS: about 4 hours). */
    public EddyConfig withStreamShardRotation(Duration streamShardRotation) {
        return new EddyConfig(host, port, dataDir, memoryOnly, syncWrites, logRequests, maxBodyBytes, ttlSweepInterval,
                streamShardRotation, lambdaAsyncRetryDelay);
    }

    public EddyConfig withTtlSweepInterval(Duration ttlSweepInterval) {
        return new EddyConfig(host, port, dataDir, memoryOnly, syncWrites, logRequests, maxBodyBytes, ttlSweepInterval,
                streamShardRotation, lambdaAsyncRetryDelay);
    }

    /**
     * The wait before an asynchronous invocation whose function failed is retried the first time
     * (twice that before the second retry); Lambda's is about a minute.
     */
    public EddyConfig withLambdaAsyncRetryDelay(Duration lambdaAsyncRetryDelay) {
        return new EddyConfig(host, port, dataDir, memoryOnly, syncWrites, logRequests, maxBodyBytes, ttlSweepInterval,
                streamShardRotation, lambdaAsyncRetryDelay);
    }
}
