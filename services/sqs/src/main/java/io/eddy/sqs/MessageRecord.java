package io.eddy.sqs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a message is, as stored: everything but its delivery state, which changes on every receive
 * and lives in a separate small record. The fields the in-memory index needs come first so a
 * restart can rebuild the index without decoding bodies.
 *
 * @param retentionStart when the retention period started counting: the original send, or the move
 *     into a FIFO dead-letter queue (standard queues keep the original enqueue time)
 * @param initialVisibleAt when the message first becomes visible (after any delay)
 * @param sourceArn the queue a dead-lettered message was moved from, null otherwise
 */
record MessageRecord(
        String messageId,
        long sentAt,
        long retentionStart,
        long initialVisibleAt,
        String groupId,
        String deduplicationId,
        String sequenceNumber,
        String senderId,
        String sourceArn,
        String md5OfBody,
        String md5OfAttributes,
        String traceHeader,
        Map<String, MessageAttribute> attributes,
        String body) {

    private static final byte VERSION = 1;

    /** The index fields of a stored record. */
    record Header(String messageId, long sentAt, long retentionStart, long initialVisibleAt, String groupId) {
    }

    MessageRecord movedTo(long now, boolean resetRetention, String fromArn) {
        return new MessageRecord(messageId, sentAt, resetRetention ? now : retentionStart, now, groupId,
                deduplicationId, sequenceNumber, senderId, fromArn, md5OfBody, md5OfAttributes, traceHeader, attributes,
                body);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + body.length() * 2);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeString(out, messageId);
            out.writeLong(sentAt);
            out.writeLong(retentionStart);
            out.writeLong(initialVisibleAt);
            writeString(out, groupId);
            writeString(out, deduplicationId);
            writeString(out, sequenceNumber);
            writeString(out, senderId);
            writeString(out, sourceArn);
            writeString(out, md5OfBody);
            writeString(out, md5OfAttributes);
            writeString(out, traceHeader);
            out.writeShort(attributes.size());
            for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
                MessageAttribute value = e.getValue();
                writeString(out, e.getKey());
                writeString(out, value.dataType());
                writeBytes(out, value.isBinary() ? value.binaryValue() : value.stringBytes());
            }
            writeBytes(out, body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static MessageRecord decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.readByte();
            String messageId = readString(in);
            long sentAt = in.readLong();
            long retentionStart = in.readLong();
            long initialVisibleAt = in.readLong();
            String groupId = readString(in);
            String deduplicationId = readString(in);
            String sequenceNumber = readString(in);
            String senderId = readString(in);
            String sourceArn = readString(in);
            String md5OfBody = readString(in);
            String md5OfAttributes = readString(in);
            String traceHeader = readString(in);
            int count = in.readUnsignedShort();
            Map<String, MessageAttribute> attributes = count == 0 ? Map.of() : new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = readString(in);
                String dataType = readString(in);
                byte[] value = readBytes(in);
                attributes.put(name, "Binary".equals(MessageAttributes.baseType(dataType))
                        ? new MessageAttribute(dataType, null, value)
                        : new MessageAttribute(dataType, new String(value, StandardCharsets.UTF_8), null));
            }
            String body = new String(readBytes(in), StandardCharsets.UTF_8);
            return new MessageRecord(messageId, sentAt, retentionStart, initialVisibleAt, groupId, deduplicationId,
                    sequenceNumber, senderId, sourceArn, md5OfBody, md5OfAttributes, traceHeader, attributes, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Header decodeHeader(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.readByte();
            String messageId = readString(in);
            long sentAt = in.readLong();
            long retentionStart = in.readLong();
            long initialVisibleAt = in.readLong();
            return new Header(messageId, sentAt, retentionStart, initialVisibleAt, readString(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) out.writeInt(-1);
        else writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        return in.readNBytes(in.readInt());
    }
}
