package io.eddy.it.sns;

import static io.eddy.it.sns.SnsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.EndpointDisabledException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PlatformApplication;

/** Platform applications and device endpoints; pushes land in the outbox with the device token. */
class SnsMobilePushTest {

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

    private static String application(String platform) {
        return sns.createPlatformApplication(b -> b.name(unique("app")).platform(platform)
                .attributes(Map.of("PlatformCredential", "server-key"))).platformApplicationArn();
    }

    @Test
    void applicationsAndEndpointsHaveAttributesAndIdempotentCreation() {
        String app = application("GCM");
        assertThat(app).matches("arn:aws:sns:us-east-1:000000000000:app/GCM/app-[0-9a-f]{8}");
        assertThat(sns.getPlatformApplicationAttributes(b -> b.platformApplicationArn(app)).attributes())
                .containsEntry("Enabled", "true").doesNotContainKey("PlatformCredential");
        assertThat(sns.listPlatformApplications().platformApplications()).extracting(PlatformApplication::platformApplicationArn)
                .contains(app);

        String endpoint = sns.createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-token-1")
                .customUserData("user 42")).endpointArn();
        assertThat(endpoint).startsWith("arn:aws:sns:us-east-1:000000000000:endpoint/GCM/" + app.substring(app.lastIndexOf('/') + 1) + "/");
        assertThat(sns.createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-token-1")
                .customUserData("user 42")).endpointArn()).isEqualTo(endpoint);
        assertThatThrownBy(() -> sns.createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-token-1")
                .customUserData("someone else")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: Token Reason: Endpoint "
                        + endpoint + " already exists with the same Token, but different attributes.");
        assertThat(sns.getEndpointAttributes(b -> b.endpointArn(endpoint)).attributes()).containsExactlyInAnyOrderEntriesOf(
                Map.of("CustomUserData", "user 42", "Enabled", "true", "Token", "device-token-1"));
        sns.setEndpointAttributes(b -> b.endpointArn(endpoint).attributes(Map.of("Token", "device-token-2")));
        assertThat(sns.listEndpointsByPlatformApplication(b -> b.platformApplicationArn(app)).endpoints())
                .singleElement().satisfies(e -> assertThat(e.attributes()).containsEntry("Token", "device-token-2"));

        sns.deleteEndpoint(b -> b.endpointArn(endpoint));
        sns.deleteEndpoint(b -> b.endpointArn(endpoint));
        assertThatThrownBy(() -> sns.getEndpointAttributes(b -> b.endpointArn(endpoint))).isInstanceOf(NotFoundException.class);
        sns.deletePlatformApplication(b -> b.platformApplicationArn(app));
        assertThatThrownBy(() -> sns.getPlatformApplicationAttributes(b -> b.platformApplicationArn(app)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sns.createPlatformApplication(b -> b.name("x").platform("PIGEON")
                .attributes(Map.of("PlatformCredential", "k")))).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void directAndTopicPushesReachTheOutboxWithTheDeviceToken() throws Exception {
        String app = application("GCM");
        String endpoint = sns.createPlatformEndpoint(b -> b.platformApplicationArn(app).token("fcm-token-" + unique("t"))).endpointArn();
        String token = sns.getEndpointAttributes(b -> b.endpointArn(endpoint)).attributes().get("Token");

        String direct = sns.publish(b -> b.targetArn(endpoint).messageStructure("json")
                .message("{\"default\":\"plain\",\"GCM\":\"{\\\"notification\\\":{\\\"title\\\":\\\"Hi\\\"}}\"}")).messageId();
        String topic = sns.createTopic(b -> b.name(unique("push"))).topicArn();
        sns.subscribe(b -> b.topicArn(topic).protocol("application").endpoint(endpoint));
        String viaTopic = sns.publish(b -> b.topicArn(topic).message("broadcast")).messageId();
        SnsTestSupport.drain(eddy.endpoint());

        List<JsonNode> pushes = SnsTestSupport.outbox(eddy.endpoint(), endpoint);
        assertThat(pushes).hasSize(2);
        assertThat(pushes.get(0).path("messageId").asText()).isEqualTo(direct);
        assertThat(pushes.get(0).path("message").asText()).isEqualTo("{\"notification\":{\"title\":\"Hi\"}}");
        assertThat(pushes.get(0).path("token").asText()).isEqualTo(token);
        assertThat(pushes.get(0).path("platform").asText()).isEqualTo("GCM");
        assertThat(pushes.get(1).path("messageId").asText()).isEqualTo(viaTopic);
        assertThat(pushes.get(1).path("message").asText()).isEqualTo("broadcast");
        assertThat(pushes.get(1).path("topicArn").asText()).isEqualTo(topic);

        sns.setEndpointAttributes(b -> b.endpointArn(endpoint).attributes(Map.of("Enabled", "false")));
        assertThatThrownBy(() -> sns.publish(b -> b.targetArn(endpoint).message("nope")))
                .isInstanceOf(EndpointDisabledException.class).hasMessageStartingWith("Endpoint is disabled");
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("application")
                .endpoint("arn:aws:sns:us-east-1:000000000000:endpoint/GCM/none/00000000-0000-0000-0000-000000000000")))
                .isInstanceOf(InvalidParameterException.class);
    }
}
