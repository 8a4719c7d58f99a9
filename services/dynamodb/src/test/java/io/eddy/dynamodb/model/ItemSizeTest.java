package io.eddy.dynamodb.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ItemSizeTest {

    @Test
    void sizesScalars() {
        assertThat(ItemSize.of(Map.of("ab", AttributeValue.s("héllo")))).isEqualTo(2 + 6);
        assertThat(ItemSize.of(AttributeValue.NULL)).isEqualTo(1);
        assertThat(ItemSize.of(AttributeValue.TRUE)).isEqualTo(1);
        assertThat(ItemSize.of(new AttributeValue.B(new byte[10]))).isEqualTo(10);
        assertThat(ItemSize.of(AttributeValue.n("12345"))).isEqualTo(4);
        assertThat(ItemSize.of(AttributeValue.n("1200"))).isEqualTo(2);
        assertThat(ItemSize.of(AttributeValue.n("0"))).isEqualTo(1);
    }

    @Test
    void sizesDocuments() {
        AttributeValue list = new AttributeValue.L(List.of(AttributeValue.s("abc"), AttributeValue.TRUE));
        assertThat(ItemSize.of(list)).isEqualTo(3 + (1 + 3) + (1 + 1));
        AttributeValue map = new AttributeValue.M(Map.of("k", AttributeValue.s("vv")));
        assertThat(ItemSize.of(map)).isEqualTo(3 + 1 + 1 + 2);
        assertThat(ItemSize.of(new AttributeValue.SS(List.of("a", "bb")))).isEqualTo(3);
    }

    @Test
    void utf8LengthCountsSurrogatePairs() {
        assertThat(ItemSize.utf8Length("a😀é€")).isEqualTo(1 + 4 + 2 + 3);
    }

    @Test
    void rejectsItemsOver400Kb() {
        ItemSize.check(Map.of("a", AttributeValue.s("x".repeat(400 * 1024 - 1))));
        assertThatThrownBy(() -> ItemSize.check(Map.of("ab", AttributeValue.s("x".repeat(400 * 1024 - 1)))))
                .hasMessage("Item size has exceeded the maximum allowed size");
    }
}
