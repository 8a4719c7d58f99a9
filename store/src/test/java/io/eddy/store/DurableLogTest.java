package io.eddy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableLogTest {

    static final byte[] LOG = Keys.of().text("test-log").build();

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendsCommitWithTheChangeAndGetIncreasingSequences() {
        try (Store store = RocksStore.inMemory()) {
            Batch first = new Batch().put(b("item"), b("v1"));
            Batch.Append a = first.append(LOG, b("record-1"));
            Batch.Append b = first.append(LOG, b("record-2"));
            AtomicInteger callbacks = new AtomicInteger();
            first.afterCommit(callbacks::incrementAndGet);
            assertThat(a.sequence()).isEqualTo(-1);
            store.write(first);
            assertThat(a.sequence()).isZero();
            assertThat(b.sequence()).isEqualTo(1);
            assertThat(callbacks).hasValue(1);
            assertThat(store.lastSequence(LOG)).isEqualTo(1);

            List<LogReader.Entry> entries = LogReader.readAfter(store, LOG, -1, 10);
            assertThat(entries).extracting(LogReader.Entry::sequence).containsExactly(0L, 1L);
            assertThat(LogReader.readAfter(store, LOG, 0, 10)).extracting(e -> new String(e.value(), StandardCharsets.UTF_8))
                    .containsExactly("record-2");
        }
    }

    @Test
    void sequencesSurviveTrimmingAndReopen(@TempDir Path dir) {
        try (Store store = RocksStore.open(dir, false)) {
            Batch batch = new Batch();
            for (int i = 0; i < 5; i++) batch.append(LOG, b("r" + i));
            store.write(batch);
            Batch trim = new Batch();
            LogReader.trimBefore(store, trim, LOG, 5);
            store.write(trim);
            assertThat(LogReader.readAfter(store, LOG, -1, 10)).isEmpty();
        }
        try (Store store = RocksStore.open(dir, false)) {
            assertThat(store.lastSequence(LOG)).isEqualTo(4);
            Batch batch = new Batch();
            Batch.Append next = batch.append(LOG, b("after-restart"));
            store.write(batch);
            assertThat(next.sequence()).isEqualTo(5);
        }
    }

    @Test
    void waitingReaderWakesOnAppendAndTimesOutOtherwise() throws Exception {
        try (Store store = RocksStore.inMemory()) {
            long started = System.nanoTime();
            assertThat(store.awaitAppend(LOG, -1, Duration.ofMillis(50))).isFalse();
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());

            CountDownLatch waiting = new CountDownLatch(1);
            List<Boolean> woke = Collections.synchronizedList(new ArrayList<>());
            Thread reader = Thread.ofVirtual().start(() -> {
                waiting.countDown();
                try {
                    woke.add(store.awaitAppend(LOG, -1, Duration.ofSeconds(10)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiting.await();
            Batch batch = new Batch();
            batch.append(LOG, b("x"));
            store.write(batch);
            reader.join(Duration.ofSeconds(5));
            assertThat(woke).containsExactly(true);
        }
    }

    @Test
    void concurrentWritersNeverLeaveGapsVisibleToReaders() throws Exception {
        try (Store store = RocksStore.inMemory()) {
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 200; i++) {
                        Batch batch = new Batch();
                        batch.append(LOG, b("x"));
                        store.write(batch);
                    }
                }));
            }
            long seen = -1;
            while (seen < 1599) {
                List<LogReader.Entry> entries = LogReader.readAfter(store, LOG, seen, 1000);
                for (LogReader.Entry e : entries) {
                    assertThat(e.sequence()).isEqualTo(seen + 1);
                    seen = e.sequence();
                }
                store.awaitAppend(LOG, seen, Duration.ofMillis(100));
            }
            for (Thread t : writers) t.join();
            assertThat(store.lastSequence(LOG)).isEqualTo(1599);
        }
    }
}
