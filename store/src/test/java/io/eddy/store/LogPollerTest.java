package io.eddy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogPollerTest {

    static final byte[] LOG = Keys.of().text("poller-log").build();
    static final byte[] CHECKPOINT = Keys.of().text("poller-checkpoint").build();

    static void append(Store store, String value) {
        Batch batch = new Batch();
        batch.append(LOG, value.getBytes(StandardCharsets.UTF_8));
        store.write(batch);
    }

    static void awaitIdle(LogPoller poller) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!poller.isIdle() && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(poller.isIdle()).as(poller.describe()).isTrue();
    }

    @Test
    void deliversInOrderRetriesFailuresAndResumesFromCheckpoint(@TempDir Path dir) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        try (Store store = RocksStore.open(dir, false)) {
            LogPoller.Handler handler = entries -> {
                if (failuresLeft.getAndDecrement() > 0) throw new IllegalStateException("transient");
                for (LogReader.Entry e : entries) seen.add(new String(e.value(), StandardCharsets.UTF_8));
            };
            try (LogPoller poller = new LogPoller(store, LOG, CHECKPOINT, 10, handler, e -> { }, "test-poller")) {
                append(store, "a");
                append(store, "b");
                awaitIdle(poller);
            }
            assertThat(seen).containsExactly("a", "b");
            append(store, "c");
        }
        try (Store store = RocksStore.open(dir, false);
             LogPoller poller = new LogPoller(store, LOG, CHECKPOINT, 10,
                     entries -> entries.forEach(e -> seen.add(new String(e.value(), StandardCharsets.UTF_8))),
                     e -> { }, "test-poller")) {
            awaitIdle(poller);
            assertThat(seen).containsExactly("a", "b", "c");
        }
    }
}
