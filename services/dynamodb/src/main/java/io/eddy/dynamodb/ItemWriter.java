package io.eddy.dynamodb;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.ItemCodec;
import io.eddy.dynamodb.model.ItemSize;
import io.eddy.store.Batch;
import io.eddy.store.Store;

/**
 * The one path every item write takes, whoever asks (PutItem, UpdateItem, DeleteItem, batches,
 * transactions, PartiQL, the TTL sweeper): given a table and the item before and after, it stages
 * the item, its index entries, its TTL queue entry, the table and index counters and whatever
 * {@link ItemChangeListener}s add into one {@link Batch}, and commits that batch at once. Callers hold
 * the item's lock stripe from reading the old item until {@link #commit} returns.
 */
final class ItemWriter {

    /** Seconds in five years: TTL leaves items alone whose expiry is further in the past. */
    static final long TTL_HORIZON_SECONDS = 5L * 365 * 24 * 3600;

    private final Store store;
    private final ItemCounters counters;
    private final List<ItemChangeListener> listeners = new CopyOnWriteArrayList<>();

    ItemWriter(Store store, ItemCounters counters) {
        this.store = store;
        this.counters = counters;
    }

    void addListener(ItemChangeListener listener) {
        listeners.add(listener);
    }

    void removeListener(ItemChangeListener listener) {
        listeners.remove(listener);
    }

    /** The stored item under {@code itemKey}, or null. */
    Map<String, AttributeValue> read(byte[] itemKey) {
        byte[] bytes = store.get(itemKey);
        return bytes == null ? null : ItemCodec.decode(bytes);
    }

    /**
     * Stages one item change and adds the write units it consumes to {@code capacity} (if not null).
     * {@code oldItem == null} means the item did not exist, {@code newItem == null} deletes it.
     */
    void stage(TableInfo table, byte[] itemKey, int stripe, Map<String, AttributeValue> oldItem,
               Map<String, AttributeValue> newItem, ChangeSource source, Batch batch, ItemCounters.Deltas deltas,
               Capacity capacity) {
        long oldSize = oldItem == null ? 0 : ItemSize.of(oldItem);
        long newSize = newItem == null ? 0 : ItemSize.of(newItem);
        if (newItem != null) batch.put(itemKey, ItemCodec.encode(newItem));
        else if (oldItem != null) batch.delete(itemKey);
        deltas.addTable(table, stripe, (newItem != null ? 1 : 0) - (oldItem != null ? 1 : 0), newSize - oldSize);
        if (capacity != null) capacity.addTableWrite(Capacity.writeUnits(Math.max(oldSize, newSize)));

        for (IndexInfo index : table.indexes()) {
            stageIndex(table, index, stripe, oldItem, newItem, batch, deltas, capacity);
        }
        if (table.ttlEnabled()) {
            long oldExpiry = expiry(table, oldItem);
            long newExpiry = expiry(table, newItem);
            if (oldExpiry != newExpiry) {
                if (oldExpiry >= 0) batch.delete(Layout.ttlKey(table, oldExpiry, itemKey));
                if (newExpiry >= 0) batch.put(Layout.ttlKey(table, newExpiry, itemKey), new byte[0]);
            }
        }
        for (ItemChangeListener listener : listeners) {
            listener.onChange(table, oldItem, newItem, batch, source);
        }
    }

    private static void stageIndex(TableInfo table, IndexInfo index, int stripe, Map<String, AttributeValue> oldItem,
                                   Map<String, AttributeValue> newItem, Batch batch, ItemCounters.Deltas deltas,
                                   Capacity capacity) {
        boolean wasIn = index.covers(oldItem);
        boolean isIn = index.covers(newItem);
        if (!wasIn && !isIn) return;
        byte[] oldKey = wasIn ? Layout.indexEntryKey(table, index, oldItem) : null;
        byte[] newKey = isIn ? Layout.indexEntryKey(table, index, newItem) : null;
        Map<String, AttributeValue> oldEntry = wasIn ? index.project(table, oldItem) : null;
        Map<String, AttributeValue> newEntry = isIn ? index.project(table, newItem) : null;
        long oldSize = wasIn ? ItemSize.of(oldEntry) : 0;
        long newSize = isIn ? ItemSize.of(newEntry) : 0;
        double units;
        if (wasIn && isIn && Arrays.equals(oldKey, newKey)) {
            if (Objects.equals(oldEntry, newEntry)) return;
            batch.put(newKey, ItemCodec.encode(newEntry));
            units = Capacity.writeUnits(Math.max(oldSize, newSize));
        } else {
            units = 0;
            if (wasIn) {
                batch.delete(oldKey);
                units += Capacity.writeUnits(oldSize);
            }
            if (isIn) {
                batch.put(newKey, ItemCodec.encode(newEntry));
                units += Capacity.writeUnits(newSize);
            }
        }
        deltas.addIndex(table, index, stripe, (isIn ? 1 : 0) - (wasIn ? 1 : 0), newSize - oldSize);
        if (capacity != null) capacity.addIndexWrite(index, units);
    }

    /** Commits a staged batch with the counters' new values. */
    void commit(Batch batch, ItemCounters.Deltas deltas) {
        counters.stage(deltas, batch);
        store.write(batch);
        counters.apply(deltas);
    }

    /**
     * The TTL queue position of an item: its TTL attribute as whole epoch seconds, or -1 when the
     * attribute is missing, not a number, or negative (TTL ignores such items).
     */
    static long expiry(TableInfo table, Map<String, AttributeValue> item) {
        if (item == null || table.ttlAttribute() == null) return -1;
        if (!(item.get(table.ttlAttribute()) instanceof AttributeValue.N n)) return -1;
        BigDecimal seconds = n.value();
        if (seconds.signum() < 0) return -1;
        if (seconds.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0) return Long.MAX_VALUE;
        return seconds.longValue();
    }
}
