package io.eddy.dynamodb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.ItemCodec;
import io.eddy.dynamodb.model.ItemSize;
import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Drainable;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * Background work that follows control-plane changes, one task at a time on a virtual thread:
 * backfilling a new global secondary index, building or dropping a table's TTL queue, erasing the
 * storage of deleted indexes and tables. Each task first waits out the writes that started under
 * the previous table metadata ({@link ItemLocks#barrier()}), then works item by item under the
 * item's lock, so concurrent writes are never lost or doubled.
 */
final class Maintenance implements AutoCloseable, Drainable {

    private static final Logger LOG = Logger.getLogger(Maintenance.class.getName());
    private static final int CHUNK = 512;

    private final Store store;
    private final Catalog catalog;
    private final ItemLocks locks;
    private final ItemWriter writer;
    private final ItemCounters counters;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("ddb-maintenance").factory());
    private final AtomicInteger pending = new AtomicInteger();

    Maintenance(Store store, Catalog catalog, ItemLocks locks, ItemWriter writer, ItemCounters counters) {
        this.store = store;
        this.catalog = catalog;
        this.locks = locks;
        this.writer = writer;
        this.counters = counters;
    }

    /** Resumes work interrupted by a shutdown: erasures of deleted tables and unfinished backfills. */
    void resume() {
        for (Catalog.Dropped dropped : catalog.droppedAtStart()) {
            eraseTable(dropped.accountId(), dropped.region(), dropped.tableId());
        }
        for (TableInfo table : catalog.all()) {
            for (IndexInfo index : table.globalIndexes()) {
                if ("CREATING".equals(index.status())) backfill(table, index);
            }
        }
    }

    private void submit(String what, Runnable task) {
        pending.incrementAndGet();
        executor.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "DynamoDB maintenance failed: " + what, e);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    @Override
    public boolean isIdle() {
        return pending.get() == 0;
    }

    @Override
    public String describe() {
        return "dynamodb: " + pending.get() + " index backfill/cleanup task(s)";
    }

    /** Fills a new global secondary index from the table's items, then marks it ACTIVE. */
    void backfill(TableInfo table, IndexInfo index) {
        submit("backfill " + index.name(), () -> {
            locks.barrier();
            boolean complete = forEachItemKey(table.itemPrefix(), itemKey -> {
                int stripe = ItemLocks.stripe(itemKey);
                locks.lock(stripe);
                try {
                    TableInfo current = catalog.current(table);
                    IndexInfo live = current == null ? null : current.index(index.name());
                    if (live == null || !live.indexId().equals(index.indexId())) return false;
                    Map<String, AttributeValue> item = writer.read(itemKey);
                    if (!live.covers(item)) return true;
                    byte[] entryKey = Layout.indexEntryKey(current, live, item);
                    if (store.get(entryKey) != null) return true;
                    Map<String, AttributeValue> entry = live.project(current, item);
                    Batch batch = new Batch().put(entryKey, ItemCodec.encode(entry));
                    ItemCounters.Deltas deltas = new ItemCounters.Deltas();
                    deltas.addIndex(current, live, stripe, 1, ItemSize.of(entry));
                    writer.commit(batch, deltas);
                    return true;
                } finally {
                    locks.unlock(stripe);
                }
            });
            if (!complete) return;
            catalog.controlLock().lock();
            try {
                TableInfo current = catalog.current(table);
                if (current == null) return;
                List<IndexInfo> indexes = new ArrayList<>();
                for (IndexInfo i : current.globalIndexes()) {
                    indexes.add(i.indexId().equals(index.indexId()) ? i.withStatus("ACTIVE") : i);
                }
                catalog.save(current.toBuilder().globalIndexes(indexes).build());
            } finally {
                catalog.controlLock().unlock();
            }
        });
    }

    /** Erases the entries and counters of an index that was removed from its table. */
    void dropIndex(TableInfo table, IndexInfo index) {
        submit("drop index " + index.name(), () -> {
            locks.barrier();
            deletePrefix(table.indexPrefix(index));
            deletePrefix(Keys.of().raw(Layout.countersPrefix(table.accountId(), table.region(), table.tableId()))
                    .text(index.indexId()).build());
            counters.forget(table.tableId(), index.indexId());
        });
    }

    /** Erases everything a deleted table stored. */
    void eraseTable(String accountId, String region, String tableId) {
        submit("erase table " + tableId, () -> {
            locks.barrier();
            deletePrefix(Layout.itemPrefix(accountId, region, tableId));
            deletePrefix(Layout.indexesPrefix(accountId, region, tableId));
            deletePrefix(Layout.ttlPrefix(accountId, region, tableId));
            deletePrefix(Layout.countersPrefix(accountId, region, tableId));
            store.write(new Batch().delete(Layout.droppedKey(accountId, region, tableId)));
            counters.forget(tableId);
        });
    }

    /**
     * Rebuilds the TTL queue after TTL was enabled, disabled or pointed at another attribute: drops
     * every entry, then (if TTL is on) queues each item's expiry.
     */
    void rebuildTtlQueue(TableInfo table) {
        submit("ttl queue " + table.name(), () -> {
            locks.barrier();
            byte[] prefix = Layout.ttlPrefix(table.accountId(), table.region(), table.tableId());
            TableInfo now = catalog.current(table);
            if (now == null) return;
            // Entries written since the change are rebuilt below, so dropping all of them is safe.
            deletePrefix(prefix);
            if (!now.ttlEnabled()) return;
            forEachItemKey(table.itemPrefix(), itemKey -> {
                int stripe = ItemLocks.stripe(itemKey);
                locks.lock(stripe);
                try {
                    TableInfo current = catalog.current(table);
                    if (current == null || !current.ttlEnabled()) return false;
                    long expiry = ItemWriter.expiry(current, writer.read(itemKey));
                    if (expiry >= 0) store.write(new Batch().put(Layout.ttlKey(current, expiry, itemKey), new byte[0]));
                    return true;
                } finally {
                    locks.unlock(stripe);
                }
            });
        });
    }

    interface KeyVisitor {
        /** Returns false to stop. */
        boolean visit(byte[] key);
    }

    /** Visits every key under {@code prefix} in chunks, without holding a cursor across visits. */
    private boolean forEachItemKey(byte[] prefix, KeyVisitor visitor) {
        byte[] from = prefix;
        byte[] end = Keys.prefixEnd(prefix);
        while (true) {
            List<byte[]> keys = new ArrayList<>(CHUNK);
            try (Cursor cursor = store.scan(from, end)) {
                while (keys.size() < CHUNK && cursor.next()) keys.add(cursor.key());
            }
            for (byte[] key : keys) {
                if (!visitor.visit(key)) return false;
            }
            if (keys.size() < CHUNK) return true;
            byte[] last = keys.get(keys.size() - 1);
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    private void deletePrefix(byte[] prefix) {
        byte[] end = Keys.prefixEnd(prefix);
        while (true) {
            Batch batch = new Batch();
            try (Cursor cursor = store.scan(prefix, end)) {
                while (batch.size() < CHUNK && cursor.next()) batch.delete(cursor.key());
            }
            if (batch.isEmpty()) return;
            store.write(batch);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
