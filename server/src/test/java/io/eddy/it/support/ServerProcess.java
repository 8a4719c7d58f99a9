package io.eddy.it.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Eddy in a child JVM on persistent data, for tests that kill the server with SIGKILL and start
 * it again. The child runs {@code io.eddy.server.Main} from the test classpath on a free port.
 */
public record ServerProcess(Process process, URI endpoint) {

    private static final Pattern READY = Pattern.compile("ready on (http://\\S+)");

    /** Starts a server on {@code dataDir} and returns once its ready line names its URL. */
    public static ServerProcess launch(Path dataDir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.eddy.server.Main",
                "--port", "0", "--data-dir", dataDir.toString(), "--quiet")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return new ServerProcess(process, URI.create(m.group(1)));
            }
        }
        throw new IllegalStateException("server exited before it was ready");
    }
}
