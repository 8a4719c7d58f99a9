package io.eddy.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

class GatewayTest {

    static Eddy eddy;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory().withMaxBodyBytes(64 * 1024));
    }

    @AfterAll
    static void stop() {
        eddy.close();
    }

    @Test
    void healthReportsStatusVersionUptimeAndServices() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(eddy.endpoint().resolve("/_eddy/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("running");
        assertThat(body.path("version").asText()).isNotBlank();
        assertThat(body.path("uptimeMillis").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(body.path("services").isObject()).isTrue();
    }

    @Test
    void requestWithNoMatchingServiceGets404InJsonErrorShape() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(eddy.endpoint().resolve("/nothing-here"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json.readTree(response.body()).path("__type").asText()).isEqualTo("UnknownService");
    }

    @Test
    void oversizedBodyIsRejectedWith413AndServerKeepsServing() throws Exception {
        byte[] big = new byte[128 * 1024];
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(eddy.endpoint().resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json.readTree(response.body()).path("__type").asText()).isEqualTo("RequestEntityTooLarge");
        healthReportsStatusVersionUptimeAndServices();
    }

    @Test
    void keepAliveConnectionServesSeveralRequestsAndChunkedBodies() throws Exception {
        try (Socket socket = new Socket(eddy.endpoint().getHost(), eddy.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(("POST /_eddy/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "2\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 404");
                int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
                assertThat(in.readNBytes(length)).hasSize(length);
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenBehindASlowOne() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(eddy.endpoint())
                .header("Content-Type", "application/x-amz-json-1.0").header("X-Amz-Target", "AmazonSQS.CreateQueue")
                .POST(HttpRequest.BodyPublishers.ofString("{\"QueueName\":\"pipelined\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String queueUrl = json.readTree(created.body()).path("QueueUrl").asText();
        String longPoll = "{\"QueueUrl\":\"" + queueUrl + "\",\"WaitTimeSeconds\":1}";
        // More requests than a connection holds waiting, so reading pauses and resumes in between.
        int healthChecks = 30;
        StringBuilder pipelined = new StringBuilder("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
                + "X-Amz-Target: AmazonSQS.ReceiveMessage\r\nContent-Length: " + longPoll.length() + "\r\n\r\n" + longPoll);
        for (int i = 0; i < healthChecks; i++) pipelined.append("GET /_eddy/health HTTP/1.1\r\nHost: x\r\n\r\n");
        try (Socket socket = new Socket(eddy.endpoint().getHost(), eddy.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(pipelined.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readBody(in)).doesNotContain("status");
            for (int i = 0; i < healthChecks; i++) assertThat(readBody(in)).contains("\"status\":\"running\"");
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length and returns its body. */
    private static String readBody(InputStream in) throws Exception {
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200");
        int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void expectContinueIsHonoured() throws Exception {
        try (Socket socket = new Socket(eddy.endpoint().getHost(), eddy.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /_eddy/health HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(in)).startsWith("HTTP/1.1 100 Continue");
            out.write("{}".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(in)).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void garbageOnTheWireIsAnsweredWith400AndServerKeepsServing() throws Exception {
        try (Socket socket = new Socket(eddy.endpoint().getHost(), eddy.port())) {
            socket.getOutputStream().write("\u0001\u0002 NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 400");
        }
        healthReportsStatusVersionUptimeAndServices();
    }

    @Test
    void twoInstancesInOneJvmAreIndependent() throws Exception {
        try (Eddy other = Eddy.start(EddyConfig.inMemory())) {
            assertThat(other.port()).isNotEqualTo(eddy.port());
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(other.endpoint() + "/_eddy/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
        healthReportsStatusVersionUptimeAndServices();
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) break;
            head.append((char) c);
        }
        return head.toString().toLowerCase().startsWith("http/1.1") ? head.toString().replaceFirst("(?i)^http", "HTTP")
                .replaceAll("(?i)content-length", "content-length") : head.toString();
    }

    @Test
    void drainReturnsIdleWhenNothingIsBusy() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(eddy.endpoint().resolve("/_eddy/drain?timeout=2s"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).path("idle").asBoolean()).isTrue();
    }
}
