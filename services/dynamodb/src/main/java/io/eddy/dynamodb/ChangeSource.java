package io.eddy.dynamodb;

import java.time.Instant;

import io.eddy.gateway.RequestContext;

/**
 * What caused an item write: a client request, or the TTL sweeper ({@code request} null,
 * {@code timeToLiveDeletion} true; DynamoDB Streams marks those records as done by the service).
 */
public record ChangeSource(RequestContext request, boolean timeToLiveDeletion, Instant time) {
}
