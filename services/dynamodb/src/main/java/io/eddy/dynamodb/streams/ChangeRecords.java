package io.eddy.dynamodb.streams;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.TableInfo;
import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.AttributeValueJson;
import io.eddy.dynamodb.model.ItemCodec;
import io.eddy.dynamodb.model.ItemSize;
import io.eddy.dynamodb.model.KeyEncoding;

/**
 * The stored form of stream log entries and their JSON renderings. An entry is either a change
 * record or a marker (written when a stream rotates or ends, only to wake waiting readers). Every
 * entry starts with a fixed header so that readers can skip other shards' records without decoding
 * images: version, kind, partition hash, arrival time.
 */
final class ChangeRecords {

    static final String INSERT = "INSERT";
    static final String MODIFY = "MODIFY";
    static final String REMOVE = "REMOVE";

    private static final byte VERSION = 1;
    private static final byte CHANGE = 0;
    private static final byte MARKER = 1;
    private static final int HEADER = 1 + 1 + 4 + 8;
    private static final String[] EVENT_NAMES = {INSERT, MODIFY, REMOVE};
    private static final String[] VIEW_TYPES = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"};
    private static final int TTL = 1;
    private static final int HAS_NEW = 2;
    private static final int HAS_OLD = 4;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A decoded change record. Images are null when the view type leaves them out or the item did not exist. */
    record Change(long arrivalMillis, String eventName, String eventId, String viewType, boolean timeToLive,
                  long sizeBytes, Map<String, AttributeValue> keys, Map<String, AttributeValue> newImage,
                  Map<String, AttributeValue> oldImage) {
    }

    private ChangeRecords() {
    }

    /** The change of one item; at least one of {@code oldItem} and {@code newItem} is not null. */
    static byte[] encode(TableInfo table, String viewType, Map<String, AttributeValue> oldItem,
                         Map<String, AttributeValue> newItem, long arrivalMillis, boolean timeToLive) {
        Map<String, AttributeValue> any = newItem != null ? newItem : oldItem;
        Map<String, AttributeValue> keys = new LinkedHashMap<>();
        keys.put(table.hashKey().name(), any.get(table.hashKey().name()));
        if (table.rangeKey() != null) keys.put(table.rangeKey().name(), any.get(table.rangeKey().name()));
        boolean withNew = newItem != null && (viewType.equals("NEW_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES"));
        boolean withOld = oldItem != null && (viewType.equals("OLD_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES"));
        byte[] keyBytes = ItemCodec.encode(keys);
        byte[] newBytes = withNew ? ItemCodec.encode(newItem) : null;
        byte[] oldBytes = withOld ? ItemCodec.encode(oldItem) : null;
        long size = ItemSize.of(keys) + (withNew ? ItemSize.of(newItem) : 0) + (withOld ? ItemSize.of(oldItem) : 0);

        int length = HEADER + 1 + 1 + 1 + 16 + 8 + 4 + keyBytes.length
                + (withNew ? 4 + newBytes.length : 0) + (withOld ? 4 + oldBytes.length : 0);
        ByteBuffer out = ByteBuffer.allocate(length);
        header(out, CHANGE, hashOf(keys.get(table.hashKey().name())), arrivalMillis);
        out.put((byte) (oldItem == null ? 0 : newItem == null ? 2 : 1));
        out.put((byte) ((timeToLive ? TTL : 0) | (withNew ? HAS_NEW : 0) | (withOld ? HAS_OLD : 0)));
        out.put((byte) viewTypeIndex(viewType));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        out.putLong(random.nextLong());
        out.putLong(random.nextLong());
        out.putLong(Math.max(1, size));
        out.putInt(keyBytes.length).put(keyBytes);
        if (withNew) out.putInt(newBytes.length).put(newBytes);
        if (withOld) out.putInt(oldBytes.length).put(oldBytes);
        return out.array();
    }

    static byte[] marker(long arrivalMillis) {
        ByteBuffer out = ByteBuffer.allocate(HEADER);
        header(out, MARKER, 0, arrivalMillis);
        return out.array();
    }

