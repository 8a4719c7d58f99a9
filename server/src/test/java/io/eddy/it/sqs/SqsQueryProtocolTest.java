package io.eddy.it.sqs;

import static io.eddy.it.sqs.SqsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/** The Query protocol (form-encoded requests, XML responses) that older SDKs and CLIs speak. */
class SqsQueryProtocolTest {

    static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
    static final String SIGNED = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=00";

    static Eddy eddy;
    static SqsClient sqs;
    static final HttpClient http = HttpClient.newHttpClient();

    record Reply(int status, Document xml, String requestId) {
        String text(String tag) {
            Node node = xml.getElementsByTagName(tag).item(0);
            return node == null ? null : node.getTextContent();
        }

        List<Element> all(String tag) {
            List<Element> out = new ArrayList<>();
            for (int i = 0; i < xml.getElementsByTagName(tag).getLength(); i++) {
                out.add((Element) xml.getElementsByTagName(tag).item(i));
            }
            return out;
        }
    }

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

    static Reply post(String path, boolean signed, Map<String, String> params) throws Exception {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(eddy.endpoint().resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (signed) request.header("Authorization", SIGNED);
        return parse(http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    static Reply parse(HttpResponse<byte[]> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document xml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body()));
        return new Reply(response.statusCode(), xml, response.headers().firstValue("x-amzn-RequestId").orElse(null));
    }

    static Map<String, String> params(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) out.put(pairs[i], pairs[i + 1]);
        out.putIfAbsent("Version", "2012-11-05");
        return out;
    }

