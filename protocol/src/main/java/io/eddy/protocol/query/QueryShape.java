package io.eddy.protocol.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How one value travels in the AWS Query protocol: as {@code Name.N} form parameters on the way in
 * and as XML elements on the way out. Services describe their operations' inputs and outputs with
 * these shapes; the values themselves are the same JSON trees the AWS JSON protocols carry, so one
 * service implementation can serve both wires.
 *
 * <p>Names follow the Smithy/botocore serialization traits: a {@link Member}'s {@code wireName} is its
 * {@code locationName}/{@code xmlName}; a list's {@code memberName} is the list member's
 * {@code locationName} (flattened lists replace the member's own name with it); a map's key and value
 * names default to {@code key}/{@code value}.
 */
public sealed interface QueryShape {

    enum ScalarType { STRING, INTEGER, LONG, DOUBLE, BOOLEAN, BLOB, TIMESTAMP }

    record Scalar(ScalarType type) implements QueryShape {
    }

    /** {@code memberName} null means "member" for wrapped lists and the structure member's own name for flattened ones. */
    record ListShape(QueryShape member, String memberName, boolean flattened) implements QueryShape {
    }

    /** Map keys are always strings. */
    record MapShape(QueryShape value, String keyName, String valueName, boolean flattened) implements QueryShape {
    }

    record Member(String name, String wireName, QueryShape shape) {
    }

    /** A structure's members in the order they are written. Build with {@link #structure()} and {@link #member}. */
    final class Structure implements QueryShape {
        private final List<Member> members = new ArrayList<>();

        private Structure() {
        }

        /** Adds a member whose wire name is its own name. */
        public Structure member(String name, QueryShape shape) {
            return member(name, name, shape);
        }

        public Structure member(String name, String wireName, QueryShape shape) {
            members.add(new Member(name, wireName, shape));
            return this;
        }

        public List<Member> members() {
            return Collections.unmodifiableList(members);
        }
    }

    Scalar STRING = new Scalar(ScalarType.STRING);
    Scalar INTEGER = new Scalar(ScalarType.INTEGER);
    Scalar LONG = new Scalar(ScalarType.LONG);
    Scalar DOUBLE = new Scalar(ScalarType.DOUBLE);
    Scalar BOOLEAN = new Scalar(ScalarType.BOOLEAN);
    /** Base64 text in the tree, as in the JSON protocols. */
    Scalar BLOB = new Scalar(ScalarType.BLOB);
    /** Epoch seconds in the tree (the JSON protocols' form), ISO 8601 on the Query wire. */
    Scalar TIMESTAMP = new Scalar(ScalarType.TIMESTAMP);

    static Structure structure() {
        return new Structure();
    }

    /** A wrapped list: {@code Name.member.N} in, {@code <Name><member>..</member></Name>} out. */
    static ListShape list(QueryShape member) {
        return new ListShape(member, null, false);
    }

    /** A flattened list whose elements are named {@code memberName}: {@code memberName.N} in, repeated {@code <memberName>} out. */
    static ListShape flatList(String memberName, QueryShape member) {
        return new ListShape(member, memberName, true);
    }

    /** A wrapped map: {@code Name.entry.N.key}/{@code .value} in, {@code <Name><entry><key/><value/></entry></Name>} out. */
    static MapShape map(QueryShape value) {
        return new MapShape(value, "key", "value", false);
    }

    /** A wrapped map with its own key and value names (e.g. SNS message attributes: Name/Value). */
    static MapShape map(String keyName, String valueName, QueryShape value) {
        return new MapShape(value, keyName, valueName, false);
    }

    /** A flattened map: {@code Name.N.keyName}/{@code Name.N.valueName} in, repeated {@code <Name>} out. */
    static MapShape flatMap(String keyName, String valueName, QueryShape value) {
        return new MapShape(value, keyName, valueName, true);
    }
}
