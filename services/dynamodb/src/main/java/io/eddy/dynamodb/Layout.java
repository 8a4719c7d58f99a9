package io.eddy.dynamodb;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.KeyEncoding;
import io.eddy.store.Keys;

/**
 * Where DynamoDB keeps things in the store. Every key starts with {@code ddb/<account>/<region>}:
 * <pre>
 *   table/&lt;name&gt;                                  table metadata (JSON)
 *   item/&lt;tableId&gt; hash [range]                    an item (ItemCodec)
 *   index/&lt;tableId&gt;/&lt;indexId&gt; ihash [irange] hash [range]   an index entry: the projected item
 *   count/&lt;tableId&gt;/&lt;scope&gt;/&lt;stripe&gt;               item count and bytes of one lock stripe
 *   ttl/&lt;tableId&gt; expiry(u64) hash [range]         items due for TTL deletion
 *   dropped/&lt;tableId&gt;                              storage of a deleted table, still to be erased
 * </pre>
 * Transaction ClientRequestTokens live apart, under {@code ddb-token/<account>/<region>/<token>}, so
 * the few of the last ten minutes load with one scan at startup.
 * Key values use {@link KeyEncoding}, so item order is DynamoDB's key order.
 */
final class Layout {

    /** Number of item lock stripes; counters are kept per stripe so each is owned by one lock. */
    static final int STRIPES = 256;

    private Layout() {
    }

    static Keys scope(String accountId, String region) {
        return Keys.of().text("ddb").text(accountId).text(region);
    }

    static byte[] root() {
        return Keys.of().text("ddb").build();
    }

    static byte[] tablesPrefix(String accountId, String region) {
        return scope(accountId, region).text("table").build();
    }

    static byte[] tableKey(String accountId, String region, String name) {
        return scope(accountId, region).text("table").text(name).build();
    }

    static byte[] itemPrefix(String accountId, String region, String tableId) {
        return scope(accountId, region).text("item").text(tableId).build();
    }

    static byte[] indexPrefix(String accountId, String region, String tableId, String indexId) {
        return scope(accountId, region).text("index").text(tableId).text(indexId).build();
    }

    static byte[] indexesPrefix(String accountId, String region, String tableId) {
        return scope(accountId, region).text("index").text(tableId).build();
    }

    static byte[] countersPrefix(String accountId, String region, String tableId) {
        return scope(accountId, region).text("count").text(tableId).build();
    }

    /** The counters of one table or index; a stripe's counter key is this prefix and the stripe as u64. */
    static byte[] counterScopePrefix(String accountId, String region, String tableId, String scopeId) {
        return scope(accountId, region).text("count").text(tableId).text(scopeId).build();
    }

    static byte[] ttlPrefix(String accountId, String region, String tableId) {
        return scope(accountId, region).text("ttl").text(tableId).build();
    }

    static byte[] tokensPrefix() {
        return Keys.of().text("ddb-token").build();
    }

    static byte[] tokenKey(String accountId, String region, String token) {
        return Keys.of().text("ddb-token").text(accountId).text(region).text(token).build();
    }

    static byte[] droppedPrefix(String accountId, String region) {
        return scope(accountId, region).text("dropped").build();
    }

    static byte[] droppedKey(String accountId, String region, String tableId) {
        return scope(accountId, region).text("dropped").text(tableId).build();
    }

    /** The item's key: prefix, encoded partition key, encoded sort key. */
    static byte[] itemKey(TableInfo table, AttributeValue hash, AttributeValue range) {
        byte[] prefix = table.itemPrefix();
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length + 48);
        out.writeBytes(prefix);
        KeyEncoding.encode(hash, out);
        if (range != null) KeyEncoding.encode(range, out);
        return out.toByteArray();
    }

    static byte[] itemKey(TableInfo table, Map<String, AttributeValue> key) {
        return itemKey(table, key.get(table.hashKey().name()),
                table.rangeKey() == null ? null : key.get(table.rangeKey().name()));
    }

    /** The key of {@code item}'s entry in {@code index}; the item must carry the index's key attributes. */
    static byte[] indexEntryKey(TableInfo table, IndexInfo index, Map<String, AttributeValue> item) {
        byte[] prefix = table.indexPrefix(index);
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length + 96);
        out.writeBytes(prefix);
        KeyEncoding.encode(item.get(index.hashKey().name()), out);
        if (index.rangeKey() != null) KeyEncoding.encode(item.get(index.rangeKey().name()), out);
        KeyEncoding.encode(item.get(table.hashKey().name()), out);
        if (table.rangeKey() != null) KeyEncoding.encode(item.get(table.rangeKey().name()), out);
        return out.toByteArray();
    }

    /** The TTL queue entry of an item: expiry seconds, then the item key without the table prefix. */
    static byte[] ttlKey(TableInfo table, long expirySeconds, byte[] itemKey) {
        byte[] prefix = ttlPrefix(table.accountId(), table.region(), table.tableId());
        int keyPart = itemKey.length - table.itemPrefix().length;
        byte[] key = Arrays.copyOf(prefix, prefix.length + 8 + keyPart);
        for (int i = 0; i < 8; i++) key[prefix.length + i] = (byte) (expirySeconds >>> (56 - 8 * i));
        System.arraycopy(itemKey, table.itemPrefix().length, key, prefix.length + 8, keyPart);
        return key;
    }

    /** Concatenation of a prefix and encoded key values. */
    static byte[] concat(byte[] prefix, AttributeValue... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length + 48);
        out.writeBytes(prefix);
        for (AttributeValue value : values) KeyEncoding.encode(value, out);
        return out.toByteArray();
    }

    /** Reads the text components of a key built with {@link Keys#text}, starting at {@code offset}. */
    static String[] texts(byte[] key, int count) {
        String[] texts = new String[count];
        int offset = 0;
        for (int c = 0; c < count; c++) {
            ByteArrayOutputStream component = new ByteArrayOutputStream();
            while (true) {
                if (offset >= key.length) return null;
                byte b = key[offset++];
                if (b == 0) {
                    if (offset < key.length && key[offset] == (byte) 0xFF) {
                        component.write(0);
                        offset++;
                    } else {
                        break;
                    }
                } else {
                    component.write(b);
                }
            }
            texts[c] = component.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        return texts;
    }
}
