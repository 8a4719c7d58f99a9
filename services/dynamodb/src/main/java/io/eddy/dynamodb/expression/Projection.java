package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ProjectionExpression (or AttributesToGet): the listed paths copied out of an item with their
 * structure kept; list elements picked by index come back compacted and in index order.
 */
public final class Projection {

    private final List<DocumentPath> paths;

    private Projection(List<DocumentPath> paths) {
        this.paths = List.copyOf(paths);
    }

    /** Paths that were already validated (e.g. an update's paths for ReturnValues UPDATED_*). */
    public static Projection of(List<DocumentPath> paths) {
        return new Projection(paths);
    }

    static Projection validated(List<DocumentPath> paths, String parameterName) {
        PathRules.checkDisjoint(paths, parameterName);
        return new Projection(paths);
    }

    public List<DocumentPath> paths() {
        return paths;
    }

    /** The top-level attribute names the projection reads. */
    public List<String> attributeNames() {
        return paths.stream().map(DocumentPath::attributeName).distinct().toList();
    }

    public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        Node root = new Node();
        for (DocumentPath path : paths) {
            AttributeValue value = path.resolve(item);
            if (value == null) continue;
            Node node = root;
            for (DocumentPath.Element element : path.elements()) {
                node = switch (element) {
                    case DocumentPath.Name name -> node.fields.computeIfAbsent(name.name(), k -> new Node());
                    case DocumentPath.Index index -> node.elements.computeIfAbsent(index.index(), k -> new Node());
                };
            }
            node.value = value;
        }
        Map<String, AttributeValue> result = new LinkedHashMap<>();
        root.fields.forEach((name, node) -> result.put(name, node.build()));
        return result;
    }

    private static final class Node {
        private final Map<String, Node> fields = new LinkedHashMap<>();
        private final TreeMap<Integer, Node> elements = new TreeMap<>();
        private AttributeValue value;

        AttributeValue build() {
            if (value != null) return value;
            if (!fields.isEmpty()) {
                Map<String, AttributeValue> map = new LinkedHashMap<>();
                fields.forEach((name, node) -> map.put(name, node.build()));
                return new AttributeValue.M(map);
            }
            List<AttributeValue> list = new ArrayList<>(elements.size());
            elements.values().forEach(node -> list.add(node.build()));
            return new AttributeValue.L(list);
        }
    }
}
