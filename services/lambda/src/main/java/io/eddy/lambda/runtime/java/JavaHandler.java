package io.eddy.lambda.runtime.java;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A Java function's handler as the Lambda Java runtime finds it: {@code package.Class::method}, or
 * {@code package.Class} implementing {@code RequestHandler} or {@code RequestStreamHandler}
 * (method {@code handleRequest}). Supported signatures: {@code (input)}, {@code (input, Context)},
 * {@code (InputStream, OutputStream)}, {@code (InputStream, OutputStream, Context)} and {@code ()};
 * when several methods share the name, the one with most parameters wins. Instance methods run on
 * one instance made at init with the public no-argument constructor.
 */
final class JavaHandler {

    /** An init failure, reported as the Lambda Java runtime reports it. */
    static final class InitFailure extends Exception {
        final String errorType;

        InitFailure(String errorType, String message, Throwable cause) {
            super(message, cause);
            this.errorType = errorType;
        }
    }

    private static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";

    private final Method method;
    private final Object instance;
    private final boolean stream;
    private final boolean takesContext;
    private final Type inputType;
    private final boolean returnsVoid;

    private JavaHandler(Method method, Object instance, boolean stream, boolean takesContext, Type inputType) {
        this.method = method;
        this.instance = instance;
        this.stream = stream;
        this.takesContext = takesContext;
        this.inputType = inputType;
        this.returnsVoid = method.getReturnType() == void.class;
    }

    /** Loads the handler class (running its static initialisers) and makes its instance. */
    static JavaHandler load(String handler, ClassLoader loader) throws InitFailure, Throwable {
        if (handler == null || handler.isBlank()) {
            throw new InitFailure("java.lang.IllegalArgumentException", "No handler specified", null);
        }
        int separator = handler.indexOf("::");
        String className = separator < 0 ? handler : handler.substring(0, separator);
        String methodName = separator < 0 ? "handleRequest" : handler.substring(separator + 2);
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new InitFailure("java.lang.ClassNotFoundException", "Class not found: " + className, e);
        }
        if (separator < 0 && !implementsHandler(type)) {
            throw new InitFailure("java.lang.IllegalArgumentException", "Class " + className + " does not implement "
                    + "RequestHandler or RequestStreamHandler; name a method with " + className + "::method", null);
        }
        Method chosen = choose(type, methodName);
        if (chosen == null) {
            throw new InitFailure("java.lang.NoSuchMethodException", "No public method named " + methodName
                    + " with appropriate method signature found on class " + className, null);
        }
        try {
            Class.forName(className, true, loader);
        } catch (ExceptionInInitializerError e) {
            throw e.getCause() != null ? e.getCause() : e;
        }
        Object instance = null;
        if (!Modifier.isStatic(chosen.getModifiers())) {
            try {
                instance = type.getConstructor().newInstance();
            } catch (NoSuchMethodException e) {
                throw new InitFailure("java.lang.NoSuchMethodException", "Class " + className
                        + " has no public zero-argument constructor", e);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }
        chosen.setAccessible(true);
        Class<?>[] params = chosen.getParameterTypes();
        boolean stream = params.length >= 2 && params[0] == InputStream.class && params[1] == OutputStream.class;
        boolean takesContext = params.length > 0 && params[params.length - 1].getName().equals(CONTEXT)
                && !(params.length == 1 && stream);
        Type input = stream || params.length == 0 || params.length == 1 && takesContext
                ? null : chosen.getGenericParameterTypes()[0];
        return new JavaHandler(chosen, instance, stream, takesContext, input);
    }

    private static boolean implementsHandler(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (isHandlerInterface(i)) return true;
            }
        }
        return false;
    }

    private static boolean isHandlerInterface(Class<?> type) {
        String name = type.getName();
        if (name.equals("com.amazonaws.services.lambda.runtime.RequestHandler")
                || name.equals("com.amazonaws.services.lambda.runtime.RequestStreamHandler")) {
            return true;
        }
        for (Class<?> parent : type.getInterfaces()) {
            if (isHandlerInterface(parent)) return true;
        }
        return false;
    }

    /** The method to call: non-bridge first, most parameters first, specific input types before Object. */
    private static Method choose(Class<?> type, String name) {
        List<Method> candidates = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && fits(m)) candidates.add(m);
        }
        candidates.sort(Comparator.comparing(Method::isBridge)
                .thenComparing(Comparator.comparingInt(Method::getParameterCount).reversed())
                .thenComparing(m -> m.getParameterCount() > 0 && m.getParameterTypes()[0] == Object.class));
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    private static boolean fits(Method m) {
        Class<?>[] p = m.getParameterTypes();
        return switch (p.length) {
            case 0, 1 -> true;
            case 2 -> p[1].getName().equals(CONTEXT) || p[0] == InputStream.class && p[1] == OutputStream.class;
            case 3 -> p[0] == InputStream.class && p[1] == OutputStream.class && p[2].getName().equals(CONTEXT);
            default -> false;
        };
    }

    boolean takesContext() {
        return takesContext;
    }

    /**
     * Runs the handler on {@code payload}; returns its JSON response. Throws {@link EventParseFailure}
     * when the event does not fit the input type, or whatever the handler throws.
     */
    byte[] invoke(byte[] payload, Object context, EventMapper mapper) throws Throwable {
        Object[] args;
        ByteArrayOutputStream out = null;
        if (stream) {
            out = new ByteArrayOutputStream();
            args = takesContext ? new Object[] {new ByteArrayInputStream(payload), out, context}
                    : new Object[] {new ByteArrayInputStream(payload), out};
        } else {
            Object input = null;
            if (inputType != null) {
                try {
                    input = mapper.read(payload, inputType);
                } catch (java.io.IOException e) {
                    throw new EventParseFailure(e);
                }
            }
            int count = method.getParameterCount();
            args = count == 0 ? new Object[0]
                    : inputType == null ? new Object[] {context}
                    : takesContext ? new Object[] {input, context} : new Object[] {input};
        }
        Object result;
        try {
            result = method.invoke(instance, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
        if (stream) return out.toByteArray();
        if (returnsVoid) return "null".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            return mapper.write(result);
        } catch (java.io.IOException e) {
            throw new ResultSerializationFailure(e);
        }
    }

    /** The event could not be turned into the handler's input type. */
    static final class EventParseFailure extends Exception {
        EventParseFailure(Throwable cause) {
            super("An error occurred during JSON parsing", cause);
        }
    }

    /** The handler's result could not be written as JSON. */
    static final class ResultSerializationFailure extends Exception {
        ResultSerializationFailure(Throwable cause) {
            super("An error occurred during JSON serialization of response", cause);
        }
    }
}
