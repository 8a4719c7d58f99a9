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
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;

class SnsSubscriptionsTest {

    static Eddy eddy;
    static SnsClient sns;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        sns = SnsTestSupport.sns(eddy.endpoint());
        sqs = SnsTestSupport.sqs(eddy.endpoint());
    }

    @AfterAll
    static void stop() {
        sns.close();
        sqs.close();
        eddy.close();
    }

    private static String topic() {
        return sns.createTopic(b -> b.name(unique("subs"))).topicArn();
    }

    @Test
    void sqsSubscriptionIsConfirmedAtOnceAndReportsItsAttributes() {
        String topic = topic();
        String queueArn = "arn:aws:sqs:us-east-1:000000000000:" + unique("q");
        String arn = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn)).subscriptionArn();
        assertThat(arn).startsWith(topic + ":").matches(".*:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

        Map<String, String> attributes = sns.getSubscriptionAttributes(b -> b.subscriptionArn(arn)).attributes();
        assertThat(attributes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ConfirmationWasAuthenticated", "true",
                "Endpoint", queueArn,
                "Owner", SnsTestSupport.ACCOUNT,
                "PendingConfirmation", "false",
                "Protocol", "sqs",
                "RawMessageDelivery", "false",
                "SubscriptionArn", arn,
                "SubscriptionPrincipal", "arn:aws:iam::000000000000:root",
                "TopicArn", topic));
        assertThat(sns.getTopicAttributes(b -> b.topicArn(topic)).attributes()).containsEntry("SubscriptionsConfirmed", "1");
    }

    @Test
    void endpointsThatMustConfirmArePendingUntilTheyDo() throws Exception {
        String topic = topic();
        String email = unique("user") + "@example.com";
        assertThat(sns.subscribe(b -> b.topicArn(topic).protocol("email").endpoint(email)).subscriptionArn())
                .isEqualTo("pending confirmation");
        String httpArn = sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint("http://127.0.0.1:1/hook")
                .returnSubscriptionArn(true)).subscriptionArn();
        assertThat(httpArn).startsWith(topic + ":");
        Map<String, String> http = sns.getSubscriptionAttributes(b -> b.subscriptionArn(httpArn)).attributes();
        assertThat(http).containsEntry("PendingConfirmation", "true").containsEntry("ConfirmationWasAuthenticated", "false")
                .containsKey("EffectiveDeliveryPolicy");

        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions())
                .extracting(Subscription::subscriptionArn).containsOnly("PendingConfirmation");
        assertThat(sns.getTopicAttributes(b -> b.topicArn(topic)).attributes()).containsEntry("SubscriptionsPending", "2")
                .containsEntry("SubscriptionsConfirmed", "0");

        SnsTestSupport.drain(eddy.endpoint());
        List<JsonNode> mails = SnsTestSupport.outbox(eddy.endpoint(), email);
        assertThat(mails).hasSize(1);
        JsonNode confirmation = mails.get(0);
        assertThat(confirmation.path("type").asText()).isEqualTo("SubscriptionConfirmation");
        assertThat(confirmation.path("subject").asText()).isEqualTo("AWS Notification - Subscription Confirmation");
        String subscribeUrl = confirmation.path("subscribeUrl").asText();
        assertThat(confirmation.path("message").asText()).contains(subscribeUrl);
        String token = subscribeUrl.substring(subscribeUrl.indexOf("&Token=") + 7);

        String confirmed = sns.confirmSubscription(b -> b.topicArn(topic).token(token)).subscriptionArn();
        assertThat(confirmed).startsWith(topic + ":");
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(confirmed)).attributes())
                .containsEntry("PendingConfirmation", "false").containsEntry("Endpoint", email);
        assertThat(sns.confirmSubscription(b -> b.topicArn(topic).token(token)).subscriptionArn()).isEqualTo(confirmed);
    }

    @Test
    void confirmSubscriptionRejectsBadTokensAndTopics() {
        String topic = topic();
        String wellFormed = "ab".repeat(144);
        assertThatThrownBy(() -> sns.confirmSubscription(b -> b.topicArn(topic).token("randomtoken")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid token");
        assertThatThrownBy(() -> sns.confirmSubscription(b -> b.topicArn(topic).token(wellFormed)))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Token");
        assertThatThrownBy(() -> sns.confirmSubscription(b -> b.topicArn(topic + "x").token(wellFormed)))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Token");
        assertThatThrownBy(() -> sns.confirmSubscription(b -> b.topicArn("arn:aws:sns:eu-west-1:000000000000:t").token(wellFormed)))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Topic");
    }

    @Test
    void subscribeValidatesProtocolAndEndpoint() {
        String topic = topic();
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("test-protocol").endpoint("x")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Amazon SNS does not support this protocol string: test-protocol");
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("http://localhost/000000000000/q")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: SQS endpoint ARN");
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:q.fifo")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("sms").endpoint("invalid-number")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid SMS endpoint: invalid-number");
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint("https://example.com/x")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Endpoint must match the specified protocol");
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("lambda").endpoint("my-function")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Lambda endpoint ARN");
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topicArn(unique("nope"))).protocol("sqs")
                .endpoint("arn:aws:sqs:us-east-1:000000000000:q")))
                .isInstanceOf(NotFoundException.class).hasMessageStartingWith("Topic does not exist");

        String fifo = sns.createTopic(b -> b.name(unique("f") + ".fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(fifo).protocol("email").endpoint("a@example.com")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Invalid protocol type: email");

        String sms = sns.subscribe(b -> b.topicArn(topic).protocol("sms").endpoint("+15551234567")).subscriptionArn();
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(sms)).attributes()).containsEntry("PendingConfirmation", "false");
        String lambda = sns.subscribe(b -> b.topicArn(topic).protocol("lambda")
                .endpoint("arn:aws:lambda:us-east-1:000000000000:function:handler")).subscriptionArn();
        assertThat(lambda).startsWith(topic + ":");
    }

    @Test
    void subscribeIsIdempotentUnlessAttributesDiffer() {
        String topic = topic();
        String queue = "arn:aws:sqs:us-east-1:000000000000:" + unique("q");
        String arn = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)
                .attributes(Map.of("RawMessageDelivery", "true"))).subscriptionArn();
        assertThat(sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)
                .attributes(Map.of("RawMessageDelivery", "true"))).subscriptionArn()).isEqualTo(arn);
        assertThat(sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)).subscriptionArn()).isEqualTo(arn);
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)
                .attributes(Map.of("RawMessageDelivery", "false"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Attributes Reason: Subscription already exists with different attributes");
    }

    @Test
    void subscriptionAttributesAreValidatedLikeAws() {
        String topic = topic();
        String queue = "arn:aws:sqs:us-east-1:000000000000:" + unique("q");
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)
                .attributes(Map.of("RawMessageDelivery", "wrongvalue"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.");
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("email").endpoint("a@example.com")
                .attributes(Map.of("RawMessageDelivery", "true"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Attributes Reason: Delivery protocol [email] does not support raw message delivery.");

        String arn = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)).subscriptionArn();
        assertThatThrownBy(() -> set(arn, "FakeAttribute", "x"))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: AttributeName");
        assertThatThrownBy(() -> set(arn, "RawMessageDelivery", "test-ValUe"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.");
        assertThatThrownBy(() -> set(arn, "RedrivePolicy", "{\"deadLetterTargetArn\": \"fake-arn\"}"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn");
        assertThatThrownBy(() -> set(arn, "RedrivePolicy", "{invalidjson}"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: RedrivePolicy: failed to parse JSON. Unexpected character ('i' (code 105))");
        assertThatThrownBy(() -> set(arn, "FilterPolicy", "{invalidjson}"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: FilterPolicy: failed to parse JSON. Unexpected character ('i' (code 105))");
        assertThatThrownBy(() -> set(arn, "FilterPolicyScope", "RandomValue"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes");

        set(arn, "RawMessageDelivery", "true");
        set(arn, "FilterPolicy", "{\"color\":[\"red\"]}");
        String dlq = "arn:aws:sqs:us-east-1:000000000000:" + unique("dlq");
        set(arn, "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlq + "\"}");
        Map<String, String> attributes = sns.getSubscriptionAttributes(b -> b.subscriptionArn(arn)).attributes();
        assertThat(attributes).containsEntry("RawMessageDelivery", "true")
                .containsEntry("FilterPolicy", "{\"color\":[\"red\"]}")
                .containsEntry("FilterPolicyScope", "MessageAttributes")
                .containsEntry("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlq + "\"}");

        set(arn, "FilterPolicyScope", "MessageBody");
        set(arn, "FilterPolicy", "{\"order\":{\"kind\":[\"big\"]}}");
        assertThatThrownBy(() -> set(arn, "FilterPolicyScope", "MessageAttributes"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
        set(arn, "FilterPolicy", "");
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(arn)).attributes())
                .doesNotContainKeys("FilterPolicy", "FilterPolicyScope");
    }

    @Test
    void unsubscribeRemovesAndIsIdempotent() {
        String topic = topic();
        String arn = sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                .endpoint("arn:aws:sqs:us-east-1:000000000000:" + unique("q"))).subscriptionArn();
        sns.unsubscribe(b -> b.subscriptionArn(arn));
        sns.unsubscribe(b -> b.subscriptionArn(arn));
        assertThatThrownBy(() -> sns.getSubscriptionAttributes(b -> b.subscriptionArn(arn)))
                .isInstanceOf(NotFoundException.class).hasMessageStartingWith("Subscription does not exist");
        assertThatThrownBy(() -> set(arn, "RawMessageDelivery", "true"))
                .isInstanceOf(NotFoundException.class).hasMessageStartingWith("Subscription does not exist");
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions()).isEmpty();

        assertThatThrownBy(() -> sns.unsubscribe(b -> b.subscriptionArn("foo")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1");
        assertThatThrownBy(() -> sns.unsubscribe(b -> b.subscriptionArn(topic + ":not-a-uuid")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: SubscriptionId");
        assertThatThrownBy(() -> sns.getSubscriptionAttributes(b -> b.subscriptionArn(topic)))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: SubscriptionId");
    }

    @Test
    void deletingATopicRemovesItsSubscriptions() {
        String topic = topic();
        String arn = sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                .endpoint("arn:aws:sqs:us-east-1:000000000000:" + unique("q"))).subscriptionArn();
        sns.deleteTopic(b -> b.topicArn(topic));
        assertThatThrownBy(() -> sns.getSubscriptionAttributes(b -> b.subscriptionArn(arn))).isInstanceOf(NotFoundException.class);
        assertThat(sns.listSubscriptionsPaginator().subscriptions().stream().map(Subscription::subscriptionArn)).doesNotContain(arn);
        assertThatThrownBy(() -> sns.listSubscriptionsByTopic(b -> b.topicArn(topic))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void subscriptionListingsPageByHundred() {
        try (Eddy own = Eddy.start(EddyConfig.inMemory()); SnsClient client = SnsTestSupport.sns(own.endpoint())) {
            String a = client.createTopic(b -> b.name("a-topic")).topicArn();
            String b2 = client.createTopic(b -> b.name("b-topic")).topicArn();
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 103; i++) {
                String endpoint = "arn:aws:sqs:us-east-1:000000000000:q" + i;
                String topic = i < 100 ? a : b2;
                created.add(client.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(endpoint)).subscriptionArn());
            }
            var first = client.listSubscriptions();
            assertThat(first.subscriptions()).hasSize(100);
            assertThat(first.nextToken()).isNotNull();
            var rest = client.listSubscriptions(b -> b.nextToken(first.nextToken()));
            assertThat(rest.subscriptions()).hasSize(3);
            assertThat(rest.nextToken()).isNull();
            List<String> all = new ArrayList<>();
            client.listSubscriptionsPaginator().subscriptions().forEach(s -> all.add(s.subscriptionArn()));
            assertThat(all).containsExactlyInAnyOrderElementsOf(created).doesNotHaveDuplicates();

            var byTopic = client.listSubscriptionsByTopic(b -> b.topicArn(a));
            assertThat(byTopic.subscriptions()).hasSize(100).allSatisfy(s -> assertThat(s.topicArn()).isEqualTo(a));
            assertThat(byTopic.nextToken()).isNull();
            Subscription one = client.listSubscriptionsByTopic(b -> b.topicArn(b2)).subscriptions().get(0);
            assertThat(one.owner()).isEqualTo(SnsTestSupport.ACCOUNT);
            assertThat(one.protocol()).isEqualTo("sqs");
            assertThat(one.endpoint()).startsWith("arn:aws:sqs:us-east-1:000000000000:q10");
        }
    }

    private static void set(String arn, String name, String value) {
        sns.setSubscriptionAttributes(b -> b.subscriptionArn(arn).attributeName(name).attributeValue(value));
    }
}
