package io.eddy.lambda.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows which runtimes Eddy runs and how: Python and Node.js through bootstraps Eddy ships (copied to
 * {@code LAMBDA_RUNTIME_DIR}), {@code provided.*} through the function's own {@code bootstrap}.
 */
public final class Runtimes implements AutoCloseable {

    public static final List<String> PYTHON = List.of("python3.9", "python3.10", "python3.11", "python3.12", "python3.13",
            "python3.14");
    public static final List<String> NODE = List.of("nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x");
    public static final List<String> CUSTOM = List.of("provided.al2", "provided.al2023");

    private final Path runtimeDir;
    private final RuntimeApiServer server = new RuntimeApiServer();
    private final Map<String, String> executables = new ConcurrentHashMap<>();

    public Runtimes(Path runtimeDir) {
        this.runtimeDir = runtimeDir;
        install("python/bootstrap.py");
        install("nodejs/bootstrap.mjs");
    }

    public static boolean isSupported(String runtime) {
        return PYTHON.contains(runtime) || NODE.contains(runtime) || CUSTOM.contains(runtime);
    }

    public static Set<String> supported() {
        Set<String> all = new java.util.LinkedHashSet<>(PYTHON);
        all.addAll(NODE);
        all.addAll(CUSTOM);
        return all;
    }

    private void install(String resource) {
        Path target = runtimeDir.resolve(resource);
        try (InputStream in = Runtimes.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing runtime resource " + resource);
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new, not yet initialised environment.
     *
     * @param variables the function's environment as Lambda sets it (reserved and user variables)
     */
    public ExecutionEnvironment create(EnvironmentKey key, String runtime, String handler, Path taskRoot,
                                       Map<String, String> variables, String logStream) {
        Map<String, String> env = new LinkedHashMap<>(variables);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        List<String> command;
        if (PYTHON.contains(runtime)) {
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
            command = List.of(executable(runtime, "python3"), runtimeDir.resolve("python/bootstrap.py").toString());
        } else if (NODE.contains(runtime)) {
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
            env.put("NODE_PATH", runtimeDir.resolve("nodejs") + ":" + taskRoot);
            command = List.of(executable("node", "node"), runtimeDir.resolve("nodejs/bootstrap.mjs").toString());
        } else {
            command = List.of(taskRoot.resolve("bootstrap").toString());
        }
        return new ProcessEnvironment(key, logStream, command, taskRoot, env, server);
    }

    /** The most specific interpreter on the PATH: {@code python3.12} for python3.12 if present, else {@code python3}. */
    private String executable(String preferred, String fallback) {
        return executables.computeIfAbsent(preferred, p -> {
            String path = System.getenv("PATH");
            if (path != null) {
                for (String dir : path.split(java.io.File.pathSeparator)) {
                    Path candidate = Path.of(dir, p);
                    if (Files.isExecutable(candidate)) return candidate.toString();
                }
            }
            return fallback;
        });
    }

    @Override
    public void close() {
        server.close();
    }
}
