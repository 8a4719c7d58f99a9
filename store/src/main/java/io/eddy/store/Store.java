package io.eddy.store;

/**
 * The one storage interface every service writes through: ordered byte keys, atomic batches,
 * consistent snapshots. A batch that {@link #write} returned from survives a crash of the process.
 */
public interface Store extends ReadView, AutoCloseable {

    /** Applies every operation of the batch atomically: readers see all of it or none of it. */
    void write(Batch batch);

    /** A consistent point-in-time view; close it when done. */
    Snapshot snapshot();

    @Override
    void close();
}
