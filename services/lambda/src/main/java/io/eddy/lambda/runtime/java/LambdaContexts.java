package io.eddy.lambda.runtime.java;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eddy.lambda.runtime.Invocation;

/**
 * Makes the {@code Context} (and its {@code LambdaLogger}, {@code ClientContext}) a handler receives,
 * as proxies of the function's own copy of the aws-lambda-java-core interfaces, so no class of
 * Eddy's is ever seen by the function.
 */
final class LambdaContexts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClassLoader loader;
    private final Class<?> contextType;
    private final Class<?> loggerType;
    private final Object logger;
    private final Map<String, String> environment;
    private final int memoryMb;

    LambdaContexts(ClassLoader loader, Map<String, String> environment, OutputRouting.Output output)
            throws ClassNotFoundException {
        this.loader = loader;
        this.environment = environment;
        this.memoryMb = Integer.parseInt(environment.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"));
        this.contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
        this.loggerType = Class.forName("com.amazonaws.services.lambda.runtime.LambdaLogger", false, loader);
        this.logger = proxy(loggerType, (proxy, method, args) -> switch (method.getName()) {
            case "log" -> {
                if (args != null && args.length == 1 && args[0] instanceof String s) {
                    output.write(s.getBytes(StandardCharsets.UTF_8));
                } else if (args != null && args.length == 1 && args[0] instanceof byte[] b) {
                    output.write(b);
                } else if (method.isDefault()) {
                    yield InvocationHandler.invokeDefault(proxy, method, args);
                }
                yield null;
            }
            default -> objectMethod(proxy, method, args, "LambdaLogger");
        });
    }

    Object context(Invocation invocation) throws ClassNotFoundException {
        Object clientContext = clientContext(invocation.clientContext());
        return proxy(contextType, (proxy, method, args) -> switch (method.getName()) {
            case "getAwsRequestId" -> invocation.requestId();
            case "getLogGroupName" -> environment.get("AWS_LAMBDA_LOG_GROUP_NAME");
            case "getLogStreamName" -> environment.get("AWS_LAMBDA_LOG_STREAM_NAME");
            case "getFunctionName" -> environment.get("AWS_LAMBDA_FUNCTION_NAME");
            case "getFunctionVersion" -> environment.get("AWS_LAMBDA_FUNCTION_VERSION");
            case "getInvokedFunctionArn" -> invocation.invokedFunctionArn();
            case "getIdentity" -> null;
            case "getClientContext" -> clientContext;
            case "getRemainingTimeInMillis" -> (int) Math.max(0, invocation.deadlineEpochMillis() - System.currentTimeMillis());
            case "getMemoryLimitInMB" -> memoryMb;
            case "getLogger" -> logger;
            case "getXrayTraceId" -> invocation.traceId();
            default -> method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args)
                    : objectMethod(proxy, method, args, "Context");
        });
    }

    private Object clientContext(String json) throws ClassNotFoundException {
        if (json == null) return null;
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (java.io.IOException e) {
            return null;
        }
        Class<?> type = Class.forName("com.amazonaws.services.lambda.runtime.ClientContext", false, loader);
        Class<?> clientType = Class.forName("com.amazonaws.services.lambda.runtime.Client", false, loader);
        JsonNode c = node.path("client");
        Object client = c.isObject() ? proxy(clientType, (proxy, method, args) -> switch (method.getName()) {
            case "getInstallationId" -> text(c, "installation_id");
            case "getAppTitle" -> text(c, "app_title");
            case "getAppVersionName" -> text(c, "app_version_name");
            case "getAppVersionCode" -> text(c, "app_version_code");
            case "getAppPackageName" -> text(c, "app_package_name");
            default -> objectMethod(proxy, method, args, "Client");
        }) : null;
        Map<String, String> custom = strings(node.path("custom"));
        Map<String, String> env = strings(node.path("env"));
        return proxy(type, (proxy, method, args) -> switch (method.getName()) {
            case "getClient" -> client;
            case "getCustom" -> custom;
            case "getEnvironment" -> env;
            default -> objectMethod(proxy, method, args, "ClientContext");
        });
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private Object proxy(Class<?> type, InvocationHandler handler) {
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, handler);
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args, String name) {
        return switch (method.getName()) {
            case "toString" -> name + "@" + Integer.toHexString(System.identityHashCode(proxy));
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> defaultValue(method.getReturnType());
        };
    }

    private static Object defaultValue(Class<?> type) {
        if (!type.isPrimitive() || type == void.class) return null;
        if (type == boolean.class) return false;
        if (type == long.class) return 0L;
        if (type == double.class) return 0.0;
        if (type == float.class) return 0f;
        if (type == char.class) return (char) 0;
        if (type == byte.class) return (byte) 0;
        if (type == short.class) return (short) 0;
        return 0;
    }
}
