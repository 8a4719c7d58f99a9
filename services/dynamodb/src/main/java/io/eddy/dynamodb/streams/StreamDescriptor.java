package io.eddy.dynamodb.streams;

/** A stream for Java consumers: its table, view type and whether it still receives records. */
public record StreamDescriptor(String streamArn, String tableName, String streamLabel, String viewType,
                               boolean enabled) {
}
