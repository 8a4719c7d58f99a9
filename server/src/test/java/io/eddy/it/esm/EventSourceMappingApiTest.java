package io.eddy.it.esm;

import static io.eddy.it.esm.EsmTestSupport.awaitState;
import static io.eddy.it.esm.EsmTestSupport.createFunction;
import static io.eddy.it.esm.EsmTestSupport.createStreamTable;
import static io.eddy.it.esm.EsmTestSupport.handler;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingMetric;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Create/Get/List/Update/Delete, their states and their validation, through the Lambda SDK client. */
class EventSourceMappingApiTest {

    private static Eddy eddy;
    private static LambdaClient lambda;
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static String streamArn;
    private static String queueArn;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        lambda = EsmTestSupport.lambda(eddy);
        dynamo = EsmTestSupport.dynamo(eddy);
        sqs = EsmTestSupport.sqs(eddy);
        createFunction(lambda, "api-fn", handler("return None"));
        createFunction(lambda, "api-fn-2", handler("return None"));
        streamArn = createStreamTable(dynamo, "api-table");
        String url = sqs.createQueue(b -> b.queueName("api-queue")).queueUrl();
        queueArn = EsmTestSupport.queueArn(sqs, url);
    }

    @AfterAll
    static void stop() {
        eddy.close();
    }

    @Test
    void createAnswersCreatingThenTheMappingSettlesEnabled() {
        long before = Instant.now().getEpochSecond();
        CreateEventSourceMappingResponse created = lambda.createEventSourceMapping(b -> b.functionName("api-fn")
                .eventSourceArn(streamArn).startingPosition(EventSourcePosition.LATEST));
        assertThat(created.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(created.state()).isEqualTo("Creating");
        assertThat(created.uuid()).matches("[0-9a-f-]{36}");
        assertThat(created.batchSize()).isEqualTo(100);
        assertThat(created.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:api-fn");
        assertThat(created.eventSourceArn()).isEqualTo(streamArn);
        assertThat(created.stateTransitionReason()).isEqualTo("User action");
        assertThat(created.lastProcessingResult()).isEqualTo("No records processed");
        assertThat(created.maximumRetryAttempts()).isEqualTo(-1);
        assertThat(created.maximumRecordAgeInSeconds()).isEqualTo(-1);
        assertThat(created.parallelizationFactor()).isEqualTo(1);
        assertThat(created.bisectBatchOnFunctionError()).isFalse();
        assertThat(created.lastModified().getEpochSecond()).isBetween(before, Instant.now().getEpochSecond());
        assertThat(created.eventSourceMappingArn()).isEqualTo(
                "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:" + created.uuid());
        awaitState(lambda, created.uuid(), "Enabled");

        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.TRIM_HORIZON)))
                .isInstanceOf(ResourceConflictException.class)
                .hasMessageStartingWith("The event source arn (\" " + streamArn + " \") and function (\" api-fn \") provided mapping "
                        + "already exists. Please update or delete the existing mapping with UUID " + created.uuid());

        var disabling = lambda.updateEventSourceMapping(b -> b.uuid(created.uuid()).enabled(false).batchSize(50));
        assertThat(disabling.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(disabling.state()).isEqualTo("Disabling");
        assertThat(disabling.batchSize()).isEqualTo(50);
        awaitState(lambda, created.uuid(), "Disabled");
        assertThat(lambda.updateEventSourceMapping(b -> b.uuid(created.uuid()).enabled(true)).state()).isEqualTo("Enabling");
        awaitState(lambda, created.uuid(), "Enabled");
        assertThat(lambda.updateEventSourceMapping(b -> b.uuid(created.uuid()).maximumRetryAttempts(3)).state())
                .isEqualTo("Updating");
        awaitState(lambda, created.uuid(), "Enabled");

        var deleting = lambda.deleteEventSourceMapping(b -> b.uuid(created.uuid()));
        assertThat(deleting.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(deleting.state()).isEqualTo("Deleting");
        EsmTestSupport.await(() -> {
            try {
                lambda.getEventSourceMapping(b -> b.uuid(created.uuid()));
                return false;
            } catch (ResourceNotFoundException gone) {
                return true;
            }
        }, java.time.Duration.ofSeconds(30));
    }

    @Test
    void listFiltersByFunctionAndSourceAndPages() {
        String table = createStreamTable(dynamo, "api-list-table");
        String a = lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(table)
                .startingPosition(EventSourcePosition.LATEST)).uuid();
        String c = lambda.createEventSourceMapping(b -> b.functionName("api-fn-2").eventSourceArn(table)
                .startingPosition(EventSourcePosition.LATEST)).uuid();
        assertThat(lambda.listEventSourceMappings(b -> b.functionName("api-fn-2").eventSourceArn(table))
                .eventSourceMappings()).extracting(EventSourceMappingConfiguration::uuid).containsExactly(c);
        assertThat(lambda.listEventSourceMappings(b -> b.eventSourceArn(table)).eventSourceMappings())
                .extracting(EventSourceMappingConfiguration::uuid).containsExactlyInAnyOrder(a, c);
        var first = lambda.listEventSourceMappings(b -> b.eventSourceArn(table).maxItems(1));
        assertThat(first.eventSourceMappings()).hasSize(1);
        assertThat(first.nextMarker()).isNotNull();
        var second = lambda.listEventSourceMappings(b -> b.eventSourceArn(table).maxItems(1).marker(first.nextMarker()));
        assertThat(second.eventSourceMappings()).hasSize(1);
        assertThat(second.nextMarker()).isNull();
        assertThat(second.eventSourceMappings().get(0).uuid()).isNotEqualTo(first.eventSourceMappings().get(0).uuid());
    }

    @Test
    void validationErrorsAreAwsOwn() {
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.AT_TIMESTAMP).startingPositionTimestamp(Instant.now())))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageStartingWith("Unsupported starting position for arn type: " + streamArn);
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.LATEST).maximumRecordAgeInSeconds(30)))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("must be either -1 (forever) or between 60 and 604800 (inclusive)");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(queueArn)
                .batchSize(50)))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageStartingWith("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.LATEST).batchSize(10001)))
                .isInstanceOf(LambdaException.class)
                .hasMessageStartingWith("1 validation error detected: Value '10001' at 'batchSize' failed to satisfy "
                        + "constraint: Member must have value less than or equal to 10000");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.LATEST)
                .destinationConfig(d -> d.onSuccess(o -> o.destination(queueArn)))))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageStartingWith("Unsupported DestinationConfig parameter for given event source mapping type.");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.LATEST).startingPositionTimestamp(Instant.now())))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageStartingWith("Timestamp only valid with StartingPosition AT_TIMESTAMP");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(queueArn)
                .startingPosition(EventSourcePosition.LATEST)))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageStartingWith("StartingPosition is not valid for SQS event sources.");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(streamArn)
                .startingPosition("FROM_START")))
                .isInstanceOf(LambdaException.class)
                .hasMessageContaining("Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]");
        String fifoArn = EsmTestSupport.queueArn(sqs, sqs.createQueue(b -> b.queueName("api-queue.fifo")
                .attributes(java.util.Map.of(software.amazon.awssdk.services.sqs.model.QueueAttributeName.FIFO_QUEUE, "true")))
                .queueUrl());
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(fifoArn)
                .batchSize(100).maximumBatchingWindowInSeconds(5)))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageStartingWith("Batching window is not supported for FIFO queues");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("no-such-fn").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.LATEST)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lambda.getEventSourceMapping(b -> b.uuid("00000000-0000-0000-0000-000000000000")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("The resource you requested does not exist.");
    }

    @Test
    void mappingsAreTaggedAtCreateAndThroughTheirArn() {
        String table = createStreamTable(dynamo, "api-tags-table");
        var created = lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(table)
                .startingPosition(EventSourcePosition.LATEST).tags(Map.of("team", "orders", "env", "dev")));
        String arn = created.eventSourceMappingArn();
        assertThat(arn).isEqualTo("arn:aws:lambda:us-east-1:000000000000:event-source-mapping:" + created.uuid());
        assertThat(lambda.getEventSourceMapping(b -> b.uuid(created.uuid())).eventSourceMappingArn()).isEqualTo(arn);
        assertThat(lambda.listTags(b -> b.resource(arn)).tags()).containsExactlyInAnyOrderEntriesOf(
                Map.of("team", "orders", "env", "dev"));

        lambda.tagResource(b -> b.resource(arn).tags(Map.of("env", "prod", "owner", "ana")));
        assertThat(lambda.listTags(b -> b.resource(arn)).tags()).containsExactlyInAnyOrderEntriesOf(
                Map.of("team", "orders", "env", "prod", "owner", "ana"));
        lambda.untagResource(b -> b.resource(arn).tagKeys("team", "owner"));
        assertThat(lambda.listTags(b -> b.resource(arn)).tags()).containsExactlyInAnyOrderEntriesOf(Map.of("env", "prod"));
        // tags belong to the mapping: the function's own tags are untouched
        assertThat(lambda.listTags(b -> b.resource("arn:aws:lambda:us-east-1:000000000000:function:api-fn")).tags()).isEmpty();

        String unknown = "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:00000000-0000-0000-0000-000000000000";
        assertThatThrownBy(() -> lambda.listTags(b -> b.resource(unknown)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("The resource you requested does not exist.");
        assertThatThrownBy(() -> lambda.tagResource(b -> b.resource(unknown).tags(Map.of("a", "b"))))
                .isInstanceOf(ResourceNotFoundException.class);
        String otherRegion = arn.replace(":us-east-1:", ":eu-west-1:");
        assertThatThrownBy(() -> lambda.untagResource(b -> b.resource(otherRegion).tagKeys("env")))
                .isInstanceOf(ResourceNotFoundException.class);
        String noAccount = "arn:aws:lambda:us-east-1::event-source-mapping:" + created.uuid();
        assertThatThrownBy(() -> lambda.listTags(b -> b.resource(noAccount)))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageStartingWith("Unsupported resource type for tagging or invalid arn: " + noAccount);

        java.util.Map<String, String> tooMany = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) tooMany.put("k" + i, "v");
        assertThatThrownBy(() -> lambda.tagResource(b -> b.resource(arn).tags(tooMany)))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageStartingWith("Number of tags exceeds resource tag limit.");
        assertThat(lambda.listTags(b -> b.resource(arn)).tags()).containsExactlyInAnyOrderEntriesOf(Map.of("env", "prod"));

        lambda.deleteEventSourceMapping(b -> b.uuid(created.uuid()));
        EsmTestSupport.await(() -> {
            try {
                lambda.listTags(b -> b.resource(arn));
                return false;
            } catch (ResourceNotFoundException gone) {
                return true;
            }
        }, java.time.Duration.ofSeconds(30));
    }

    @Test
    void metricsConfigIsStoredUpdatedAndValidated() {
        String table = createStreamTable(dynamo, "api-metrics-table");
        var created = lambda.createEventSourceMapping(b -> b.functionName("api-fn").eventSourceArn(table)
                .startingPosition(EventSourcePosition.LATEST).metricsConfig(m -> m.metrics(EventSourceMappingMetric.EVENT_COUNT)));
        assertThat(created.metricsConfig().metrics()).containsExactly(EventSourceMappingMetric.EVENT_COUNT);
        assertThat(lambda.getEventSourceMapping(b -> b.uuid(created.uuid())).metricsConfig().metrics())
                .containsExactly(EventSourceMappingMetric.EVENT_COUNT);
        awaitState(lambda, created.uuid(), "Enabled");
        var cleared = lambda.updateEventSourceMapping(b -> b.uuid(created.uuid()).metricsConfig(m -> m.metricsWithStrings(List.of())));
        assertThat(cleared.metricsConfig()).isNull();
        awaitState(lambda, created.uuid(), "Enabled");
        assertThat(lambda.getEventSourceMapping(b -> b.uuid(created.uuid())).metricsConfig()).isNull();
        // an update without MetricsConfig keeps what is set
        lambda.updateEventSourceMapping(b -> b.uuid(created.uuid()).metricsConfig(m -> m.metrics(EventSourceMappingMetric.EVENT_COUNT)));
        awaitState(lambda, created.uuid(), "Enabled");
        lambda.updateEventSourceMapping(b -> b.uuid(created.uuid()).batchSize(5));
        awaitState(lambda, created.uuid(), "Enabled");
        assertThat(lambda.getEventSourceMapping(b -> b.uuid(created.uuid())).metricsConfig().metricsAsStrings())
                .containsExactly("EventCount");

        assertThatThrownBy(() -> lambda.updateEventSourceMapping(b -> b.uuid(created.uuid())
                .metricsConfig(m -> m.metricsWithStrings("EventCount", "Bogus"))))
                .isInstanceOf(LambdaException.class)
                .hasMessageStartingWith("1 validation error detected: Value '[EventCount, Bogus]' at 'metricsConfig.metrics' "
                        + "failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: "
                        + "[EventCount, ErrorCount, KafkaMetrics]] (Service: Lambda");
    }

    @Test
    void queueMappingsTakeQueueDefaults() {
        var created = lambda.createEventSourceMapping(b -> b.functionName("api-fn-2").eventSourceArn(queueArn)
                .batchSize(100).maximumBatchingWindowInSeconds(2).scalingConfig(s -> s.maximumConcurrency(3)));
        assertThat(created.batchSize()).isEqualTo(100);
        assertThat(created.maximumBatchingWindowInSeconds()).isEqualTo(2);
        assertThat(created.scalingConfig().maximumConcurrency()).isEqualTo(3);
        assertThat(created.startingPosition()).isNull();
        assertThat(created.stateTransitionReason()).isEqualTo("USER_INITIATED");
        awaitState(lambda, created.uuid(), "Enabled");
    }
}
