package io.eddy.lambda.logs;

import java.util.List;

/**
 * Where function logs go: one call per batch of events written by one execution environment to its
 * log stream, in order. Implementations must not block for long; they are called on invocation paths.
 */
public interface FunctionLogSink {

    /**
     * @param logGroup  e.g. {@code /aws/lambda/my-function}
     * @param logStream e.g. {@code 2024/01/31/[$LATEST]0123456789abcdef0123456789abcdef}
     */
    void publish(String account, String region, String logGroup, String logStream, List<LogEvent> events);
}
