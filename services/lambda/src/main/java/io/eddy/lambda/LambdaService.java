package io.eddy.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.cloudwatch.CloudWatchService;
import io.eddy.gateway.Endpoint;
import io.eddy.gateway.RequestIds;
import io.eddy.lambda.runtime.EnvironmentPool;
import io.eddy.lambda.runtime.Runtimes;
import io.eddy.lambda.telemetry.FunctionLogs;
import io.eddy.lambda.telemetry.LambdaMetrics;
import io.eddy.logs.LogsService;
import io.eddy.protocol.AwsException;
import io.eddy.protocol.restjson.RestJsonEndpoint;
import io.eddy.protocol.restjson.RestJsonRequest;
import io.eddy.protocol.restjson.RestJsonResponse;
import io.eddy.sqs.SqsService;
import io.eddy.store.BackgroundWork;
import io.eddy.store.Batch;
import io.eddy.store.Drainable;
import io.eddy.store.Store;

/**
 * AWS Lambda: functions, versions, aliases, concurrency, tags, and invocation. Control-plane
 * operations are serialised by one lock (they read, modify and write records); invocations only
 * read. The public {@link #invoke} methods are the entry point for event sources inside Eddy.
 */
public final class LambdaService implements BackgroundWork, AutoCloseable {

    /** Path prefixes Lambda's REST API uses, for routing requests that carry no credential scope. */
    public static final List<String> PATH_PREFIXES = List.of("/2015-03-31/functions", "/2017-03-31/tags",
            "/2017-10-31/functions", "/2019-09-30/functions", "/2019-09-25/functions", "/2016-08-19/account-settings");

    private static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
    private static final int MAX_NAME_LENGTH = 64;
    private static final int MAX_FUNCTIONS_PER_PAGE = 50;
    private static final int MAX_ASYNC_PAYLOAD = 1024 * 1024;
    private static final int MAX_ZIP_BYTES = 50 * 1024 * 1024;
    private static final int MAX_ENVIRONMENT_BYTES = 4 * 1024;
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    private static final Pattern ROLE = Pattern.compile("arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
    private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    private static final Pattern VERSION = Pattern.compile("[0-9]+");
    private static final Pattern DEAD_LETTER_ARN = Pattern.compile("(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()");
    private static final Pattern ENV_KEY = Pattern.compile("[a-zA-Z]([a-zA-Z0-9_])+");
    private static final Set<String> RESERVED_ENV = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
            "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");
    /** Every value of the model's Runtime enum, in the model's order, as validation errors list them. */
    private static final List<String> RUNTIME_ENUM = List.of("nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10",
            "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "java8", "java8.al2", "java11", "python2.7",
            "python3.6", "python3.7", "python3.8", "python3.9", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1",
            "dotnetcore3.1", "dotnet6", "dotnet8", "nodejs4.3-edge", "go1.x", "ruby2.5", "ruby2.7", "provided",
            "provided.al2", "nodejs18.x", "python3.10", "java17", "ruby3.2", "ruby3.3", "ruby3.4", "python3.11",
            "nodejs20.x", "provided.al2023", "python3.12", "java21", "python3.13", "nodejs22.x", "nodejs24.x",
            "python3.14", "java25", "dotnet10");
    /** Runtimes Lambda no longer accepts for new or updated functions, with the one it recommends instead. */
    private static final Map<String, String> DEPRECATED_RUNTIMES = deprecatedRuntimes();

    private final LambdaConfig config;
    private final FunctionStore functions;
    private final CodeCache code;
    private final Runtimes runtimes;
    private final EnvironmentPool pool;
    private final Invoker invoker;
    private final ConcurrencyLimits concurrency;
    private final FunctionLogs logs;
    private final LambdaMetrics metrics;
    private final AsyncInvocations async;
    private final EventInvokeConfigs eventInvokeConfigs;
    private final ReentrantLock writes = new ReentrantLock();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * Function logs go to {@code logs}, AWS/Lambda metrics to {@code cloudWatch}, and destinations and
     * dead-letter queues of asynchronous invocations to {@code sqs} and SNS {@code topics}.
     */
    public LambdaService(Store store, LambdaConfig config, LogsService logs, CloudWatchService cloudWatch, SqsService sqs,
                         TopicPublisher topics) {
        this.config = config;
        this.functions = new FunctionStore(store);
        this.code = new CodeCache(config.workDir().resolve("code"));
        this.runtimes = new Runtimes(config.workDir().resolve("runtime"), Invoker.baseEnvironment());
        this.pool = new EnvironmentPool(config.idleEnvironmentTimeout());
        this.logs = new FunctionLogs(logs);
        this.metrics = new LambdaMetrics(cloudWatch);
        this.invoker = new Invoker(config, runtimes, pool, this.logs);
        this.concurrency = new ConcurrencyLimits(config.accountConcurrencyLimit());
        this.async = new AsyncInvocations(store, this, functions, new Destinations(sqs, topics), metrics,
                config.asyncRetryDelay().toMillis(), config.clock());
        this.eventInvokeConfigs = new EventInvokeConfigs(functions, writes, this::resolve);
        resumeActivations();
    }

    /** Starts background work that runs functions: asynchronous invocations accepted before a restart resume. */
    public void start() {
        async.start();
    }

    private static Map<String, String> deprecatedRuntimes() {
        Map<String, String> m = new HashMap<>();
        for (String r : List.of("nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x",
                "nodejs12.x", "nodejs14.x", "nodejs16.x")) m.put(r, "nodejs22.x");
        for (String r : List.of("python2.7", "python3.6", "python3.7", "python3.8")) m.put(r, "python3.13");
        for (String r : List.of("java8")) m.put(r, "java21");
        for (String r : List.of("dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6")) m.put(r, "dotnet8");
        for (String r : List.of("ruby2.5", "ruby2.7", "ruby3.2")) m.put(r, "ruby3.3");
        m.put("go1.x", "provided.al2023");
        m.put("provided", "provided.al2023");
        return m;
    }

