package io.eddy.protocol.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Writes an operation's output tree as Query-protocol XML, guided by its shape. Absent and null members are omitted. */
final class QueryEncoder {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private QueryEncoder() {
    }

    static void writeMembers(XmlWriter xml, QueryShape.Structure shape, JsonNode value) {
        for (QueryShape.Member member : shape.members()) {
            JsonNode child = value.get(member.name());
            if (child == null || child.isNull()) continue;
            write(xml, member.shape(), member.wireName(), child);
        }
    }

    private static void write(XmlWriter xml, QueryShape shape, String name, JsonNode value) {
        switch (shape) {
            case QueryShape.Scalar scalar -> xml.element(name, text(scalar.type(), value));
            case QueryShape.Structure structure -> {
                xml.start(name);
                writeMembers(xml, structure, value);
                xml.end(name);
            }
            case QueryShape.ListShape list -> {
                if (list.flattened()) {
                    String elementName = list.memberName() == null ? name : list.memberName();
                    for (JsonNode element : value) write(xml, list.member(), elementName, element);
                } else {
                    xml.start(name);
                    String elementName = list.memberName() == null ? "member" : list.memberName();
                    for (JsonNode element : value) write(xml, list.member(), elementName, element);
                    xml.end(name);
                }
            }
            case QueryShape.MapShape map -> {
                if (!map.flattened()) xml.start(name);
                String entryName = map.flattened() ? name : "entry";
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    xml.start(entryName);
                    xml.element(map.keyName(), entry.getKey());
                    if (entry.getValue() != null && !entry.getValue().isNull()) {
                        write(xml, map.value(), map.valueName(), entry.getValue());
                    }
                    xml.end(entryName);
                }
                if (!map.flattened()) xml.end(name);
            }
        }
    }

    private static String text(QueryShape.ScalarType type, JsonNode value) {
        if (type == QueryShape.ScalarType.TIMESTAMP && value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            long whole = seconds.longValue();
            int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
            return ISO_MILLIS.format(Instant.ofEpochSecond(whole, nanos));
        }
        return value.asText();
    }
}
