package io.eddy.dynamodb.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compact binary storage form of items: a tag byte per value, varint lengths, numbers as unscaled
 * two's-complement bytes plus scale. Decoding gives back exactly the encoded item, attribute order and
 * set order included.
 */
public final class ItemCodec {

    private static final int S = 1, N = 2, B = 3, SS = 4, NS = 5, BS = 6, M = 7, L = 8, NULL = 9, TRUE = 10, FALSE = 11;

    private ItemCodec() {
    }

    public static byte[] encode(Map<String, AttributeValue> item) {
        Writer out = new Writer();
        out.writeMap(item);
        return out.toByteArray();
    }

    public static Map<String, AttributeValue> decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public static Map<String, AttributeValue> decode(byte[] bytes, int offset, int length) {
        Reader in = new Reader(bytes, offset);
        Map<String, AttributeValue> item = in.readMap();
        if (in.position != offset + length) throw new IllegalArgumentException("trailing bytes in encoded item");
        return item;
    }

    private static final class Writer {
        private byte[] buffer = new byte[256];
        private int size;

        void writeMap(Map<String, AttributeValue> map) {
            writeVarint(map.size());
            for (Map.Entry<String, AttributeValue> entry : map.entrySet()) {
                writeString(entry.getKey());
                writeValue(entry.getValue());
            }
        }

        void writeValue(AttributeValue value) {
            switch (value) {
                case AttributeValue.S s -> {
                    writeByte(S);
                    writeString(s.value());
                }
                case AttributeValue.N n -> {
                    writeByte(N);
                    writeNumber(n.value());
                }
                case AttributeValue.B b -> {
                    writeByte(B);
                    writeBytes(b.value());
                }
                case AttributeValue.Bool b -> writeByte(b.value() ? TRUE : FALSE);
                case AttributeValue.Null ignored -> writeByte(NULL);
                case AttributeValue.SS ss -> {
                    writeByte(SS);
                    writeVarint(ss.values().size());
                    for (String element : ss.values()) writeString(element);
                }
                case AttributeValue.NS ns -> {
                    writeByte(NS);
                    writeVarint(ns.values().size());
                    for (BigDecimal element : ns.values()) writeNumber(element);
                }
                case AttributeValue.BS bs -> {
                    writeByte(BS);
                    writeVarint(bs.values().size());
                    for (byte[] element : bs.values()) writeBytes(element);
                }
                case AttributeValue.L l -> {
                    writeByte(L);
                    writeVarint(l.value().size());
                    for (AttributeValue element : l.value()) writeValue(element);
                }
                case AttributeValue.M m -> {
                    writeByte(M);
                    writeMap(m.value());
                }
            }
        }

        void writeNumber(BigDecimal value) {
            int scale = value.scale();
            writeVarint((scale << 1) ^ (scale >> 31));
            writeBytes(value.unscaledValue().toByteArray());
        }

        void writeString(String text) {
            writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        void writeBytes(byte[] bytes) {
            writeVarint(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
        }

        void writeVarint(int value) {
            ensure(5);
            while ((value & ~0x7F) != 0) {
                buffer[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buffer[size++] = (byte) value;
        }

        void writeByte(int value) {
            ensure(1);
            buffer[size++] = (byte) value;
        }

        private void ensure(int extra) {
            if (size + extra > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes, int position) {
            this.bytes = bytes;
            this.position = position;
        }

        Map<String, AttributeValue> readMap() {
            int count = readVarint();
            Map<String, AttributeValue> map = new LinkedHashMap<>(Math.max(4, count * 2));
            for (int i = 0; i < count; i++) {
                String name = readString();
                map.put(name, readValue());
            }
            return map;
        }

        AttributeValue readValue() {
            int tag = bytes[position++];
            return switch (tag) {
                case S -> new AttributeValue.S(readString());
                case N -> new AttributeValue.N(readNumber());
                case B -> new AttributeValue.B(readBytes());
                case TRUE -> AttributeValue.TRUE;
                case FALSE -> AttributeValue.FALSE;
                case NULL -> AttributeValue.NULL;
                case SS -> {
                    int count = readVarint();
                    List<String> values = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) values.add(readString());
                    yield new AttributeValue.SS(values);
                }
                case NS -> {
                    int count = readVarint();
                    List<BigDecimal> values = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) values.add(readNumber());
                    yield new AttributeValue.NS(values);
                }
                case BS -> {
                    int count = readVarint();
                    List<byte[]> values = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) values.add(readBytes());
                    yield new AttributeValue.BS(values);
                }
                case L -> {
                    int count = readVarint();
                    List<AttributeValue> values = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) values.add(readValue());
                    yield new AttributeValue.L(values);
                }
                case M -> new AttributeValue.M(readMap());
                default -> throw new IllegalArgumentException("unknown value tag " + tag + " at " + (position - 1));
            };
        }

        BigDecimal readNumber() {
            int zigzag = readVarint();
            int scale = (zigzag >>> 1) ^ -(zigzag & 1);
            return new BigDecimal(new BigInteger(readBytes()), scale);
        }

        String readString() {
            int length = readVarint();
            String text = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return text;
        }

        byte[] readBytes() {
            int length = readVarint();
            byte[] value = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return value;
        }

        int readVarint() {
            int value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[position++];
                value |= (b & 0x7F) << shift;
                if (b >= 0) return value;
            }
        }
    }
}
