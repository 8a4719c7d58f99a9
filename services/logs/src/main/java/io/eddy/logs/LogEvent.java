package io.eddy.logs;

/** One log event as a producer hands it in: when it happened (epoch ms) and its text. */
public record LogEvent(long timestamp, String message) {
}
