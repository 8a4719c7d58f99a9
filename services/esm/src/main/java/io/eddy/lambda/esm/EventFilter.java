package io.eddy.lambda.esm;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.event.ruler.Machine;

/**
 * A mapping's FilterCriteria: a record passes when any pattern matches it (EventBridge pattern
 * syntax, through event-ruler). No filters means every record passes.
 */
final class EventFilter {

    private final Machine machine;

    private EventFilter(Machine machine) {
        this.machine = machine;
    }

    static EventFilter of(List<String> patterns) {
        if (patterns.isEmpty()) return new EventFilter(null);
        Machine machine = new Machine();
        try {
            for (int i = 0; i < patterns.size(); i++) machine.addRule("filter-" + i, patterns.get(i));
        } catch (IOException e) {
            throw new IllegalStateException("a stored filter pattern no longer compiles", e);
        }
        return new EventFilter(machine);
    }

    boolean matchesStreamRecord(JsonNode record) {
        return machine == null || !machine.rulesForJSONEvent(record).isEmpty();
    }

    /**
     * An SQS record is matched with its body as JSON when the body is a JSON object, and as plain
     * text otherwise, so a JSON pattern never matches a plain body and the other way round.
     */
    boolean matchesQueueRecord(ObjectNode record) {
        if (machine == null) return true;
        ObjectNode view = record.deepCopy();
        String body = record.path("body").asText();
        try {
            JsonNode parsed = MappingStore.JSON.readTree(body);
            if (parsed != null && parsed.isObject()) view.set("body", parsed);
        } catch (IOException notJson) {
            // the body stays text
        }
        return !machine.rulesForJSONEvent(view).isEmpty();
    }
}
