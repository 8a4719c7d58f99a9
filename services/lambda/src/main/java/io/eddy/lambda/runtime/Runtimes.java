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

import io.eddy.lambda.runtime.java.JavaEnvironment;

/**
 * Knows which runtimes Eddy runs and how: Python and Node.js through bootstraps Eddy ships (copied to
 * {@code LAMBDA_RUNTIME_DIR}), {@code provided.*} through the function's own {@code bootstrap}, Java
 * in-process (see {@link JavaEnvironment}).
 */
public final class Runtimes implements AutoCloseable {

    public static final List<String> PYTHON = List.of("python3.9", "python3.10", "python3.11", "python3.12", "python3.13",
            "python3.14");
    public static final List<String> NODE = List.of("nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x");
    public static final List<String> CUSTOM = List.of("provided.al2", "provided.al2023");
    /** Java runs inside Eddy's own JVM, whatever version the function names (older class files load as they are). */
    public static final List<String> JAVA = List.of("java8.al2", "java11", "java17", "java21", "java25");

    private final Path runtimeDir;
    private final RuntimeApiServer server = new RuntimeApiServer();
    private final Map<String, String> executables = new ConcurrentHashMap<>();
    private final SpareProcesses spares;

    /** @param baseEnvironment the variables every function's runtime has before its own (PATH, LANG, TZ) */
    public Runtimes(Path runtimeDir, Map<String, String> baseEnvironment) {
        this.runtimeDir = runtimeDir;
        Map<String, String> spareEnvironment = new LinkedHashMap<>(baseEnvironment);
        spareEnvironment.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        this.spares = new SpareProcesses(spareEnvironment);
        install("python/bootstrap.py");
        install("nodejs/bootstrap.mjs");
    }

    public static boolean isSupported(String runtime) {
        return PYTHON.contains(runtime) || NODE.contains(runtime) || CUSTOM.contains(runtime) || JAVA.contains(runtime);
    }

    public static Set<String> supported() {
        Set<String> all = new java.util.LinkedHashSet<>(PYTHON);
        all.addAll(NODE);
        all.addAll(CUSTOM);
        all.addAll(JAVA);
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
        if (JAVA.contains(runtime)) {
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
            return new JavaEnvironment(key, logStream, handler, taskRoot, env);
        }
        List<String> command;
        List<String> spareCommand = null;
        if (PYTHON.contains(runtime)) {
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
            String python = executable(runtime, "python3", new String[] {"-c", "import sys; print(sys.executable)"});
            String bootstrap = runtimeDir.resolve("python/bootstrap.py").toString();
            command = List.of(python, bootstrap);
            // variables that change how the interpreter starts need an interpreter started with them
            if (env.keySet().stream().noneMatch(k -> k.startsWith("PYTHON"))) spareCommand = List.of(python, bootstrap, "--spare");
        } else if (NODE.contains(runtime)) {
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
            env.put("NODE_PATH", runtimeDir.resolve("nodejs") + ":" + taskRoot);
            command = List.of(executable("node", "node", new String[] {"-p", "process.execPath"}), runtimeDir.resolve("nodejs/bootstrap.mjs").toString());
        } else {
            command = List.of(taskRoot.resolve("bootstrap").toString());
        }
        return new ProcessEnvironment(key, logStream, command, taskRoot, env, server,
                spareCommand == null ? null : spares, spareCommand);
    }

    /**
     * The interpreter binary to run: the most specific one on the PATH ({@code python3.12} for
     * python3.12 if present, else {@code python3}), resolved once to the real executable because
     * version-manager shims (pyenv, asdf) need an environment that functions do not get.
     */
    private String executable(String preferred, String fallback, String[] printExecutable) {
        return executables.computeIfAbsent(preferred, p -> {
            List<String> candidates = new java.util.ArrayList<>(onPath(p));
            candidates.addAll(onPath(fallback));
            for (String candidate : candidates) {
                String real = probe(candidate, printExecutable);
                if (real != null) return real;
            }
            return fallback;
        });
    }

    private static String probe(String candidate, String[] printExecutable) {
        try {
            Process probe = new ProcessBuilder(candidate, printExecutable[0], printExecutable[1]).redirectErrorStream(true).start();
            String real = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (probe.waitFor() == 0 && !real.isEmpty() && Files.isExecutable(Path.of(real))) return real;
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static List<String> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return List.of();
        List<String> found = new java.util.ArrayList<>();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) found.add(candidate.toString());
        }
        return found;
    }

    @Override
    public void close() {
        spares.close();
        server.close();
    }
}