    private static void header(ByteBuffer out, byte kind, int partitionHash, long arrivalMillis) {
        out.put(VERSION).put(kind).putInt(partitionHash).putLong(arrivalMillis);
    }

    static boolean isMarker(byte[] entry) {
        return entry[1] == MARKER;
    }

    /** The shard of a record among {@code shardCount}: records of one partition key always share it. */
    static int shardIndex(byte[] entry, int shardCount) {
        return Math.floorMod(partitionHash(entry), shardCount);
    }

    static int partitionHash(byte[] entry) {
        return ByteBuffer.wrap(entry, 2, 4).getInt();
    }

    static long arrivalMillis(byte[] entry) {
        return ByteBuffer.wrap(entry, 6, 8).getLong();
    }

    static int hashOf(AttributeValue partitionKey) {
        byte[] encoded = KeyEncoding.encode(partitionKey);
        int h = 0x811C9DC5;
        for (byte b : encoded) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        h ^= h >>> 12;
        return h;
    }

    private static int viewTypeIndex(String viewType) {
        for (int i = 0; i < VIEW_TYPES.length; i++) if (VIEW_TYPES[i].equals(viewType)) return i;
        throw new IllegalArgumentException("unknown StreamViewType " + viewType);
    }

    static Change decode(byte[] entry) {
        ByteBuffer in = ByteBuffer.wrap(entry);
        in.position(6);
        long arrival = in.getLong();
        String eventName = EVENT_NAMES[in.get()];
        int flags = in.get();
        String viewType = VIEW_TYPES[in.get()];
        String eventId = String.format("%016x%016x", in.getLong(), in.getLong());
        long size = in.getLong();
        Map<String, AttributeValue> keys = item(in);
        Map<String, AttributeValue> newImage = (flags & HAS_NEW) != 0 ? item(in) : null;
        Map<String, AttributeValue> oldImage = (flags & HAS_OLD) != 0 ? item(in) : null;
        return new Change(arrival, eventName, eventId, viewType, (flags & TTL) != 0, size, keys, newImage, oldImage);
    }

    private static Map<String, AttributeValue> item(ByteBuffer in) {
        int length = in.getInt();
        Map<String, AttributeValue> item = ItemCodec.decode(in.array(), in.position(), length);
        in.position(in.position() + length);
        return item;
    }

    /**
     * A record as GetRecords returns it (model casing in {@code userIdentity}), or, with a stream ARN,
     * as Lambda delivers it: plus {@code eventSourceARN}, {@code userIdentity} in camel case.
     */
    static ObjectNode toJson(Change change, String sequenceNumber, String region, String eventSourceArn) {
        ObjectNode record = JSON.objectNode();
        record.put("eventID", change.eventId());
        record.put("eventName", change.eventName());
        record.put("eventVersion", "1.1");
        record.put("eventSource", "aws:dynamodb");
        record.put("awsRegion", region);
        ObjectNode dynamodb = record.putObject("dynamodb");
        dynamodb.put("ApproximateCreationDateTime", change.arrivalMillis() / 1000);
        dynamodb.set("Keys", AttributeValueJson.itemToJson(change.keys()));
        if (change.newImage() != null) dynamodb.set("NewImage", AttributeValueJson.itemToJson(change.newImage()));
        if (change.oldImage() != null) dynamodb.set("OldImage", AttributeValueJson.itemToJson(change.oldImage()));
        dynamodb.put("SequenceNumber", sequenceNumber);
        dynamodb.put("SizeBytes", change.sizeBytes());
        dynamodb.put("StreamViewType", change.viewType());
        if (change.timeToLive()) {
            ObjectNode identity = record.putObject("userIdentity");
            boolean lambda = eventSourceArn != null;
            identity.put(lambda ? "type" : "Type", "Service");
            identity.put(lambda ? "principalId" : "PrincipalId", "dynamodb.amazonaws.com");
        }
        if (eventSourceArn != null) record.put("eventSourceARN", eventSourceArn);
        return record;
    }
}
