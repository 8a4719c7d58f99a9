package io.eddy.protocol.restjson;

/** One operation of a REST-JSON service. Throws {@link io.eddy.protocol.AwsException} for errors. */
@FunctionalInterface
public interface RestJsonOperation {
    RestJsonResponse handle(RestJsonRequest request);
}
