package io.eddy.store;

/**
 * Background work whose idleness {@code POST /_eddy/drain} waits for: a poller, a delivery queue,
 * a long-running invocation. Idle means nothing is queued or in flight.
 */
public interface Drainable {
    boolean isIdle();

    /** What is still busy, for the drain endpoint's timeout report. */
    String describe();
}
