package io.eddy.it.sns;

import static io.eddy.it.sns.SnsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sns.SnsClient;

/** Email, email-json and SMS deliveries land in Eddy's outbox, where tests can read them. */
class SnsOutboxTest {

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

    private static String confirmByLink(String email) throws Exception {
        SnsTestSupport.drain(eddy.endpoint());
        List<JsonNode> mails = SnsTestSupport.outbox(eddy.endpoint(), email);
        assertThat(mails).hasSize(1);
        HttpResponse<String> confirmed = SnsTestSupport.HTTP.send(HttpRequest.newBuilder(
                URI.create(mails.get(0).path("subscribeUrl").asText())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(confirmed.statusCode()).isEqualTo(200);
        return confirmed.body();
    }

    private static JsonNode byMessageId(List<JsonNode> mails, String messageId) {
        return mails.stream().filter(m -> m.path("messageId").asText().equals(messageId)).findFirst()
                .orElseThrow(() -> new AssertionError("no mail with message id " + messageId + " in " + mails));
    }

    @Test
    void emailSubscribersGetAConfirmationLinkThenTheMessages() throws Exception {
        String topic = sns.createTopic(b -> b.name(unique("mail"))).topicArn();
        String email = unique("alice") + "@example.com";
        sns.subscribe(b -> b.topicArn(topic).protocol("email").endpoint(email));
        sns.publish(b -> b.topicArn(topic).message("before confirmation"));
        assertThat(confirmByLink(email)).contains("<SubscriptionArn>" + topic + ":");

        String withSubject = sns.publish(b -> b.topicArn(topic).subject("Order shipped").message("Your order is on its way")).messageId();
        String withoutSubject = sns.publish(b -> b.topicArn(topic).message("No subject here")).messageId();
        SnsTestSupport.drain(eddy.endpoint());
        List<JsonNode> mails = SnsTestSupport.outbox(eddy.endpoint(), email);
        assertThat(mails).hasSize(3);
        // Standard topics do not order deliveries, so the two notifications may land either way round.
        JsonNode first = byMessageId(mails, withSubject);
        assertThat(first.path("type").asText()).isEqualTo("Notification");
        assertThat(first.path("protocol").asText()).isEqualTo("email");
        assertThat(first.path("subject").asText()).isEqualTo("Order shipped");
        assertThat(first.path("message").asText()).isEqualTo("Your order is on its way");
        assertThat(first.path("topicArn").asText()).isEqualTo(topic);
        assertThat(first.path("messageId").asText()).isEqualTo(withSubject);
        assertThat(first.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode second = byMessageId(mails, withoutSubject);
        assertThat(second.path("subject").asText()).isEqualTo("AWS Notification Message");
        assertThat(second.path("message").asText()).isEqualTo("No subject here");
    }

    @Test
    void emailJsonGetsTheEnvelopeAndSmsTheText() throws Exception {
        String topic = sns.createTopic(b -> b.name(unique("multi"))).topicArn();
        String email = unique("bob") + "@example.com";
        String phone = "+4915112345678";
        sns.subscribe(b -> b.topicArn(topic).protocol("email-json").endpoint(email));
        confirmByLink(email);
        sns.subscribe(b -> b.topicArn(topic).protocol("sms").endpoint(phone));

        String messageId = sns.publish(b -> b.topicArn(topic).message("Alarm: disk full").subject("Alarm")).messageId();
        SnsTestSupport.drain(eddy.endpoint());
        JsonNode json = SnsTestSupport.outbox(eddy.endpoint(), email).get(1);
        assertThat(json.path("protocol").asText()).isEqualTo("email-json");
        JsonNode envelope = SnsTestSupport.JSON.readTree(json.path("message").asText());
        assertThat(envelope.path("Type").asText()).isEqualTo("Notification");
        assertThat(envelope.path("MessageId").asText()).isEqualTo(messageId);
        assertThat(envelope.path("Message").asText()).isEqualTo("Alarm: disk full");
        assertThat(SnsPublishTest.verify(envelope, "SHA1withRSA")).isTrue();

        List<JsonNode> texts = SnsTestSupport.outbox(eddy.endpoint(), phone);
        assertThat(texts).singleElement().satisfies(sms -> {
            assertThat(sms.path("protocol").asText()).isEqualTo("sms");
            assertThat(sms.path("message").asText()).isEqualTo("Alarm: disk full");
            assertThat(sms.path("subject").isNull()).isTrue();
            assertThat(sms.path("messageId").asText()).isEqualTo(messageId);
        });
    }

    @Test
    void theOutboxCanBeFilteredAndEmptied() throws Exception {
        try (Eddy own = Eddy.start(EddyConfig.inMemory()); SnsClient client = SnsTestSupport.sns(own.endpoint())) {
            client.publish(b -> b.phoneNumber("+15550000001").message("one"));
            client.publish(b -> b.phoneNumber("+15550000002").message("two"));
            HttpResponse<String> all = SnsTestSupport.HTTP.send(HttpRequest.newBuilder(own.endpoint().resolve("/_eddy/sns/outbox?protocol=sms"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(SnsTestSupport.JSON.readTree(all.body()).path("messages")).hasSize(2);
            assertThat(SnsTestSupport.outbox(own.endpoint(), "+15550000002")).singleElement()
                    .satisfies(m -> assertThat(m.path("message").asText()).isEqualTo("two"));
            HttpResponse<String> cleared = SnsTestSupport.HTTP.send(HttpRequest.newBuilder(own.endpoint().resolve("/_eddy/sns/outbox"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(cleared.statusCode()).isEqualTo(204);
            assertThat(SnsTestSupport.outbox(own.endpoint(), "+15550000001")).isEmpty();
        }
    }
}
