package io.eddy.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The training run behind the launcher's ahead-of-time cache (JDK 25+, {@code -XX:AOTCacheOutput}): starts
 * Eddy on a free port with a scratch data directory and sends it the traffic of the seeds' flows over
 * HTTP: DynamoDB reads and writes whose stream feeds a Python function through an event source mapping,
 * Lambda invokes, SQS, SNS fanning out to SQS, CloudWatch Logs and metrics. The JVM stores the classes this
 * loads and the method profiles it gathers, so a later start loads less and compiles the hot paths early.
 * Every request must succeed: a training run that quietly trains error paths would be worse than none.
 */
public final class Training {

    private static final String ACCOUNT = "000000000000";
    private static final String PYTHON_HANDLER = """
            import json

            def handler(event, context):
                records = event.get("Records", [])
                for record in records:
                    print("Processing " + record.get("eventName", "event") + " " + json.dumps(record.get("dynamodb", {}).get("Keys")))
                return {"statusCode": 200, "count": len(records)}
            """;

    private static final ThreadLocal<Connection> CONNECTIONS = new ThreadLocal<>();
    private final URI endpoint;
    private final int rounds;

    /** A training run against the Eddy at {@code endpoint}; {@code rounds} scales how much traffic it sends. */
    public Training(URI endpoint, int rounds) {
        this.endpoint = endpoint;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        Path dataDir = Files.createTempDirectory("eddy-training");
        long started = System.nanoTime();
        try (Eddy eddy = Eddy.start(EddyConfig.persistent(dataDir))) {
            new Training(eddy.endpoint(), rounds).run();
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.printf("eddy: training run done in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        // Lambda's runtime processes and pollers are daemon threads, but an explicit exit leaves no doubt
        // that the JVM ends here, which is when it writes the cache.
        System.exit(0);
    }

    /** Sends the training traffic; throws on the first request that does not succeed. */
    public void run() throws Exception {
        boolean python = hasPython();
        String table = "training";
        dynamodb("CreateTable", """
                {"TableName":"%s","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
                 "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}}""".formatted(table));
        String streamArn = field(dynamodb("DescribeTable", "{\"TableName\":\"" + table + "\"}"), "LatestStreamArn");
        if (python) {
            createFunction("training-stream", "python3.12");
            lambda("POST", "/2015-03-31/event-source-mappings/", """
                    {"EventSourceArn":"%s","FunctionName":"training-stream","BatchSize":10,"StartingPosition":"LATEST"}"""
                    .formatted(streamArn));
        }
        String queueUrl = field(sqs("CreateQueue", "{\"QueueName\":\"training\"}"), "QueueUrl");
        String queueArn = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":training";
        String topicArn = between(sns("Action=CreateTopic&Name=training"), "<TopicArn>", "</TopicArn>");
        sns("Action=Subscribe&Protocol=sqs&TopicArn=" + form(topicArn) + "&Endpoint=" + form(queueArn)
                + "&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true");
        awaitIdle();

        // two clients at once, as tests and services do, so the concurrent paths are trained too
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int client = 0; client < 2; client++) {
                int id = client;
                work.add(clients.submit(() -> {
                    itemTraffic(table, id);
                    queueTraffic(queueUrl, topicArn, id);
                    if (python) invokeTraffic("training-stream");
                    return null;
                }));
            }
            for (Future<?> f : work) f.get();
        } finally {
            clients.shutdown();
        }
        awaitIdle();
        if (python) {
            send("logs", "POST", "/", "application/x-amz-json-1.1", "Logs_20140328.FilterLogEvents",
                    "{\"logGroupName\":\"/aws/lambda/training-stream\",\"filterPattern\":\"Processing\",\"limit\":50}");
        }
        cloudWatch();
    }

    private void itemTraffic(String table, int client) throws Exception {
        for (int i = 0; i < rounds; i++) {
            String pk = "user-" + client + "-" + (i % 200);
            String key = "{\"pk\":{\"S\":\"" + pk + "\"},\"sk\":{\"S\":\"profile\"}}";
            dynamodb("PutItem", "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"" + pk
                    + "\"},\"sk\":{\"S\":\"profile\"},\"status\":{\"S\":\"active\"},\"n\":{\"N\":\"" + i + "\"}}}");
            dynamodb("GetItem", "{\"TableName\":\"" + table + "\",\"Key\":" + key + "}");
            if (i % 4 == 0) {
                dynamodb("UpdateItem", "{\"TableName\":\"" + table + "\",\"Key\":" + key
                        + ",\"UpdateExpression\":\"SET #s = :s ADD n :one\",\"ExpressionAttributeNames\":{\"#s\":\"status\"},"
                        + "\"ExpressionAttributeValues\":{\":s\":{\"S\":\"inactive\"},\":one\":{\"N\":\"1\"}},\"ReturnValues\":\"ALL_NEW\"}");
                dynamodb("Query", "{\"TableName\":\"" + table + "\",\"KeyConditionExpression\":\"pk = :pk\","
                        + "\"ExpressionAttributeValues\":{\":pk\":{\"S\":\"" + pk + "\"}}}");
            }
            if (i % 10 == 0) dynamodb("DeleteItem", "{\"TableName\":\"" + table + "\",\"Key\":" + key + "}");
        }
    }

