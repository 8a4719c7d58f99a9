package io.eddy.dynamodb.streams;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.eddy.dynamodb.ChangeSource;
import io.eddy.dynamodb.ItemChangeListener;
import io.eddy.dynamodb.TableChangeListener;
import io.eddy.dynamodb.TableInfo;
import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.store.Batch;
import io.eddy.store.Store;

/**
 * Where streams meet their tables, always inside the table's own batch: every item write of a table
 * with an enabled stream appends its record to the stream's log (so a write and its record commit
 * together or not at all), enabling a stream creates it, and disabling the stream or deleting the
 * table ends it. The log is named by the table and the stream label the write saw, so a write that
 * raced with disabling lands after the stream's end and is not part of it.
 */
final class StreamRecorder implements ItemChangeListener, TableChangeListener {

    private final Store store;
    private final StreamRegistry registry;
    private final StreamsSettings settings;
    private final Clock clock;
    private final Runnable onStreamCreated;

    StreamRecorder(Store store, StreamRegistry registry, StreamsSettings settings, Clock clock, Runnable onStreamCreated) {
        this.store = store;
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
        this.onStreamCreated = onStreamCreated;
    }

    @Override
    public void onChange(TableInfo table, Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem,
                         Batch batch, ChangeSource source) {
        TableInfo.StreamSettings stream = table.stream();
        if (!stream.enabled() || stream.latestLabel() == null || Objects.equals(oldItem, newItem)) return;
        byte[] record = ChangeRecords.encode(table, stream.viewType(), oldItem, newItem,
                source.time().toEpochMilli(), source.timeToLiveDeletion());
        batch.append(StreamRegistry.logPrefix(table.accountId(), table.region(), table.name(), stream.latestLabel()),
                record);
    }

    @Override
    public void onTableChange(TableInfo before, TableInfo after, Batch batch) {
        String endedLabel = enabledLabel(before);
        String startedLabel = enabledLabel(after);
        boolean sameTable = before != null && after != null && before.tableId().equals(after.tableId());
        if (sameTable && Objects.equals(endedLabel, startedLabel)) return;
        if (endedLabel != null) end(before, endedLabel, batch);
        if (startedLabel != null) create(after, startedLabel, batch);
    }

    private static String enabledLabel(TableInfo table) {
        return table != null && table.stream().enabled() ? table.stream().latestLabel() : null;
    }

    private void create(TableInfo table, String label, Batch batch) {
        long created = labelMillis(label);
        byte[] log = StreamRegistry.logPrefix(table.accountId(), table.region(), table.name(), label);
        StreamState stream = new StreamState(table.accountId(), table.region(), table.name(), label, table.tableId(),
                table.stream().viewType(), table.hashKey(), table.rangeKey(), created, settings.shardsPerStream(),
                List.of(new StreamState.Generation(0, created, store.lastSequence(log), -1)), null, 0);
        registry.stageCreate(stream, batch);
        batch.afterCommit(onStreamCreated);
    }

    private void end(TableInfo table, String label, Batch batch) {
        StreamState stream = registry.get(StreamState.arn(table.region(), table.accountId(), table.name(), label));
        if (stream == null || !stream.enabled()) return;
        byte[] log = StreamRegistry.logPrefix(stream);
        long now = clock.millis();
        registry.stageEnd(stream, new StreamState.End(now, store.lastSequence(log)), batch);
        batch.append(log, ChangeRecords.marker(now));
    }

    /** The label is the stream's creation time in UTC, e.g. {@code 2015-05-20T20:51:10.252}. */
    private long labelMillis(String label) {
        try {
            return LocalDateTime.parse(label).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return clock.millis();
        }
    }
}
