package io.eddy.lambda.esm;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.store.Batch;

/**
 * A lane's tumbling window ({@code TumblingWindowInSeconds}): windows are aligned on record arrival
 * time, and the state the function returns is handed to its next invocation in the same window. The
 * state is stored with the checkpoint it belongs to, so a restart continues the window.
 */
final class TumblingWindow {

    private final MappingStore store;
    private final byte[] key;
    private final long lengthMillis;
    private long start = -1;
    private ObjectNode state;

    TumblingWindow(Mapping mapping, MappingStore store, String shardId, int lane) {
        this.store = store;
        this.key = MappingStore.windowKey(mapping, shardId, lane);
        this.lengthMillis = mapping.tumblingWindowInSeconds * 1000L;
        ObjectNode stored = store.window(mapping, shardId, lane);
        if (stored != null) {
            start = stored.path("start").asLong();
            state = (ObjectNode) stored.get("state");
        }
    }

    long startOf(long arrivalMillis) {
        return arrivalMillis - Math.floorMod(arrivalMillis, lengthMillis);
    }

    boolean isOpen() {
        return start >= 0;
    }

    long start() {
        return start;
    }

    long end() {
        return start + lengthMillis;
    }

    boolean hasEnded(long nowMillis) {
        return nowMillis >= end();
    }

    ObjectNode state() {
        return state;
    }

    void open(long windowStart) {
        start = windowStart;
        state = MappingStore.JSON.createObjectNode();
    }

    /** Keeps the state the function returned, written with {@code batch}. */
    void update(ObjectNode newState, Batch batch) {
        state = newState;
        ObjectNode stored = MappingStore.JSON.createObjectNode();
        stored.put("start", start);
        stored.set("state", state);
        batch.put(key, MappingStore.write(stored));
    }

    void close() {
        start = -1;
        state = null;
        store.store().write(new Batch().delete(key));
    }
}
