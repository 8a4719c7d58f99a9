package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A document path such as {@code a.b[2].c}, with expression attribute names already substituted.
 * The first element is always a {@link Name}.
 */
public record DocumentPath(List<Element> elements) {

    public sealed interface Element {
    }

    /** A map key (or top-level attribute name). */
    public record Name(String name) implements Element {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A list index. */
    public record Index(int index) implements Element {
        @Override
        public String toString() {
            return "[" + index + "]";
        }
    }

    public DocumentPath {
        elements = List.copyOf(elements);
        if (elements.isEmpty() || !(elements.getFirst() instanceof Name)) {
            throw new IllegalArgumentException("a document path starts with a name");
        }
    }

    public static DocumentPath of(String attributeName) {
        return new DocumentPath(List.of(new Name(attributeName)));
    }

    /** The top-level attribute this path starts at. */
    public String attributeName() {
        return ((Name) elements.getFirst()).name();
    }

    public int size() {
        return elements.size();
    }

    public Element get(int i) {
        return elements.get(i);
    }

    /** The value at this path in {@code item}, or null if any step is missing or of the wrong type. */
    public AttributeValue resolve(Map<String, AttributeValue> item) {
        AttributeValue current = item.get(attributeName());
        for (int i = 1; i < elements.size() && current != null; i++) {
            current = step(current, elements.get(i));
        }
        return current;
    }

    static AttributeValue step(AttributeValue container, Element element) {
        return switch (element) {
            case Name name -> container instanceof AttributeValue.M map ? map.value().get(name.name()) : null;
            case Index index -> container instanceof AttributeValue.L list && index.index() < list.value().size()
                    ? list.value().get(index.index()) : null;
        };
    }

    /** The form AWS uses in error messages: {@code [a, b, [0]]}. */
    @Override
    public String toString() {
        return elements.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
