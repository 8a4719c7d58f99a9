package io.eddy.dynamodb.expression;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.AttributeValueJson;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers: items and placeholder maps written as DynamoDB JSON with single quotes. */
final class Items {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Items() {
    }

    static Map<String, AttributeValue> item(String json) {
        try {
            return AttributeValueJson.itemFromJson(MAPPER.readTree(json.replace('\'', '"')));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String json(Map<String, AttributeValue> item) {
        return AttributeValueJson.itemToJson(item).toString().replace('"', '\'');
    }

    static Map<String, String> names(String... pairs) {
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) names.put(pairs[i], pairs[i + 1]);
        return names;
    }
}