    private void queueTraffic(String queueUrl, String topicArn, int client) throws Exception {
        for (int i = 0; i < rounds / 2; i++) {
            sqs("SendMessage", "{\"QueueUrl\":\"" + queueUrl + "\",\"MessageBody\":\"order " + client + "-" + i
                    + "\",\"MessageAttributes\":{\"kind\":{\"DataType\":\"String\",\"StringValue\":\"order\"}}}");
            if (i % 5 == 0) sns("Action=Publish&TopicArn=" + form(topicArn) + "&Message=event-" + i);
            String received = sqs("ReceiveMessage", "{\"QueueUrl\":\"" + queueUrl
                    + "\",\"MaxNumberOfMessages\":10,\"MessageAttributeNames\":[\"All\"]}");
            for (String handle : all(received, "\"ReceiptHandle\":\"")) {
                sqs("DeleteMessage", "{\"QueueUrl\":\"" + queueUrl + "\",\"ReceiptHandle\":\"" + handle + "\"}");
            }
        }
    }

    private void invokeTraffic(String function) throws Exception {
        for (int i = 0; i < rounds / 4; i++) {
            lambda("POST", "/2015-03-31/functions/" + function + "/invocations", "{\"Records\":[]}");
        }
    }

    private void createFunction(String name, String runtime) throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("handler.py"));
            out.write(PYTHON_HANDLER.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        lambda("POST", "/2015-03-31/functions", """
                {"FunctionName":"%s","Runtime":"%s","Role":"arn:aws:iam::%s:role/training","Handler":"handler.handler",
                 "Code":{"ZipFile":"%s"},"Timeout":30}""".formatted(name, runtime, ACCOUNT,
                Base64.getEncoder().encodeToString(zip.toByteArray())));
        // CreateFunction answers Pending; invokes wait for Active as SDK waiters do
        for (int i = 0; i < 500 && !lambda("GET", "/2015-03-31/functions/" + name, null).contains("\"State\":\"Active\""); i++) {
            Thread.sleep(10);
        }
    }

    private void cloudWatch() throws Exception {
        String now = java.time.Instant.now().toString();
        String hourAgo = java.time.Instant.now().minusSeconds(3600).toString();
        send("monitoring", "POST", "/", "application/x-www-form-urlencoded", null,
                "Action=GetMetricStatistics&Version=2010-08-01&Namespace=AWS%2FLambda&MetricName=Invocations"
                        + "&Dimensions.member.1.Name=FunctionName&Dimensions.member.1.Value=training-stream"
                        + "&StartTime=" + hourAgo + "&EndTime=" + now + "&Period=60&Statistics.member.1=Sum");
        send("monitoring", "POST", "/", "application/x-www-form-urlencoded", null,
                "Action=PutMetricData&Version=2010-08-01&Namespace=Training&MetricData.member.1.MetricName=Orders"
                        + "&MetricData.member.1.Value=1&MetricData.member.1.Unit=Count");
    }

    private void awaitIdle() throws Exception {
        send("eddy", "POST", "/_eddy/drain?timeout=60s", "application/json", null, "");
    }

    private boolean hasPython() {
        try {
            return new ProcessBuilder("python3", "-c", "pass").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String dynamodb(String operation, String body) throws Exception {
        return send("dynamodb", "POST", "/", "application/x-amz-json-1.0", "DynamoDB_20120810." + operation, body);
    }

    private String sqs(String operation, String body) throws Exception {
        return send("sqs", "POST", "/", "application/x-amz-json-1.0", "AmazonSQS." + operation, body);
    }

    private String sns(String form) throws Exception {
        return send("sns", "POST", "/", "application/x-www-form-urlencoded", null, form + "&Version=2010-03-31");
    }

    private String lambda(String method, String path, String body) throws Exception {
        return send("lambda", method, path, "application/json", null, body);
    }

    private String send(String service, String method, String path, String contentType, String target, String body)
            throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(endpoint.getHost()).append(':').append(endpoint.getPort()).append("\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(content.length).append("\r\n")
                .append("X-Amz-Date: 20250101T000000Z\r\n")
                .append("Authorization: AWS4-HMAC-SHA256 Credential=").append(ACCOUNT).append("/20250101/us-east-1/")
                .append(service).append("/aws4_request, SignedHeaders=host;x-amz-date, Signature=0\r\n");
        if (target != null) head.append("X-Amz-Target: ").append(target).append("\r\n");
        head.append("\r\n");
        Connection connection = CONNECTIONS.get();
        if (connection == null) {
            connection = new Connection(new Socket(endpoint.getHost(), endpoint.getPort()));
            CONNECTIONS.set(connection);
        }
        connection.out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        connection.out.write(content);
        connection.out.flush();
        String status = connection.line();
        int length = 0;
        for (String header = connection.line(); !header.isEmpty(); header = connection.line()) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(header.substring(15).trim());
        }
        String response = new String(connection.in.readNBytes(length), StandardCharsets.UTF_8);
        int code = Integer.parseInt(status.substring(9, 12));
        if (code / 100 != 2) {
            throw new IllegalStateException(service + " " + (target != null ? target : method + " " + path) + " answered "
                    + code + ": " + response);
        }
        return response;
    }

    /** One keep-alive connection per client thread: the JDK's HttpClient would add thread hand-offs per request. */
    private static final class Connection {
        final BufferedInputStream in;
        final BufferedOutputStream out;

        Connection(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream());
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) throw new IOException("connection closed");
                if (c != '\r') line.append((char) c);
            }
            return line.toString();
        }
    }

    private static String form(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String field(String json, String name) {
        return between(json, "\"" + name + "\":\"", "\"");
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        if (from < 0) throw new IllegalStateException("no " + start + " in " + text);
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    private static List<String> all(String json, String prefix) {
        List<String> found = new ArrayList<>();
        for (int at = json.indexOf(prefix); at >= 0; at = json.indexOf(prefix, at + 1)) {
            int from = at + prefix.length();
            found.add(json.substring(from, json.indexOf('"', from)));
        }
        return found;
    }
}
