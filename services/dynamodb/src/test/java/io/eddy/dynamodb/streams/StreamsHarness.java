package io.eddy.dynamodb.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.ChangeSource;
import io.eddy.dynamodb.KeyDef;
import io.eddy.dynamodb.TableInfo;
import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.AttributeValueJson;
import io.eddy.gateway.RequestContext;
import io.eddy.store.Batch;
import io.eddy.store.Store;

/**
 * Drives a StreamsService the way DynamoDB does (table changes and item writes through its
 * listeners, each in its own committed batch) on a clock the test moves.
 */
final class StreamsHarness {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final RequestContext CTX = new RequestContext("000000000000", "us-east-1", "req", "localhost");
    static final DateTimeFormatter LABEL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final Store store;
    final MutableClock clock;
    final StreamsSettings settings;
    final Map<String, TableInfo> tables = new ConcurrentHashMap<>();
    final StreamsService streams;

    StreamsHarness(Store store, MutableClock clock, StreamsSettings settings) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.streams = new StreamsService(store, clock, settings, (account, region, name) -> tables.get(name));
    }

    static StreamsSettings settings() {
        return StreamsSettings.defaults();
    }

    /** A table with partition key pk (S) and, if {@code withSortKey}, sort key sk (N). */
    TableInfo createTable(String name, boolean withSortKey, String viewType) {
        return createTable(name, new KeyDef("pk", "S"), withSortKey ? new KeyDef("sk", "N") : null, viewType);
    }

    TableInfo createTable(String name, KeyDef hashKey, KeyDef rangeKey, String viewType) {
        Map<String, String> definitions = new java.util.LinkedHashMap<>();
        definitions.put(hashKey.name(), hashKey.type());
        if (rangeKey != null) definitions.put(rangeKey.name(), rangeKey.type());
        TableInfo.Builder b = TableInfo.builder().accountId(CTX.accountId()).region(CTX.region()).name(name)
                .tableId(UUID.randomUUID().toString()).createdMillis(clock.millis())
                .hashKey(hashKey).rangeKey(rangeKey).attributeDefinitions(definitions);
        if (viewType != null) b.stream(new TableInfo.StreamSettings(true, viewType, label()));
        TableInfo table = b.build();
        commitTableChange(null, table);
        return table;
    }

    TableInfo enableStream(TableInfo table, String viewType) {
        clock.advance(Duration.ofMillis(1));
        return update(table, table.toBuilder().stream(new TableInfo.StreamSettings(true, viewType, label())).build());
    }

    TableInfo disableStream(TableInfo table) {
        return update(table, table.toBuilder()
                .stream(new TableInfo.StreamSettings(false, null, table.stream().latestLabel())).build());
    }

    void deleteTable(TableInfo table) {
        commitTableChange(table, null);
        tables.remove(table.name());
    }

    private TableInfo update(TableInfo before, TableInfo after) {
        commitTableChange(before, after);
        return after;
    }

    private void commitTableChange(TableInfo before, TableInfo after) {
        Batch batch = new Batch();
        streams.tableChangeListener().onTableChange(before, after, batch);
        store.write(batch);
        if (after != null) tables.put(after.name(), after);
    }

    private String label() {
        return LABEL.format(clock.instant());
    }

    /** One item write as DynamoDB's writer reports it, committed in its own batch. */
    void write(TableInfo table, String oldItem, String newItem) {
        write(table, oldItem, newItem, false);
    }

    void write(TableInfo table, String oldItem, String newItem, boolean timeToLive) {
        Batch batch = new Batch();
        streams.itemChangeListener().onChange(table, item(oldItem), item(newItem), batch,
                new ChangeSource(timeToLive ? null : CTX, timeToLive, clock.instant()));
        store.write(batch);
    }

    static Map<String, AttributeValue> item(String json) {
        if (json == null) return null;
        try {
            return AttributeValueJson.itemFromJson(MAPPER.readTree(json.replace('\'', '"')));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode json(String json) {
        try {
            return MAPPER.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    ObjectNode call(String operation, String input) {
        return streams.invoke(operation, json(input), CTX);
    }

    ObjectNode call(String operation, JsonNode input) {
        return streams.invoke(operation, input, CTX);
    }

    String streamArn(TableInfo table) {
        return StreamState.arn(table.region(), table.accountId(), table.name(), table.stream().latestLabel());
    }
}
