package io.eddy.it.sqs;

import static io.eddy.it.sqs.SqsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeValueException;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsQueueApiTest {

    static Eddy eddy;
    static SqsClient sqs;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        sqs = SqsTestSupport.client(eddy.endpoint());
    }

    @AfterAll
    static void stop() {
        sqs.close();
        eddy.close();
    }

    @Test
    void createGetListAndDeleteQueue() {
        String name = unique("basic");
        String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        assertThat(url).isEqualTo("http://127.0.0.1:" + eddy.port() + "/000000000000/" + name);
        assertThat(sqs.getQueueUrl(r -> r.queueName(name)).queueUrl()).isEqualTo(url);
        assertThat(sqs.listQueues(r -> r.queueNamePrefix(name)).queueUrls()).containsExactly(url);

        sqs.deleteQueue(r -> r.queueUrl(url));
        assertThatThrownBy(() -> sqs.getQueueUrl(r -> r.queueName(name)))
                .isInstanceOfSatisfying(QueueDoesNotExistException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The specified queue does not exist.");
                });
        assertThat(sqs.listQueues(r -> r.queueNamePrefix(name)).queueUrls()).isEmpty();
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void queueUrlEchoesTheHostTheClientUsedAndAnyHostWorks() {
        String name = unique("host");
        try (SqsClient viaLocalhost = SqsTestSupport.client(URI.create("http://localhost:" + eddy.port()))) {
            String url = viaLocalhost.createQueue(r -> r.queueName(name)).queueUrl();
            assertThat(url).isEqualTo("http://localhost:" + eddy.port() + "/000000000000/" + name);
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("across hosts"));
            String otherHost = "http://sqs.us-east-1.amazonaws.com/000000000000/" + name;
            assertThat(sqs.receiveMessage(r -> r.queueUrl(otherHost)).messages()).extracting(m -> m.body())
                    .containsExactly("across hosts");
        }
    }

    @Test
    void recreatingWithSameAttributesReturnsTheQueueAndDifferentOnesFail() {
        String name = unique("recreate");
        String url = sqs.createQueue(r -> r.queueName(name)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
        assertThat(sqs.createQueue(r -> r.queueName(name)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl()).isEqualTo(url);
        assertThat(sqs.createQueue(r -> r.queueName(name)).queueUrl()).isEqualTo(url);
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(name)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))))
                .isInstanceOfSatisfying(QueueNameExistsException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("A queue already exists with the same name and a different value for attribute "
                                + "VisibilityTimeout"));
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(name)
                .attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "5"))))
                .isInstanceOf(QueueNameExistsException.class).hasMessageContaining("attribute DelaySeconds");
    }

    @Test
    void invalidNamesAndAttributesAreRejectedWithAwsErrors() {
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName("bad name!")))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
                });
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName("x".repeat(81))))
                .isInstanceOf(SqsException.class).hasMessageContaining("1 to 80 in length");
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(unique("notfifo"))
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))))
                .isInstanceOf(SqsException.class).hasMessageContaining("must end with .fifo suffix");
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(unique("vis"))
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "43201"))))
                .isInstanceOfSatisfying(InvalidAttributeValueException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo("Invalid value for the parameter VisibilityTimeout."));
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(unique("unknown"))
                .attributesWithStrings(Map.of("Colour", "blue"))))
                .isInstanceOfSatisfying(InvalidAttributeNameException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo("Unknown Attribute Colour."));
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(unique("std"))
                .attributes(Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))))
                .isInstanceOf(InvalidAttributeNameException.class);
    }

    @Test
    void listQueuesPagesWithMaxResultsAndNextToken() {
        String prefix = unique("page");
        for (String suffix : List.of("a", "b", "c")) sqs.createQueue(r -> r.queueName(prefix + suffix));
        ListQueuesResponse first = sqs.listQueues(r -> r.queueNamePrefix(prefix).maxResults(2));
        assertThat(first.queueUrls()).hasSize(2).allMatch(u -> u.endsWith(prefix + "a") || u.endsWith(prefix + "b"));
        assertThat(first.nextToken()).isNotNull();
        ListQueuesResponse second = sqs.listQueues(r -> r.queueNamePrefix(prefix).maxResults(2).nextToken(first.nextToken()));
        assertThat(second.queueUrls()).singleElement().satisfies(u -> assertThat(u).endsWith(prefix + "c"));
        assertThat(second.nextToken()).isNull();
        assertThat(sqs.listQueuesPaginator(r -> r.queueNamePrefix(prefix).maxResults(1)).queueUrls()).hasSize(3);
        assertThatThrownBy(() -> sqs.listQueues(r -> r.maxResults(1001))).isInstanceOf(SqsException.class)
                .hasMessageContaining("MaxResults");
        assertThatThrownBy(() -> sqs.listQueues(r -> r.nextToken("abc"))).isInstanceOf(SqsException.class)
                .hasMessageContaining("Invalid NextToken value.");
    }

    @Test
    void getQueueAttributesReturnsDefaultsAndCountsAndSetQueueAttributesChangesThem() throws Exception {
        String url = sqs.createQueue(r -> r.queueName(unique("attrs"))).queueUrl();
        Map<String, String> all = sqs.getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
        assertThat(all).containsEntry("VisibilityTimeout", "30")
                .containsEntry("MaximumMessageSize", "1048576")
                .containsEntry("MessageRetentionPeriod", "345600")
                .containsEntry("DelaySeconds", "0")
                .containsEntry("ReceiveMessageWaitTimeSeconds", "0")
                .containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0")
                .containsEntry("ApproximateNumberOfMessagesDelayed", "0")
                .containsEntry("SqsManagedSseEnabled", "true")
                .containsEntry("QueueArn", "arn:aws:sqs:us-east-1:000000000000:" + url.substring(url.lastIndexOf('/') + 1))
                .containsKeys("CreatedTimestamp", "LastModifiedTimestamp")
                .doesNotContainKeys("FifoQueue", "RedrivePolicy", "Policy");
        long created = Long.parseLong(all.get("CreatedTimestamp"));
        assertThat(created).isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000 + 1);

        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url)).attributes()).isEmpty();
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.DELAY_SECONDS))
                .attributesAsStrings()).containsOnlyKeys("DelaySeconds");

        sqs.sendMessage(r -> r.queueUrl(url).messageBody("one"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("two"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("later").delaySeconds(60));
        sqs.receiveMessage(r -> r.queueUrl(url));
        Map<String, String> counts = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings();
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("ApproximateNumberOfMessages", "1",
                "ApproximateNumberOfMessagesNotVisible", "1", "ApproximateNumberOfMessagesDelayed", "1"));

        Thread.sleep(1100);
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "45", QueueAttributeName.DELAY_SECONDS, "3",
                QueueAttributeName.POLICY, "{\"Version\": \"2012-10-17\", \"Statement\": []}")));
        Map<String, String> changed = sqs.getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
        assertThat(changed).containsEntry("VisibilityTimeout", "45").containsEntry("DelaySeconds", "3")
                .containsEntry("Policy", "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        assertThat(Long.parseLong(changed.get("LastModifiedTimestamp"))).isGreaterThan(created);

        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, "")));
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings()).doesNotContainKey("Policy");
        assertThatThrownBy(() -> sqs.setQueueAttributes(r -> r.queueUrl(url)
                .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "59"))))
                .isInstanceOf(InvalidAttributeValueException.class);
        assertThatThrownBy(() -> sqs.setQueueAttributes(r -> r.queueUrl(url)
                .attributesWithStrings(Map.of("QueueArn", "x"))))
                .isInstanceOf(InvalidAttributeNameException.class);
    }

    @Test
    void askingForSqsAndKmsEncryptionAtOnceIsRefused() {
        String message = "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.";
        Map<QueueAttributeName, String> both = Map.of(QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true",
                QueueAttributeName.KMS_MASTER_KEY_ID, "alias/aws/sqs");
        String name = unique("sse");
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(name).attributes(both)))
                .isInstanceOfSatisfying(InvalidAttributeNameException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message));

        String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        assertThatThrownBy(() -> sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(both)))
                .isInstanceOf(InvalidAttributeNameException.class).hasMessageStartingWith(message);
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings()).containsEntry("SqsManagedSseEnabled", "true").doesNotContainKey("KmsMasterKeyId");

        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.KMS_MASTER_KEY_ID, "alias/aws/sqs")));
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings()).containsEntry("SqsManagedSseEnabled", "false")
                .containsEntry("KmsMasterKeyId", "alias/aws/sqs");
    }

    @Test
    void fifoQueueHasFifoAttributes() {
        String name = unique("attrs") + ".fifo";
        String url = sqs.createQueue(r -> r.queueName(name).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings())
                .containsEntry("FifoQueue", "true")
                .containsEntry("ContentBasedDeduplication", "true")
                .containsEntry("DeduplicationScope", "queue")
                .containsEntry("FifoThroughputLimit", "perQueue");
        assertThatThrownBy(() -> sqs.setQueueAttributes(r -> r.queueUrl(url)
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "false"))))
                .isInstanceOf(InvalidAttributeValueException.class);
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.DEDUPLICATION_SCOPE,
                "messageGroup", QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId")));
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.FIFO_THROUGHPUT_LIMIT))
                .attributesAsStrings()).containsExactly(Map.entry("FifoThroughputLimit", "perMessageGroupId"));
    }

    @Test
    void tagsCanBeSetAtCreationAddedListedAndRemoved() {
        String url = sqs.createQueue(r -> r.queueName(unique("tags")).tags(Map.of("team", "core"))).queueUrl();
        assertThat(sqs.listQueueTags(r -> r.queueUrl(url)).tags()).containsExactly(Map.entry("team", "core"));
        sqs.tagQueue(r -> r.queueUrl(url).tags(Map.of("env", "test", "team", "edge")));
        assertThat(sqs.listQueueTags(r -> r.queueUrl(url)).tags())
                .containsExactlyInAnyOrderEntriesOf(Map.of("team", "edge", "env", "test"));
        sqs.untagQueue(r -> r.queueUrl(url).tagKeys("team", "absent"));
        assertThat(sqs.listQueueTags(r -> r.queueUrl(url)).tags()).containsExactly(Map.entry("env", "test"));
        sqs.untagQueue(r -> r.queueUrl(url).tagKeys("env"));
        assertThat(sqs.listQueueTags(r -> r.queueUrl(url)).tags()).isEmpty();
    }

    @Test
    void redrivePolicyNeedsAnExistingDeadLetterQueueAndListsSources() throws Exception {
        String dlqName = unique("dlq");
        String dlqUrl = sqs.createQueue(r -> r.queueName(dlqName)).queueUrl();
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:" + dlqName;
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(unique("src")).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:nope\",\"maxReceiveCount\":3}"))))
                .isInstanceOf(SqsException.class).hasMessageContaining("Dead letter target does not exist.");
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(unique("src")).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":0}"))))
                .isInstanceOf(SqsException.class).hasMessageContaining("maxReceiveCount");
        String source = unique("src");
        String sourceUrl = sqs.createQueue(r -> r.queueName(source).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}"))).queueUrl();
        String stored = sqs.getQueueAttributes(r -> r.queueUrl(sourceUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributesAsStrings().get("RedrivePolicy");
        JsonNode policy = JSON.readTree(stored);
        assertThat(policy.path("deadLetterTargetArn").asText()).isEqualTo(dlqArn);
        assertThat(policy.path("maxReceiveCount").asInt()).isEqualTo(3);
        assertThat(sqs.listDeadLetterSourceQueues(r -> r.queueUrl(dlqUrl)).queueUrls()).containsExactly(sourceUrl);

        sqs.setQueueAttributes(r -> r.queueUrl(dlqUrl).attributes(Map.of(QueueAttributeName.REDRIVE_ALLOW_POLICY,
                "{\"redrivePermission\":\"denyAll\"}")));
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(unique("denied")).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":2}"))))
                .isInstanceOf(SqsException.class).hasMessageContaining("does not allow this queue");
    }

    @Test
    void malformedRedrivePoliciesAreRefusedWithAwsReasons() {
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:" + unique("dlq");
        assertThatThrownBy(() -> createWith(QueueAttributeName.REDRIVE_POLICY, "[]"))
                .isInstanceOf(InvalidAttributeValueException.class)
                .hasMessageStartingWith("Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.");
        assertThatThrownBy(() -> createWith(QueueAttributeName.REDRIVE_POLICY, "{}"))
                .isInstanceOf(SqsException.class).hasMessageContaining("Reason: Redrive policy does not contain mandatory attribute: maxReceiveCount.");
        assertThatThrownBy(() -> createWith(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":5,\"extra\":1}"))
                .isInstanceOf(SqsException.class)
                .hasMessageContaining("Reason: Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].");
        assertThatThrownBy(() -> createWith(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"arn:aws:sns:us-east-1:000000000000:topic\",\"maxReceiveCount\":5}"))
                .isInstanceOf(SqsException.class)
                .hasMessageContaining("Reason: Only SQS queues are valid resources for deadLetterTargetArn.");

        String unsupported = "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, "
                + "as it\u2019s in an unsupported format.";
        for (String policy : List.of("badjson", "{}", "{\"redrivePermission\":\"dummy\"}",
                "{\"redrivePermission\":\"allowAll\",\"dummy\":\"value\"}",
                "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":\"arn:aws:sqs\"}")) {
            assertThatThrownBy(() -> createWith(QueueAttributeName.REDRIVE_ALLOW_POLICY, policy))
                    .isInstanceOf(InvalidAttributeValueException.class).hasMessageStartingWith(unsupported);
        }
        assertThatThrownBy(() -> createWith(QueueAttributeName.REDRIVE_ALLOW_POLICY,
                "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[]}"))
                .isInstanceOf(SqsException.class).hasMessageContaining("Reason: Amazon SQS can't create the redrive allow policy. "
                        + "When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.");
        assertThatThrownBy(() -> createWith(QueueAttributeName.REDRIVE_ALLOW_POLICY,
                "{\"redrivePermission\":\"denyAll\",\"sourceQueueArns\":[\"" + dlqArn + "\"]}"))
                .isInstanceOf(SqsException.class).hasMessageContaining("Reason: Amazon SQS can't create the redrive allow policy. "
                        + "To specify one or more source queue ARNs, you must set redrivePermission to byQueue.");
    }

    private static void createWith(QueueAttributeName attribute, String value) {
        sqs.createQueue(r -> r.queueName(unique("bad")).attributes(Map.of(attribute, value)));
    }

    @Test
    void addAndRemovePermissionMaintainThePolicy() throws Exception {
        String name = unique("perm");
        String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        sqs.addPermission(r -> r.queueUrl(url).label("AliceSend").awsAccountIds("111122223333").actions("SendMessage"));
        JsonNode policy = JSON.readTree(sqs.getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.POLICY)).attributesAsStrings().get("Policy"));
        JsonNode statement = policy.path("Statement").get(0);
        assertThat(statement.path("Sid").asText()).isEqualTo("AliceSend");
        assertThat(statement.path("Principal").path("AWS").asText()).isEqualTo("arn:aws:iam::111122223333:root");
        assertThat(statement.path("Action").asText()).isEqualTo("SQS:SendMessage");
        assertThat(statement.path("Resource").asText()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:" + name);
        assertThatThrownBy(() -> sqs.addPermission(r -> r.queueUrl(url).label("AliceSend")
                .awsAccountIds("111122223333").actions("ReceiveMessage")))
                .isInstanceOf(SqsException.class).hasMessageContaining("Already exists");
        sqs.removePermission(r -> r.queueUrl(url).label("AliceSend"));
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.POLICY)).attributes())
                .isEmpty();
        assertThatThrownBy(() -> sqs.removePermission(r -> r.queueUrl(url).label("AliceSend")))
                .isInstanceOf(SqsException.class).hasMessageContaining("can't find label");
    }

    @Test
    void accountsAreIsolatedAndTheirQueueUrlsNameTheAccount() {
        String name = unique("tenant");
        try (SqsClient other = SqsTestSupport.client(eddy.endpoint(), "111111111111")) {
            String url = other.createQueue(r -> r.queueName(name)).queueUrl();
            assertThat(url).endsWith("/111111111111/" + name);
            assertThat(sqs.listQueues(r -> r.queueNamePrefix(name)).queueUrls()).isEmpty();
            assertThatThrownBy(() -> sqs.getQueueUrl(r -> r.queueName(name))).isInstanceOf(QueueDoesNotExistException.class);
            assertThat(sqs.getQueueUrl(r -> r.queueName(name).queueOwnerAWSAccountId("111111111111")).queueUrl())
                    .isEqualTo(url);
        }
    }

    @Test
    void jsonErrorsCarryTypeMessageAndQueryCompatibleHeader() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(eddy.endpoint())
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AmazonSQS.GetQueueUrl")
                .POST(HttpRequest.BodyPublishers.ofString("{\"QueueName\":\"does-not-exist\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-query-error"))
                .hasValue("AWS.SimpleQueueService.NonExistentQueue;Sender");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("__type").asText()).isEqualTo("com.amazonaws.sqs#QueueDoesNotExist");
        assertThat(body.path("message").asText()).isEqualTo("The specified queue does not exist.");
    }
}
