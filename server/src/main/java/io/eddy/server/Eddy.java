package io.eddy.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.eddy.cloudwatch.CloudWatchQueryApi;
import io.eddy.cloudwatch.CloudWatchService;
import io.eddy.dynamodb.DynamoDbService;
import io.eddy.dynamodb.streams.StreamsService;
import io.eddy.dynamodb.streams.StreamsSettings;
import io.eddy.gateway.Endpoint;
import io.eddy.gateway.HttpGateway;
import io.eddy.gateway.RequestLog;
import io.eddy.gateway.Router;
import io.eddy.lambda.LambdaConfig;
import io.eddy.lambda.LambdaService;
import io.eddy.lambda.TopicPublisher;
import io.eddy.lambda.esm.EventSourceMappings;
import io.eddy.lambda.esm.EventSourceMappingsApi;
import io.eddy.lambda.esm.adapters.DynamoDbStreams;
import io.eddy.lambda.esm.adapters.EddyDestinations;
import io.eddy.lambda.esm.adapters.LambdaFunctions;
import io.eddy.lambda.esm.adapters.SqsQueues;
import io.eddy.logs.LogsService;
import io.eddy.protocol.json.AwsJsonEndpoint;
import io.eddy.protocol.query.QueryEndpoint;
import io.eddy.protocol.rpcv2cbor.RpcV2CborEndpoint;
import io.eddy.sns.SnsService;
import io.eddy.sqs.SqsJsonProtocol;
import io.eddy.sqs.SqsService;
import io.eddy.store.BackgroundWork;
import io.eddy.store.Drainable;
import io.eddy.store.RocksStore;
import io.eddy.store.Store;

/**
 * One running Eddy: a store, the services on it, and the HTTP gateway in front. Instances share
 * nothing, so several can run in one JVM (tests do).
 */
public final class Eddy implements AutoCloseable {

    private final EddyConfig config;
    private final Store store;
    private final long startedAtMillis;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, String> serviceStates = new LinkedHashMap<>();
    private final List<BackgroundWork> backgroundWork = new ArrayList<>();
    private final HttpGateway gateway;
    private final LogsService logs;
    private final CloudWatchService cloudWatch;
    private final LambdaService lambda;
    private final StreamsService dynamoDbStreams;
    private final SnsService sns;

