package io.eddy.dynamodb;

import java.util.Arrays;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * Deletes expired items of tables with Time to Live enabled, on a virtual thread every
 * {@code interval}. It reads each table's TTL queue (items ordered by expiry) up to now and deletes
 * each due item through the ordinary write path, marked as a TTL deletion. Items whose expiry lies
 * more than five years in the past are left alone, as DynamoDB does.
 */
final class TtlSweeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TtlSweeper.class.getName());
    private static final int CHUNK = 256;

    private final Store store;
    private final Catalog catalog;
    private final ItemLocks locks;
    private final ItemWriter writer;
    private final Clock clock;
    private final Duration interval;
    private volatile boolean running = true;
    private Thread thread;

    TtlSweeper(Store store, Catalog catalog, ItemLocks locks, ItemWriter writer, Clock clock, Duration interval) {
        this.store = store;
        this.catalog = catalog;
        this.locks = locks;
        this.writer = writer;
        this.clock = clock;
        this.interval = interval;
    }

    void start() {
        thread = Thread.ofVirtual().name("ddb-ttl-sweeper").start(this::run);
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            try {
                sweepAll();
            } catch (RuntimeException e) {
                if (running) LOG.log(Level.WARNING, "TTL sweep failed", e);
            }
        }
    }

    /** One pass over every table with TTL enabled. */
    void sweepAll() {
        for (TableInfo table : catalog.all()) {
            if (table.ttlEnabled() && running) sweep(table);
        }
    }

    private void sweep(TableInfo table) {
        long now = clock.millis() / 1000;
        byte[] prefix = Layout.ttlPrefix(table.accountId(), table.region(), table.tableId());
        byte[] from = Keys.of().raw(prefix).u64(Math.max(0, now - ItemWriter.TTL_HORIZON_SECONDS)).build();
        byte[] to = Keys.of().raw(prefix).u64(now).build();
        while (running) {
            List<byte[]> due = new ArrayList<>(CHUNK);
            try (Cursor cursor = store.scan(from, to)) {
                while (due.size() < CHUNK && cursor.next()) due.add(cursor.key());
            }
            for (byte[] entry : due) expire(table, entry, prefix.length);
            if (due.size() < CHUNK) return;
            byte[] last = due.get(due.size() - 1);
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    private void expire(TableInfo table, byte[] entry, int prefixLength) {
        long expiry = Keys.readU64(entry, prefixLength);
        byte[] itemPrefix = table.itemPrefix();
        byte[] itemKey = new byte[itemPrefix.length + entry.length - prefixLength - 8];
        System.arraycopy(itemPrefix, 0, itemKey, 0, itemPrefix.length);
        System.arraycopy(entry, prefixLength + 8, itemKey, itemPrefix.length, entry.length - prefixLength - 8);
        int stripe = ItemLocks.stripe(itemKey);
        locks.lock(stripe);
        try {
            TableInfo current = catalog.current(table);
            if (current == null || !current.ttlEnabled()) return;
            Map<String, AttributeValue> item = writer.read(itemKey);
            if (item == null || ItemWriter.expiry(current, item) != expiry) {
                store.write(new Batch().delete(entry));
                return;
            }
            Batch batch = new Batch();
            ItemCounters.Deltas deltas = new ItemCounters.Deltas();
            writer.stage(current, itemKey, stripe, item, null,
                    new ChangeSource(null, true, clock.instant()), batch, deltas, null);
            writer.commit(batch, deltas);
        } finally {
            locks.unlock(stripe);
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
