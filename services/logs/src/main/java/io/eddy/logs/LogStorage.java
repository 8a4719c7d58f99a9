package io.eddy.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.ReadView;

/**
 * Where CloudWatch Logs keeps its state, all under {@code logs/<account>/<region>}: log groups
 * ({@code g/<group>}), log streams ({@code s/<group>/<stream>}) and events
 * ({@code e/<group>/<stream>/<timestamp>/<seq>}, valued ingestion time then UTF-8 message). The
 * sequence number is unique within a log group and grows with ingestion, so (timestamp, seq)
 * orders a group's events the way AWS does: by timestamp, then by arrival.
 */
final class LogStorage {

    static final ObjectMapper JSON = new ObjectMapper();

    private LogStorage() {
    }

    static Keys scope(String account, String region) {
        return Keys.of().text("logs").text(account).text(region);
    }

    static byte[] groupKey(String account, String region, String group) {
        return scope(account, region).text("g").text(group).build();
    }

    static byte[] groupsPrefix(String account, String region) {
        return scope(account, region).text("g").build();
    }

    static byte[] streamKey(String account, String region, String group, String stream) {
        return scope(account, region).text("s").text(group).text(stream).build();
    }

    static byte[] streamsPrefix(String account, String region, String group) {
        return scope(account, region).text("s").text(group).build();
    }

    static byte[] eventsOfGroupPrefix(String account, String region, String group) {
        return scope(account, region).text("e").text(group).build();
    }

    static byte[] eventsPrefix(String account, String region, String group, String stream) {
        return scope(account, region).text("e").text(group).text(stream).build();
    }

    /** The key of event (timestamp, seq); timestamps below zero are clamped, AWS rejects them anyway. */
    static byte[] eventKey(byte[] streamEventsPrefix, long timestamp, long seq) {
        return Keys.of().raw(streamEventsPrefix).u64(Math.max(0, timestamp)).u64(seq).build();
    }

    static long timestampOf(byte[] eventKey) {
        return Keys.readU64(eventKey, eventKey.length - 16);
    }

    static long seqOf(byte[] eventKey) {
        return Keys.readU64(eventKey, eventKey.length - 8);
    }

    static byte[] eventValue(long ingestionTime, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + text.length).putLong(ingestionTime).put(text).array();
    }

    static long ingestionTimeOf(byte[] eventValue) {
        return ByteBuffer.wrap(eventValue).getLong();
    }

    static String messageOf(byte[] eventValue) {
        return new String(eventValue, 8, eventValue.length - 8, StandardCharsets.UTF_8);
    }

    static ObjectNode read(ReadView view, byte[] key) {
        byte[] value = view.get(key);
        if (value == null) return null;
        try {
            return (ObjectNode) JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ObjectNode> readAll(ReadView view, byte[] prefix) {
        List<ObjectNode> out = new ArrayList<>();
        try (Cursor cursor = view.scanPrefix(prefix)) {
            while (cursor.next()) {
                try {
                    out.add((ObjectNode) JSON.readTree(cursor.value()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    /** Deletes every key under {@code prefix} into {@code batch}. */
    static void deletePrefix(ReadView view, byte[] prefix, Batch batch) {
        try (Cursor cursor = view.scanPrefix(prefix)) {
            while (cursor.next()) batch.delete(cursor.key());
        }
    }
}