    private Eddy(EddyConfig config, Clock clock) {
        this.config = config;
        this.startedAtMillis = System.currentTimeMillis();
        Router router = new Router();
        RequestLog log = config.logRequests() ? new ConsoleRequestLog(System.out) : RequestLog.NONE;
        // Netty's setup is a good part of startup and needs none of the services: it runs beside them.
        CompletableFuture<HttpGateway> binding = onOwnThread("eddy-bind",
                () -> HttpGateway.bind(config.host(), config.port(), router, log, config.maxBodyBytes()));
        // Loading RocksDB's native library and opening the store runs beside Jackson's first initialisation,
        // which the admin endpoint's mapper triggers here: each is about 100 ms of a cold start.
        CompletableFuture<Store> opening = onOwnThread("eddy-store-open", () -> config.memoryOnly()
                ? RocksStore.inMemory() : RocksStore.open(config.dataDir(), config.syncWrites()));
        AdminEndpoint admin = new AdminEndpoint(this);
        try {
            this.store = opening.join();
        } catch (CompletionException e) {
            binding.thenAccept(HttpGateway::close);
            if (e.getCause() instanceof Error error) throw error;
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        try {
            router.overridingPath("/_eddy/", admin);
            this.dynamoDbStreams = registerDynamoDbStreams(router, clock, registerDynamoDb(router, clock));
            SqsService sqs = own(new SqsService(store));
            registerSqs(router, sqs);
            this.logs = registerLogs(router, clock);
            this.cloudWatch = registerCloudWatch(router, clock);
            TopicPublisher topics = new LambdaToSns(this::sns);
            this.lambda = registerLambda(router, clock, sqs, topics);
            EventSourceMappings mappings = registerEventSourceMappings(router, clock, sqs, topics);
            // registered last so it closes first: its deliveries call SQS and Lambda
            this.sns = registerSns(router, own(new SnsService(store, new SqsQueueSender(sqs))));
            if (log instanceof ConsoleRequestLog console) own(console);
            this.gateway = binding.join();
            gateway.open();
            // mappings and queued asynchronous invocations run functions that call back into Eddy, so they
            // resume once it serves requests
            mappings.start();
            lambda.start();
        } catch (RuntimeException e) {
            binding.thenAccept(HttpGateway::close);
            closeQuietly();
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Runs one step of startup on a platform thread of its own, beside the rest. */
    private static <T> CompletableFuture<T> onOwnThread(String name, java.util.function.Supplier<T> step) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name(name).start(() -> {
            try {
                result.complete(step.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private DynamoDbService registerDynamoDb(Router router, Clock clock) {
        DynamoDbService dynamodb = own(new DynamoDbService(store, clock, config.ttlSweepInterval()));
        router.target("DynamoDB_20120810", new AwsJsonEndpoint(dynamodb, "1.0",
                "com.amazon.coral.service#SerializationException", "com.amazon.coral.service#UnknownOperationException",
                true));
        serviceStates.put("dynamodb", "running");
        return dynamodb;
    }

    /** Streams see every table change and item write of DynamoDB inside the batch that commits it. */
    private StreamsService registerDynamoDbStreams(Router router, Clock clock, DynamoDbService dynamodb) {
        StreamsService streams = own(new StreamsService(store, clock,
                StreamsSettings.defaults().withShardRotation(config.streamShardRotation()), dynamodb::table)).start();
        dynamodb.addTableChangeListener(streams.tableChangeListener());
        dynamodb.addItemChangeListener(streams.itemChangeListener());
        router.target("DynamoDBStreams_20120810", new AwsJsonEndpoint(streams, "1.0",
                "com.amazon.coral.service#SerializationException", "com.amazon.coral.service#UnknownOperationException",
                true));
        serviceStates.put("dynamodbstreams", "running");
        return streams;
    }

    private LogsService registerLogs(Router router, Clock clock) {
        LogsService logs = new LogsService(store, clock);
        router.target(LogsService.TARGET_PREFIX, new AwsJsonEndpoint(logs, "1.1", "SerializationException",
                "UnknownOperationException", false));
        serviceStates.put("logs", "running");
        return logs;
    }

    /** CloudWatch speaks JSON 1.0, Smithy RPC v2 CBOR (the Java SDK) and Query (older clients). */
    private CloudWatchService registerCloudWatch(Router router, Clock clock) {
        CloudWatchService cloudWatch = new CloudWatchService(store, clock);
        router.target(CloudWatchService.TARGET_PREFIX, new AwsJsonEndpoint(cloudWatch, "1.0", "SerializationException",
                "UnknownOperationException", false));
        RpcV2CborEndpoint cbor = new RpcV2CborEndpoint(cloudWatch, CloudWatchService.SERVICE_NAME,
                "SerializationException", "UnknownOperationException");
        QueryEndpoint query = new QueryEndpoint(CloudWatchQueryApi.create(), cloudWatch::invoke);
        // CBOR and Query requests are both signed for "monitoring"; the CBOR ones name a path
        router.scopeService("monitoring", request -> RpcV2CborEndpoint.isRpcV2CborPath(request.path())
                ? cbor.handle(request) : query.handle(request));
        router.path("/service/" + CloudWatchService.SERVICE_NAME + "/", cbor);
        serviceStates.put("cloudwatch", "running");
        return cloudWatch;
    }

    /**
     * Lambda logs to CloudWatch Logs, publishes metrics to CloudWatch, and sends asynchronous
     * invocation records and dead letters to SQS and SNS (registered after it, hence looked up late).
     */
    private LambdaService registerLambda(Router router, Clock clock, SqsService sqs, TopicPublisher topics) {
        LambdaService lambda = own(new LambdaService(store, new LambdaConfig(lambdaWorkDir(config), this::endpoint,
                1000, Duration.ofMinutes(10), config.lambdaAsyncRetryDelay(), clock), logs, cloudWatch, sqs, topics));
        Endpoint api = lambda.endpoint();
        router.scopeService("lambda", api);
        LambdaService.PATH_PREFIXES.forEach(prefix -> router.path(prefix, api));
        serviceStates.put("lambda", "running");
        return lambda;
    }

    /**
     * Event source mappings read DynamoDB Streams and SQS queues, invoke functions, and send stream
     * records they give up on to SQS or SNS as Lambda's own destinations do. Their routes are part of
     * Lambda's REST API, so they are matched before Lambda's own; so are the tag operations, which
     * take a mapping's ARN as well as a function's.
     */
    private EventSourceMappings registerEventSourceMappings(Router router, Clock clock, SqsService sqs,
                                                            TopicPublisher topics) {
        EventSourceMappings mappings = own(new EventSourceMappings(store, new LambdaFunctions(lambda),
                new DynamoDbStreams(dynamoDbStreams), new SqsQueues(sqs), new EddyDestinations(sqs, topics),
                (account, region, name, dimensions, value, unit) -> lambda.metrics().value(account, region, name,
                        dimensions, unit, clock.millis(), value),
                clock));
        router.overridingPath(EventSourceMappingsApi.PATH_PREFIX, EventSourceMappingsApi.endpoint(mappings));
        router.overridingPath(EventSourceMappingsApi.TAGS_PATH_PREFIX,
                EventSourceMappingsApi.tagsEndpoint(mappings, lambda.endpoint()));
        return mappings;
    }

    /** Unpacked function code lives beside the data, or in a temporary directory removed on close. */
    private Path lambdaWorkDir(EddyConfig config) {
        try {
            if (!config.memoryOnly()) return Files.createDirectories(config.dataDir().resolve("lambda"));
            Path temp = Files.createTempDirectory("eddy-lambda-");
            closeables.add(() -> LambdaService.deleteWorkDir(temp));
            return temp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SQS answers AWS JSON 1.0 (current SDKs) and the Query protocol (older SDKs and CLIs), which
     * arrives signed for {@code sqs} or, unsigned, posted to a queue URL.
     */
    private void registerSqs(Router router, SqsService sqs) {
        QueryEndpoint query = new QueryEndpoint(SqsService.queryApi(), sqs,
                (request, input) -> SqsService.queueUrlFromPath(request.context().host(), request.path(), input));
        router.target(SqsService.TARGET_PREFIX, new AwsJsonEndpoint(new SqsJsonProtocol(sqs), "1.0",
                        "com.amazon.coral.service#SerializationException",
                        "com.amazon.coral.service#UnknownOperationException", false))
                .scopeService(SqsService.SIGNING_NAME, query)
                .pathMatching(SqsService::isQueuePath, query);
        serviceStates.put("sqs", "running");
    }

    /**
     * SNS speaks the Query protocol, signed for {@code sns}; the SubscribeURL and UnsubscribeURL links
     * in its messages come back unsigned to {@code /}.
     */
    private SnsService registerSns(Router router, SnsService service) {
        service.registerDelivery("lambda", new SnsToLambda(lambda));
        router.scopeService("sns", service.endpoint())
                .pathMatching("/"::equals, service.linkEndpoint());
        serviceStates.put("sns", "running");
        return service;
    }

    /** The SNS service, for Eddy's own API (outbox, signing certificate). */
    SnsService sns() {
        return sns;
    }

    /** Starts an Eddy and returns once it serves requests. */
    public static Eddy start(EddyConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts an Eddy whose services tell time by {@code clock}, so tests can move it ahead instead of
     * waiting (an event's age, a record's age, TTL expiry, metric timestamps).
     */
    public static Eddy start(EddyConfig config, Clock clock) {
        return new Eddy(config, clock);
    }

    private <T extends AutoCloseable> T own(T closeable) {
        closeables.add(closeable);
        if (closeable instanceof BackgroundWork work) backgroundWork.add(work);
        return closeable;
    }

    /** Every background activity of every service, as it is now. */
    List<Drainable> activities() {
        List<Drainable> all = new ArrayList<>();
        for (BackgroundWork work : backgroundWork) all.addAll(work.activities());
        return all;
    }

    /** The base URL clients point at, e.g. {@code http://127.0.0.1:4566}. */
    public URI endpoint() {
        return URI.create("http://" + config.host() + ":" + port());
    }

    public int port() {
        return gateway.port();
    }

    /** CloudWatch Logs, for services that write logs (Lambda's {@code /aws/lambda/<fn>}). */
    public LogsService logs() {
        return logs;
    }

    /** CloudWatch metrics, for services that publish metrics (AWS/Lambda ...). */
    public CloudWatchService cloudWatch() {
        return cloudWatch;
    }

    /** DynamoDB Streams, for Lambda event source mappings (shards, reads, waits for new records). */
    public StreamsService dynamoDbStreams() {
        return dynamoDbStreams;
    }

    /** The Lambda service, for event sources and tests that read function logs. */
    public LambdaService lambda() {
        return lambda;
    }

    public EddyConfig config() {
        return config;
    }

    long uptimeMillis() {
        return System.currentTimeMillis() - startedAtMillis;
    }

    Map<String, String> serviceStates() {
        return serviceStates;
    }

    public static String version() {
        try (InputStream in = Eddy.class.getResourceAsStream("/eddy.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (gateway != null) gateway.close();
        closeQuietly();
    }

    private void closeQuietly() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // closing continues so the store below is always released
            }
        }
        store.close();
    }
}
