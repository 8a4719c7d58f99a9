package io.eddy.dynamodb;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * Item counts and sizes of tables and indexes (DescribeTable's ItemCount, TableSizeBytes,
 * IndexSizeBytes), exact at every commit. Each table or index ("scope": "" for the table, the index id
 * otherwise) has one counter per lock stripe; only the holder of a stripe's lock changes it, writing
 * the new value into the same batch as the item, so memory and store never disagree.
 */
final class ItemCounters {

    private static final String TABLE_SCOPE = "";

    private final Store store;
    private final Map<String, Map<String, Stripes>> byTable = new ConcurrentHashMap<>();

    ItemCounters(Store store) {
        this.store = store;
    }

    static final class Stripes {
        final AtomicLongArray count = new AtomicLongArray(Layout.STRIPES);
        final AtomicLongArray bytes = new AtomicLongArray(Layout.STRIPES);
        /** Built once: every item write stores the counter of its stripe under this prefix. */
        private final byte[] keyPrefix;

        Stripes(byte[] keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        byte[] key(int stripe) {
            byte[] key = Arrays.copyOf(keyPrefix, keyPrefix.length + 8);
            for (int i = 0; i < 8; i++) key[keyPrefix.length + i] = (byte) ((long) stripe >>> (56 - 8 * i));
            return key;
        }

        long totalCount() {
            long sum = 0;
            for (int i = 0; i < Layout.STRIPES; i++) sum += count.get(i);
            return sum;
        }

        long totalBytes() {
            long sum = 0;
            for (int i = 0; i < Layout.STRIPES; i++) sum += bytes.get(i);
            return sum;
        }
    }

    /** Count and size changes staged by one batch, applied to memory once the batch is committed. */
    static final class Deltas {
        private record Slot(TableInfo table, String scope, int stripe) {
        }

        private final Map<Slot, long[]> changes = new LinkedHashMap<>();

        void add(TableInfo table, String scope, int stripe, long count, long bytes) {
            if (count == 0 && bytes == 0) return;
            long[] change = changes.computeIfAbsent(new Slot(table, scope, stripe), s -> new long[2]);
            change[0] += count;
            change[1] += bytes;
        }

        void addTable(TableInfo table, int stripe, long count, long bytes) {
            add(table, TABLE_SCOPE, stripe, count, bytes);
        }

        void addIndex(TableInfo table, IndexInfo index, int stripe, long count, long bytes) {
            add(table, index.indexId(), stripe, count, bytes);
        }

        boolean isEmpty() {
            return changes.isEmpty();
        }
    }

    /** Puts the counters' new values into {@code batch}; the caller holds every stripe involved. */
    void stage(Deltas deltas, Batch batch) {
        for (Map.Entry<Deltas.Slot, long[]> change : deltas.changes.entrySet()) {
            Deltas.Slot slot = change.getKey();
            Stripes stripes = stripes(slot.table.accountId(), slot.table.region(), slot.table.tableId(), slot.scope);
            long count = stripes.count.get(slot.stripe) + change.getValue()[0];
            long bytes = stripes.bytes.get(slot.stripe) + change.getValue()[1];
            batch.put(stripes.key(slot.stripe), encode(count, bytes));
        }
    }

    /** Applies committed deltas to memory. */
    void apply(Deltas deltas) {
        for (Map.Entry<Deltas.Slot, long[]> change : deltas.changes.entrySet()) {
            Deltas.Slot slot = change.getKey();
            Stripes stripes = stripes(slot.table.accountId(), slot.table.region(), slot.table.tableId(), slot.scope);
            stripes.count.addAndGet(slot.stripe, change.getValue()[0]);
            stripes.bytes.addAndGet(slot.stripe, change.getValue()[1]);
        }
    }

    long itemCount(TableInfo table) {
        return stripes(table.accountId(), table.region(), table.tableId(), TABLE_SCOPE).totalCount();
    }

    long sizeBytes(TableInfo table) {
        return stripes(table.accountId(), table.region(), table.tableId(), TABLE_SCOPE).totalBytes();
    }

    long itemCount(TableInfo table, IndexInfo index) {
        return stripes(table.accountId(), table.region(), table.tableId(), index.indexId()).totalCount();
    }

    long sizeBytes(TableInfo table, IndexInfo index) {
        return stripes(table.accountId(), table.region(), table.tableId(), index.indexId()).totalBytes();
    }

    /** Forgets a deleted table's counters (its stored counters go with the rest of its storage). */
    void forget(String tableId) {
        byTable.remove(tableId);
    }

    /** Forgets a deleted index's counters. */
    void forget(String tableId, String indexId) {
        Map<String, Stripes> scopes = byTable.get(tableId);
        if (scopes != null) scopes.remove(indexId);
    }

    private Stripes stripes(String accountId, String region, String tableId, String scope) {
        Map<String, Stripes> scopes = byTable.computeIfAbsent(tableId, id -> load(accountId, region, id));
        return scopes.computeIfAbsent(scope, s -> new Stripes(Layout.counterScopePrefix(accountId, region, tableId, s)));
    }

    private Map<String, Stripes> load(String accountId, String region, String tableId) {
        Map<String, Stripes> scopes = new ConcurrentHashMap<>();
        byte[] prefix = Layout.countersPrefix(accountId, region, tableId);
        try (Cursor cursor = store.scanPrefix(prefix)) {
            while (cursor.next()) {
                byte[] key = cursor.key();
                String[] rest = Layout.texts(Arrays.copyOfRange(key, prefix.length, key.length), 1);
                if (rest == null) continue;
                int stripe = (int) Keys.readU64(key, key.length - 8);
                byte[] value = cursor.value();
                Stripes stripes = scopes.computeIfAbsent(rest[0],
                        s -> new Stripes(Layout.counterScopePrefix(accountId, region, tableId, s)));
                stripes.count.set(stripe, Keys.readU64(value, 0));
                stripes.bytes.set(stripe, Keys.readU64(value, 8));
            }
        }
        return scopes;
    }

    private static byte[] encode(long count, long bytes) {
        byte[] value = new byte[16];
        for (int i = 0; i < 8; i++) {
            value[i] = (byte) (count >>> (56 - 8 * i));
            value[8 + i] = (byte) (bytes >>> (56 - 8 * i));
        }
        return value;
    }
}
