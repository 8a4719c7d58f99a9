package io.eddy.dynamodb;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks over item keys: a write holds its item's stripe from reading the old item until its
 * batch is committed, so conditions see no concurrent change. Writes of several items (transactions,
 * batches) take their stripes in ascending order, which rules out deadlock.
 */
final class ItemLocks {

    private final ReentrantLock[] locks = new ReentrantLock[Layout.STRIPES];

    ItemLocks() {
        for (int i = 0; i < locks.length; i++) locks[i] = new ReentrantLock();
    }

    static int stripe(byte[] itemKey) {
        int h = Arrays.hashCode(itemKey);
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        h ^= h >>> 16;
        return h & (Layout.STRIPES - 1);
    }

    void lock(int stripe) {
        locks[stripe].lock();
    }

    void unlock(int stripe) {
        locks[stripe].unlock();
    }

    /** Locks the given stripes (sorted, distinct) in order. */
    void lockAll(int[] sortedStripes) {
        for (int stripe : sortedStripes) locks[stripe].lock();
    }

    void unlockAll(int[] sortedStripes) {
        for (int i = sortedStripes.length - 1; i >= 0; i--) locks[sortedStripes[i]].unlock();
    }

    /**
     * Waits until every write that started before now has finished: a write that read old table
     * metadata holds its stripe until it commits.
     */
    void barrier() {
        for (ReentrantLock lock : locks) {
            lock.lock();
            lock.unlock();
        }
    }
}
