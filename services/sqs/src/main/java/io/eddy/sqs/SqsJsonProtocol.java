package io.eddy.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.protocol.json.JsonService;
import io.eddy.protocol.shape.ShapeModel;
import io.eddy.protocol.shape.ShapeValidator;

/**
 * SQS as its AWS JSON 1.0 clients reach it. A member of the wrong JSON type fails the way SQS's
 * deserializer fails it ({@code SerializationException: STRING_VALUE can not be converted to an
 * Integer}) before the service runs; every other check is the service's own, shared with the Query
 * protocol, whose decoder already types each parameter by the operation's shape.
 */
public final class SqsJsonProtocol implements JsonService {

    private static final ShapeValidator TYPES = ShapeValidator.typesOnly(
            ShapeModel.load(SqsJsonProtocol.class.getResourceAsStream("input-shapes.json")), "com.amazonaws.sqs",
            ShapeValidator.Wording.CAN_NOT_BE_CONVERTED_TO_AN,
            message -> new AwsException(400, "com.amazon.coral.service#SerializationException", message)
                    .withMessageMember("Message"));

    private final SqsService sqs;

    public SqsJsonProtocol(SqsService sqs) {
        this.sqs = sqs;
    }

    @Override
    public ObjectNode invoke(String operation, JsonNode input, RequestContext context) {
        TYPES.checkTypes(operation, input);
        return sqs.invoke(operation, input, context);
    }
}
