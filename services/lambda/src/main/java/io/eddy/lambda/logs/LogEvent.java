package io.eddy.lambda.logs;

/** One log event as CloudWatch Logs stores it: epoch-millisecond timestamp and the message (with its newline). */
public record LogEvent(long timestamp, String message) {
}