    /** The REST-JSON endpoint serving Lambda's API. */
    public Endpoint endpoint() {
        RestJsonEndpoint endpoint = new RestJsonEndpoint(RestJsonEndpoint.ErrorBody.TYPE_AND_MESSAGE, "InvalidRequestContentException",
                "UnknownOperationException")
                .route("POST", "/2015-03-31/functions", "CreateFunction", this::createFunction)
                .route("GET", "/2015-03-31/functions", "ListFunctions", this::listFunctions)
                .route("GET", "/2015-03-31/functions/{FunctionName}", "GetFunction", this::getFunction)
                .route("DELETE", "/2015-03-31/functions/{FunctionName}", "DeleteFunction", this::deleteFunction)
                .route("GET", "/2015-03-31/functions/{FunctionName}/configuration", "GetFunctionConfiguration",
                        this::getFunctionConfiguration)
                .route("PUT", "/2015-03-31/functions/{FunctionName}/configuration", "UpdateFunctionConfiguration",
                        this::updateFunctionConfiguration)
                .route("PUT", "/2015-03-31/functions/{FunctionName}/code", "UpdateFunctionCode", this::updateFunctionCode)
                .route("GET", "/2015-03-31/functions/{FunctionName}/code", "GetFunctionCodeLocation", this::downloadCode)
                .route("POST", "/2015-03-31/functions/{FunctionName}/versions", "PublishVersion", this::publishVersion)
                .route("GET", "/2015-03-31/functions/{FunctionName}/versions", "ListVersionsByFunction",
                        this::listVersionsByFunction)
                .route("POST", "/2015-03-31/functions/{FunctionName}/aliases", "CreateAlias", this::createAlias)
                .route("GET", "/2015-03-31/functions/{FunctionName}/aliases", "ListAliases", this::listAliases)
                .route("GET", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", "GetAlias", this::getAlias)
                .route("PUT", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", "UpdateAlias", this::updateAlias)
                .route("DELETE", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", "DeleteAlias", this::deleteAlias)
                .route("PUT", "/2017-10-31/functions/{FunctionName}/concurrency", "PutFunctionConcurrency",
                        this::putFunctionConcurrency)
                .route("DELETE", "/2017-10-31/functions/{FunctionName}/concurrency", "DeleteFunctionConcurrency",
                        this::deleteFunctionConcurrency)
                .route("GET", "/2019-09-30/functions/{FunctionName}/concurrency", "GetFunctionConcurrency",
                        this::getFunctionConcurrency)
                .route("POST", "/2017-03-31/tags/{Resource}", "TagResource", this::tagResource)
                .route("DELETE", "/2017-03-31/tags/{Resource}", "UntagResource", this::untagResource)
                .route("GET", "/2017-03-31/tags/{Resource}", "ListTags", this::listTags)
                .route("GET", "/2016-08-19/account-settings", "GetAccountSettings", this::getAccountSettings)
                .route("POST", "/2015-03-31/functions/{FunctionName}/invocations", "Invoke", this::invokeOperation);
        eventInvokeConfigs.addRoutes(endpoint);
        return endpoint;
    }

    // ---------------------------------------------------------------- Java API for event sources

    /**
     * Invokes a function synchronously, as a RequestResponse Invoke does. Throws {@link AwsException}
     * for what Invoke answers with an HTTP error: 404 unknown function, 429 throttled
     * ({@code TooManyRequestsException}, with {@code Reason} in {@link AwsException#details()}), 409 not ready.
     *
     * @param qualifier version number, alias or {@code $LATEST}; null for the unqualified function
     */
    public InvocationResult invoke(String account, String region, String functionNameOrArn, String qualifier, byte[] payload) {
        return invoke(account, region, functionNameOrArn, qualifier, payload, null);
    }

    /** As {@link #invoke(String, String, String, String, byte[])}, with the caller's client context (base64 JSON). */
    public InvocationResult invoke(String account, String region, String functionNameOrArn, String qualifier,
                                   byte[] payload, String clientContext) {
        Target target = resolveForInvoke(account, region, functionNameOrArn, qualifier);
        return run(target, RequestIds.next(), payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload,
                clientContext);
    }

    /**
     * Queues an asynchronous invocation, as an Event Invoke does (SNS and other asynchronous event
     * sources call this), and returns its request id once the event is durable. Throws 404 for an
     * unknown function, version or alias.
     */
    public String invokeAsync(String account, String region, String functionNameOrArn, String qualifier, byte[] payload) {
        Target target = resolve(account, region, functionNameOrArn, qualifier);
        String requestId = RequestIds.next();
        async.accept(target, requestId, payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload);
        return requestId;
    }

    /** AWS/Lambda metrics, for event sources that publish their own (IteratorAge ...). */
    public LambdaMetrics metrics() {
        return metrics;
    }

    /**
     * The configuration of the version a function name (and qualifier) resolves to, as Invoke would
     * pick it, without running it: event source mappings check their function with it. Throws
     * Invoke's 404 for an unknown function, version or alias. The configuration is shared with
     * invocations: read it, never change it.
     */
    public FunctionVersion resolveConfiguration(String account, String region, String functionNameOrArn, String qualifier) {
        return resolve(account, region, functionNameOrArn, qualifier, true).version;
    }

    // ---------------------------------------------------------------- functions

    private RestJsonResponse createFunction(RestJsonRequest request) {
        JsonNode in = request.json();
        String account = request.context().accountId();
        String region = request.context().region();
        String name = in.path("FunctionName").isTextual() ? in.get("FunctionName").asText() : null;
        LambdaErrors.Violations violations = new LambdaErrors.Violations();
        FunctionNames.Reference ref = FunctionNames.parse(name);
        if (name == null) violations.add(null, "functionName", "Member must not be null");
        else if (ref == null || name.length() > 140) {
            violations.add(name, "functionName", "Member must satisfy regular expression pattern: " + FunctionNames.NAME_PATTERN);
        } else if (ref.name().length() > MAX_NAME_LENGTH) {
            // the model's 140 counts a whole ARN; the name inside it is limited to 64
            violations.add(name, "functionName", "Member must have length less than or equal to " + MAX_NAME_LENGTH);
        }
        String role = text(in, "Role");
        if (role == null) violations.add(null, "role", "Member must not be null");
        else if (!ROLE.matcher(role).matches()) {
            violations.add(role, "role", "Member must satisfy regular expression pattern: " + ROLE.pattern());
        }
        FunctionVersion fn = new FunctionVersion();
        fn.account = account;
        fn.region = region;
        fn.role = role;
        applyConfiguration(in, fn, violations, true);
        violations.throwIfAny();
        if ("Image".equals(text(in, "PackageType"))) {
            throw LambdaErrors.invalidParameter("Eddy runs .zip deployment packages only; PackageType Image is not supported.");
        }
        if (fn.runtime == null) throw LambdaErrors.invalidParameter("Runtime is required for .zip deployment packages.");
        checkRuntime(fn.runtime);
        checkEnvironment(fn);
        if (ref.qualifier() != null) throw LambdaErrors.invalidParameter("Unsupported function name: " + name);
        fn.name = ref.name();
        if (ref.account() != null && !ref.account().equals(account) || ref.region() != null && !ref.region().equals(region)) {
            throw LambdaErrors.invalidParameter("The function ARN's account and region must be the caller's.");
        }
        byte[] zip = zipFrom(in.path("Code"));
        fn.version = "$LATEST";
        fn.codeSha256 = sha256(zip);
        fn.codeSize = zip.length;
        fn.lastModified = now();
        fn.revisionId = UUID.randomUUID().toString();
        if (fn.logGroup == null) fn.logGroup = "/aws/lambda/" + fn.name;
        fn.state = "Pending";
        fn.stateReason = "The function is being created.";
        fn.stateReasonCode = "Creating";
        FunctionRecord record = new FunctionRecord();
        record.latest = fn;
        record.tags = tags(in.path("Tags"));
        boolean publish = in.path("Publish").asBoolean(false);
        writes.lock();
        try {
            if (functions.function(account, region, fn.name) != null) {
                throw LambdaErrors.conflict("Function already exist: " + fn.name);
            }
            Batch batch = new Batch()
                    .put(FunctionStore.codeKey(account, region, fn.name, fn.codeSha256), zip);
            FunctionVersion published = null;
            if (publish) {
                published = publishedCopy(fn, ++record.lastPublishedVersion, fn.description);
                batch.put(FunctionStore.versionKey(account, region, fn.name, record.lastPublishedVersion),
                        FunctionStore.write(published));
            }
            batch.put(FunctionStore.functionKey(account, region, fn.name), FunctionStore.write(record));
            functions.store().write(batch);
            scheduleActivation(account, region, fn.name);
            return RestJsonResponse.json(201, (published != null ? published : fn).toJson());
        } finally {
            writes.unlock();
        }
    }

    private void applyConfiguration(JsonNode in, FunctionVersion fn, LambdaErrors.Violations violations, boolean create) {
        if (in.has("Runtime")) {
            String runtime = text(in, "Runtime");
            if (runtime != null && !RUNTIME_ENUM.contains(runtime)) {
                violations.add(runtime, "runtime", "Member must satisfy enum value set: " + RUNTIME_ENUM);
            }
            fn.runtime = runtime;
        }
        if (in.has("Handler")) {
            String handler = text(in, "Handler");
            if (handler != null && (handler.length() > 128)) {
                violations.add(handler, "handler", "Member must have length less than or equal to 128");
            } else if (handler != null && !handler.matches("[^\\s]+")) {
                violations.add(handler, "handler", "Member must satisfy regular expression pattern: [^\\s]+");
            }
            fn.handler = handler;
        }
        if (!create && in.has("Role")) {
            String role = text(in, "Role");
            if (role == null || !ROLE.matcher(role).matches()) {
                violations.add(role, "role", "Member must satisfy regular expression pattern: " + ROLE.pattern());
            }
            fn.role = role;
        }
        if (in.has("Description")) {
            String description = in.path("Description").asText("");
            if (description.length() > 256) {
                violations.add(description, "description", "Member must have length less than or equal to 256");
            }
            fn.description = description;
        }
        if (in.has("Timeout")) {
            int timeout = in.path("Timeout").asInt();
            if (timeout < 1) violations.add(timeout, "timeout", "Member must have value greater than or equal to 1");
            if (timeout > 900) violations.add(timeout, "timeout", "Member must have value less than or equal to 900");
            fn.timeout = timeout;
        }
        if (in.has("MemorySize")) {
            int memory = in.path("MemorySize").asInt();
            if (memory < 128) violations.add(memory, "memorySize", "Member must have value greater than or equal to 128");
            if (memory > 10240) violations.add(memory, "memorySize", "Member must have value less than or equal to 10240");
            fn.memorySize = memory;
        }
        if (in.path("EphemeralStorage").has("Size")) {
            int size = in.path("EphemeralStorage").path("Size").asInt();
            if (size < 512) violations.add(size, "ephemeralStorage.size", "Member must have value greater than or equal to 512");
            if (size > 10240) violations.add(size, "ephemeralStorage.size", "Member must have value less than or equal to 10240");
            fn.ephemeralStorage = size;
        }
        if (in.has("Architectures") && in.get("Architectures").isArray()) {
            List<String> architectures = new ArrayList<>();
            in.get("Architectures").forEach(a -> architectures.add(a.asText()));
            if (architectures.size() != 1) {
                violations.add(architectures, "architectures", architectures.isEmpty()
                        ? "Member must have length greater than or equal to 1" : "Member must have length less than or equal to 1");
            }
            for (String a : architectures) {
                if (!a.equals("x86_64") && !a.equals("arm64")) {
                    violations.add(architectures, "architectures", "Member must satisfy constraint: "
                            + "[Member must satisfy enum value set: [x86_64, arm64]]");
                }
            }
            fn.architectures = architectures;
        }
        if (in.path("TracingConfig").has("Mode")) fn.tracingMode = in.path("TracingConfig").path("Mode").asText();
        if (in.has("LoggingConfig")) {
            JsonNode logging = in.get("LoggingConfig");
            if (logging.has("LogFormat")) fn.logFormat = logging.get("LogFormat").asText();
            if (logging.has("LogGroup")) fn.logGroup = logging.get("LogGroup").asText();
        }
        if (in.has("Environment")) {
            JsonNode variables = in.path("Environment").path("Variables");
            Map<String, String> env = new LinkedHashMap<>();
            variables.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            fn.environment = env;
        }
        if (in.has("DeadLetterConfig")) {
            JsonNode target = in.path("DeadLetterConfig").path("TargetArn");
            String arn = target.isTextual() ? target.asText() : "";
            if (arn.isEmpty()) {
                fn.deadLetterTargetArn = null;
            } else if (!DEAD_LETTER_ARN.matcher(arn).matches()) {
                violations.add(arn, "deadLetterConfig.targetArn", "Member must satisfy regular expression pattern: "
                        + DEAD_LETTER_ARN.pattern());
            } else if (!List.of("sqs", "sns").contains(Destinations.service(arn))) {
                throw LambdaErrors.invalidParameter("Invalid dead letter queue ARN: " + arn
                        + " is neither an SQS queue nor an SNS topic.");
            } else {
                fn.deadLetterTargetArn = arn;
            }
        }
        if (in.has("Layers") && in.get("Layers").size() > 0) {
            throw LambdaErrors.invalidParameter("Eddy does not support Lambda layers.");
        }
    }

    private void checkEnvironment(FunctionVersion fn) {
        if (fn.environment == null) return;
        List<String> reserved = fn.environment.keySet().stream().filter(RESERVED_ENV::contains).toList();
        if (!reserved.isEmpty()) {
            throw LambdaErrors.invalidParameter("Lambda was unable to configure your environment variables because the "
                    + "environment variables you have provided contains reserved keys that are currently not supported "
                    + "for modification. Reserved keys used in this request: " + String.join(", ", reserved));
        }
        for (String key : fn.environment.keySet()) {
            if (!ENV_KEY.matcher(key).matches()) {
                new LambdaErrors.Violations().add(key, "environment.variables",
                        "Member must satisfy regular expression pattern: " + ENV_KEY.pattern()).throwIfAny();
            }
        }
        String measured = LambdaJson.MAPPER.valueToTree(fn.environment).toString();
        if (measured.getBytes(StandardCharsets.UTF_8).length > MAX_ENVIRONMENT_BYTES) {
            throw LambdaErrors.invalidParameter("Lambda was unable to configure your environment variables because the "
                    + "environment variables you have provided exceeded the 4KB limit. String measured: " + measured);
        }
    }

    private void checkRuntime(String runtime) {
        String recommended = DEPRECATED_RUNTIMES.get(runtime);
        if (recommended != null) {
            throw LambdaErrors.invalidParameter("The runtime parameter of " + runtime + " is no longer supported for "
                    + "creating or updating AWS Lambda functions. We recommend you use the new runtime (" + recommended
                    + ") while creating or updating functions.");
        }
        if (!Runtimes.isSupported(runtime)) {
            throw LambdaErrors.invalidParameter("Eddy does not run the runtime " + runtime + "; it runs "
                    + String.join(", ", Runtimes.supported()) + ".");
        }
    }

    private byte[] zipFrom(JsonNode codeNode) {
        if (codeNode.has("S3Bucket") || codeNode.has("ImageUri")) {
            throw LambdaErrors.invalidParameter("Eddy accepts deployment packages as Code.ZipFile only.");
        }
        if (!codeNode.has("ZipFile")) throw LambdaErrors.invalidParameter("Please provide a source for function code.");
        byte[] zip;
        try {
            zip = Base64.getDecoder().decode(codeNode.get("ZipFile").asText());
        } catch (IllegalArgumentException e) {
            throw new AwsException(400, "InvalidRequestContentException",
                    "Could not parse request body into json: Code.ZipFile is not valid base64");
        }
        if (zip.length > MAX_ZIP_BYTES) {
            throw new AwsException(413, "RequestTooLargeException", "Request must be smaller than 70167211 bytes for the "
                    + "CreateFunction operation");
        }
        if (!CodeCache.isValidZip(zip)) {
            throw LambdaErrors.invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
        }
        return zip;
    }

    private RestJsonResponse getFunction(RestJsonRequest request) {
        Target target = resolve(request.context().accountId(), request.context().region(), request.label("FunctionName"),
                request.query("Qualifier"));
        ObjectNode out = LambdaJson.MAPPER.createObjectNode();
        out.set("Configuration", target.version.toJson());
        ObjectNode codeLocation = out.putObject("Code");
        codeLocation.put("RepositoryType", "S3");
        codeLocation.put("Location", config.endpoint().get() + "/2015-03-31/functions/" + target.version.name
                + "/code?account=" + target.version.account + "&region=" + target.version.region + "&codeSha256="
                + HexFormat.of().formatHex(Base64.getDecoder().decode(target.version.codeSha256)));
        if (!target.record.tags.isEmpty()) {
            ObjectNode tags = out.putObject("Tags");
            target.record.tags.forEach(tags::put);
        }
        if (target.record.reservedConcurrency != null) {
            out.putObject("Concurrency").put("ReservedConcurrentExecutions", target.record.reservedConcurrency);
        }
        return RestJsonResponse.json(200, out);
    }

    /** Serves the code download URL that GetFunction hands out (the equivalent of its presigned S3 URL). */
    private RestJsonResponse downloadCode(RestJsonRequest request) {
        String account = request.query("account");
        String region = request.query("region");
        String hex = request.query("codeSha256");
        FunctionNames.Reference ref = FunctionNames.parse(request.label("FunctionName"));
        if (account == null || region == null || hex == null || ref == null) {
            throw LambdaErrors.notFound("No such code package.");
        }
        byte[] zip;
        try {
            zip = functions.code(account, region, ref.name(), Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
        } catch (IllegalArgumentException e) {
            zip = null;
        }
        if (zip == null) throw LambdaErrors.notFound("No such code package.");
        return RestJsonResponse.raw(200, "application/zip", zip);
    }

    private RestJsonResponse getFunctionConfiguration(RestJsonRequest request) {
        Target target = resolve(request.context().accountId(), request.context().region(), request.label("FunctionName"),
                request.query("Qualifier"));
        return RestJsonResponse.json(200, target.version.toJson());
    }

    private RestJsonResponse listFunctions(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        // ListFunctions answers at most 50 functions a page, whatever MaxItems asks for
        int maxItems = Math.min(maxItems(request.query("MaxItems")), MAX_FUNCTIONS_PER_PAGE);
        boolean all = "ALL".equals(request.query("FunctionVersion"));
        String after = decodeMarker(request.query("Marker"));
        List<FunctionRecord> page = functions.functions(account, region, after, maxItems + 1);
        ObjectNode out = LambdaJson.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("Functions");
        for (int i = 0; i < Math.min(maxItems, page.size()); i++) {
            FunctionRecord record = page.get(i);
            list.add(record.latest.toListedJson());
            if (all) functions.versions(account, region, record.latest.name).forEach(v -> list.add(v.toListedJson()));
        }
        if (page.size() > maxItems) out.put("NextMarker", encodeMarker(page.get(maxItems - 1).latest.name));
        return RestJsonResponse.json(200, out);
    }

    private RestJsonResponse deleteFunction(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        writes.lock();
        try {
            FunctionNames.Reference ref = reference(request.label("FunctionName"), request.query("Qualifier"), account, region);
            FunctionRecord record = functions.function(account, region, ref.name());
            if (record == null) throw LambdaErrors.functionNotFound(FunctionNames.functionArn(region, account, ref.name()));
            String qualifier = ref.qualifier();
            if (qualifier == null) {
                functions.store().write(functions.deleteAll(account, region, ref.name()));
                concurrency.setReserved(account, region, ref.name(), null, this::reservations);
                pool.retire(k -> k.sameFunction(account, region, ref.name()));
                return RestJsonResponse.empty(204);
            }
            if ("$LATEST".equals(qualifier)) {
                throw LambdaErrors.invalidParameter("$LATEST version cannot be deleted without deleting the function.");
            }
            if (!VERSION.matcher(qualifier).matches()) {
                throw LambdaErrors.invalidParameter("Deletion of aliases is not supported.");
            }
            long number = Long.parseLong(qualifier);
            FunctionVersion version = functions.version(account, region, ref.name(), number);
            if (version == null) return RestJsonResponse.empty(204);
            List<String> referencing = functions.aliases(account, region, ref.name()).stream()
                    .filter(a -> a.functionVersion.equals(qualifier) || a.additionalVersionWeights.containsKey(qualifier))
                    .map(a -> a.name).toList();
            if (!referencing.isEmpty()) {
                throw LambdaErrors.conflict("Unable to delete version because the following aliases reference it: " + referencing);
            }
            Batch batch = new Batch().delete(FunctionStore.versionKey(account, region, ref.name(), number))
                    .delete(FunctionStore.eventInvokeConfigKey(account, region, ref.name(), qualifier));
            if (!codeStillUsed(account, region, ref.name(), version.codeSha256, number)) {
                batch.delete(FunctionStore.codeKey(account, region, ref.name(), version.codeSha256));
            }
            functions.store().write(batch);
            pool.retire(k -> k.sameFunction(account, region, ref.name()) && k.version().equals(qualifier));
            return RestJsonResponse.empty(204);
        } finally {
            writes.unlock();
        }
    }

    private boolean codeStillUsed(String account, String region, String name, String sha256, long exceptVersion) {
        FunctionRecord record = functions.function(account, region, name);
        if (record != null && record.latest.codeSha256.equals(sha256)) return true;
        for (FunctionVersion v : functions.versions(account, region, name)) {
            if (!v.version.equals(Long.toString(exceptVersion)) && v.codeSha256.equals(sha256)) return true;
        }
        return false;
    }

    private RestJsonResponse updateFunctionCode(RestJsonRequest request) {
        JsonNode in = request.json();
        String account = request.context().accountId();
        String region = request.context().region();
        byte[] zip = zipFrom(in);
        writes.lock();
        try {
            FunctionRecord record = existing(account, region, request.label("FunctionName"));
            checkUpdatable(record, in);
            if (in.has("Architectures")) {
                LambdaErrors.Violations violations = new LambdaErrors.Violations();
                FunctionVersion probe = record.latest.copy();
                ObjectNode only = LambdaJson.MAPPER.createObjectNode();
                only.set("Architectures", in.get("Architectures"));
                applyConfiguration(only, probe, violations, false);
                violations.throwIfAny();
                record.latest.architectures = probe.architectures;
            }
            String oldSha = record.latest.codeSha256;
            FunctionVersion fn = record.latest;
            fn.codeSha256 = sha256(zip);
            fn.codeSize = zip.length;
            if (in.path("DryRun").asBoolean(false)) return RestJsonResponse.json(200, fn.toJson());
            markUpdating(fn);
            Batch batch = new Batch().put(FunctionStore.codeKey(account, region, fn.name, fn.codeSha256), zip);
            FunctionVersion published = null;
            if (in.path("Publish").asBoolean(false)) {
                published = publishedCopy(fn, ++record.lastPublishedVersion, fn.description);
                batch.put(FunctionStore.versionKey(account, region, fn.name, record.lastPublishedVersion),
                        FunctionStore.write(published));
            }
            if (!oldSha.equals(fn.codeSha256) && !codeStillUsedByVersions(account, region, fn.name, oldSha)) {
                batch.delete(FunctionStore.codeKey(account, region, fn.name, oldSha));
            }
            batch.put(FunctionStore.functionKey(account, region, fn.name), FunctionStore.write(record));
            functions.store().write(batch);
            pool.retire(k -> k.sameFunction(account, region, fn.name) && k.version().equals("$LATEST"));
            scheduleActivation(account, region, fn.name);
            return RestJsonResponse.json(200, (published != null ? published : fn).toJson());
        } finally {
            writes.unlock();
        }
    }

    private boolean codeStillUsedByVersions(String account, String region, String name, String sha256) {
        return functions.versions(account, region, name).stream().anyMatch(v -> v.codeSha256.equals(sha256));
    }

    private RestJsonResponse updateFunctionConfiguration(RestJsonRequest request) {
        JsonNode in = request.json();
        String account = request.context().accountId();
        String region = request.context().region();
        writes.lock();
        try {
            FunctionRecord record = existing(account, region, request.label("FunctionName"));
            checkUpdatable(record, in);
            FunctionVersion fn = record.latest;
            LambdaErrors.Violations violations = new LambdaErrors.Violations();
            applyConfiguration(in, fn, violations, false);
            violations.throwIfAny();
            if (in.has("Runtime")) checkRuntime(fn.runtime);
            checkEnvironment(fn);
            markUpdating(fn);
            functions.store().write(new Batch().put(FunctionStore.functionKey(account, region, fn.name),
                    FunctionStore.write(record)));
            pool.retire(k -> k.sameFunction(account, region, fn.name) && k.version().equals("$LATEST"));
            scheduleActivation(account, region, fn.name);
            return RestJsonResponse.json(200, fn.toJson());
        } finally {
            writes.unlock();
        }
    }

    private void checkUpdatable(FunctionRecord record, JsonNode in) {
        FunctionVersion fn = record.latest;
        if (in.has("RevisionId") && !in.get("RevisionId").asText().equals(fn.revisionId)) {
            throw LambdaErrors.preconditionFailed();
        }
        if ("Pending".equals(fn.state)) {
            throw LambdaErrors.conflict("The operation cannot be performed at this time. The function is currently in "
                    + "the following state: Pending");
        }
        if ("InProgress".equals(fn.lastUpdateStatus)) {
            throw LambdaErrors.conflict("The operation cannot be performed at this time. An update is in progress for "
                    + "resource: " + fn.unqualifiedArn());
        }
    }

    private static void markUpdating(FunctionVersion fn) {
        fn.lastModified = now();
        fn.revisionId = UUID.randomUUID().toString();
        fn.lastUpdateStatus = "InProgress";
        fn.lastUpdateStatusReason = "The function is being created.";
        fn.lastUpdateStatusReasonCode = "Creating";
    }

    /**
     * Readies the new code (unpacks it) in the background, then moves the function from Pending to
     * Active, or its last update from InProgress to Successful, as Lambda does once code is prepared;
     * then makes sure a runtime started ahead of need waits for the function's first cold start.
     */
    private void scheduleActivation(String account, String region, String name) {
        background.execute(() -> activate(account, region, name));
    }

    private void activate(String account, String region, String name) {
        FunctionRecord snapshot = functions.function(account, region, name);
        if (snapshot == null) return;
        String failure = null;
        try {
            code.unpacked(snapshot.latest.codeSha256, () -> functions.code(account, region, name, snapshot.latest.codeSha256));
        } catch (RuntimeException e) {
            failure = String.valueOf(e.getMessage());
        }
        writes.lock();
        try {
            FunctionRecord record = functions.function(account, region, name);
            if (record == null || !record.latest.revisionId.equals(snapshot.latest.revisionId)) return;
            FunctionVersion fn = record.latest;
            Batch batch = new Batch();
            if ("Pending".equals(fn.state)) {
                fn.state = failure == null ? "Active" : "Failed";
                fn.stateReason = failure;
                fn.stateReasonCode = failure == null ? null : "InternalError";
                fn.lastUpdateStatus = failure == null ? "Successful" : "Failed";
                for (FunctionVersion v : functions.versions(account, region, name)) {
                    if (!"Pending".equals(v.state)) continue;
                    v.state = fn.state;
                    v.stateReason = fn.stateReason;
                    v.stateReasonCode = fn.stateReasonCode;
                    v.lastUpdateStatus = fn.lastUpdateStatus;
                    batch.put(FunctionStore.versionKey(account, region, name, Long.parseLong(v.version)), FunctionStore.write(v));
                }
            } else if ("InProgress".equals(fn.lastUpdateStatus)) {
                fn.lastUpdateStatus = failure == null ? "Successful" : "Failed";
                fn.lastUpdateStatusReason = failure;
                fn.lastUpdateStatusReasonCode = failure == null ? null : "InternalError";
            } else {
                return;
            }
            fn.revisionId = UUID.randomUUID().toString();
            batch.put(FunctionStore.functionKey(account, region, name), FunctionStore.write(record));
            functions.store().write(batch);
        } finally {
            writes.unlock();
        }
        if (failure == null) runtimes.prepare(snapshot.latest.runtime, snapshot.latest.environment);
    }

    /** After a restart, finishes activations that were under way when Eddy stopped. */
    private void resumeActivations() {
        background.execute(() -> {
            try (var cursor = functions.store().scanPrefix(io.eddy.store.Keys.of().text("lambda").build())) {
                List<String[]> pending = new ArrayList<>();
                while (cursor.next()) {
                    String[] parts = new String(cursor.key(), StandardCharsets.UTF_8).split("\u0000");
                    if (parts.length != 5 || !parts[3].equals("f")) continue;
                    FunctionRecord record = LambdaJson.MAPPER.readValue(cursor.value(), FunctionRecord.class);
                    if ("Pending".equals(record.latest.state) || "InProgress".equals(record.latest.lastUpdateStatus)) {
                        pending.add(new String[] {record.latest.account, record.latest.region, record.latest.name});
                    }
                }
                pending.forEach(p -> activate(p[0], p[1], p[2]));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---------------------------------------------------------------- versions

    private static FunctionVersion publishedCopy(FunctionVersion latest, long number, String description) {
        FunctionVersion v = latest.copy();
        v.version = Long.toString(number);
        v.description = description;
        v.revisionId = UUID.randomUUID().toString();
        v.lastModified = now();
        v.lastUpdateStatusReason = null;
        v.lastUpdateStatusReasonCode = null;
        if ("InProgress".equals(v.lastUpdateStatus)) v.lastUpdateStatus = "Successful";
        return v;
    }

    private RestJsonResponse publishVersion(RestJsonRequest request) {
        JsonNode in = request.json();
        String account = request.context().accountId();
        String region = request.context().region();
        writes.lock();
        try {
            FunctionRecord record = existing(account, region, request.label("FunctionName"));
            FunctionVersion latest = record.latest;
            if (in.has("RevisionId") && !in.get("RevisionId").asText().equals(latest.revisionId)) {
                throw LambdaErrors.preconditionFailed();
            }
            if (in.has("CodeSha256") && !in.get("CodeSha256").asText().equals(latest.codeSha256)) {
                throw LambdaErrors.invalidParameter("CodeSHA256 (" + in.get("CodeSha256").asText() + ") is different "
                        + "from current CodeSHA256 in $LATEST (" + latest.codeSha256 + "). Please try again");
            }
            if ("InProgress".equals(latest.lastUpdateStatus) || "Pending".equals(latest.state)) {
                throw LambdaErrors.conflict("The operation cannot be performed at this time. An update is in progress for "
                        + "resource: " + latest.unqualifiedArn());
            }
            if (record.lastPublishedVersion > 0) {
                FunctionVersion last = functions.version(account, region, latest.name, record.lastPublishedVersion);
                if (last != null && sameDeployment(last, latest)) return RestJsonResponse.json(201, last.toJson());
            }
            String description = in.has("Description") ? in.get("Description").asText() : latest.description;
            FunctionVersion published = publishedCopy(latest, ++record.lastPublishedVersion, description);
            functions.store().write(new Batch()
                    .put(FunctionStore.versionKey(account, region, latest.name, record.lastPublishedVersion),
                            FunctionStore.write(published))
                    .put(FunctionStore.functionKey(account, region, latest.name), FunctionStore.write(record)));
            return RestJsonResponse.json(201, published.toJson());
        } finally {
            writes.unlock();
        }
    }

    /** Whether publishing {@code latest} would give nothing new over {@code published}. */
    private static boolean sameDeployment(FunctionVersion published, FunctionVersion latest) {
        FunctionVersion a = published.copy();
        FunctionVersion b = latest.copy();
        for (FunctionVersion v : List.of(a, b)) {
            v.version = null;
            v.revisionId = null;
            v.lastModified = null;
            v.description = null;
            v.state = null;
            v.stateReason = null;
            v.stateReasonCode = null;
            v.lastUpdateStatus = null;
            v.lastUpdateStatusReason = null;
            v.lastUpdateStatusReasonCode = null;
        }
        return LambdaJson.MAPPER.valueToTree(a).equals(LambdaJson.MAPPER.valueToTree(b));
    }

    private RestJsonResponse listVersionsByFunction(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        FunctionRecord record = existing(account, region, request.label("FunctionName"));
        List<FunctionVersion> all = new ArrayList<>();
        all.add(record.latest);
        all.addAll(functions.versions(account, region, record.latest.name));
        ObjectNode out = LambdaJson.MAPPER.createObjectNode();
        page(all, request, v -> v.version, out.putArray("Versions"), FunctionVersion::toJson, out);
        return RestJsonResponse.json(200, out);
    }

    private <T> void page(List<T> items, RestJsonRequest request, java.util.function.Function<T, String> id, ArrayNode into,
                          java.util.function.Function<T, ObjectNode> render, ObjectNode out) {
        int maxItems = maxItems(request.query("MaxItems"));
        String after = decodeMarker(request.query("Marker"));
        int start = 0;
        if (after != null) {
            for (int i = 0; i < items.size(); i++) {
                if (id.apply(items.get(i)).equals(after)) {
                    start = i + 1;
                    break;
                }
            }
        }
        int end = Math.min(items.size(), start + maxItems);
        for (int i = start; i < end; i++) into.add(render.apply(items.get(i)));
        if (end < items.size()) out.put("NextMarker", encodeMarker(id.apply(items.get(end - 1))));
    }

    private static int maxItems(String text) {
        if (text == null) return 50;
        try {
            int n = Integer.parseInt(text);
            if (n < 1 || n > 10000) {
                new LambdaErrors.Violations().add(n, "maxItems", n < 1 ? "Member must have value greater than or equal to 1"
                        : "Member must have value less than or equal to 10000").throwIfAny();
            }
            return n;
        } catch (NumberFormatException e) {
            throw LambdaErrors.invalidParameter("MaxItems must be a number.");
        }
    }

    private static String encodeMarker(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeMarker(String marker) {
        if (marker == null || marker.isEmpty()) return null;
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LambdaErrors.invalidParameter("Invalid marker: " + marker);
        }
    }

    // ---------------------------------------------------------------- aliases

    private RestJsonResponse createAlias(RestJsonRequest request) {
        JsonNode in = request.json();
        String account = request.context().accountId();
        String region = request.context().region();
        String name = text(in, "Name");
        String version = text(in, "FunctionVersion");
        LambdaErrors.Violations violations = new LambdaErrors.Violations();
        if (name == null) violations.add(null, "name", "Member must not be null");
        else if (!ALIAS_NAME.matcher(name).matches() || name.length() > 128) {
            violations.add(name, "name", "Member must satisfy regular expression pattern: " + ALIAS_NAME.pattern());
        }
        if (version == null) violations.add(null, "functionVersion", "Member must not be null");
        violations.throwIfAny();
        writes.lock();
        try {
            FunctionRecord record = existing(account, region, request.label("FunctionName"));
            String fn = record.latest.name;
            checkVersionExists(account, region, record, version);
            FunctionAlias alias = new FunctionAlias();
            alias.account = account;
            alias.region = region;
            alias.functionName = fn;
            alias.name = name;
            if (functions.alias(account, region, fn, name) != null) {
                throw LambdaErrors.conflict("Alias already exists: " + alias.arn());
            }
            alias.functionVersion = version;
            alias.description = in.path("Description").asText("");
            alias.additionalVersionWeights = weights(account, region, record, version, in.path("RoutingConfig"));
            requirePublishedVersionsForRouting(alias);
            alias.revisionId = UUID.randomUUID().toString();
            functions.store().write(new Batch().put(FunctionStore.aliasKey(account, region, fn, name), FunctionStore.write(alias)));
            return RestJsonResponse.json(201, alias.toJson());
        } finally {
            writes.unlock();
        }
    }

    private void checkVersionExists(String account, String region, FunctionRecord record, String version) {
        if ("$LATEST".equals(version)) return;
        if (!VERSION.matcher(version).matches()
                || functions.version(account, region, record.latest.name, Long.parseLong(version)) == null) {
            throw LambdaErrors.functionNotFound(record.latest.unqualifiedArn() + ":" + version);
        }
    }

    private Map<String, Double> weights(String account, String region, FunctionRecord record, String primary, JsonNode routing) {
        Map<String, Double> weights = new LinkedHashMap<>();
        JsonNode additional = routing.path("AdditionalVersionWeights");
        Iterator<Map.Entry<String, JsonNode>> it = additional.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            double weight = e.getValue().asDouble();
            if (weight < 0 || weight > 1) {
                new LambdaErrors.Violations().add(weight, "routingConfig.additionalVersionWeights",
                        "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, "
                                + "Member must have value greater than or equal to 0.0]").throwIfAny();
            }
            if (e.getKey().equals(primary)) {
                throw LambdaErrors.invalidParameter("Invalid function version " + primary + ". Function version " + primary
                        + " is already included in routing configuration.");
            }
            checkVersionExists(account, region, record, e.getKey());
            weights.put(e.getKey(), weight);
        }
        return weights;
    }

    /** Traffic can be split between published versions only: $LATEST may change under the alias. */
    private static void requirePublishedVersionsForRouting(FunctionAlias alias) {
        boolean split = alias.additionalVersionWeights != null && !alias.additionalVersionWeights.isEmpty();
        if (split && ("$LATEST".equals(alias.functionVersion) || alias.additionalVersionWeights.containsKey("$LATEST"))) {
            throw LambdaErrors.invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version");
        }
    }

    private FunctionAlias existingAlias(String account, String region, FunctionRecord record, String name) {
        FunctionAlias alias = functions.alias(account, region, record.latest.name, name);
        if (alias == null) throw LambdaErrors.notFound("Alias not found: " + record.latest.unqualifiedArn() + ":" + name);
        return alias;
    }

    private RestJsonResponse getAlias(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        FunctionRecord record = existing(account, region, request.label("FunctionName"));
        return RestJsonResponse.json(200, existingAlias(account, region, record, request.label("Name")).toJson());
    }

    private RestJsonResponse updateAlias(RestJsonRequest request) {
        JsonNode in = request.json();
        String account = request.context().accountId();
        String region = request.context().region();
        writes.lock();
        try {
            FunctionRecord record = existing(account, region, request.label("FunctionName"));
            FunctionAlias alias = existingAlias(account, region, record, request.label("Name"));
            if (in.has("RevisionId") && !in.get("RevisionId").asText().equals(alias.revisionId)) {
                throw LambdaErrors.preconditionFailed();
            }
            if (in.has("FunctionVersion")) {
                checkVersionExists(account, region, record, in.get("FunctionVersion").asText());
                alias.functionVersion = in.get("FunctionVersion").asText();
            }
            if (in.has("Description")) alias.description = in.get("Description").asText();
            if (in.has("RoutingConfig")) {
                alias.additionalVersionWeights = weights(account, region, record, alias.functionVersion, in.get("RoutingConfig"));
            }
            requirePublishedVersionsForRouting(alias);
            alias.revisionId = UUID.randomUUID().toString();
            functions.store().write(new Batch().put(FunctionStore.aliasKey(account, region, alias.functionName, alias.name),
                    FunctionStore.write(alias)));
            return RestJsonResponse.json(200, alias.toJson());
        } finally {
            writes.unlock();
        }
    }

    private RestJsonResponse deleteAlias(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        writes.lock();
        try {
            FunctionRecord record = existing(account, region, request.label("FunctionName"));
            functions.store().write(new Batch().delete(FunctionStore.aliasKey(account, region, record.latest.name,
                    request.label("Name"))).delete(FunctionStore.eventInvokeConfigKey(account, region, record.latest.name,
                    request.label("Name"))));
            return RestJsonResponse.empty(204);
        } finally {
            writes.unlock();
        }
    }

    private RestJsonResponse listAliases(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        FunctionRecord record = existing(account, region, request.label("FunctionName"));
        String version = request.query("FunctionVersion");
        List<FunctionAlias> aliases = functions.aliases(account, region, record.latest.name).stream()
                .filter(a -> version == null || a.functionVersion.equals(version)).toList();
        ObjectNode out = LambdaJson.MAPPER.createObjectNode();
        page(aliases, request, a -> a.name, out.putArray("Aliases"), FunctionAlias::toJson, out);
        return RestJsonResponse.json(200, out);
    }

    // ---------------------------------------------------------------- concurrency

    private Map<String, Integer> reservations(String accountRegion) {
        String[] parts = accountRegion.split("/", 2);
        Map<String, Integer> reserved = new HashMap<>();
        for (FunctionRecord r : functions.functions(parts[0], parts[1], null, Integer.MAX_VALUE)) {
            if (r.reservedConcurrency != null) reserved.put(r.latest.name, r.reservedConcurrency);
        }
        return reserved;
    }

    private RestJsonResponse putFunctionConcurrency(RestJsonRequest request) {
        JsonNode in = request.json();
        String account = request.context().accountId();
        String region = request.context().region();
        JsonNode value = in.get("ReservedConcurrentExecutions");
        if (value == null || value.isNull()) {
            new LambdaErrors.Violations().add(null, "reservedConcurrentExecutions", "Member must not be null").throwIfAny();
        }
        int reserved = value.asInt();
        if (reserved < 0) {
            new LambdaErrors.Violations().add(reserved, "reservedConcurrentExecutions",
                    "Member must have value greater than or equal to 0").throwIfAny();
        }
        writes.lock();
        try {
            FunctionRecord record = existing(account, region, request.label("FunctionName"));
            if (reserved > concurrency.reservable(account, region, record.latest.name, this::reservations)) {
                throw LambdaErrors.invalidParameter("Specified ReservedConcurrentExecutions for function decreases account's "
                        + "UnreservedConcurrentExecution below its minimum value of [" + ConcurrencyLimits.MINIMUM_UNRESERVED + "].");
            }
            record.reservedConcurrency = reserved;
            functions.store().write(new Batch().put(FunctionStore.functionKey(account, region, record.latest.name),
                    FunctionStore.write(record)));
            concurrency.setReserved(account, region, record.latest.name, reserved, this::reservations);
            ObjectNode out = LambdaJson.MAPPER.createObjectNode();
            out.put("ReservedConcurrentExecutions", reserved);
            return RestJsonResponse.json(200, out);
        } finally {
            writes.unlock();
        }
    }

    private RestJsonResponse getFunctionConcurrency(RestJsonRequest request) {
        FunctionRecord record = existing(request.context().accountId(), request.context().region(), request.label("FunctionName"));
        ObjectNode out = LambdaJson.MAPPER.createObjectNode();
        if (record.reservedConcurrency != null) out.put("ReservedConcurrentExecutions", record.reservedConcurrency);
        return RestJsonResponse.json(200, out);
    }

    private RestJsonResponse deleteFunctionConcurrency(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        writes.lock();
        try {
            FunctionRecord record = existing(account, region, request.label("FunctionName"));
            record.reservedConcurrency = null;
            functions.store().write(new Batch().put(FunctionStore.functionKey(account, region, record.latest.name),
                    FunctionStore.write(record)));
            concurrency.setReserved(account, region, record.latest.name, null, this::reservations);
            return RestJsonResponse.empty(204);
        } finally {
            writes.unlock();
        }
    }

    private RestJsonResponse getAccountSettings(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        List<FunctionRecord> all = functions.functions(account, region, null, Integer.MAX_VALUE);
        long totalCode = 0;
        for (FunctionRecord r : all) {
            totalCode += r.latest.codeSize;
            for (FunctionVersion v : functions.versions(account, region, r.latest.name)) totalCode += v.codeSize;
        }
        ObjectNode out = LambdaJson.MAPPER.createObjectNode();
        ObjectNode limit = out.putObject("AccountLimit");
        limit.put("TotalCodeSize", 80530636800L);
        limit.put("CodeSizeUnzipped", 262144000L);
        limit.put("CodeSizeZipped", 52428800L);
        limit.put("ConcurrentExecutions", concurrency.accountLimit());
        limit.put("UnreservedConcurrentExecutions", concurrency.unreserved(account, region, this::reservations));
        ObjectNode usage = out.putObject("AccountUsage");
        usage.put("TotalCodeSize", totalCode);
        usage.put("FunctionCount", all.size());
        return RestJsonResponse.json(200, out);
    }

    // ---------------------------------------------------------------- tags

    private FunctionRecord taggable(String account, String region, String arn) {
        FunctionNames.Reference ref = FunctionNames.parse(arn);
        if (ref == null || !arn.startsWith("arn:")) {
            throw LambdaErrors.invalidParameter("Invalid ARN: " + arn);
        }
        if (ref.qualifier() != null) {
            throw LambdaErrors.invalidParameter("Tags are not supported on function versions or aliases: " + arn);
        }
        FunctionRecord record = functions.function(account, region, ref.name());
        if (record == null || ref.account() != null && !ref.account().equals(account)) {
            throw LambdaErrors.functionNotFound(arn);
        }
        return record;
    }

    private RestJsonResponse tagResource(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        Map<String, String> tags = tags(request.json().path("Tags"));
        writes.lock();
        try {
            FunctionRecord record = taggable(account, region, request.label("Resource"));
            record.tags.putAll(tags);
            if (record.tags.size() > 50) {
                throw LambdaErrors.invalidParameter("Number of tags exceeds resource tag limit.");
            }
            functions.store().write(new Batch().put(FunctionStore.functionKey(account, region, record.latest.name),
                    FunctionStore.write(record)));
            return RestJsonResponse.empty(204);
        } finally {
            writes.unlock();
        }
    }

    private RestJsonResponse untagResource(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        List<String> keys = request.http().queryParameters().getOrDefault("tagKeys", List.of());
        writes.lock();
        try {
            FunctionRecord record = taggable(account, region, request.label("Resource"));
            keys.forEach(record.tags::remove);
            functions.store().write(new Batch().put(FunctionStore.functionKey(account, region, record.latest.name),
                    FunctionStore.write(record)));
            return RestJsonResponse.empty(204);
        } finally {
            writes.unlock();
        }
    }

    private RestJsonResponse listTags(RestJsonRequest request) {
        FunctionRecord record = taggable(request.context().accountId(), request.context().region(), request.label("Resource"));
        ObjectNode out = LambdaJson.MAPPER.createObjectNode();
        ObjectNode tags = out.putObject("Tags");
        record.tags.forEach(tags::put);
        return RestJsonResponse.json(200, out);
    }

    private static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        return tags;
    }

    // ---------------------------------------------------------------- invoke

    private RestJsonResponse invokeOperation(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        String type = request.header("X-Amz-Invocation-Type");
        if (type == null) type = "RequestResponse";
        if (!List.of("RequestResponse", "Event", "DryRun").contains(type)) {
            new LambdaErrors.Violations().add(type, "invocationType",
                    "Member must satisfy enum value set: [Event, RequestResponse, DryRun]").throwIfAny();
        }
        String logType = request.header("X-Amz-Log-Type");
        if (logType != null && !logType.equals("None") && !logType.equals("Tail")) {
            new LambdaErrors.Violations().add(logType, "logType", "Member must satisfy enum value set: [None, Tail]").throwIfAny();
        }
        byte[] payload = request.body();
        int limit = type.equals("Event") ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
        if (payload.length > limit) {
            throw new AwsException(413, "RequestTooLargeException", "Request must be smaller than " + limit
                    + " bytes for the InvokeFunction operation");
        }
        if (payload.length == 0) payload = "{}".getBytes(StandardCharsets.UTF_8);
        checkJson(payload);
        Target target = resolveForInvoke(account, region, request.label("FunctionName"), request.query("Qualifier"));
        switch (type) {
            case "DryRun":
                return RestJsonResponse.empty(204);
            case "Event": {
                async.accept(target, request.context().requestId(), payload);
                return RestJsonResponse.empty(202);
            }
            default: {
                String clientContext = request.header("X-Amz-Client-Context");
                InvocationResult result = run(target, request.context().requestId(), payload,
                        decodeClientContext(clientContext));
                RestJsonResponse response = RestJsonResponse.raw(200, "application/json", result.payload())
                        .header("X-Amz-Executed-Version", result.executedVersion())
                        .header("X-Amz-Function-Error", result.functionError());
                if ("Tail".equals(logType)) {
                    response.header("X-Amz-Log-Result", Base64.getEncoder().encodeToString(Invoker.tail(result.log())));
                }
                return response;
            }
        }
    }

    private static String decodeClientContext(String base64) {
        if (base64 == null) return null;
        try {
            byte[] decoded = Base64.getDecoder().decode(base64);
            if (!LambdaJson.MAPPER.readTree(decoded).isObject()) throw new IllegalArgumentException("not an object");
            return new String(decoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | IOException e) {
            throw LambdaErrors.invalidParameter("Client context must be a valid Base64-encoded JSON object.");
        }
    }

    private static void checkJson(byte[] payload) {
        try (JsonParser parser = LambdaJson.MAPPER.createParser(payload)) {
            if (parser.nextToken() == null) throw new IOException("No content to map due to end-of-input");
            parser.skipChildren();
            if (parser.nextToken() != null) throw new IOException("Unexpected content after the JSON value");
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new AwsException(400, "InvalidRequestContentException",
                    "Could not parse request body into json: Could not parse payload into json: " + message);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /**
     * Runs one event on {@code target} within its concurrency limits and publishes the invocation's
     * metrics. Throws 429 {@code TooManyRequestsException} (counted as Throttles) when no
     * concurrency is free.
     */
    InvocationResult run(Target target, String requestId, byte[] payload, String clientContext) {
        FunctionVersion fn = target.version;
        long started = System.currentTimeMillis();
        LambdaMetrics.Target measured = new LambdaMetrics.Target(fn.account, fn.region, fn.name, target.qualifier,
                fn.version);
        ConcurrencyLimits.Permit permit;
        try {
            permit = concurrency.acquire(fn.account, fn.region, fn.name, target.qualifier, this::reservations);
        } catch (AwsException e) {
            metrics.count(measured, "Throttles", started);
            throw e;
        }
        try (permit) {
            metrics.concurrency(measured, started, permit.functionExecutions(), permit.resourceExecutions(),
                    permit.accountExecutions(), permit.unreservedExecutions());
            Path taskRoot = code.unpacked(fn.codeSha256, () -> functions.code(fn.account, fn.region, fn.name, fn.codeSha256));
            InvocationResult result = invoker.invoke(fn, taskRoot, requestId, target.invokedArn, payload, clientContext);
            metrics.invocation(measured, started, result.durationMillis(), result.failed());
            return result;
        }
    }

    /** Waits until an execution of the account ends or {@code millis} pass (asynchronous events retrying a throttle). */
    void awaitConcurrency(String account, String region, long millis) throws InterruptedException {
        concurrency.awaitRelease(account, region, millis, this::reservations);
    }

    // ---------------------------------------------------------------- resolution

    /**
     * A function, the version a request addresses, the ARN it was invoked as, and the qualifier it
     * was invoked with (null when unqualified).
     */
    record Target(FunctionRecord record, FunctionVersion version, String invokedArn, String qualifier) {
    }

    private static FunctionNames.Reference reference(String functionName, String qualifier, String account, String region) {
        FunctionNames.Reference ref = FunctionNames.parse(functionName);
        if (ref == null) {
            new LambdaErrors.Violations().add(functionName, "functionName",
                    "Member must satisfy regular expression pattern: " + FunctionNames.NAME_PATTERN).throwIfAny();
        }
        if (qualifier != null && ref.qualifier() != null && !qualifier.equals(ref.qualifier())) {
            throw LambdaErrors.invalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
        }
        if (ref.account() != null && !ref.account().equals(account) || ref.region() != null && !ref.region().equals(region)) {
            throw LambdaErrors.functionNotFound(functionName);
        }
        String q = qualifier != null ? qualifier : ref.qualifier();
        return new FunctionNames.Reference(region, account, ref.name(), q);
    }

    private FunctionRecord existing(String account, String region, String functionName) {
        FunctionNames.Reference ref = reference(functionName, null, account, region);
        FunctionRecord record = functions.function(account, region, ref.name());
        if (record == null) throw LambdaErrors.functionNotFound(FunctionNames.functionArn(region, account, ref.name()));
        return record;
    }

    Target resolve(String account, String region, String functionName, String qualifier) {
        return resolve(account, region, functionName, qualifier, false);
    }

    /** {@code toInvoke}: the caller only reads the target, so the function record may be a shared parsed copy. */
    private Target resolve(String account, String region, String functionName, String qualifier, boolean toInvoke) {
        FunctionNames.Reference ref = reference(functionName, qualifier, account, region);
        String unqualified = FunctionNames.functionArn(region, account, ref.name());
        FunctionRecord record = toInvoke ? functions.functionToInvoke(account, region, ref.name())
                : functions.function(account, region, ref.name());
        if (record == null) {
            throw LambdaErrors.functionNotFound(ref.qualifier() == null ? unqualified : unqualified + ":" + ref.qualifier());
        }
        String q = ref.qualifier();
        if (q == null || q.equals("$LATEST")) {
            return new Target(record, record.latest, q == null ? unqualified : unqualified + ":$LATEST", q);
        }
        if (VERSION.matcher(q).matches()) {
            FunctionVersion v = functions.version(account, region, ref.name(), Long.parseLong(q));
            if (v == null) throw LambdaErrors.functionNotFound(unqualified + ":" + q);
            return new Target(record, v, unqualified + ":" + q, q);
        }
        FunctionAlias alias = functions.alias(account, region, ref.name(), q);
        if (alias == null) throw LambdaErrors.functionNotFound(unqualified + ":" + q);
        String version = pickVersion(alias);
        FunctionVersion v = version.equals("$LATEST") ? record.latest
                : functions.version(account, region, ref.name(), Long.parseLong(version));
        if (v == null) throw LambdaErrors.functionNotFound(unqualified + ":" + version);
        return new Target(record, v, unqualified + ":" + q, q);
    }

    private static String pickVersion(FunctionAlias alias) {
        double roll = ThreadLocalRandom.current().nextDouble();
        for (Map.Entry<String, Double> e : alias.additionalVersionWeights.entrySet()) {
            if (roll < e.getValue()) return e.getKey();
            roll -= e.getValue();
        }
        return alias.functionVersion;
    }

    /** Resolves for an invocation, waiting out the short Pending phase of a function just created. */
    Target resolveForInvoke(String account, String region, String functionName, String qualifier) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Target target = resolve(account, region, functionName, qualifier, true);
            String state = target.version.state;
            if ("Active".equals(state)) return target;
            if ("Failed".equals(state)) {
                throw LambdaErrors.conflict("The operation cannot be performed at this time. The function is currently "
                        + "in the following state: Failed");
            }
            if (System.nanoTime() > giveUp) {
                throw LambdaErrors.conflict("The operation cannot be performed at this time. The function is currently "
                        + "in the following state: " + state);
            }
            sleep(5);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String text(JsonNode in, String field) {
        JsonNode n = in.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(LAST_MODIFIED);
    }

    static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asynchronous invocations accepted and not finished, and logs and metrics not yet written. */
    @Override
    public java.util.Collection<Drainable> activities() {
        return List.of(async, logs, metrics);
    }

    @Override
    public void close() {
        async.close();
        background.shutdownNow();
        pool.close();
        runtimes.close();
        logs.close();
        metrics.close();
    }

    /** Deletes a work directory made for an in-memory Eddy. */
    public static void deleteWorkDir(Path dir) {
        try {
            CodeCache.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
