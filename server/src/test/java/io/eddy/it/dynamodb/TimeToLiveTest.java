package io.eddy.it.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class TimeToLiveTest {

    static Eddy eddy;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory().withTtlSweepInterval(Duration.ofMillis(100)));
        ddb = Clients.dynamo(eddy);
    }

    @AfterAll
    static void stop() {
        ddb.close();
        eddy.close();
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static boolean exists(String table, String pk) {
        return ddb.getItem(r -> r.tableName(table).key(Map.of("PK", s(pk), "SK", s("s")))).hasItem();
    }

    static void awaitGone(String table, String pk) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (exists(table, pk)) {
            if (System.nanoTime() > deadline) throw new AssertionError(pk + " was never expired");
            Thread.sleep(25);
        }
    }

    @Test
    void expiredItemsAreDeletedWithTheirIndexEntries() throws Exception {
        ddb.createTable(TablesTest.singleTable("sessions")
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("PK").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("SK").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("User").attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexes(g -> g.indexName("ByUser")
                        .keySchema(KeySchemaElement.builder().attributeName("User").keyType(KeyType.HASH).build())
                        .projection(p -> p.projectionType(ProjectionType.ALL)))
                .build());
        long now = System.currentTimeMillis() / 1000;
        ddb.putItem(r -> r.tableName("sessions").item(Map.of("PK", s("expired"), "SK", s("s"), "User", s("u"), "ttl", n(now - 60))));
        ddb.putItem(r -> r.tableName("sessions").item(Map.of("PK", s("future"), "SK", s("s"), "User", s("u"), "ttl", n(now + 3600))));
        ddb.putItem(r -> r.tableName("sessions").item(Map.of("PK", s("text-ttl"), "SK", s("s"), "ttl", s("yesterday"))));
        ddb.putItem(r -> r.tableName("sessions").item(Map.of("PK", s("ancient"), "SK", s("s"), "ttl", n(now - 6L * 366 * 24 * 3600))));
        Thread.sleep(300);
        assertThat(exists("sessions", "expired")).as("TTL is off: nothing expires").isTrue();

        ddb.updateTimeToLive(r -> r.tableName("sessions").timeToLiveSpecification(t -> t.enabled(true).attributeName("ttl")));
        awaitGone("sessions", "expired");
        ddb.putItem(r -> r.tableName("sessions").item(Map.of("PK", s("later"), "SK", s("s"), "ttl", n(now - 1))));
        awaitGone("sessions", "later");
        ddb.updateItem(r -> r.tableName("sessions").key(Map.of("PK", s("future"), "SK", s("s")))
                .updateExpression("SET #t = :t").expressionAttributeNames(Map.of("#t", "ttl"))
                .expressionAttributeValues(Map.of(":t", n(now - 5))));
        awaitGone("sessions", "future");

        assertThat(exists("sessions", "text-ttl")).isTrue();
        assertThat(exists("sessions", "ancient")).as("more than five years past is left alone").isTrue();
        assertThat(ddb.query(r -> r.tableName("sessions").indexName("ByUser").keyConditionExpression("#u = :u")
                .expressionAttributeNames(Map.of("#u", "User")).expressionAttributeValues(Map.of(":u", s("u")))).count()).isZero();
        assertThat(ddb.describeTable(r -> r.tableName("sessions")).table().itemCount()).isEqualTo(2);
    }

    @Test
    void expiredButNotYetSweptItemsAreStillReturned() {
        ddb.createTable(TablesTest.singleTable("lazy").build());
        long now = System.currentTimeMillis() / 1000;
        ddb.putItem(r -> r.tableName("lazy").item(Map.of("PK", s("stale"), "SK", s("s"), "ttl", n(now - 60))));
        assertThat(exists("lazy", "stale")).isTrue();
    }
}
