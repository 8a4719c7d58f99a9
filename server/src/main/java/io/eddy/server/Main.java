package io.eddy.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code java -jar eddy-server.jar [--port N] [--host H] [--data-dir DIR] [--in-memory] [--quiet]}.
 * Each flag also reads from the environment ({@code EDDY_PORT}, {@code EDDY_HOST},
 * {@code EDDY_DATA_DIR}, {@code EDDY_IN_MEMORY=true}, {@code EDDY_QUIET=true}); flags win.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        long launched = System.nanoTime();
        EddyConfig config;
        try {
            config = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("eddy: " + e.getMessage());
            System.err.println("usage: eddy [--port N] [--host H] [--data-dir DIR] [--in-memory] [--quiet]");
            System.exit(2);
            return;
        }
        Eddy eddy = Eddy.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(eddy::close, "eddy-shutdown"));
        System.out.printf("Eddy %s ready on %s (%s) in %d ms%n", Eddy.version(), eddy.endpoint(),
                config.memoryOnly() ? "in memory" : "data in " + config.dataDir().toAbsolutePath(),
                (System.nanoTime() - launched) / 1_000_000);
        System.out.flush();
    }

    static EddyConfig parse(String[] args, Map<String, String> env) {
        EddyConfig config = EddyConfig.defaults();
        if (env.get("EDDY_PORT") != null) config = config.withPort(port(env.get("EDDY_PORT")));
        if (env.get("EDDY_HOST") != null) config = config.withHost(env.get("EDDY_HOST"));
        if (env.get("EDDY_DATA_DIR") != null) config = config.withDataDir(Path.of(env.get("EDDY_DATA_DIR")));
        if ("true".equalsIgnoreCase(env.get("EDDY_IN_MEMORY"))) config = config.withMemoryOnly(true);
        if ("true".equalsIgnoreCase(env.get("EDDY_QUIET"))) config = config.withLogRequests(false);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> config = config.withPort(port(value(args, ++i, "--port")));
                case "--host" -> config = config.withHost(value(args, ++i, "--host"));
                case "--data-dir" -> config = config.withDataDir(Path.of(value(args, ++i, "--data-dir")));
                case "--in-memory" -> config = config.withMemoryOnly(true);
                case "--quiet" -> config = config.withLogRequests(false);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        return config;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
        return args[i];
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + text);
        }
    }
}
