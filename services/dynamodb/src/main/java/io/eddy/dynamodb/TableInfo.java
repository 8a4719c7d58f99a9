package io.eddy.dynamodb;

import java.util.HashMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything DynamoDB knows about one table, immutable: a change builds a new instance through
 * {@link #toBuilder()}. {@code tableId} names the table's storage, so a table deleted and created
 * again under the same name starts empty.
 */
public final class TableInfo {

    public static final String PROVISIONED = "PROVISIONED";
    public static final String PAY_PER_REQUEST = "PAY_PER_REQUEST";

    private final String accountId;
    private final String region;
    private final String name;
    private final String tableId;
    private final long createdMillis;
    private final KeyDef hashKey;
    private final KeyDef rangeKey;
    private final Map<String, String> attributeDefinitions;
    private final String billingMode;
    private final long payPerRequestSinceMillis;
    private final Throughput throughput;
    private final List<IndexInfo> globalIndexes;
    private final List<IndexInfo> localIndexes;
    private final StreamSettings stream;
    private final String ttlAttribute;
    private final boolean ttlEnabled;
    private final Map<String, String> tags;
    private final boolean deletionProtection;
    private final String tableClass;
    private final String sseKmsKeyArn;
    private final long pointInTimeRecoverySinceMillis;

    private final String arn;
    private final byte[] itemPrefix;
    private final Map<String, byte[]> indexPrefixes;

    private TableInfo(Builder b) {
        this.accountId = b.accountId;
        this.region = b.region;
        this.name = b.name;
        this.tableId = b.tableId;
        this.createdMillis = b.createdMillis;
        this.hashKey = b.hashKey;
        this.rangeKey = b.rangeKey;
        this.attributeDefinitions = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributeDefinitions));
        this.billingMode = b.billingMode;
        this.payPerRequestSinceMillis = b.payPerRequestSinceMillis;
        this.throughput = b.throughput;
        this.globalIndexes = List.copyOf(b.globalIndexes);
        this.localIndexes = List.copyOf(b.localIndexes);
        this.stream = b.stream;
        this.ttlAttribute = b.ttlAttribute;
        this.ttlEnabled = b.ttlEnabled;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
        this.deletionProtection = b.deletionProtection;
        this.tableClass = b.tableClass;
        this.sseKmsKeyArn = b.sseKmsKeyArn;
        this.pointInTimeRecoverySinceMillis = b.pointInTimeRecoverySinceMillis;
        this.arn = arn(region, accountId, name);
        this.itemPrefix = Layout.itemPrefix(accountId, region, tableId);
        Map<String, byte[]> prefixes = new HashMap<>();
        for (IndexInfo index : indexes()) {
            prefixes.put(index.indexId(), Layout.indexPrefix(accountId, region, tableId, index.indexId()));
        }
        this.indexPrefixes = prefixes;
    }

    public static String arn(String region, String accountId, String tableName) {
        return "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + tableName;
    }

    /** Stream state: whether it is on, its view type, and the label of the newest stream (kept after disabling). */
    public record StreamSettings(boolean enabled, String viewType, String latestLabel) {
        public static final StreamSettings NONE = new StreamSettings(false, null, null);
    }

    public String accountId() { return accountId; }
    public String region() { return region; }
    public String name() { return name; }
    public String tableId() { return tableId; }
    public long createdMillis() { return createdMillis; }
    public KeyDef hashKey() { return hashKey; }
    /** The sort key, or null for a table with a partition key only. */
    public KeyDef rangeKey() { return rangeKey; }
    public Map<String, String> attributeDefinitions() { return attributeDefinitions; }
    public String billingMode() { return billingMode; }
    public boolean isOnDemand() { return PAY_PER_REQUEST.equals(billingMode); }
    /** When the table last switched to (or was created with) on-demand billing; 0 if never. */
    public long payPerRequestSinceMillis() { return payPerRequestSinceMillis; }
    public Throughput throughput() { return throughput; }
    public List<IndexInfo> globalIndexes() { return globalIndexes; }
    public List<IndexInfo> localIndexes() { return localIndexes; }
    public StreamSettings stream() { return stream; }
    public String ttlAttribute() { return ttlAttribute; }
    public boolean ttlEnabled() { return ttlEnabled; }
    public Map<String, String> tags() { return tags; }
    public boolean deletionProtection() { return deletionProtection; }
    public String tableClass() { return tableClass; }
    public String sseKmsKeyArn() { return sseKmsKeyArn; }
    /** When point-in-time recovery was enabled; 0 when it is off. */
    public long pointInTimeRecoverySinceMillis() { return pointInTimeRecoverySinceMillis; }
    public String arn() { return arn; }

    /** The storage prefix of the table's items; callers must not modify it. */
    byte[] itemPrefix() { return itemPrefix; }

    /** The storage prefix of an index's entries; callers must not modify it. */
    byte[] indexPrefix(IndexInfo index) {
        byte[] prefix = indexPrefixes.get(index.indexId());
        return prefix != null ? prefix : Layout.indexPrefix(accountId, region, tableId, index.indexId());
    }

    /** ARN of the newest stream (kept after the stream is disabled), null if the table never had one. */
    public String streamArn() {
        return stream.latestLabel() == null ? null : arn + "/stream/" + stream.latestLabel();
    }

    public String indexArn(IndexInfo index) {
        return arn + "/index/" + index.name();
    }

    /** Global and local secondary indexes, globals first. */
    public List<IndexInfo> indexes() {
        if (localIndexes.isEmpty()) return globalIndexes;
        if (globalIndexes.isEmpty()) return localIndexes;
        List<IndexInfo> all = new ArrayList<>(globalIndexes.size() + localIndexes.size());
        all.addAll(globalIndexes);
        all.addAll(localIndexes);
        return all;
    }

    /** The index called {@code indexName}, or null. */
    public IndexInfo index(String indexName) {
        for (IndexInfo index : globalIndexes) if (index.name().equals(indexName)) return index;
        for (IndexInfo index : localIndexes) if (index.name().equals(indexName)) return index;
        return null;
    }

    public boolean isKeyAttribute(String attribute) {
        return hashKey.name().equals(attribute) || (rangeKey != null && rangeKey.name().equals(attribute));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String accountId;
        private String region;
        private String name;
        private String tableId;
        private long createdMillis;
        private KeyDef hashKey;
        private KeyDef rangeKey;
        private Map<String, String> attributeDefinitions = new LinkedHashMap<>();
        private String billingMode = PROVISIONED;
        private long payPerRequestSinceMillis;
        private Throughput throughput = Throughput.ON_DEMAND;
        private List<IndexInfo> globalIndexes = new ArrayList<>();
        private List<IndexInfo> localIndexes = new ArrayList<>();
        private StreamSettings stream = StreamSettings.NONE;
        private String ttlAttribute;
        private boolean ttlEnabled;
        private Map<String, String> tags = new LinkedHashMap<>();
        private boolean deletionProtection;
        private String tableClass;
        private String sseKmsKeyArn;
        private long pointInTimeRecoverySinceMillis;

        private Builder() {
        }

        private Builder(TableInfo t) {
            accountId = t.accountId;
            region = t.region;
            name = t.name;
            tableId = t.tableId;
            createdMillis = t.createdMillis;
            hashKey = t.hashKey;
            rangeKey = t.rangeKey;
            attributeDefinitions = new LinkedHashMap<>(t.attributeDefinitions);
            billingMode = t.billingMode;
            payPerRequestSinceMillis = t.payPerRequestSinceMillis;
            throughput = t.throughput;
            globalIndexes = new ArrayList<>(t.globalIndexes);
            localIndexes = new ArrayList<>(t.localIndexes);
            stream = t.stream;
            ttlAttribute = t.ttlAttribute;
            ttlEnabled = t.ttlEnabled;
            tags = new LinkedHashMap<>(t.tags);
            deletionProtection = t.deletionProtection;
            tableClass = t.tableClass;
            sseKmsKeyArn = t.sseKmsKeyArn;
            pointInTimeRecoverySinceMillis = t.pointInTimeRecoverySinceMillis;
        }

        public Builder accountId(String v) { accountId = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder tableId(String v) { tableId = v; return this; }
        public Builder createdMillis(long v) { createdMillis = v; return this; }
        public Builder hashKey(KeyDef v) { hashKey = v; return this; }
        public Builder rangeKey(KeyDef v) { rangeKey = v; return this; }
        public Builder attributeDefinitions(Map<String, String> v) { attributeDefinitions = new LinkedHashMap<>(v); return this; }
        public Builder billingMode(String v) { billingMode = v; return this; }
        public Builder payPerRequestSinceMillis(long v) { payPerRequestSinceMillis = v; return this; }
        public Builder throughput(Throughput v) { throughput = v; return this; }
        public Builder globalIndexes(List<IndexInfo> v) { globalIndexes = new ArrayList<>(v); return this; }
        public Builder localIndexes(List<IndexInfo> v) { localIndexes = new ArrayList<>(v); return this; }
        public Builder stream(StreamSettings v) { stream = v; return this; }
        public Builder ttl(String attribute, boolean enabled) { ttlAttribute = attribute; ttlEnabled = enabled; return this; }
        public Builder tags(Map<String, String> v) { tags = new LinkedHashMap<>(v); return this; }
        public Builder deletionProtection(boolean v) { deletionProtection = v; return this; }
        public Builder tableClass(String v) { tableClass = v; return this; }
        public Builder sseKmsKeyArn(String v) { sseKmsKeyArn = v; return this; }
        public Builder pointInTimeRecoverySinceMillis(long v) { pointInTimeRecoverySinceMillis = v; return this; }

        public TableInfo build() {
            return new TableInfo(this);
        }
    }
}
