package io.eddy.dynamodb.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AttributeValueTest {

    @Test
    void numbersAreNormalised() {
        assertThat(new AttributeValue.N(new BigDecimal("1.00"))).isEqualTo(new AttributeValue.N(BigDecimal.ONE));
        assertThat(new AttributeValue.N(new BigDecimal("0.000")).value()).isSameAs(BigDecimal.ZERO);
        assertThat(new AttributeValue.NS(List.of(new BigDecimal("1.0"), new BigDecimal("20"))))
                .isEqualTo(new AttributeValue.NS(List.of(new BigDecimal("2E+1"), BigDecimal.ONE)));
    }

    @Test
    void binariesCompareByContent() {
        assertThat(new AttributeValue.B(new byte[]{1, 2})).isEqualTo(new AttributeValue.B(new byte[]{1, 2}))
                .hasSameHashCodeAs(new AttributeValue.B(new byte[]{1, 2}));
        assertThat(new AttributeValue.BS(List.of(new byte[]{1}, new byte[]{2})))
                .isEqualTo(new AttributeValue.BS(List.of(new byte[]{2}, new byte[]{1})))
                .isNotEqualTo(new AttributeValue.BS(List.of(new byte[]{2}, new byte[]{3})));
    }

    @Test
    void binaryIsDefensivelyCopied() {
        byte[] bytes = {1, 2};
        AttributeValue.B b = new AttributeValue.B(bytes);
        bytes[0] = 9;
        assertThat(b.value()).containsExactly(1, 2);
    }

    @Test
    void setsKeepOrderButIgnoreItForEquality() {
        AttributeValue.SS set = new AttributeValue.SS(List.of("b", "a"));
        assertThat(set.values()).containsExactly("b", "a");
        assertThat(set).isEqualTo(new AttributeValue.SS(List.of("a", "b")))
                .hasSameHashCodeAs(new AttributeValue.SS(List.of("a", "b")));
        assertThat(set).isNotEqualTo(new AttributeValue.SS(List.of("a", "c")));
    }

    @Test
    void mapsKeepInsertionOrder() {
        Map<String, AttributeValue> source = new LinkedHashMap<>();
        source.put("z", AttributeValue.s("1"));
        source.put("a", AttributeValue.s("2"));
        assertThat(new AttributeValue.M(source).value().keySet()).containsExactly("z", "a");
    }

    @Test
    void typeNames() {
        assertThat(List.of(AttributeValue.s("x"), AttributeValue.n(1), new AttributeValue.B(new byte[0]),
                new AttributeValue.SS(List.of("x")), new AttributeValue.NS(List.of(BigDecimal.ONE)),
                new AttributeValue.BS(List.of(new byte[0])), new AttributeValue.M(Map.of()),
                new AttributeValue.L(List.of()), AttributeValue.NULL, AttributeValue.TRUE))
                .extracting(AttributeValue::typeName)
                .containsExactly("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL");
    }
}
