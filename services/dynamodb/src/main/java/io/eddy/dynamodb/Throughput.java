package io.eddy.dynamodb;

/**
 * Provisioned capacity of a table or global secondary index. On-demand tables report zeros. Times are
 * epoch milliseconds, 0 when the capacity never changed.
 */
public record Throughput(long readUnits, long writeUnits, long lastIncreaseMillis, long lastDecreaseMillis,
                         int decreasesToday) {

    public static final Throughput ON_DEMAND = new Throughput(0, 0, 0, 0, 0);

    public static Throughput of(long readUnits, long writeUnits) {
        return new Throughput(readUnits, writeUnits, 0, 0, 0);
    }

    /** This capacity changed to {@code read}/{@code write} at {@code nowMillis}. */
    public Throughput changedTo(long read, long write, long nowMillis) {
        boolean increase = read > readUnits || write > writeUnits;
        boolean decrease = read < readUnits || write < writeUnits;
        return new Throughput(read, write,
                increase ? nowMillis : lastIncreaseMillis,
                decrease ? nowMillis : lastDecreaseMillis,
                decrease ? decreasesToday + 1 : decreasesToday);
    }
}
