package io.eddy.lambda.esm;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.lambda.esm.spi.FunctionInvoker.InvokeResult;
import io.eddy.lambda.esm.spi.StreamSource.StreamRecord;

/**
 * The document a stream mapping sends to its on-failure destination when it gives up on records:
 * which invocation failed and how, and which records of which shard were skipped (not the records
 * themselves).
 */
final class FailureRecord {

    static final String RETRIES_EXHAUSTED = "RetryAttemptsExhausted";
    static final String RECORD_AGE_EXCEEDED = "RecordAgeExceeded";

    private static final DateTimeFormatter MILLIS_ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private FailureRecord() {
    }

    /**
     * @param lastResult      the batch's last invocation, or null when the records never ran
     * @param invokeCount     how many times the records were sent to the function
     * @param partialResponse whether the last failure was a partial-batch response (no functionError then)
     */
    static ObjectNode of(Mapping mapping, String shardId, List<StreamRecord> skipped, String condition,
                         InvokeResult lastResult, int invokeCount, boolean partialResponse, Instant now) {
        ObjectNode doc = MappingStore.JSON.createObjectNode();
        ObjectNode request = doc.putObject("requestContext");
        request.put("requestId", lastResult == null ? UUID.randomUUID().toString() : lastResult.requestId());
        request.put("functionArn", mapping.functionArn);
        request.put("condition", condition);
        request.put("approximateInvokeCount", invokeCount);
        if (lastResult == null) {
            doc.putNull("responseContext");
        } else {
            ObjectNode response = doc.putObject("responseContext");
            response.put("statusCode", 200);
            response.put("executedVersion", lastResult.executedVersion());
            if (lastResult.failed() && !partialResponse) response.put("functionError", lastResult.functionError());
        }
        doc.put("version", "1.0");
        doc.put("timestamp", MILLIS_ISO.format(now));
        ObjectNode info = doc.putObject("DDBStreamBatchInfo");
        info.put("shardId", shardId);
        info.put("startSequenceNumber", skipped.get(0).sequenceNumber());
        info.put("endSequenceNumber", skipped.get(skipped.size() - 1).sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", secondsIso(skipped.get(0).arrivalMillis()));
        info.put("approximateArrivalOfLastRecord", secondsIso(skipped.get(skipped.size() - 1).arrivalMillis()));
        info.put("batchSize", skipped.size());
        info.put("streamArn", mapping.eventSourceArn);
        return doc;
    }

    private static String secondsIso(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