    @Test
    void createSendReceiveAndDeleteThroughTheQueryProtocol() throws Exception {
        String name = unique("query");
        Reply created = post("/", true, params("Action", "CreateQueue", "QueueName", name,
                "Attribute.1.Name", "VisibilityTimeout", "Attribute.1.Value", "40",
                "Tag.1.Key", "team", "Tag.1.Value", "core"));
        assertThat(created.status()).isEqualTo(200);
        Element root = created.xml().getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("CreateQueueResponse");
        assertThat(root.getNamespaceURI()).isEqualTo(NAMESPACE);
        String url = created.text("QueueUrl");
        assertThat(url).isEqualTo("http://127.0.0.1:" + eddy.port() + "/000000000000/" + name);
        assertThat(created.text("RequestId")).isEqualTo(created.requestId());
        assertThat(sqs.listQueueTags(r -> r.queueUrl(url)).tags()).containsEntry("team", "core");

        String body = "<order id=\"1\">&amp; fish\r\nchips</order>";
        Reply sent = post("/", true, params("Action", "SendMessage", "QueueUrl", url, "MessageBody", body,
                "MessageAttribute.1.Name", "colour", "MessageAttribute.1.Value.DataType", "String",
                "MessageAttribute.1.Value.StringValue", "blue",
                "MessageAttribute.2.Name", "raw", "MessageAttribute.2.Value.DataType", "Binary",
                "MessageAttribute.2.Value.BinaryValue", "AAEC/w=="));
        assertThat(sent.status()).isEqualTo(200);
        SendMessageResponse viaSdk = sqs.sendMessage(r -> r.queueUrl(url).messageBody(body).messageAttributes(Map.of(
                "colour", MessageAttributeValue.builder().dataType("String").stringValue("blue").build(),
                "raw", MessageAttributeValue.builder().dataType("Binary")
                        .binaryValue(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 0xFF})).build())));
        assertThat(sent.text("MD5OfMessageBody")).isEqualTo(viaSdk.md5OfMessageBody());
        assertThat(sent.text("MD5OfMessageAttributes")).isEqualTo(viaSdk.md5OfMessageAttributes());
        assertThat(sent.text("MessageId")).isNotBlank();

        Reply received = post("/", true, params("Action", "ReceiveMessage", "QueueUrl", url,
                "MaxNumberOfMessages", "1", "AttributeName.1", "All", "MessageAttributeName.1", "All"));
        assertThat(received.xml().getDocumentElement().getLocalName()).isEqualTo("ReceiveMessageResponse");
        List<Element> messages = received.all("Message");
        assertThat(messages).hasSize(1);
        Element message = messages.get(0);
        assertThat(child(message, "MessageId")).isEqualTo(sent.text("MessageId"));
        assertThat(child(message, "Body")).isEqualTo(body);
        assertThat(child(message, "MD5OfBody")).isEqualTo(viaSdk.md5OfMessageBody());
        assertThat(child(message, "MD5OfMessageAttributes")).isEqualTo(viaSdk.md5OfMessageAttributes());
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Element a : children(message, "Attribute")) attributes.put(child(a, "Name"), child(a, "Value"));
        assertThat(attributes).containsEntry("ApproximateReceiveCount", "1").containsEntry("SenderId", "000000000000")
                .containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp");
        List<Element> messageAttributes = children(message, "MessageAttribute");
        assertThat(messageAttributes).extracting(a -> child(a, "Name")).containsExactlyInAnyOrder("colour", "raw");
        for (Element a : messageAttributes) {
            Element value = children(a, "Value").get(0);
            if (child(a, "Name").equals("raw")) {
                assertThat(child(value, "DataType")).isEqualTo("Binary");
                assertThat(child(value, "BinaryValue")).isEqualTo("AAEC/w==");
            } else {
                assertThat(child(value, "DataType")).isEqualTo("String");
                assertThat(child(value, "StringValue")).isEqualTo("blue");
            }
        }

        Reply deleted = post("/", true, params("Action", "DeleteMessage", "QueueUrl", url,
                "ReceiptHandle", child(message, "ReceiptHandle")));
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.xml().getDocumentElement().getLocalName()).isEqualTo("DeleteMessageResponse");
        assertThat(deleted.all("DeleteMessageResult")).isEmpty();
        assertThat(deleted.text("RequestId")).isEqualTo(deleted.requestId());

        Reply attributesReply = post("/", true, params("Action", "GetQueueAttributes", "QueueUrl", url,
                "AttributeName.1", "VisibilityTimeout", "AttributeName.2", "ApproximateNumberOfMessages"));
        Map<String, String> queueAttributes = new LinkedHashMap<>();
        for (Element a : attributesReply.all("Attribute")) queueAttributes.put(child(a, "Name"), child(a, "Value"));
        assertThat(queueAttributes).containsExactly(Map.entry("VisibilityTimeout", "40"),
                Map.entry("ApproximateNumberOfMessages", "1"));
    }

    @Test
    void errorsAreXmlErrorResponsesWithTheLegacyCode() throws Exception {
        Reply missing = post("/", true, params("Action", "GetQueueUrl", "QueueName", "no-such-queue"));
        assertThat(missing.status()).isEqualTo(400);
        Element root = missing.xml().getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("ErrorResponse");
        assertThat(root.getNamespaceURI()).isEqualTo(NAMESPACE);
        assertThat(missing.text("Type")).isEqualTo("Sender");
        assertThat(missing.text("Code")).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
        assertThat(missing.text("Message")).isEqualTo("The specified queue does not exist.");
        assertThat(missing.all("Detail")).hasSize(1);
        assertThat(missing.text("RequestId")).isEqualTo(missing.requestId());

        String url = sqs.createQueue(r -> r.queueName(unique("qerr"))).queueUrl();
        Reply exists = post("/", true, params("Action", "CreateQueue", "QueueName", url.substring(url.lastIndexOf('/') + 1),
                "Attribute.1.Name", "DelaySeconds", "Attribute.1.Value", "9"));
        assertThat(exists.text("Code")).isEqualTo("QueueAlreadyExists");
        Reply badNumber = post("/", true, params("Action", "ReceiveMessage", "QueueUrl", url,
                "MaxNumberOfMessages", "many"));
        assertThat(badNumber.status()).isEqualTo(400);
        assertThat(badNumber.text("Code")).isEqualTo("InvalidParameterValue");
        Reply unknown = post("/", true, params("Action", "Teleport"));
        assertThat(unknown.text("Code")).isEqualTo("InvalidAction");
        Reply purge = post("/", true, params("Action", "PurgeQueue", "QueueUrl", url));
        assertThat(purge.status()).isEqualTo(200);
        Reply again = post("/", true, params("Action", "PurgeQueue", "QueueUrl", url));
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.text("Code")).isEqualTo("AWS.SimpleQueueService.PurgeQueueInProgress");
    }

    @Test
    void unsignedRequestsPostedToAQueueUrlReachThatQueue() throws Exception {
        String name = unique("path");
        String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        String path = URI.create(url).getPath();
        Reply sent = post(path, false, params("Action", "SendMessage", "MessageBody", "by path"));
        assertThat(sent.status()).isEqualTo(200);
        Reply received = post(path, false, params("Action", "ReceiveMessage"));
        assertThat(received.text("Body")).isEqualTo("by path");
        HttpResponse<byte[]> viaGet = http.send(HttpRequest.newBuilder(eddy.endpoint().resolve(path
                        + "?Action=GetQueueAttributes&AttributeName.1=QueueArn")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(parse(viaGet).text("Value")).isEqualTo("arn:aws:sqs:us-east-1:000000000000:" + name);
    }

    @Test
    void batchesAndListsUseFlattenedElements() throws Exception {
        String prefix = unique("qbatch");
        String url = sqs.createQueue(r -> r.queueName(prefix + "-a")).queueUrl();
        sqs.createQueue(r -> r.queueName(prefix + "-b"));
        Reply listed = post("/", true, params("Action", "ListQueues", "QueueNamePrefix", prefix));
        assertThat(listed.all("QueueUrl")).extracting(Node::getTextContent)
                .containsExactly(url, url.substring(0, url.length() - 1) + "b");

        Reply batch = post("/", true, params("Action", "SendMessageBatch", "QueueUrl", url,
                "SendMessageBatchRequestEntry.1.Id", "good", "SendMessageBatchRequestEntry.1.MessageBody", "fine",
                "SendMessageBatchRequestEntry.2.Id", "bad", "SendMessageBatchRequestEntry.2.MessageBody", "late",
                "SendMessageBatchRequestEntry.2.DelaySeconds", "9999"));
        assertThat(batch.status()).isEqualTo(200);
        List<Element> ok = batch.all("SendMessageBatchResultEntry");
        assertThat(ok).singleElement().satisfies(e -> {
            assertThat(child(e, "Id")).isEqualTo("good");
            assertThat(child(e, "MD5OfMessageBody")).isEqualTo("fff25994ee3941b225ba898fd17d186f");
        });
        List<Element> failed = batch.all("BatchResultErrorEntry");
        assertThat(failed).singleElement().satisfies(e -> {
            assertThat(child(e, "Id")).isEqualTo("bad");
            assertThat(child(e, "SenderFault")).isEqualTo("true");
            assertThat(child(e, "Code")).isEqualTo("InvalidParameterValue");
        });

        Reply emptyBatch = post("/", true, params("Action", "DeleteMessageBatch", "QueueUrl", url));
        assertThat(emptyBatch.text("Code")).isEqualTo("AWS.SimpleQueueService.EmptyBatchRequest");
        Reply tags = post("/", true, params("Action", "TagQueue", "QueueUrl", url, "Tag.1.Key", "k", "Tag.1.Value", "v"));
        assertThat(tags.status()).isEqualTo(200);
        Reply listedTags = post("/", true, params("Action", "ListQueueTags", "QueueUrl", url));
        assertThat(listedTags.all("Tag")).singleElement().satisfies(t -> {
            assertThat(child(t, "Key")).isEqualTo("k");
            assertThat(child(t, "Value")).isEqualTo("v");
        });
    }

    private static String child(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? null : found.get(0).getTextContent();
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals(tag)) out.add(e);
        }
        return out;
    }
}
