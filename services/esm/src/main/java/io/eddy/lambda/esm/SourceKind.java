package io.eddy.lambda.esm;

/** The kinds of event source Eddy's mappings read. */
public enum SourceKind {
    DYNAMODB_STREAM,
    SQS;

    /** The kind named by an event source ARN, or null when mappings cannot read it. */
    static SourceKind of(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6) return null;
        if (parts[2].equals("dynamodb") && parts[5].matches("table/[^/]+/stream/.+")) return DYNAMODB_STREAM;
        if (parts[2].equals("sqs")) return SQS;
        return null;
    }
}
