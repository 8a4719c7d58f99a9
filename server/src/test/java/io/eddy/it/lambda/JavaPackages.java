package io.eddy.it.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import software.amazon.awssdk.core.SdkBytes;

/**
 * Builds Java deployment packages as users do: sources compiled against aws-lambda-java-core (and
 * -events), classes at the zip's root, library jars in {@code lib/}.
 */
final class JavaPackages {

    static final Path CORE = jarOf("com.amazonaws.services.lambda.runtime.RequestHandler");
    static final Path EVENTS = jarOf("com.amazonaws.services.lambda.runtime.events.DynamodbEvent");
    static final Path JODA = jarOf("org.joda.time.DateTime");

    private JavaPackages() {
    }

    private static Path jarOf(String className) {
        try {
            return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles {@code sources} (class name to source) and zips the classes with {@code libraries} in lib/. */
    static SdkBytes zip(Map<String, String> sources, Path... libraries) {
        try {
            Path dir = Files.createTempDirectory("eddy-java-fn");
            Path src = dir.resolve("src");
            Path classes = dir.resolve("classes");
            List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp",
                    CORE + java.io.File.pathSeparator + EVENTS + java.io.File.pathSeparator + JODA));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                args.add(file.toString());
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            if (compiler.run(null, null, errors, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("compilation failed: " + errors);
            }
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(zip); Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new ZipEntry(classes.relativize(file).toString()));
                    out.write(Files.readAllBytes(file));
                    out.closeEntry();
                }
                for (Path library : libraries) {
                    out.putNextEntry(new ZipEntry("lib/" + library.getFileName()));
                    out.write(Files.readAllBytes(library));
                    out.closeEntry();
                }
            }
            return SdkBytes.fromByteArray(zip.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
