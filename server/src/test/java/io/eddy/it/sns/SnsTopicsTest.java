package io.eddy.it.sns;

import static io.eddy.it.sns.SnsTestSupport.topicArn;
import static io.eddy.it.sns.SnsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.Tag;
import software.amazon.awssdk.services.sns.model.TagLimitExceededException;
import software.amazon.awssdk.services.sns.model.Topic;

class SnsTopicsTest {

    static Eddy eddy;
    static SnsClient sns;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        sns = SnsTestSupport.sns(eddy.endpoint());
    }

    @AfterAll
    static void stop() {
        sns.close();
        eddy.close();
    }

    @Test
    void createTopicReturnsArnAndDefaultAttributes() throws Exception {
        String name = unique("topic");
        String arn = sns.createTopic(b -> b.name(name)).topicArn();
        assertThat(arn).isEqualTo(topicArn(name));

        Map<String, String> attributes = sns.getTopicAttributes(b -> b.topicArn(arn)).attributes();
        assertThat(attributes).containsOnlyKeys("DisplayName", "EffectiveDeliveryPolicy", "Owner", "Policy",
                "SubscriptionsConfirmed", "SubscriptionsDeleted", "SubscriptionsPending", "TopicArn");
        assertThat(attributes).containsEntry("DisplayName", "").containsEntry("Owner", SnsTestSupport.ACCOUNT)
                .containsEntry("SubscriptionsConfirmed", "0").containsEntry("SubscriptionsPending", "0")
                .containsEntry("SubscriptionsDeleted", "0").containsEntry("TopicArn", arn);
        JsonNode policy = SnsTestSupport.JSON.readTree(attributes.get("Policy"));
        assertThat(policy.path("Id").asText()).isEqualTo("__default_policy_ID");
        assertThat(policy.path("Statement").get(0).path("Resource").asText()).isEqualTo(arn);
        assertThat(policy.path("Statement").get(0).path("Condition").path("StringEquals").path("AWS:SourceOwner").asText())
                .isEqualTo(SnsTestSupport.ACCOUNT);
        assertThat(attributes.get("EffectiveDeliveryPolicy")).isEqualTo("{\"http\":{\"defaultHealthyRetryPolicy\":"
                + "{\"minDelayTarget\":20,\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,"
                + "\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},"
                + "\"disableSubscriptionOverrides\":false,\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}");
    }

    @Test
    void fifoTopicNeedsSuffixAndReportsFifoAttributes() {
        String name = unique("orders") + ".fifo";
        String arn = sns.createTopic(b -> b.name(name).attributes(Map.of("FifoTopic", "true",
                "ContentBasedDeduplication", "true"))).topicArn();
        Map<String, String> attributes = sns.getTopicAttributes(b -> b.topicArn(arn)).attributes();
        assertThat(attributes).containsEntry("FifoTopic", "true").containsEntry("ContentBasedDeduplication", "true");

        assertThatThrownBy(() -> sns.createTopic(b -> b.name(unique("nosuffix")).attributes(Map.of("FifoTopic", "true"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Fifo Topic names must end with .fifo");
        assertThatThrownBy(() -> sns.createTopic(b -> b.name(unique("plain") + ".fifo")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Topic Name");
        assertThatThrownBy(() -> sns.createTopic(b -> b.name(unique("std")).attributes(Map.of("ContentBasedDeduplication", "true"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Content-based deduplication can only be set for FIFO topics");
    }

    @Test
    void createTopicIsIdempotentForTheSameAttributesOnly() {
        String name = unique("idem");
        String arn = sns.createTopic(b -> b.name(name).attributes(Map.of("DisplayName", "Shown"))).topicArn();
        assertThat(sns.createTopic(b -> b.name(name).attributes(Map.of("DisplayName", "Shown"))).topicArn()).isEqualTo(arn);
        assertThat(sns.createTopic(b -> b.name(name)).topicArn()).isEqualTo(arn);
        assertThatThrownBy(() -> sns.createTopic(b -> b.name(name).attributes(Map.of("DisplayName", "Other"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Attributes Reason: Topic already exists with different attributes");
        assertThatThrownBy(() -> sns.createTopic(b -> b.name(name).tags(Tag.builder().key("k").value("v").build())))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Tags Reason: Topic already exists with different tags");
    }

    @Test
    void invalidNamesAndArnsAreRejectedWithAwsMessages() {
        for (String bad : List.of("", "has space", "colon:", "x".repeat(257))) {
            assertThatThrownBy(() -> sns.createTopic(b -> b.name(bad)))
                    .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Topic Name");
        }
        assertThat(sns.createTopic(b -> b.name("x".repeat(256))).topicArn()).endsWith(":" + "x".repeat(256));
        assertThatThrownBy(() -> sns.getTopicAttributes(b -> b.topicArn("not-an-arn")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1");
        assertThatThrownBy(() -> sns.getTopicAttributes(b -> b.topicArn("arn:aws:sns:eu-west-1:000000000000:t")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: TopicArn");
        assertThatThrownBy(() -> sns.getTopicAttributes(b -> b.topicArn(topicArn(unique("missing")))))
                .isInstanceOf(NotFoundException.class).hasMessageStartingWith("Topic does not exist")
                .satisfies(e -> assertThat(((SnsException) e).statusCode()).isEqualTo(404));
    }

    @Test
    void setTopicAttributesChangesAndValidates() {
        String arn = sns.createTopic(b -> b.name(unique("attrs"))).topicArn();
        sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("DisplayName").attributeValue("My Topic"));
        sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("SignatureVersion").attributeValue("2"));
        sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("DeliveryPolicy").attributeValue(
                "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":5,\"maxDelayTarget\":6,\"numRetries\":1},"
                        + "\"disableSubscriptionOverrides\":false}}"));
        Map<String, String> attributes = sns.getTopicAttributes(b -> b.topicArn(arn)).attributes();
        assertThat(attributes).containsEntry("DisplayName", "My Topic").containsEntry("SignatureVersion", "2");
        assertThat(attributes.get("DeliveryPolicy")).isEqualTo("{\"http\":{\"defaultHealthyRetryPolicy\":"
                + "{\"minDelayTarget\":5,\"maxDelayTarget\":6,\"numRetries\":1},\"disableSubscriptionOverrides\":false}}");
        assertThat(attributes.get("EffectiveDeliveryPolicy")).contains("\"minDelayTarget\":5,\"maxDelayTarget\":6,\"numRetries\":1,"
                + "\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"");

        sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("DeliveryPolicy").attributeValue(""));
        assertThat(sns.getTopicAttributes(b -> b.topicArn(arn)).attributes()).doesNotContainKey("DeliveryPolicy");

        assertThatThrownBy(() -> sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("FifoTopic").attributeValue("false")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: AttributeName");
        assertThatThrownBy(() -> sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("Bogus").attributeValue("x")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: AttributeName");
        assertThatThrownBy(() -> sns.setTopicAttributes(b -> b.topicArn(topicArn(unique("gone"))).attributeName("DisplayName").attributeValue("x")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void addAndRemovePermissionEditTheTopicPolicy() throws Exception {
        String arn = sns.createTopic(b -> b.name(unique("shared"))).topicArn();
        sns.addPermission(b -> b.topicArn(arn).label("partners").awsAccountIds("111122223333", "444455556666")
                .actionNames("Publish", "Subscribe"));
        sns.addPermission(b -> b.topicArn(arn).label("auditor").awsAccountIds("777788889999").actionNames("GetTopicAttributes"));
        JsonNode statements = SnsTestSupport.JSON.readTree(sns.getTopicAttributes(b -> b.topicArn(arn)).attributes().get("Policy"))
                .path("Statement");
        assertThat(statements).hasSize(3);
        JsonNode partners = statements.get(1);
        assertThat(partners.path("Sid").asText()).isEqualTo("partners");
        assertThat(partners.path("Principal").path("AWS").toString())
                .isEqualTo("[\"arn:aws:iam::111122223333:root\",\"arn:aws:iam::444455556666:root\"]");
        assertThat(partners.path("Action").toString()).isEqualTo("[\"SNS:Publish\",\"SNS:Subscribe\"]");
        assertThat(partners.path("Resource").asText()).isEqualTo(arn);
        assertThat(statements.get(2).path("Action").asText()).isEqualTo("SNS:GetTopicAttributes");
        assertThatThrownBy(() -> sns.addPermission(b -> b.topicArn(arn).label("auditor").awsAccountIds("777788889999")
                .actionNames("Publish"))).isInstanceOf(InvalidParameterException.class);

        sns.removePermission(b -> b.topicArn(arn).label("partners"));
        JsonNode after = SnsTestSupport.JSON.readTree(sns.getTopicAttributes(b -> b.topicArn(arn)).attributes().get("Policy"))
                .path("Statement");
        assertThat(after).hasSize(2);
        assertThat(after.get(1).path("Sid").asText()).isEqualTo("auditor");
    }

    @Test
    void deleteTopicIsIdempotentAndRemovesIt() {
        String arn = sns.createTopic(b -> b.name(unique("doomed"))).topicArn();
        sns.deleteTopic(b -> b.topicArn(arn));
        sns.deleteTopic(b -> b.topicArn(arn));
        assertThatThrownBy(() -> sns.getTopicAttributes(b -> b.topicArn(arn))).isInstanceOf(NotFoundException.class);
        assertThat(sns.listTopicsPaginator().topics().stream().map(Topic::topicArn)).doesNotContain(arn);
    }

    @Test
    void listTopicsPagesByHundredAcrossAccounts() {
        try (Eddy own = Eddy.start(EddyConfig.inMemory()); SnsClient client = SnsTestSupport.sns(own.endpoint())) {
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 105; i++) {
                String name = String.format("page-%03d", i);
                created.add(client.createTopic(b -> b.name(name)).topicArn());
            }
            var first = client.listTopics();
            assertThat(first.topics()).hasSize(100);
            assertThat(first.nextToken()).isNotBlank();
            var second = client.listTopics(b -> b.nextToken(first.nextToken()));
            assertThat(second.topics()).hasSize(5);
            assertThat(second.nextToken()).isNull();
            List<String> all = new ArrayList<>();
            client.listTopicsPaginator().topics().forEach(t -> all.add(t.topicArn()));
            assertThat(all).containsExactlyElementsOf(created);
        }
    }

    @Test
    void listTopicsRefusesATokenItDidNotIssue() {
        assertThatThrownBy(() -> sns.listTopics(b -> b.nextToken("xyz")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: NextToken");
    }

    @Test
    void tagsCanBeAddedListedAndRemoved() {
        String arn = sns.createTopic(b -> b.name(unique("tagged")).tags(Tag.builder().key("k1").value("v1").build())).topicArn();
        sns.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("k2").value("v2").build()));
        assertThat(sns.listTagsForResource(b -> b.resourceArn(arn)).tags())
                .extracting(Tag::key, Tag::value).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("k1", "v1"), org.assertj.core.groups.Tuple.tuple("k2", "v2"));
        sns.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("k2").value("v2b").build()));
        sns.untagResource(b -> b.resourceArn(arn).tagKeys("k1"));
        assertThat(sns.listTagsForResource(b -> b.resourceArn(arn)).tags())
                .extracting(Tag::key, Tag::value).containsExactly(org.assertj.core.groups.Tuple.tuple("k2", "v2b"));

        assertThatThrownBy(() -> sns.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("d").value("1").build(),
                Tag.builder().key("d").value("2").build())))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Duplicated keys are not allowed.");
        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) many.add(Tag.builder().key("t" + i).value("v").build());
        assertThatThrownBy(() -> sns.tagResource(b -> b.resourceArn(arn).tags(many)))
                .isInstanceOf(TagLimitExceededException.class);
        assertThatThrownBy(() -> sns.listTagsForResource(b -> b.resourceArn(topicArn(unique("none")))))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
