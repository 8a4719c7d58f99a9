package io.eddy.protocol.query;

import static io.eddy.protocol.query.QueryShape.BLOB;
import static io.eddy.protocol.query.QueryShape.BOOLEAN;
import static io.eddy.protocol.query.QueryShape.INTEGER;
import static io.eddy.protocol.query.QueryShape.STRING;
import static io.eddy.protocol.query.QueryShape.TIMESTAMP;
import static io.eddy.protocol.query.QueryShape.flatList;
import static io.eddy.protocol.query.QueryShape.flatMap;
import static io.eddy.protocol.query.QueryShape.list;
import static io.eddy.protocol.query.QueryShape.map;
import static io.eddy.protocol.query.QueryShape.structure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.netty.handler.codec.http.DefaultHttpHeaders;

class QueryEndpointTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static final QueryShape.Structure ATTRIBUTE_VALUE = structure()
            .member("StringValue", STRING)
            .member("BinaryValue", BLOB)
            .member("StringListValues", "StringListValue", flatList("StringListValue", STRING))
            .member("DataType", STRING);

    static final QueryShape.Structure SEND_INPUT = structure()
            .member("QueueUrl", STRING)
            .member("MessageBody", STRING)
            .member("DelaySeconds", INTEGER)
            .member("MessageAttributes", "MessageAttribute", flatMap("Name", "Value", ATTRIBUTE_VALUE))
            .member("AttributeNames", flatList("AttributeName", STRING))
            .member("Entries", flatList("Entry", structure().member("Id", STRING).member("Fifo", BOOLEAN)))
            .member("Tags", list(structure().member("Key", STRING).member("Value", STRING)))
            .member("Attributes", map(STRING))
            .member("At", TIMESTAMP);

    static final QueryShape.Structure SEND_OUTPUT = structure()
            .member("MessageId", STRING)
            .member("Urls", flatList("QueueUrl", STRING))
            .member("Attributes", "Attribute", flatMap("Name", "Value", STRING))
            .member("Members", list(STRING))
            .member("Entries", map(STRING))
            .member("At", TIMESTAMP);

    static final QueryApi API = new QueryApi("http://example.com/doc/")
            .operation("Send", SEND_INPUT, SEND_OUTPUT)
            .operation("Nothing", structure(), null)
            .errorDetailElement(true);

    @Test
    void decodesScalarsFlattenedAndWrappedListsAndMapsIntoTheJsonTree() throws Exception {
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        QueryEndpoint endpoint = new QueryEndpoint(API, (action, input, context) -> {
            seen.set(input);
            return MAPPER.createObjectNode();
        });
        String body = "Action=Send&Version=2012-11-05&QueueUrl=http%3A%2F%2Fh%2F1%2Fq&MessageBody=a+b%3Bc;d"
                + "&DelaySeconds=5"
                + "&MessageAttribute.1.Name=color&MessageAttribute.1.Value.DataType=String"
                + "&MessageAttribute.1.Value.StringValue=red"
                + "&MessageAttribute.2.Name=bin&MessageAttribute.2.Value.DataType=Binary"
                + "&MessageAttribute.2.Value.BinaryValue=AAE%3D"
                + "&MessageAttribute.2.Value.StringListValue.1=x&MessageAttribute.2.Value.StringListValue.2=y"
                + "&AttributeName.1=All&AttributeName.2=SentTimestamp"
                + "&Entry.1.Id=a&Entry.1.Fifo=true&Entry.2.Id=b"
                + "&Tags.member.1.Key=k&Tags.member.1.Value=v"
                + "&Attributes.entry.1.key=Policy&Attributes.entry.1.value=p"
                + "&At=2024-01-02T03:04:05.500Z&Unknown=ignored";
        GatewayResponse response = endpoint.handle(request(body));
        assertThat(response.status()).isEqualTo(200);
        assertThat(seen.get()).isEqualTo(MAPPER.readTree("""
                {"QueueUrl":"http://h/1/q","MessageBody":"a b;c;d","DelaySeconds":5,
                 "MessageAttributes":{"color":{"StringValue":"red","DataType":"String"},
                                      "bin":{"BinaryValue":"AAE=","StringListValues":["x","y"],"DataType":"Binary"}},
                 "AttributeNames":["All","SentTimestamp"],
                 "Entries":[{"Id":"a","Fifo":true},{"Id":"b"}],
                 "Tags":[{"Key":"k","Value":"v"}],
                 "Attributes":{"Policy":"p"},
                 "At":1704164645.5}
                """));
    }

    @Test
    void writesResultWithFlattenedAndWrappedMembersAndRequestId() {
        QueryEndpoint endpoint = new QueryEndpoint(API, (action, input, context) -> {
            ObjectNode out = MAPPER.createObjectNode();
            out.put("MessageId", "m<1>&\r\n");
            out.putArray("Urls").add("u1").add("u2");
            out.putObject("Attributes").put("A", "1").put("B", "2");
            out.putArray("Members").add("x");
            out.putObject("Entries").put("k", "v");
            out.put("At", 1704164645.5);
            return out;
        });
        GatewayResponse response = endpoint.handle(request("Action=Send"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("Content-Type")).isEqualTo("text/xml");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(
                "<?xml version=\"1.0\"?><SendResponse xmlns=\"http://example.com/doc/\"><SendResult>"
                        + "<MessageId>m&lt;1&gt;&amp;&#xD;\n</MessageId><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl>"
                        + "<Attribute><Name>A</Name><Value>1</Value></Attribute><Attribute><Name>B</Name><Value>2</Value></Attribute>"
                        + "<Members><member>x</member></Members>"
                        + "<Entries><entry><key>k</key><value>v</value></entry></Entries>"
                        + "<At>2024-01-02T03:04:05.500Z</At>"
                        + "</SendResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></SendResponse>");
    }

    @Test
    void operationWithoutOutputAnswersOnlyMetadata() {
        QueryEndpoint endpoint = new QueryEndpoint(API, (action, input, context) -> MAPPER.createObjectNode());
        GatewayResponse response = endpoint.handle(request("Action=Nothing"));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(
                "<?xml version=\"1.0\"?><NothingResponse xmlns=\"http://example.com/doc/\">"
                        + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></NothingResponse>");
    }

    @Test
    void errorsUseTheQueryCompatibleCodeAndSenderOrReceiverType() {
        QueryEndpoint endpoint = new QueryEndpoint(API, (action, input, context) -> {
            throw new AwsException(400, "com.amazonaws.sqs#QueueDoesNotExist", "The specified queue does not exist.")
                    .withQueryCompatibleCode("AWS.SimpleQueueService.NonExistentQueue");
        });
        GatewayResponse response = endpoint.handle(request("Action=Nothing"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(
                "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://example.com/doc/\"><Error><Type>Sender</Type>"
                        + "<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"
                        + "<Message>The specified queue does not exist.</Message><Detail/></Error>"
                        + "<RequestId>req-1</RequestId></ErrorResponse>");
    }

    @Test
    void unknownActionAndBadNumbersAreSenderErrors() {
        QueryEndpoint endpoint = new QueryEndpoint(API, (action, input, context) -> MAPPER.createObjectNode());
        String unknown = new String(endpoint.handle(request("Action=Fly")).body(), StandardCharsets.UTF_8);
        assertThat(unknown).contains("<Code>InvalidAction</Code>")
                .contains("<Message>The action Fly is not valid for this web service.</Message>");
        GatewayResponse badNumber = endpoint.handle(request("Action=Send&DelaySeconds=soon"));
        assertThat(badNumber.status()).isEqualTo(400);
        assertThat(new String(badNumber.body(), StandardCharsets.UTF_8)).contains("<Code>InvalidParameterValue</Code>")
                .contains("Value soon for parameter DelaySeconds is invalid.");
    }

    @Test
    void parametersInTheUrlWorkAndInputCanBeCompletedFromTheRequest() {
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        QueryEndpoint endpoint = new QueryEndpoint(API, (action, input, context) -> {
            seen.set(input);
            return MAPPER.createObjectNode();
        }, (request, input) -> {
            if (!input.has("QueueUrl")) input.put("QueueUrl", request.path());
        });
        GatewayRequest request = new GatewayRequest("GET", "/1/q?Action=Send&MessageBody=x", "/1/q",
                Map.of("Action", List.of("Send"), "MessageBody", List.of("x")), new DefaultHttpHeaders(), new byte[0],
                null, new RequestContext("1", "us-east-1", "req-1", "h"));
        assertThat(endpoint.handle(request).status()).isEqualTo(200);
        assertThat(seen.get().path("QueueUrl").asText()).isEqualTo("/1/q");
        assertThat(seen.get().path("MessageBody").asText()).isEqualTo("x");
    }

    private static GatewayRequest request(String body) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        return new GatewayRequest("POST", "/", "/", Map.of(), headers, body.getBytes(StandardCharsets.UTF_8), null,
                new RequestContext("000000000000", "us-east-1", "req-1", "localhost:4566"));
    }
}
