package io.eddy.lambda.esm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * The mappings' storage layout. Every key starts with {@code esm / account / region}, then:
 * <pre>
 *   m / uuid                 the Mapping
 *   k / uuid / shardId       a stream shard's checkpoint: {"sequenceNumber":"…","finished":bool}
 *   w / uuid / shardId / lane a tumbling window: {"start":epochMillis,"state":{…}}
 * </pre>
 */
final class MappingStore {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Store store;

    MappingStore(Store store) {
        this.store = store;
    }

    Store store() {
        return store;
    }

    private static Keys base(String account, String region) {
        return Keys.of().text("esm").text(account).text(region);
    }

    static byte[] mappingKey(String account, String region, String uuid) {
        return base(account, region).text("m").text(uuid).build();
    }

    static byte[] checkpointKey(Mapping m, String shardId) {
        return base(m.account, m.region).text("k").text(m.uuid).text(shardId).build();
    }

    static byte[] windowKey(Mapping m, String shardId, int lane) {
        return base(m.account, m.region).text("w").text(m.uuid).text(shardId).text(Integer.toString(lane)).build();
    }

    Mapping get(String account, String region, String uuid) {
        return read(store.get(mappingKey(account, region, uuid)), Mapping.class);
    }

    /** The account's mappings in the region, ordered by UUID. */
    List<Mapping> list(String account, String region) {
        List<Mapping> out = new ArrayList<>();
        try (Cursor c = store.scanPrefix(base(account, region).text("m").build())) {
            while (c.next()) out.add(read(c.value(), Mapping.class));
        }
        return out;
    }

    /** Every mapping of every account and region, for resuming work after a start. */
    List<Mapping> all() {
        List<Mapping> out = new ArrayList<>();
        try (Cursor c = store.scanPrefix(Keys.of().text("esm").build())) {
            while (c.next()) {
                List<String> parts = components(c.key());
                if (parts.size() == 5 && parts.get(3).equals("m")) out.add(read(c.value(), Mapping.class));
            }
        }
        return out;
    }

    void put(Mapping m) {
        store.write(new Batch().put(mappingKey(m.account, m.region, m.uuid), write(m)));
    }

    /** Deletes the mapping with its checkpoints and windows. */
    void delete(Mapping m) {
        Batch batch = new Batch().delete(mappingKey(m.account, m.region, m.uuid));
        for (String type : List.of("k", "w")) {
            try (Cursor c = store.scanPrefix(base(m.account, m.region).text(type).text(m.uuid).build())) {
                while (c.next()) batch.delete(c.key());
            }
        }
        store.write(batch);
    }

    Checkpoint checkpoint(Mapping m, String shardId) {
        return read(store.get(checkpointKey(m, shardId)), Checkpoint.class);
    }

    ObjectNode window(Mapping m, String shardId, int lane) {
        return read(store.get(windowKey(m, shardId, lane)), ObjectNode.class);
    }

    /** Where a stream mapping stands in one shard. */
    record Checkpoint(String sequenceNumber, boolean finished) {
    }

    static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) return null;
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a key built from text components back into them. */
    private static List<String> components(byte[] key) {
        List<String> parts = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        for (int i = 0; i < key.length; i++) {
            if (key[i] != 0) {
                current.write(key[i]);
            } else if (i + 1 < key.length && key[i + 1] == (byte) 0xFF) {
                current.write(0);
                i++;
            } else {
                parts.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
            }
        }
        return parts;
    }
}
