package io.eddy.protocol.shape;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The input shapes of a service's operations, read from the compact form {@code tools/input-shapes.py}
 * writes from the API model AWS publishes (botocore's {@code service-2.json}): per operation its input
 * shape; per shape its type, members in model order, required members, lengths, ranges, patterns and
 * enums. Where the service itself is known to differ from the published model, the service adjusts the
 * loaded model with the {@code with...} methods before validating with it.
 */
public final class ShapeModel {

    private final Map<String, Shape> shapes = new HashMap<>();
    private final Map<String, Shape> inputs = new HashMap<>();

    private ShapeModel() {
    }

    /** Reads a model resource and closes the stream. */
    public static ShapeModel load(InputStream in) {
        if (in == null) throw new IllegalArgumentException("no input shape model");
        try (in) {
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ShapeModel parse(JsonNode document) {
        ShapeModel model = new ShapeModel();
        JsonNode definitions = document.path("shapes");
        definitions.fields().forEachRemaining(e ->
                model.shapes.put(e.getKey(), new Shape(e.getKey(), Shape.Type.of(e.getValue().path("type").asText()))));
        definitions.fields().forEachRemaining(e -> model.link(model.shapes.get(e.getKey()), e.getValue()));
        document.path("operations").fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) model.inputs.put(e.getKey(), model.shape(e.getValue().asText()));
        });
        return model;
    }

    private void link(Shape shape, JsonNode definition) {
        definition.path("members").fields().forEachRemaining(m -> shape.members.put(m.getKey(), shape(m.getValue().asText())));
        if (definition.has("required")) {
            LinkedHashSet<String> required = new LinkedHashSet<>();
            definition.get("required").forEach(r -> required.add(r.asText()));
            shape.required = required;
        }
        if (definition.has("member")) shape.member = shape(definition.get("member").asText());
        if (definition.has("key")) shape.key = shape(definition.get("key").asText());
        if (definition.has("value")) shape.value = shape(definition.get("value").asText());
        if (definition.has("min")) shape.min = definition.get("min").decimalValue();
        if (definition.has("max")) shape.max = definition.get("max").decimalValue();
        if (definition.has("pattern")) shape.pattern = Pattern.compile(definition.get("pattern").asText());
        if (definition.has("enum")) {
            List<String> values = new ArrayList<>();
            definition.get("enum").forEach(v -> values.add(v.asText()));
            shape.enumValues = List.copyOf(values);
        }
    }

    /** The input shape of {@code operation}, or null when the model does not know it or it takes none. */
    public Shape input(String operation) {
        return inputs.get(operation);
    }

    public Shape shape(String name) {
        Shape shape = shapes.get(name);
        if (shape == null) throw new IllegalArgumentException("no shape " + name);
        return shape;
    }

    /** Makes members required that the service requires although the published model does not. */
    public ShapeModel withRequired(String shape, String... members) {
        Shape target = shape(shape);
        LinkedHashSet<String> required = new LinkedHashSet<>(target.required);
        for (String member : members) {
            if (!target.members.containsKey(member)) throw new IllegalArgumentException(shape + " has no member " + member);
            required.add(member);
        }
        target.required = required;
        return this;
    }

    /** Sets a length or value maximum the service enforces although the published model does not. */
    public ShapeModel withMax(String shape, long max) {
        shape(shape).max = BigDecimal.valueOf(max);
        return this;
    }

    /** Lists an enum's values in the order the service's messages print them. */
    public ShapeModel withEnumOrder(String shape, List<String> values) {
        Shape target = shape(shape);
        if (target.enumValues == null || !new LinkedHashSet<>(values).equals(new LinkedHashSet<>(target.enumValues))
                || values.size() != target.enumValues.size()) {
            throw new IllegalArgumentException(values + " are not the values of " + shape);
        }
        target.enumValues = List.copyOf(values);
        return this;
    }

    /**
     * Values of {@code shape} that do not start with {@code prefix} must satisfy {@code alternate} too,
     * as a name that may also be given as an ARN.
     */
    public ShapeModel withAlternate(String shape, String prefix, String alternate) {
        Shape target = shape(shape);
        target.alternate = shape(alternate);
        target.alternatePrefix = prefix;
        return this;
    }

    /** Leaves the values of {@code shape} out of validation messages: {@code Value at 'path' failed ...}. */
    public ShapeModel withValueOmitted(String shape) {
        shape(shape).valueOmitted = true;
        return this;
    }

    /** Renders values of {@code shape} in messages as an object identity rather than member by member. */
    public ShapeModel withOpaqueRendering(String shape) {
        shape(shape).opaque = true;
        return this;
    }
}
