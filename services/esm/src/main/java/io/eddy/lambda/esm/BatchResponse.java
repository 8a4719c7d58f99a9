package io.eddy.lambda.esm;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.lambda.esm.spi.FunctionInvoker.InvokeResult;

/**
 * What an invocation's result means for its batch: complete success, a partial failure naming the
 * failed items (ReportBatchItemFailures), or a failure of the whole batch.
 *
 * @param failedIds    for {@link Kind#PARTIAL}: the item identifiers the function listed
 * @param state        for tumbling windows: the state the function returned
 */
record BatchResponse(Kind kind, Set<String> failedIds, ObjectNode state) {

    enum Kind { SUCCESS, PARTIAL, FAILURE }

    static BatchResponse failure() {
        return new BatchResponse(Kind.FAILURE, Set.of(), null);
    }

    /**
     * @param reportsItemFailures whether the mapping has {@code FunctionResponseTypes: [ReportBatchItemFailures]}
     * @param expectsState        whether the mapping uses tumbling windows (the response must carry {@code state})
     * @param idsInBatch          the item identifiers of the batch; naming any other fails the batch
     */
    static BatchResponse of(InvokeResult result, boolean reportsItemFailures, boolean expectsState, Set<String> idsInBatch) {
        if (result.failed()) return failure();
        JsonNode body = parse(result.payload());
        ObjectNode state = null;
        if (expectsState) {
            if (body == null || !body.isObject() || !body.path("state").isObject()) return failure();
            state = (ObjectNode) body.get("state");
        }
        if (!reportsItemFailures) return new BatchResponse(Kind.SUCCESS, Set.of(), state);
        if (body == null || body.isNull()) return new BatchResponse(Kind.SUCCESS, Set.of(), state);
        if (body.isMissingNode() || !body.isObject()) return failure();
        JsonNode failures = body.get("batchItemFailures");
        if (failures == null || failures.isNull() || (failures.isArray() && failures.isEmpty())) {
            return new BatchResponse(Kind.SUCCESS, Set.of(), state);
        }
        if (!failures.isArray()) return failure();
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty() || !idsInBatch.contains(id.asText())) return failure();
            ids.add(id.asText());
        }
        return new BatchResponse(Kind.PARTIAL, ids, state);
    }

    /** The response as JSON: null for an empty body, a missing node for a body that is not JSON. */
    private static JsonNode parse(byte[] payload) {
        if (payload == null || payload.length == 0) return null;
        try {
            JsonNode node = MappingStore.JSON.readTree(payload);
            return node == null ? null : node;
        } catch (IOException e) {
            return MappingStore.JSON.missingNode();
        }
    }
}
