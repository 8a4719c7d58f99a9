package io.eddy.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Deployment packages unpacked on disk, one directory per content hash, shared by every function
 * and version with the same code. Unix permissions recorded in the zip are kept, so a custom
 * runtime's {@code bootstrap} is executable exactly when it was packaged as executable.
 */
final class CodeCache {


    private final Path dir;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Code known to be unpacked, so warm invocations skip the file system. */
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    CodeCache(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory holding the unpacked code, unpacking {@code zip} first when needed. */
    Path unpacked(String sha256, Supplier<byte[]> zip) {
        Path target = dir.resolve(HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(sha256)));
        if (ready.contains(sha256)) return target;
        Path complete = dir.resolve(target.getFileName() + ".complete");
        if (Files.exists(complete)) {
            ready.add(sha256);
            return target;
        }
        synchronized (locks.computeIfAbsent(sha256, k -> new Object())) {
            if (Files.exists(complete)) return target;
            byte[] bytes = zip.get();
            if (bytes == null) throw new IllegalStateException("code " + sha256 + " is missing from the store");
            unpack(bytes, target);
            try {
                Files.createFile(complete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return target;
        }
    }

    /** Whether {@code zip} is a readable zip archive. */
    static boolean isValidZip(byte[] zip) {
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            boolean any = false;
            while (in.getNextEntry() != null) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                any = true;
            }
            return any;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private void unpack(byte[] zip, Path target) {
        Path staging = dir.resolve(target.getFileName() + ".staging-" + Thread.currentThread().threadId());
        Path zipFile = dir.resolve(target.getFileName() + ".zip-" + Thread.currentThread().threadId());
        try {
            deleteTree(staging);
            deleteTree(target);
            Files.write(zipFile, zip);
            try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zipFile.toUri()),
                    Map.of("enablePosixFileAttributes", "true"))) {
                Path root = fs.getPath("/");
                try (Stream<Path> entries = Files.walk(root)) {
                    for (Path entry : (Iterable<Path>) entries::iterator) {
                        Path out = staging.resolve(root.relativize(entry).toString()).normalize();
                        if (!out.startsWith(staging)) throw new IOException("zip entry outside the package: " + entry);
                        if (Files.isDirectory(entry)) {
                            Files.createDirectories(out);
                            continue;
                        }
                        Files.createDirectories(out.getParent());
                        Files.copy(entry, out, StandardCopyOption.REPLACE_EXISTING);
                        // entries without Unix attributes (zips written by Java tools) come back read-only sets
                        Set<PosixFilePermission> permissions = java.util.EnumSet.noneOf(PosixFilePermission.class);
                        permissions.addAll(Files.readAttributes(entry, PosixFileAttributes.class).permissions());
                        permissions.add(PosixFilePermission.OWNER_READ);
                        permissions.add(PosixFilePermission.OWNER_WRITE);
                        Files.setPosixFilePermissions(out, permissions);
                    }
                }
            }
            Files.createDirectories(staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(zipFile);
                deleteTree(staging);
            } catch (IOException ignored) {
                // leftovers are removed on the next unpack of the same code
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
