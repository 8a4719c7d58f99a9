package io.eddy.dynamodb.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ItemCodecTest {

    @Test
    void roundTripsExactly() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("z", AttributeValue.s("héllo 😀"));
        item.put("a", AttributeValue.n("-12.345E-100"));
        item.put("big", AttributeValue.n("9.9999999999999999999999999999999999999E+125"));
        item.put("zero", AttributeValue.n("0"));
        item.put("b", new AttributeValue.B(new byte[]{0, -1, 127}));
        item.put("ss", new AttributeValue.SS(List.of("c", "a", "b")));
        item.put("ns", new AttributeValue.NS(List.of(new BigDecimal("3"), new BigDecimal("-1"), new BigDecimal("2.5"))));
        item.put("bs", new AttributeValue.BS(List.of(new byte[]{2}, new byte[]{1})));
        item.put("n", AttributeValue.NULL);
        item.put("t", AttributeValue.TRUE);
        item.put("f", AttributeValue.FALSE);
        Map<String, AttributeValue> nested = new LinkedHashMap<>();
        nested.put("y", new AttributeValue.L(List.of(AttributeValue.s(""), new AttributeValue.M(Map.of()))));
        nested.put("x", AttributeValue.n(7));
        item.put("m", new AttributeValue.M(nested));

        Map<String, AttributeValue> decoded = ItemCodec.decode(ItemCodec.encode(item));
        assertThat(decoded).isEqualTo(item);
        assertThat(decoded.keySet()).containsExactlyElementsOf(item.keySet());
        assertThat(((AttributeValue.SS) decoded.get("ss")).values()).containsExactly("c", "a", "b");
        assertThat(((AttributeValue.NS) decoded.get("ns")).values()).containsExactly(
                new BigDecimal("3"), new BigDecimal("-1"), new BigDecimal("2.5"));
        assertThat(((AttributeValue.M) decoded.get("m")).value().keySet()).containsExactly("y", "x");
    }

    @Test
    void roundTripsLargeRandomItems() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            for (int i = 0; i < 200; i++) {
                List<AttributeValue> list = new ArrayList<>();
                for (int j = 0; j < random.nextInt(5); j++) list.add(AttributeValue.n(random.nextLong()));
                item.put("attr" + random.nextInt(1000), random.nextBoolean()
                        ? AttributeValue.s("v".repeat(random.nextInt(300)))
                        : new AttributeValue.L(list));
            }
            assertThat(ItemCodec.decode(ItemCodec.encode(item))).isEqualTo(item);
        }
    }
}
