package io.eddy.protocol.shape;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One shape of a service's API model, with the traits request validation uses. Shapes reference each
 * other by name; {@link ShapeModel} links them after loading.
 */
public final class Shape {

    /** The model's shape types; the names are the model's own. */
    public enum Type {
        STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, DOUBLE, FLOAT, BOOLEAN, BLOB, TIMESTAMP;

        static Type of(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }

    final String name;
    final Type type;
    final Map<String, Shape> members = new LinkedHashMap<>();
    Set<String> required = Set.of();
    Shape member;
    Shape key;
    Shape value;
    BigDecimal min;
    BigDecimal max;
    Pattern pattern;
    List<String> enumValues;
    /** Values not starting with {@link #alternatePrefix} must also satisfy this shape. */
    Shape alternate;
    String alternatePrefix;
    /** Rendered in messages as an object identity, the way AWS prints types without a readable form. */
    boolean opaque;
    /** Left out of messages ({@code Value at 'path' ...}), as AWS leaves out some collections of item data. */
    boolean valueOmitted;

    Shape(String name, Type type) {
        this.name = name;
        this.type = type;
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    boolean isScalar() {
        return type != Type.STRUCTURE && type != Type.LIST && type != Type.MAP;
    }

    boolean isNumeric() {
        return type == Type.INTEGER || type == Type.LONG || type == Type.DOUBLE || type == Type.FLOAT;
    }

    boolean hasConstraints() {
        return min != null || max != null || pattern != null || enumValues != null || alternate != null;
    }
}
