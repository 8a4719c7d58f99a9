package io.eddy.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eddy.it.support.ServerProcess;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Writes through a real server process, kills it with SIGKILL, restarts it and reads everything back. */
class KillNineServerTest {

    static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void acknowledgedPutsSurviveKillNine(@TempDir Path dataDir) throws Exception {
        ServerProcess first = ServerProcess.launch(dataDir);
        List<String> acknowledged = new ArrayList<>();
        try (DynamoDbClient ddb = client(first.endpoint())) {
            ddb.createTable(r -> r.tableName("durable").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("PK").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("PK").keyType(KeyType.HASH)));
            for (int i = 0; i < 300; i++) {
                String pk = "ITEM#" + i;
                ddb.putItem(r -> r.tableName("durable").item(Map.of("PK", AttributeValue.fromS(pk),
                        "n", AttributeValue.fromN(Integer.toString(pk.length())))));
                acknowledged.add(pk);
            }
        } finally {
            first.process().destroyForcibly();
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        ServerProcess second = ServerProcess.launch(dataDir);
        try (DynamoDbClient ddb = client(second.endpoint())) {
            for (String pk : acknowledged) {
                Map<String, AttributeValue> item = ddb.getItem(r -> r.tableName("durable")
                        .key(Map.of("PK", AttributeValue.fromS(pk)))).item();
                assertThat(item).as(pk).containsEntry("PK", AttributeValue.fromS(pk));
            }
            assertThat(ddb.scan(r -> r.tableName("durable")).count()).isEqualTo(acknowledged.size());
        } finally {
            second.process().destroy();
            second.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
