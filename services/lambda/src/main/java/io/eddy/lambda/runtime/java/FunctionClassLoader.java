package io.eddy.lambda.runtime.java;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads one Java function, isolated from Eddy and from every other function: its classes come
 * from the deployment package (classes at the root, jars in {@code lib/}), everything else from the
 * JDK only. Each class is rewritten as it is defined (see {@link EnvironmentRewriter}). The Lambda
 * core interfaces ({@code com.amazonaws.services.lambda.runtime}, aws-lambda-java-core) come from the
 * package when it bundles them, as it usually does, else from a copy Eddy defines in this loader,
 * as the Lambda Java runtime provides them.
 */
final class FunctionClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final String CORE_PACKAGE = "com.amazonaws.services.lambda.runtime.";
    private static final ClassLoader EDDY = FunctionClassLoader.class.getClassLoader();
    private static final String CORE_LOCATION = location("com/amazonaws/services/lambda/runtime/Context.class");
    private static final String INJECTED = FunctionSystem.class.getName();

    private final CodeSource codeSource;

    FunctionClassLoader(Path taskRoot, String name) {
        super(name, urls(taskRoot), ClassLoader.getPlatformClassLoader());
        try {
            this.codeSource = new CodeSource(taskRoot.toUri().toURL(), (Certificate[]) null);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static URL[] urls(Path taskRoot) {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(taskRoot.toUri().toURL());
            Path lib = taskRoot.resolve("lib");
            if (Files.isDirectory(lib)) {
                try (Stream<Path> jars = Files.list(lib)) {
                    for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                        urls.add(jar.toUri().toURL());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return urls.toArray(URL[]::new);
    }

    /** Where Eddy's own copy of a class file comes from (its jar or directory), or null. */
    private static String location(String resource) {
        URL url = EDDY.getResource(resource);
        if (url == null) return null;
        String text = url.toString();
        return text.substring(0, text.length() - resource.length());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        if (name.equals(INJECTED) || name.startsWith(INJECTED + "$")) {
            return define(name, eddyBytes(resource, name));
        }
        URL url = findResource(resource);
        if (url != null) {
            try (InputStream in = url.openStream()) {
                return define(name, EnvironmentRewriter.rewrite(in.readAllBytes()));
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
        if (name.startsWith(CORE_PACKAGE) && CORE_LOCATION != null) {
            URL eddyCopy = EDDY.getResource(resource);
            if (eddyCopy != null && eddyCopy.toString().startsWith(CORE_LOCATION)) {
                return define(name, EnvironmentRewriter.rewrite(eddyBytes(resource, name)));
            }
        }
        throw new ClassNotFoundException(name);
    }

    private static byte[] eddyBytes(String resource, String name) throws ClassNotFoundException {
        try (InputStream in = EDDY.getResourceAsStream(resource)) {
            if (in == null) throw new ClassNotFoundException(name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    private Class<?> define(String name, byte[] bytes) {
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException alreadyDefinedConcurrently) {
                    // another thread defined it first
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, codeSource);
    }
}
