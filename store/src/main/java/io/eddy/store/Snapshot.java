package io.eddy.store;

/** A frozen view of the store as it was when the snapshot was taken. */
public interface Snapshot extends ReadView, AutoCloseable {
    @Override
    void close();
}
