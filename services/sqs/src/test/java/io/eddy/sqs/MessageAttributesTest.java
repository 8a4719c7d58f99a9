package io.eddy.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MessageAttributesTest {

    @Test
    void attributeChecksumFollowsTheDocumentedEncoding() {
        assertThat(MessageAttributes.md5OfAttributes(Map.of("a", MessageAttribute.string("b"))))
                .isEqualTo("bef8bf215374a0a228d67533b1a488be");
        Map<String, MessageAttribute> mixed = new LinkedHashMap<>();
        mixed.put("zeta", new MessageAttribute("Number.int", "42", null));
        mixed.put("beta", MessageAttribute.string("ü"));
        mixed.put("Alpha", MessageAttribute.binary(new byte[] {0, (byte) 0xFF}));
        assertThat(MessageAttributes.md5OfAttributes(mixed)).isEqualTo("d22379c7d1ee3f87ec12747961b84aca");
        assertThat(MessageAttributes.md5OfAttributes(Map.of())).isNull();
        assertThat(MessageAttributes.md5OfBody("hello")).isEqualTo("5d41402abc4b2a76b9719d911017c592");
    }

    @Test
    void selectionTakesAllExactNamesAndPrefixWildcards() {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        for (String name : List.of("order.id", "order.total", "orderly", "customer")) {
            attributes.put(name, MessageAttribute.string("v"));
        }
        assertThat(MessageAttributes.select(attributes, List.of("All"))).hasSize(4);
        assertThat(MessageAttributes.select(attributes, List.of(".*"))).hasSize(4);
        assertThat(MessageAttributes.select(attributes, List.of("order.*")).keySet())
                .containsExactly("order.id", "order.total");
        assertThat(MessageAttributes.select(attributes, List.of("customer", "nothing")).keySet())
                .containsExactly("customer");
        assertThat(MessageAttributes.select(attributes, List.of())).isEmpty();
    }

    @Test
    void sizeCountsNameTypeAndValueBytes() {
        assertThat(MessageAttributes.size(Map.of("né", MessageAttribute.string("€")))).isEqualTo(3 + 6 + 3);
        assertThat(MessageAttributes.size(Map.of("b", MessageAttribute.binary(new byte[10])))).isEqualTo(1 + 6 + 10);
    }

    @Test
    void invalidCharactersAreFound() {
        assertThat(MessageAttributes.firstInvalidCharacter("fine\t\n\r text 😀")).isEqualTo(-1);
        assertThat(MessageAttributes.firstInvalidCharacter("bad\u0008")).isEqualTo(8);
        assertThat(MessageAttributes.firstInvalidCharacter("\uFFFE")).isEqualTo(0xFFFE);
    }
}
