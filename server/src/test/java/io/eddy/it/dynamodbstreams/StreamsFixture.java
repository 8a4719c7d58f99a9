package io.eddy.it.dynamodbstreams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.eddy.server.Eddy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** SDK clients for one Eddy, and the reading loops every streams test needs. */
final class StreamsFixture implements AutoCloseable {

    final DynamoDbClient ddb;
    final DynamoDbStreamsClient streams;

    StreamsFixture(Eddy eddy) {
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("000000000000", "secret"));
        ddb = DynamoDbClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        streams = DynamoDbStreamsClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** A table keyed by PK (S), plus SK (S) if {@code withSortKey}; returns its stream ARN or null. */
    String createTable(String name, boolean withSortKey, StreamViewType viewType) {
        List<AttributeDefinition> definitions = new ArrayList<>();
        List<KeySchemaElement> keys = new ArrayList<>();
        definitions.add(AttributeDefinition.builder().attributeName("PK").attributeType(ScalarAttributeType.S).build());
        keys.add(KeySchemaElement.builder().attributeName("PK").keyType(KeyType.HASH).build());
        if (withSortKey) {
            definitions.add(AttributeDefinition.builder().attributeName("SK").attributeType(ScalarAttributeType.S).build());
            keys.add(KeySchemaElement.builder().attributeName("SK").keyType(KeyType.RANGE).build());
        }
        return ddb.createTable(r -> {
            r.tableName(name).attributeDefinitions(definitions).keySchema(keys).billingMode(BillingMode.PAY_PER_REQUEST);
            if (viewType != null) r.streamSpecification(s -> s.streamEnabled(true).streamViewType(viewType));
        }).tableDescription().latestStreamArn();
    }

    List<Shard> shards(String streamArn) {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        while (true) {
            String exclusiveStart = start;
            StreamDescription description = streams.describeStream(r -> r.streamArn(streamArn)
                    .exclusiveStartShardId(exclusiveStart)).streamDescription();
            shards.addAll(description.shards());
            start = description.lastEvaluatedShardId();
            if (start == null) return shards;
        }
    }

    /** Every record of one shard from TRIM_HORIZON up to now (or the shard's end). */
    List<Record> readShard(String streamArn, Shard shard) {
        List<Record> records = new ArrayList<>();
        String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse response = streams.getRecords(r -> r.shardIterator(current));
            records.addAll(response.records());
            if (response.records().isEmpty() && shard.sequenceNumberRange().endingSequenceNumber() == null) break;
            iterator = response.nextShardIterator();
        }
        return records;
    }

    /** Every record of the stream, in sequence number order (which is commit order). */
    List<Record> readAll(String streamArn) {
        List<Record> all = new ArrayList<>();
        for (Shard shard : shards(streamArn)) all.addAll(readShard(streamArn, shard));
        all.sort(Comparator.comparing(r -> new java.math.BigInteger(r.dynamodb().sequenceNumber())));
        return all;
    }

    static String pk(Record record) {
        Map<String, AttributeValue> keys = record.dynamodb().keys();
        return keys.get("PK").s();
    }

    @Override
    public void close() {
        streams.close();
        ddb.close();
    }
}
