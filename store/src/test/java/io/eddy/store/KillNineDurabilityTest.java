package io.eddy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM writes batches and prints each key once {@link Store#write} returned; the test kills
 * it with SIGKILL mid-stream and checks that every acknowledged key is there after reopening.
 */
class KillNineDurabilityTest {

    /** Child process entry point: writes until killed. */
    public static void main(String[] args) {
        Store store = RocksStore.open(Path.of(args[0]), false);
        for (long i = 0; ; i++) {
            byte[] key = Keys.of().text("k").u64(i).build();
            store.write(new Batch().put(key, ("value-" + i).getBytes(StandardCharsets.UTF_8))
                    .put(Keys.of().text("counter").build(), Long.toString(i).getBytes(StandardCharsets.UTF_8)));
            System.out.println(i);
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), KillNineDurabilityTest.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<Long> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                acknowledged.add(Long.parseLong(line.trim()));
                if (acknowledged.size() == 2000) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
                    break;
                }
            }
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).hasSize(2000);

        try (Store store = RocksStore.open(dir, false)) {
            for (long i : acknowledged) {
                assertThat(store.get(Keys.of().text("k").u64(i).build()))
                        .as("acknowledged key %d", i).isEqualTo(("value-" + i).getBytes(StandardCharsets.UTF_8));
            }
            long counter = Long.parseLong(new String(store.get(Keys.of().text("counter").build()), StandardCharsets.UTF_8));
            assertThat(counter).isGreaterThanOrEqualTo(acknowledged.get(acknowledged.size() - 1));
        }
    }
}
