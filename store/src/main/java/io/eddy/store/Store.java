package io.eddy.store;

import java.time.Duration;

/**
 * The one storage interface every service writes through: ordered byte keys, atomic batches,
 * consistent snapshots, and durable logs. A batch that {@link #write} returned from survives a crash
 * of the process.
 */
public interface Store extends ReadView, AutoCloseable {

    /**
     * Applies every operation of the batch atomically: readers see all of it or none of it. Log
     * appends get sequence numbers in commit order, so a reader that has seen sequence N of a log
     * has also been able to see every smaller one.
     */
    void write(Batch batch);

    /** A consistent point-in-time view; close it when done. */
    Snapshot snapshot();

    /**
     * Blocks until the log {@code logPrefix} holds a record with a sequence number greater than
     * {@code afterSequence}, or until {@code timeout} passes. Returns whether such a record exists.
     */
    boolean awaitAppend(byte[] logPrefix, long afterSequence, Duration timeout) throws InterruptedException;

    /** The highest sequence number ever assigned in the log, or -1. */
    long lastSequence(byte[] logPrefix);

    @Override
    void close();
}
