package io.eddy.it.dynamodb;

import java.net.URI;

import io.eddy.server.Eddy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** SDK clients pointed at a running Eddy; the access key id decides the account. */
final class Clients {

    private Clients() {
    }

    static DynamoDbClient dynamo(Eddy eddy) {
        return dynamo(eddy.endpoint(), "000000000000", Region.US_EAST_1);
    }

    static DynamoDbClient dynamo(URI endpoint, String accessKey, Region region) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    static DynamoDbEnhancedClient enhanced(DynamoDbClient client) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
    }
}
