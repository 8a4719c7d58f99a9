package io.eddy.lambda.runtime;

import java.time.Duration;

/**
 * One sandbox that runs one function version: initialised once, then handed events one at a time.
 * An environment whose init or invocation failed in a way that leaves it unusable reports
 * {@link #isUsable()} false and must be closed.
 */
public interface ExecutionEnvironment extends AutoCloseable {

    EnvironmentKey key();

    /** The CloudWatch log stream this environment writes to. */
    String logStream();

    /** Starts the runtime and waits until it asks for its first event, fails, or {@code limit} passes. */
    Outcome init(Duration limit);

    /** Runs one event; blocks until the runtime answers or the event's deadline passes. */
    Outcome invoke(Invocation invocation);

    /** Output written since the last call, once everything the runtime wrote so far has been read. */
    String takeOutput();

    /** Peak memory of the sandbox so far, in MB; 0 when unknown. */
    long maxMemoryUsedMb();

    boolean isUsable();

    @Override
    void close();
}
