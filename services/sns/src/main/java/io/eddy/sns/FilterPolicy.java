package io.eddy.sns;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.protocol.AwsException;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * A subscription filter policy, checked and matched the way SNS does: AWS's own Event Ruler
 * validates the policy (its error texts are the ones SNS returns) and evaluates it against the
 * message attributes (flat, with String, String.Array and Number attributes typed as JSON) or against
 * the message body (nested JSON). SNS's own limits come on top: five keys and 150 combinations.
 */
public final class FilterPolicy {

    public static final String SCOPE_ATTRIBUTES = "MessageAttributes";
    public static final String SCOPE_BODY = "MessageBody";

    static final int MAX_KEYS = 5;
    static final int MAX_COMBINATIONS = 150;
    static final int MAX_BYTES = 256 * 1024;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int CACHE_SIZE = 1024;
    private static final Map<String, FilterPolicy> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FilterPolicy> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private final Machine machine;
    private final boolean matchesEverything;
    private final boolean bodyScope;

    private FilterPolicy(Machine machine, boolean matchesEverything, boolean bodyScope) {
        this.machine = machine;
        this.matchesEverything = matchesEverything;
        this.bodyScope = bodyScope;
    }

    /**
     * Checks {@code text} for {@code scope} and compiles it.
     *
     * @param reason what goes between {@code "Invalid parameter: "} and the policy's own complaint:
     *               {@code "Attributes Reason: "} when the policy came with Subscribe, empty for SetSubscriptionAttributes
     */
    public static FilterPolicy check(String text, String scope, String reason) {
        JsonNode tree;
        try {
            tree = Json.readClientDocument(text);
        } catch (IOException e) {
            throw SnsErrors.invalidParameter(reason + "FilterPolicy: failed to parse JSON. " + e.getMessage());
        }
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw SnsErrors.invalidParameter(reason + "FilterPolicy: Filter policy is too large");
        }
        if (tree != null && tree.isObject() && tree.isEmpty()) return new FilterPolicy(null, true, SCOPE_BODY.equals(scope));
        String problem = JsonRuleCompiler.check(text);
        if (problem == null) problem = unsupportedOperator(text);
        if (problem != null) throw SnsErrors.invalidParameter(reason + "FilterPolicy: " + problem);
        ObjectNode policy = (ObjectNode) tree;
        boolean body = SCOPE_BODY.equals(scope);
        if (!body && isNested(policy)) {
            throw SnsErrors.invalidParameter(reason + "Filter policy scope MessageAttributes does not support nested filter policy");
        }
        if (keys(policy, new LinkedHashSet<>()).size() > MAX_KEYS) {
            throw SnsErrors.invalidParameter(reason + "FilterPolicy: Filter policy can not have more than 5 keys");
        }
        if (combinations(policy, 1) > MAX_COMBINATIONS) {
            throw SnsErrors.invalidParameter(reason + "FilterPolicy: Filter policy is too complex");
        }
        return compiled(text, body);
    }

    /** The compiled form of a policy that was checked when it was stored. */
    public static FilterPolicy of(String text, String scope) {
        boolean body = SCOPE_BODY.equals(scope);
        synchronized (CACHE) {
            FilterPolicy cached = CACHE.get(scope + '\u0000' + text);
            if (cached != null) return cached;
        }
        try {
            JsonNode tree = Json.MAPPER.readTree(text);
            if (tree.isObject() && tree.isEmpty()) return new FilterPolicy(null, true, body);
        } catch (IOException e) {
            throw new IllegalStateException("stored filter policy does not parse", e);
        }
        return compiled(text, body);
    }

    private static FilterPolicy compiled(String text, boolean body) {
        String key = (body ? SCOPE_BODY : SCOPE_ATTRIBUTES) + '\u0000' + text;
        synchronized (CACHE) {
            FilterPolicy cached = CACHE.get(key);
            if (cached != null) return cached;
        }
        Machine machine = new Machine();
        try {
            machine.addRule("policy", text);
        } catch (IOException e) {
            throw new AwsException(400, "InvalidParameter", "Invalid parameter: FilterPolicy: " + e.getMessage());
        }
        FilterPolicy policy = new FilterPolicy(machine, false, body);
        synchronized (CACHE) {
            CACHE.put(key, policy);
        }
        return policy;
    }

    /**
     * Event Ruler also accepts EventBridge's {@code wildcard} operator, which is not among SNS's filter
     * operators: SNS rejects it as it rejects any unknown match type. Returns that complaint, or null.
     */
    private static String unsupportedOperator(String text) {
        try (JsonParser parser = Json.clientDocumentParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && parser.currentName().equals("wildcard") && isMatchExpression(parser)) {
                    parser.nextToken();
                    return new JsonParseException(parser, "Unrecognized match type wildcard").getMessage();
                }
            }
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("a policy Event Ruler accepted does not parse", e);
        }
    }

    /** Whether the parser is in a match expression: an object in a value list (not a $or branch) or under anything-but. */
    private static boolean isMatchExpression(JsonParser parser) {
        JsonStreamContext parent = parser.getParsingContext().getParent();
        if (parent == null) return false;
        if (parent.inArray()) return parent.getParent() != null && !"$or".equals(parent.getParent().getCurrentName());
        return parent.inObject() && "anything-but".equals(parent.getCurrentName());
    }

    /** Whether a message with these attributes and this body passes the policy. */
    public boolean matches(Map<String, MessageAttribute> attributes, String body) {
        if (matchesEverything) return true;
        JsonNode event = bodyScope ? bodyEvent(body) : attributeEvent(attributes);
        if (event == null) return false;
        return !machine.rulesForJSONEvent(event).isEmpty();
    }

    /** Attributes as the JSON object the policy is matched against: Binary attributes are ignored. */
    static ObjectNode attributeEvent(Map<String, MessageAttribute> attributes) {
        ObjectNode event = NODES.objectNode();
        attributes.forEach((name, attribute) -> {
            switch (attribute.baseType()) {
                case "Number" -> {
                    try {
                        event.put(name, new BigDecimal(attribute.stringValue().trim()));
                    } catch (NumberFormatException e) {
                        event.put(name, attribute.stringValue());
                    }
                }
                case "String" -> {
                    if (attribute.isStringArray()) {
                        try {
                            JsonNode array = Json.MAPPER.readTree(attribute.stringValue());
                            if (array != null && array.isArray()) {
                                event.set(name, array);
                                return;
                            }
                        } catch (IOException e) {
                            // not a JSON array: matched as the plain string it is
                        }
                    }
                    event.put(name, attribute.stringValue());
                }
                default -> {
                    // Binary attributes never take part in filtering
                }
            }
        });
        return event;
    }

    private static JsonNode bodyEvent(String body) {
        try {
            JsonNode tree = Json.MAPPER.readTree(body);
            return tree != null && tree.isObject() ? tree : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isNested(ObjectNode policy) {
        for (Iterator<Map.Entry<String, JsonNode>> it = policy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (field.getKey().equals("$or") && value.isArray()) {
                for (JsonNode branch : value) {
                    if (branch.isObject() && isNested((ObjectNode) branch)) return true;
                }
            } else if (value.isObject()) {
                return true;
            }
        }
        return false;
    }

    /** The policy's attribute names: its top-level keys and those of its top-level {@code $or} branches. */
    private static Set<String> keys(ObjectNode policy, Set<String> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = policy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("$or") && field.getValue().isArray() && allObjects(field.getValue())) {
                for (JsonNode branch : field.getValue()) keys((ObjectNode) branch, into);
            } else {
                into.add(field.getKey());
            }
        }
        return into;
    }

    /**
     * The number of value combinations: the product over keys of each value list's length, a list
     * nested {@code depth} keys deep counting {@code depth} times its length; {@code $or} branches add up.
     */
    private static long combinations(ObjectNode policy, int depth) {
        long product = 1;
        for (Iterator<Map.Entry<String, JsonNode>> it = policy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            long count;
            if (field.getKey().equals("$or") && value.isArray() && allObjects(value)) {
                count = 0;
                for (JsonNode branch : value) count += combinations((ObjectNode) branch, depth);
            } else if (value.isArray()) {
                count = (long) depth * value.size();
            } else if (value.isObject()) {
                count = combinations((ObjectNode) value, depth + 1);
            } else {
                count = 1;
            }
            product = Math.min(product * Math.max(count, 1), Integer.MAX_VALUE);
        }
        return product;
    }

    private static boolean allObjects(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isObject()) return false;
        }
        return !array.isEmpty();
    }
}
