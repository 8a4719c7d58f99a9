package io.eddy.it.sns;

import static io.eddy.it.sns.SnsTestSupport.receive;
import static io.eddy.it.sns.SnsTestSupport.topicArn;
import static io.eddy.it.sns.SnsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sns.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sns.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sns.model.InvalidBatchEntryIdException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.InvalidParameterValueException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class SnsPublishTest {

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

    /** A topic with one SQS subscription; returns {topicArn, queueUrl, subscriptionArn}. */
    private static String[] topicWithQueue(Map<String, String> subscriptionAttributes) {
        String topic = sns.createTopic(b -> b.name(unique("pub"))).topicArn();
        SnsTestSupport.Queue queue = SnsTestSupport.queue(sqs, unique("pubq"));
        String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue.arn())
                .attributes(subscriptionAttributes)).subscriptionArn();
        return new String[] {topic, queue.url(), subscription};
    }

    private static Message one(String queueUrl) {
        List<Message> messages = receive(sqs, queueUrl, 1, Duration.ofSeconds(10));
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    @Test
    void sqsReceivesTheSignedEnvelopeAwsSends() throws Exception {
        String[] setup = topicWithQueue(Map.of());
        String messageId = sns.publish(b -> b.topicArn(setup[0]).subject("Greetings").message("hello \"world\"\nline two")
                .messageAttributes(Map.of(
                        "color", MessageAttributeValue.builder().dataType("String").stringValue("red").build(),
                        "price", MessageAttributeValue.builder().dataType("Number").stringValue("99.5").build(),
                        "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[] {2, 3, 4})).build())))
                .messageId();
        Message received = one(setup[1]);
        String body = received.body();
        assertThat(body).startsWith("{\n  \"Type\" : \"Notification\",\n  \"MessageId\" : \"" + messageId + "\",\n  \"TopicArn\" : \"" + setup[0] + "\",\n");
        assertThat(body).contains("\n  \"Message\" : \"hello \\\"world\\\"\\nline two\",\n").endsWith("\n  }\n}");
        assertThat(body).contains("\n  \"MessageAttributes\" : {\n    \"");

        JsonNode envelope = SnsTestSupport.JSON.readTree(body);
        assertThat(fieldNames(envelope)).containsExactly("Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
                "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes");
        assertThat(envelope.path("Subject").asText()).isEqualTo("Greetings");
        assertThat(envelope.path("Message").asText()).isEqualTo("hello \"world\"\nline two");
        assertThat(envelope.path("Timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(envelope.path("SignatureVersion").asText()).isEqualTo("1");
        assertThat(envelope.path("UnsubscribeURL").asText())
                .isEqualTo(eddy.endpoint() + "/?Action=Unsubscribe&SubscriptionArn=" + setup[2]);
        JsonNode attributes = envelope.path("MessageAttributes");
        assertThat(attributes.path("color").toString()).isEqualTo("{\"Type\":\"String\",\"Value\":\"red\"}");
        assertThat(attributes.path("price").toString()).isEqualTo("{\"Type\":\"Number\",\"Value\":\"99.5\"}");
        assertThat(attributes.path("blob").toString()).isEqualTo("{\"Type\":\"Binary\",\"Value\":\"AgME\"}");
        assertThat(received.attributes().get(MessageSystemAttributeName.SENDER_ID)).isEqualTo("AIDAIT2UOQQY3AUEKVGXU");

        assertThat(verify(envelope, "SHA1withRSA")).isTrue();
        ((com.fasterxml.jackson.databind.node.ObjectNode) envelope).put("Message", "tampered");
        assertThat(verify(envelope, "SHA1withRSA")).isFalse();

        HttpResponse<String> unsubscribe = SnsTestSupport.HTTP.send(
                HttpRequest.newBuilder(URI.create(envelope.path("UnsubscribeURL").asText())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsubscribe.statusCode()).isEqualTo(200);
        assertThat(unsubscribe.body()).contains("<UnsubscribeResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">");
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(setup[0])).subscriptions()).isEmpty();
    }

    @Test
    void signatureVersionTwoSignsWithSha256AndPlainMessagesCarryNoOptionalFields() throws Exception {
        String[] setup = topicWithQueue(Map.of());
        sns.setTopicAttributes(b -> b.topicArn(setup[0]).attributeName("SignatureVersion").attributeValue("2"));
        sns.publish(b -> b.topicArn(setup[0]).message("plain"));
        JsonNode envelope = SnsTestSupport.JSON.readTree(one(setup[1]).body());
        assertThat(fieldNames(envelope)).containsExactly("Type", "MessageId", "TopicArn", "Message", "Timestamp",
                "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL");
        assertThat(envelope.path("SignatureVersion").asText()).isEqualTo("2");
        assertThat(verify(envelope, "SHA256withRSA")).isTrue();
    }

    @Test
    void rawDeliveryGivesTheBareMessageWithSqsMessageAttributes() {
        String[] setup = topicWithQueue(Map.of("RawMessageDelivery", "true"));
        sns.publish(b -> b.topicArn(setup[0]).subject("ignored").message("{\"order\":1}")
                .messageAttributes(Map.of(
                        "kind", MessageAttributeValue.builder().dataType("String").stringValue("order").build(),
                        "amount", MessageAttributeValue.builder().dataType("Number.int").stringValue("12").build(),
                        "tags", MessageAttributeValue.builder().dataType("String.Array").stringValue("[\"a\",\"b\"]").build(),
                        "raw", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[] {9})).build())));
        Message received = one(setup[1]);
        assertThat(received.body()).isEqualTo("{\"order\":1}");
        var attributes = received.messageAttributes();
        assertThat(attributes).containsOnlyKeys("kind", "amount", "tags", "raw");
        assertThat(attributes.get("kind").dataType()).isEqualTo("String");
        assertThat(attributes.get("kind").stringValue()).isEqualTo("order");
        assertThat(attributes.get("amount").dataType()).isEqualTo("Number.int");
        assertThat(attributes.get("amount").stringValue()).isEqualTo("12");
        assertThat(attributes.get("tags").dataType()).isEqualTo("String.Array");
        assertThat(attributes.get("raw").binaryValue().asByteArray()).containsExactly(9);
        assertThat(received.md5OfMessageAttributes()).isNotBlank();
    }

    @Test
    void messageStructureJsonDeliversEachProtocolItsOwnText() throws Exception {
        String[] setup = topicWithQueue(Map.of());
        String sms = "+15550001111";
        sns.subscribe(b -> b.topicArn(setup[0]).protocol("sms").endpoint(sms));
        sns.publish(b -> b.topicArn(setup[0]).messageStructure("json")
                .message("{\"default\":\"for everyone\",\"sqs\":\"for queues\",\"unknown\":\"ignored\",\"email\":7}"));
        assertThat(SnsTestSupport.JSON.readTree(one(setup[1]).body()).path("Message").asText()).isEqualTo("for queues");
        SnsTestSupport.drain(eddy.endpoint());
        assertThat(SnsTestSupport.outbox(eddy.endpoint(), sms)).singleElement()
                .satisfies(m -> assertThat(m.path("message").asText()).isEqualTo("for everyone"));

        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(setup[0]).messageStructure("json").message("{\"sqs\":\"x\"}")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Message Structure - No default entry in JSON message body");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(setup[0]).messageStructure("json").message("{\"default\":1}")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Message Structure - No default entry in JSON message body");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(setup[0]).messageStructure("json").message("not json")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Message Structure - JSON message body failed to parse");
    }

    @Test
    void publishValidatesLikeAws() {
        String topic = sns.createTopic(b -> b.name(unique("val"))).topicArn();
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Empty message");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("x".repeat(262_145))))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Message too long");
        assertThat(sns.publish(b -> b.topicArn(topic).message("x".repeat(262_144))).messageId()).isNotBlank();
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("x".repeat(262_140))
                .messageAttributes(Map.of("a", MessageAttributeValue.builder().dataType("String").stringValue("long").build()))))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Message too long");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("m").subject("")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Subject");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("m").subject("two\nlines")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Subject");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("m").messageDeduplicationId("d")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith(
                        "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topicArn(unique("nope"))).message("m")))
                .isInstanceOf(NotFoundException.class).hasMessageStartingWith("Topic does not exist");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn("arn:aws:sns:us-east-1:000000000000").message("m")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 5");
        assertThatThrownBy(() -> sns.publish(b -> b.targetArn("arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/1234").message("m")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified");
        assertThatThrownBy(() -> sns.publish(b -> b.phoneNumber("+1a234").message("m")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to");
        assertThat(sns.publish(b -> b.targetArn(topic).message("via target")).messageId()).isNotBlank();
    }

    @Test
    void messageAttributesAreValidatedLikeAws() {
        String topic = sns.createTopic(b -> b.name(unique("attrs"))).topicArn();
        Map<String, MessageAttributeValue> cases = new LinkedHashMap<>();
        cases.put("The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.",
                MessageAttributeValue.builder().dataType("String").stringValue("").build());
        cases.put("The message attribute 'attr1' with type 'String' must use field 'String'.",
                MessageAttributeValue.builder().dataType("String").binaryValue(SdkBytes.fromUtf8String("x")).build());
        cases.put("The message attribute 'attr1' with type 'Binary' must use field 'Binary'.",
                MessageAttributeValue.builder().dataType("Binary").stringValue("x").build());
        cases.put("The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
                MessageAttributeValue.builder().dataType("Date").stringValue("x").build());
        cases.put("Could not cast message attribute 'attr1' value to number.",
                MessageAttributeValue.builder().dataType("Number").stringValue("twelve").build());
        cases.forEach((message, value) -> assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("m")
                .messageAttributes(Map.of("attr1", value))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageStartingWith(message));

        MessageAttributeValue ok = MessageAttributeValue.builder().dataType("String").stringValue("v").build();
        Map<String, String> names = Map.of(
                "a^b", "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
                ".a", "Invalid message attribute name starting with character '.' was found.",
                "a.", "Invalid message attribute name ending with character '.' was found.",
                "a..b", "Message attribute name can not have successive '.' character.",
                "n".repeat(256), "Length of message attribute name must be less than 256 bytes.",
                "AWS.trace", "Message attribute names starting with 'AWS.' or 'Amazon.' are reserved for use by Amazon.",
                "amazon.x", "Message attribute names starting with 'AWS.' or 'Amazon.' are reserved for use by Amazon.");
        names.forEach((name, message) -> assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("m")
                .messageAttributes(Map.of(name, ok))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageStartingWith(message));
        assertThat(sns.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of(
                "AWS.SNS.SMS.SMSType", MessageAttributeValue.builder().dataType("String").stringValue("Transactional").build(),
                "AWS.SNS.MOBILE.APNS.TTL", MessageAttributeValue.builder().dataType("String").stringValue("60").build())))
                .messageId()).isNotBlank();
    }

    @Test
    void publishBatchDeliversEveryEntryAndChecksTheBatch() {
        String[] setup = topicWithQueue(Map.of("RawMessageDelivery", "true"));
        List<PublishBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) entries.add(PublishBatchRequestEntry.builder().id("e" + i).message("batch " + i).build());
        PublishBatchResponse response = sns.publishBatch(b -> b.topicArn(setup[0]).publishBatchRequestEntries(entries));
        assertThat(response.failed()).isEmpty();
        assertThat(response.successful()).hasSize(10).allSatisfy(s -> assertThat(s.messageId()).isNotBlank());
        assertThat(response.successful().get(3).id()).isEqualTo("e3");
        List<Message> received = receive(sqs, setup[1], 10, Duration.ofSeconds(15));
        assertThat(received).extracting(Message::body).containsExactlyInAnyOrder(
                entries.stream().map(PublishBatchRequestEntry::message).toArray(String[]::new));

        List<PublishBatchRequestEntry> eleven = new ArrayList<>(entries);
        eleven.add(PublishBatchRequestEntry.builder().id("e10").message("m").build());
        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(setup[0]).publishBatchRequestEntries(eleven)))
                .isInstanceOf(TooManyEntriesInBatchRequestException.class)
                .hasMessageStartingWith("The batch request contains more entries than permissible.");
        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(setup[0]).publishBatchRequestEntries(List.of())))
                .isInstanceOf(EmptyBatchRequestException.class);
        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(setup[0]).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("same").message("1").build(),
                PublishBatchRequestEntry.builder().id("same").message("2").build())))
                .isInstanceOf(BatchEntryIdsNotDistinctException.class)
                .hasMessageStartingWith("Two or more batch entries in the request have the same Id.");
        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(setup[0]).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("bad id!").message("1").build())))
                .isInstanceOf(InvalidBatchEntryIdException.class);
        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(setup[0]).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("a").message("x".repeat(200_000)).build(),
                PublishBatchRequestEntry.builder().id("b").message("x".repeat(70_000)).build())))
                .isInstanceOf(BatchRequestTooLongException.class)
                .hasMessageStartingWith("The length of all the messages put together is more than the limit.");
        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(topicArn(unique("none"))).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("a").message("x").build())))
                .isInstanceOf(NotFoundException.class);
    }

    /** An entry Publish would refuse fails alone, with Publish's code and message; the rest are delivered. */
    @Test
    void publishBatchFailsOnlyTheEntriesPublishWouldRefuse() {
        String[] setup = topicWithQueue(Map.of("RawMessageDelivery", "true"));
        Map<String, software.amazon.awssdk.services.sns.model.MessageAttributeValue> reserved = Map.of("AWS.trace",
                software.amazon.awssdk.services.sns.model.MessageAttributeValue.builder().dataType("String").stringValue("x").build());
        software.amazon.awssdk.awscore.exception.AwsServiceException refused = org.junit.jupiter.api.Assertions.assertThrows(
                software.amazon.awssdk.awscore.exception.AwsServiceException.class,
                () -> sns.publish(b -> b.topicArn(setup[0]).message("alone").messageAttributes(reserved)));

        PublishBatchResponse response = sns.publishBatch(b -> b.topicArn(setup[0]).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("good-1").message("first").build(),
                PublishBatchRequestEntry.builder().id("bad").message("refused").messageAttributes(reserved).build(),
                PublishBatchRequestEntry.builder().id("good-2").message("second").build()));

        assertThat(response.successful()).extracting(s -> s.id()).containsExactly("good-1", "good-2");
        assertThat(response.failed()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("bad");
            assertThat(f.code()).isEqualTo(refused.awsErrorDetails().errorCode());
            assertThat(f.message()).isEqualTo(refused.awsErrorDetails().errorMessage());
            assertThat(f.senderFault()).isTrue();
        });
        assertThat(receive(sqs, setup[1], 2, Duration.ofSeconds(15))).extracting(Message::body)
                .containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void standardTopicsForwardTheMessageGroupIdToStandardQueues() {
        String[] setup = topicWithQueue(Map.of());
        sns.publish(b -> b.topicArn(setup[0]).message("fair").messageGroupId("tenant-1"));
        Message received = one(setup[1]);
        assertThat(received.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo("tenant-1");
    }

    @Test
    void directSmsLandsInTheOutbox() throws Exception {
        String phone = "+1555" + (1000000 + (int) (Math.random() * 8999999));
        String messageId = sns.publish(b -> b.phoneNumber(phone).message("Your code is 1234")).messageId();
        List<JsonNode> outbox = SnsTestSupport.outbox(eddy.endpoint(), phone);
        assertThat(outbox).singleElement().satisfies(m -> {
            assertThat(m.path("protocol").asText()).isEqualTo("sms");
            assertThat(m.path("message").asText()).isEqualTo("Your code is 1234");
            assertThat(m.path("messageId").asText()).isEqualTo(messageId);
            assertThat(m.path("topicArn").isNull()).isTrue();
        });
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
        return names;
    }

    /** Verifies the envelope's signature as AWS tells subscribers to: fetch the certificate, rebuild the string to sign. */
    static boolean verify(JsonNode envelope, String algorithm) throws Exception {
        HttpResponse<byte[]> pem = SnsTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(envelope.path("SigningCertURL").asText()))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pem.statusCode()).isEqualTo(200);
        assertThat(envelope.path("SigningCertURL").asText()).matches(".*/SimpleNotificationService-[0-9a-f]{32}\\.pem");
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.body()));
        StringBuilder text = new StringBuilder();
        List<String> fields = envelope.path("Type").asText().equals("Notification")
                ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
                : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
        for (String field : fields) {
            if (!envelope.has(field)) continue;
            text.append(field).append('\n').append(envelope.path(field).asText()).append('\n');
        }
        Signature signature = Signature.getInstance(algorithm);
        signature.initVerify(certificate.getPublicKey());
        signature.update(text.toString().getBytes(StandardCharsets.UTF_8));
        return signature.verify(Base64.getDecoder().decode(envelope.path("Signature").asText()));
    }
}
