package io.eddy.server;

import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.gateway.RequestIds;
import io.eddy.lambda.TopicPublisher;
import io.eddy.sns.SnsService;

/**
 * Lambda's SNS destinations and dead-letter topics, and event source mappings' SNS on-failure
 * destinations: a Publish to the topic, in the account and region its ARN names, with SNS's own
 * validation and errors.
 */
final class LambdaToSns implements TopicPublisher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<SnsService> sns;

    LambdaToSns(Supplier<SnsService> sns) {
        this.sns = sns;
    }

    @Override
    public void publish(String topicArn, String message, Map<String, Attribute> attributes) {
        String[] arn = topicArn.split(":", 6);
        ObjectNode input = JSON.createObjectNode();
        input.put("TopicArn", topicArn);
        input.put("Message", message);
        if (!attributes.isEmpty()) {
            ObjectNode messageAttributes = input.putObject("MessageAttributes");
            attributes.forEach((name, a) -> messageAttributes.putObject(name)
                    .put("DataType", a.dataType()).put("StringValue", a.value()));
        }
        sns.get().invoke("Publish", input, new RequestContext(arn[4], arn[3], RequestIds.next(), "localhost"));
    }
}
