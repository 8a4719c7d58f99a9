package io.eddy.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * Lambda's storage layout. Every key starts with {@code lambda / account / region}, then:
 * <pre>
 *   f / name               FunctionRecord ($LATEST config, tags, reserved concurrency)
 *   v / name / u64 version  FunctionVersion of a published version
 *   a / name / alias        FunctionAlias
 *   c / name / sha256       the deployment package (zip bytes) of a version or $LATEST
 *   e / name / qualifier    EventInvokeConfig of $LATEST, a version or an alias
 * </pre>
 * Accepted asynchronous invocations wait in a durable log of their own (see {@link AsyncInvocations}).
 */
final class FunctionStore {

    private record Parsed(byte[] bytes, FunctionRecord record) {
    }

    private final Store store;
    private final Map<String, Parsed> parsedForInvoke = new ConcurrentHashMap<>();

    FunctionStore(Store store) {
        this.store = store;
    }

    Store store() {
        return store;
    }

    private static Keys base(String account, String region) {
        return Keys.of().text("lambda").text(account).text(region);
    }

    static byte[] functionKey(String account, String region, String name) {
        return base(account, region).text("f").text(name).build();
    }

    static byte[] functionsPrefix(String account, String region) {
        return base(account, region).text("f").build();
    }

    static byte[] versionKey(String account, String region, String name, long version) {
        return base(account, region).text("v").text(name).u64(version).build();
    }

    static byte[] versionsPrefix(String account, String region, String name) {
        return base(account, region).text("v").text(name).build();
    }

    static byte[] aliasKey(String account, String region, String name, String alias) {
        return base(account, region).text("a").text(name).text(alias).build();
    }

    static byte[] aliasesPrefix(String account, String region, String name) {
        return base(account, region).text("a").text(name).build();
    }

    static byte[] codeKey(String account, String region, String name, String sha256) {
        return base(account, region).text("c").text(name).text(sha256).build();
    }

    static byte[] codesPrefix(String account, String region, String name) {
        return base(account, region).text("c").text(name).build();
    }

    static byte[] eventInvokeConfigKey(String account, String region, String name, String qualifier) {
        return base(account, region).text("e").text(name).text(qualifier).build();
    }

    static byte[] eventInvokeConfigsPrefix(String account, String region, String name) {
        return base(account, region).text("e").text(name).build();
    }

    FunctionRecord function(String account, String region, String name) {
        return read(store.get(functionKey(account, region, name)), FunctionRecord.class);
    }

    /**
     * As {@link #function}, for invocations, which only read what they get and must not change it: each
     * stored record is parsed once and shared until its stored bytes change, not parsed again per event.
     */
    FunctionRecord functionToInvoke(String account, String region, String name) {
        byte[] key = functionKey(account, region, name);
        byte[] bytes = store.get(key);
        String id = new String(key, StandardCharsets.ISO_8859_1);
        if (bytes == null) {
            parsedForInvoke.remove(id);
            return null;
        }
        Parsed cached = parsedForInvoke.get(id);
        if (cached != null && Arrays.equals(cached.bytes(), bytes)) return cached.record();
        FunctionRecord record = read(bytes, FunctionRecord.class);
        parsedForInvoke.put(id, new Parsed(bytes, record));
        return record;
    }

    FunctionVersion version(String account, String region, String name, long version) {
        return read(store.get(versionKey(account, region, name, version)), FunctionVersion.class);
    }

    FunctionAlias alias(String account, String region, String name, String alias) {
        return read(store.get(aliasKey(account, region, name, alias)), FunctionAlias.class);
    }

    EventInvokeConfig eventInvokeConfig(String account, String region, String name, String qualifier) {
        return read(store.get(eventInvokeConfigKey(account, region, name, qualifier)), EventInvokeConfig.class);
    }

    List<EventInvokeConfig> eventInvokeConfigs(String account, String region, String name) {
        List<EventInvokeConfig> out = new ArrayList<>();
        try (Cursor c = store.scanPrefix(eventInvokeConfigsPrefix(account, region, name))) {
            while (c.next()) out.add(read(c.value(), EventInvokeConfig.class));
        }
        return out;
    }

    byte[] code(String account, String region, String name, String sha256) {
        return store.get(codeKey(account, region, name, sha256));
    }

    /** Function records in name order, starting after {@code afterName} (null: from the first). */
    List<FunctionRecord> functions(String account, String region, String afterName, int limit) {
        byte[] prefix = functionsPrefix(account, region);
        byte[] from = afterName == null ? prefix : Keys.prefixEnd(functionKey(account, region, afterName));
        List<FunctionRecord> out = new ArrayList<>();
        try (Cursor c = store.scan(from, Keys.prefixEnd(prefix))) {
            while (out.size() < limit && c.next()) out.add(read(c.value(), FunctionRecord.class));
        }
        return out;
    }

    List<FunctionVersion> versions(String account, String region, String name) {
        List<FunctionVersion> out = new ArrayList<>();
        try (Cursor c = store.scanPrefix(versionsPrefix(account, region, name))) {
            while (c.next()) out.add(read(c.value(), FunctionVersion.class));
        }
        return out;
    }

    List<FunctionAlias> aliases(String account, String region, String name) {
        List<FunctionAlias> out = new ArrayList<>();
        try (Cursor c = store.scanPrefix(aliasesPrefix(account, region, name))) {
            while (c.next()) out.add(read(c.value(), FunctionAlias.class));
        }
        return out;
    }

    /** Deletes every key of the function: record, versions, aliases, code, event invoke configs. */
    Batch deleteAll(String account, String region, String name) {
        Batch batch = new Batch().delete(functionKey(account, region, name));
        for (byte[] prefix : List.of(versionsPrefix(account, region, name), aliasesPrefix(account, region, name),
                codesPrefix(account, region, name), eventInvokeConfigsPrefix(account, region, name))) {
            try (Cursor c = store.scanPrefix(prefix)) {
                while (c.next()) batch.delete(c.key());
            }
        }
        return batch;
    }

    static byte[] write(Object value) {
        try {
            return LambdaJson.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) return null;
        try {
            return LambdaJson.MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
