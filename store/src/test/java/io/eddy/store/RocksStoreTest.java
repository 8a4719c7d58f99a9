package io.eddy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksStoreTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> keys(Cursor cursor) {
        List<String> out = new ArrayList<>();
        try (cursor) {
            while (cursor.next()) out.add(new String(cursor.key(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void batchesApplyAtomicallyAndScansAreOrdered() {
        try (Store store = RocksStore.inMemory()) {
            store.write(new Batch().put(b("b"), b("2")).put(b("a"), b("1")).put(b("c"), b("3")).delete(b("b")));
            assertThat(store.get(b("a"))).isEqualTo(b("1"));
            assertThat(store.get(b("b"))).isNull();
            assertThat(keys(store.scan(null, null))).containsExactly("a", "c");
            assertThat(keys(store.scanReverse(null, null))).containsExactly("c", "a");
            assertThat(keys(store.scan(b("b"), b("d")))).containsExactly("c");
        }
    }

    @Test
    void snapshotDoesNotSeeLaterWrites() {
        try (Store store = RocksStore.inMemory()) {
            store.write(new Batch().put(b("k1"), b("old")));
            try (Snapshot snapshot = store.snapshot()) {
                store.write(new Batch().put(b("k1"), b("new")).put(b("k2"), b("x")));
                assertThat(snapshot.get(b("k1"))).isEqualTo(b("old"));
                assertThat(keys(snapshot.scanPrefix(b("k")))).containsExactly("k1");
            }
            assertThat(store.get(b("k1"))).isEqualTo(b("new"));
        }
    }

    @Test
    void twoInMemoryStoresAreIndependent() {
        try (Store one = RocksStore.inMemory(); Store two = RocksStore.inMemory()) {
            one.write(new Batch().put(b("k"), b("1")));
            assertThat(two.get(b("k"))).isNull();
        }
    }

    @Test
    void persistentStoreKeepsDataAcrossReopen(@TempDir Path dir) {
        try (Store store = RocksStore.open(dir, false)) {
            store.write(new Batch().put(b("k"), b("v")));
        }
        try (Store store = RocksStore.open(dir, false)) {
            assertThat(store.get(b("k"))).isEqualTo(b("v"));
        }
    }

    @Test
    void compositeKeysSortByComponents() {
        byte[] a = Keys.of().text("t").text("a").build();
        byte[] ab = Keys.of().text("t").text("ab").build();
        byte[] aZero = Keys.of().text("t").bytes(new byte[] {'a', 0}).build();
        byte[] b = Keys.of().text("t").text("b").build();
        try (Store store = RocksStore.inMemory()) {
            store.write(new Batch().put(b, b("b")).put(ab, b("ab")).put(aZero, b("a0")).put(a, b("a")));
            List<String> values = new ArrayList<>();
            try (Cursor c = store.scanPrefix(Keys.of().text("t").build())) {
                while (c.next()) values.add(new String(c.value(), StandardCharsets.UTF_8));
            }
            assertThat(values).containsExactly("a", "a0", "ab", "b");
        }
        assertThat(Keys.prefixEnd(new byte[] {1, (byte) 0xFF})).containsExactly(2);
        assertThat(Keys.prefixEnd(new byte[] {(byte) 0xFF})).isNull();
        assertThat(Keys.readU64(Keys.of().u64(123456789012L).build(), 0)).isEqualTo(123456789012L);
    }
}
