package io.eddy.it.esm;

import static io.eddy.it.esm.EsmTestSupport.awaitState;
import static io.eddy.it.esm.EsmTestSupport.createFunction;
import static io.eddy.it.esm.EsmTestSupport.createStreamTable;
import static io.eddy.it.esm.EsmTestSupport.handler;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
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
        assertThat(created.stateTransitionReason()).isEqualTo("USER_INITIATED");
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
                .hasMessageStartingWith("The event source arn (" + streamArn + ") and function (api-fn) provided mapping "
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
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("no-such-fn").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.LATEST)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lambda.getEventSourceMapping(b -> b.uuid("00000000-0000-0000-0000-000000000000")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("The resource you requested does not exist.");
    }

    @Test
    void queueMappingsTakeQueueDefaults() {
        var created = lambda.createEventSourceMapping(b -> b.functionName("api-fn-2").eventSourceArn(queueArn)
                .batchSize(100).maximumBatchingWindowInSeconds(2).scalingConfig(s -> s.maximumConcurrency(3)));
        assertThat(created.batchSize()).isEqualTo(100);
        assertThat(created.maximumBatchingWindowInSeconds()).isEqualTo(2);
        assertThat(created.scalingConfig().maximumConcurrency()).isEqualTo(3);
        assertThat(created.startingPosition()).isNull();
        awaitState(lambda, created.uuid(), "Enabled");
    }
}
