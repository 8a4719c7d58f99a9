package io.eddy.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/** Java handlers, run in-process with an isolated class loader each, through the Lambda SDK. */
class LambdaJavaTest {

    static Eddy eddy;
    static LambdaClient lambda;
    static CloudWatchLogsClient logs;
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        lambda = LambdaTestSupport.client(eddy);
        logs = LambdaTestSupport.logsClient(eddy);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        logs.close();
        eddy.close();
    }

    private static void create(String name, Runtime runtime, String handler, SdkBytes zip, Map<String, String> env, int timeout) {
        lambda.createFunction(b -> b.functionName(name).runtime(runtime).role(LambdaTestSupport.ROLE).handler(handler)
                .timeout(timeout).environment(e -> e.variables(env)).code(c -> c.zipFile(zip)));
        try {
            LambdaTestSupport.awaitActive(lambda, name);
        } catch (RuntimeException e) {
            throw new AssertionError(lambda.getFunctionConfiguration(b -> b.functionName(name)).toString(), e);
        }
    }

    private static InvokeResponse invoke(String name, String payload) {
        return lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
    }

    private static JsonNode body(InvokeResponse response) throws Exception {
        return json.readTree(response.payload().asUtf8String());
    }

    static final String GREETER = """
            package example;
            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.*;
            public class Greeter implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                private static int calls;
                @Override
                public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                    calls++;
                    System.out.println("printed " + event.get("name"));
                    context.getLogger().log("logged " + event.get("name") + "\\n");
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("greeting", System.getenv("GREETING") + " " + event.get("name"));
                    out.put("viaReference", Optional.of("GREETING").map(System::getenv).orElse(null));
                    out.put("functionFromMap", System.getenv().get("AWS_LAMBDA_FUNCTION_NAME"));
                    out.put("function", context.getFunctionName());
                    out.put("requestId", context.getAwsRequestId());
                    out.put("arn", context.getInvokedFunctionArn());
                    out.put("remaining", context.getRemainingTimeInMillis());
                    out.put("memory", context.getMemoryLimitInMB());
                    out.put("calls", calls);
                    String isolation;
                    try {
                        Class.forName("io.eddy.server.Eddy");
                        isolation = "sees Eddy";
                    } catch (ClassNotFoundException e) {
                        isolation = "isolated";
                    }
                    out.put("isolation", isolation);
                    return out;
                }
            }
            """;

    @Test
    void requestHandlerGetsItsOwnEnvironmentContextStaticStateAndOutput() throws Exception {
        create("java-hello", Runtime.JAVA21, "example.Greeter",
                JavaPackages.zip(Map.of("example.Greeter", GREETER), JavaPackages.CORE), Map.of("GREETING", "hello"), 10);
        // the same class in a second function, with the core interfaces provided by Eddy rather than bundled
        create("java-bonjour", Runtime.JAVA17, "example.Greeter::handleRequest",
                JavaPackages.zip(Map.of("example.Greeter", GREETER)), Map.of("GREETING", "bonjour"), 10);

        InvokeResponse first = lambda.invoke(b -> b.functionName("java-hello").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"Ada\"}")));
        assertThat(first.functionError()).isNull();
        JsonNode hello = body(first);
        assertThat(hello.path("greeting").asText()).isEqualTo("hello Ada");
        assertThat(hello.path("viaReference").asText()).isEqualTo("hello");
        assertThat(hello.path("functionFromMap").asText()).isEqualTo("java-hello");
        assertThat(hello.path("function").asText()).isEqualTo("java-hello");
        assertThat(hello.path("requestId").asText()).isEqualTo(first.responseMetadata().requestId());
        assertThat(hello.path("arn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:java-hello");
        assertThat(hello.path("remaining").asInt()).isBetween(1, 10_000);
        assertThat(hello.path("memory").asInt()).isEqualTo(128);
        assertThat(hello.path("isolation").asText()).isEqualTo("isolated");
        String log = new String(java.util.Base64.getDecoder().decode(first.logResult()));
        assertThat(log).contains("printed Ada\n", "logged Ada\n").containsPattern("Init Duration: \\d+\\.\\d\\d ms");

        assertThat(body(invoke("java-hello", "{\"name\":\"Bob\"}")).path("calls").asInt()).isEqualTo(2);
        JsonNode bonjour = body(invoke("java-bonjour", "{\"name\":\"Cy\"}"));
        assertThat(bonjour.path("greeting").asText()).isEqualTo("bonjour Cy");
        assertThat(bonjour.path("calls").asInt()).isEqualTo(1);
        assertThat(System.getenv("GREETING")).isNull();
    }

    @Test
    void staticMethodWithPojoInputAndOutputAndStreamHandler() throws Exception {
        create("java-pojo", Runtime.JAVA21, "shop.Orders::total", JavaPackages.zip(Map.of(
                "shop.Order", """
                        package shop;
                        public class Order {
                            private String id;
                            private java.util.List<Line> lines;
                            public String getId() { return id; }
                            public void setId(String id) { this.id = id; }
                            public java.util.List<Line> getLines() { return lines; }
                            public void setLines(java.util.List<Line> lines) { this.lines = lines; }
                            public static class Line {
                                public String sku;
                                public int quantity;
                                public double price;
                            }
                        }
                        """,
                "shop.Total", "package shop;\npublic record Total(String orderId, double amount, int items) {}\n",
                "shop.Orders", """
                        package shop;
                        public class Orders {
                            public static Total total(Order order) {
                                double amount = 0;
                                int items = 0;
                                for (Order.Line line : order.getLines()) {
                                    amount += line.quantity * line.price;
                                    items += line.quantity;
                                }
                                return new Total(order.getId(), amount, items);
                            }
                        }
                        """)), Map.of(), 10);
        JsonNode total = body(invoke("java-pojo",
                "{\"Id\":\"o-7\",\"lines\":[{\"sku\":\"a\",\"quantity\":2,\"price\":1.5},{\"sku\":\"b\",\"quantity\":1,\"price\":4}]}"));
        assertThat(total).isEqualTo(json.readTree("{\"orderId\":\"o-7\",\"amount\":7.0,\"items\":3}"));
        InvokeResponse bad = invoke("java-pojo", "{\"lines\":\"not a list\"}");
        assertThat(bad.functionError()).isEqualTo("Unhandled");
        assertThat(body(bad).path("errorMessage").asText()).isEqualTo("An error occurred during JSON parsing");
        assertThat(body(bad).path("errorType").asText()).isEqualTo("java.lang.RuntimeException");

        create("java-stream", Runtime.JAVA21, "io.Upper", JavaPackages.zip(Map.of("io.Upper", """
                package io;
                import com.amazonaws.services.lambda.runtime.*;
                import java.io.*;
                public class Upper implements RequestStreamHandler {
                    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
                        out.write(new String(in.readAllBytes()).toUpperCase().getBytes());
                    }
                }
                """)), Map.of(), 10);
        assertThat(invoke("java-stream", "{\"a\":\"b\"}").payload().asUtf8String()).isEqualTo("{\"A\":\"B\"}");
    }

    @Test
    void awsEventsClassesAreFilledFromServiceEvents() throws Exception {
        create("java-ddb", Runtime.JAVA21, "streams.Handler::handle", JavaPackages.zip(Map.of("streams.Handler", """
                package streams;
                import com.amazonaws.services.lambda.runtime.Context;
                import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
                import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
                import java.util.*;
                public class Handler {
                    public List<String> handle(DynamodbEvent event, Context context) {
                        List<String> out = new ArrayList<>();
                        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                            Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
                            System.out.println("Processing " + record.getEventName() + " for item: " + image.get("id").getS());
                            out.add(record.getEventName() + "|" + record.getEventSourceARN() + "|"
                                    + record.getDynamodb().getApproximateCreationDateTime().toInstant() + "|"
                                    + image.get("qty").getN() + "|" + image.get("tags").getSS() + "|"
                                    + image.get("nested").getM().get("flag").getBOOL() + "|"
                                    + record.getDynamodb().getKeys().get("id").getS());
                        }
                        return out;
                    }
                }
                """), JavaPackages.EVENTS, JavaPackages.JODA), Map.of(), 10);
        String event = """
                {"Records":[{"eventID":"1","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb",
                  "awsRegion":"us-east-1","eventSourceARN":"arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024",
                  "dynamodb":{"ApproximateCreationDateTime":1700000000,"Keys":{"id":{"S":"X"}},
                    "NewImage":{"id":{"S":"X"},"qty":{"N":"3"},"tags":{"SS":["a","b"]},"nested":{"M":{"flag":{"BOOL":true}}}},
                    "SequenceNumber":"100","SizeBytes":40,"StreamViewType":"NEW_AND_OLD_IMAGES"}}]}""";
        InvokeResponse response = invoke("java-ddb", event);
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        assertThat(body(response).get(0).asText()).isEqualTo(
                "INSERT|arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024|2023-11-14T22:13:20Z|3|[a, b]|true|X");
        LambdaTestSupport.drain(eddy);
        List<FilteredLogEvent> lines = LambdaTestSupport.logEvents(logs, "/aws/lambda/java-ddb", "\"Processing INSERT\"");
        assertThat(lines).extracting(FilteredLogEvent::message).containsExactly("Processing INSERT for item: X\n");

        create("java-sqs-sns", Runtime.JAVA21, "queue.Handler::handle", JavaPackages.zip(Map.of("queue.Handler", """
                package queue;
                import com.amazonaws.services.lambda.runtime.events.SQSEvent;
                import com.amazonaws.services.lambda.runtime.events.SNSEvent;
                import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
                import java.util.*;
                public class Handler {
                    public String handle(SQSEvent event) {
                        StringBuilder out = new StringBuilder();
                        for (SQSEvent.SQSMessage m : event.getRecords()) {
                            out.append(m.getMessageId()).append('|').append(m.getBody()).append('|')
                               .append(m.getAttributes().get("ApproximateReceiveCount")).append('|')
                               .append(m.getMessageAttributes().get("color").getStringValue()).append('|')
                               .append(m.getEventSourceArn()).append(';');
                        }
                        return out.toString();
                    }
                    public String sns(SNSEvent event) {
                        SNSEvent.SNS sns = event.getRecords().get(0).getSNS();
                        return sns.getMessage() + "|" + sns.getTimestamp().getMillis() + "|" + sns.getTopicArn()
                                + "|" + sns.getMessageAttributes().get("k").getValue();
                    }
                    public String scheduled(ScheduledEvent event) {
                        return event.getDetailType() + "|" + event.getSource() + "|" + event.getTime().getMillis() + "|"
                                + event.getResources() + "|" + event.getDetail().get("k");
                    }
                }
                """), JavaPackages.EVENTS, JavaPackages.JODA), Map.of(), 10);
        String sqsEvent = """
                {"Records":[{"messageId":"m-1","receiptHandle":"rh","body":"hello","attributes":{"ApproximateReceiveCount":"1"},
                  "messageAttributes":{"color":{"stringValue":"blue","stringListValues":[],"binaryListValues":[],"dataType":"String"}},
                  "md5OfBody":"5d41402abc4b2a76b9719d911017c592","eventSource":"aws:sqs",
                  "eventSourceARN":"arn:aws:sqs:us-east-1:000000000000:q","awsRegion":"us-east-1"}]}""";
        assertThat(body(invoke("java-sqs-sns", sqsEvent)).asText()).isEqualTo("m-1|hello|1|blue|arn:aws:sqs:us-east-1:000000000000:q;");

        lambda.updateFunctionConfiguration(b -> b.functionName("java-sqs-sns").handler("queue.Handler::sns"));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("java-sqs-sns"));
        String snsEvent = """
                {"Records":[{"EventVersion":"1.0","EventSubscriptionArn":"arn:aws:sns:us-east-1:000000000000:t:sub",
                  "EventSource":"aws:sns","Sns":{"SignatureVersion":"1","Timestamp":"2024-01-02T03:04:05.678Z",
                  "Signature":"sig","SigningCertUrl":"https://cert","MessageId":"id-1","Message":"hi there",
                  "MessageAttributes":{"k":{"Type":"String","Value":"v"}},"Type":"Notification",
                  "UnsubscribeUrl":"https://unsub","TopicArn":"arn:aws:sns:us-east-1:000000000000:t","Subject":null}}]}""";
        InvokeResponse sns = invoke("java-sqs-sns", snsEvent);
        assertThat(sns.functionError()).as(sns.payload().asUtf8String()).isNull();
        assertThat(body(sns).asText()).isEqualTo("hi there|1704164645678|arn:aws:sns:us-east-1:000000000000:t|v");

        lambda.updateFunctionConfiguration(b -> b.functionName("java-sqs-sns").handler("queue.Handler::scheduled"));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("java-sqs-sns"));
        String scheduledEvent = """
                {"version":"0","id":"53dc4d37","detail-type":"Scheduled Event","source":"aws.events",
                  "account":"000000000000","time":"2024-01-02T03:04:05Z","region":"us-east-1",
                  "resources":["arn:aws:events:us-east-1:000000000000:rule/r"],"detail":{"k":"v"}}""";
        assertThat(body(invoke("java-sqs-sns", scheduledEvent)).asText())
                .isEqualTo("Scheduled Event|aws.events|1704164645000|[arn:aws:events:us-east-1:000000000000:rule/r]|v");
    }

    @Test
    void exceptionsExitsAndTimeoutsAreReportedAsTheJavaRuntimeDoes() throws Exception {
        create("java-fail", Runtime.JAVA21, "fail.Handler::handle", JavaPackages.zip(Map.of("fail.Handler", """
                package fail;
                import java.util.Map;
                public class Handler {
                    public String handle(Map<String, Object> event) throws Exception {
                        switch (String.valueOf(event.get("mode"))) {
                            case "throw": throw new IllegalStateException("bad state", new java.io.IOException("disk"));
                            case "exit": System.exit(3);
                            case "sleep": Thread.sleep(20_000);
                            default: return "fine";
                        }
                    }
                }
                """)), Map.of(), 1);
        InvokeResponse thrown = invoke("java-fail", "{\"mode\":\"throw\"}");
        assertThat(thrown.functionError()).isEqualTo("Unhandled");
        JsonNode error = body(thrown);
        assertThat(error.path("errorMessage").asText()).isEqualTo("bad state");
        assertThat(error.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.path("stackTrace").get(0).asText()).startsWith("fail.Handler.handle(Handler.java:");
        assertThat(error.path("stackTrace").toString()).doesNotContain("io.eddy");
        assertThat(error.path("cause").path("errorType").asText()).isEqualTo("java.io.IOException");
        assertThat(body(invoke("java-fail", "{}")).asText()).isEqualTo("fine");

        InvokeResponse exited = invoke("java-fail", "{\"mode\":\"exit\"}");
        assertThat(exited.functionError()).isEqualTo("Unhandled");
        assertThat(body(exited).path("errorType").asText()).isEqualTo("Runtime.ExitError");
        assertThat(body(exited).path("errorMessage").asText())
                .matches("RequestId: \\S+ Error: Runtime exited with error: exit status 3");
        assertThat(body(invoke("java-fail", "{}")).asText()).isEqualTo("fine");

        InvokeResponse timedOut = invoke("java-fail", "{\"mode\":\"sleep\"}");
        assertThat(timedOut.functionError()).isEqualTo("Unhandled");
        assertThat(body(timedOut).path("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(body(timedOut).path("errorMessage").asText()).matches("RequestId: \\S+ Error: Task timed out after 1\\.\\d\\d seconds");
        assertThat(body(invoke("java-fail", "{}")).asText()).isEqualTo("fine");

        create("java-missing", Runtime.JAVA21, "nope.Missing", JavaPackages.zip(Map.of("fail.Other",
                "package fail;\npublic class Other {}\n")), Map.of(), 3);
        InvokeResponse missing = invoke("java-missing", "{}");
        assertThat(missing.functionError()).isEqualTo("Unhandled");
        assertThat(body(missing).path("errorType").asText()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(body(missing).path("errorMessage").asText()).isEqualTo("Class not found: nope.Missing");
    }
}
