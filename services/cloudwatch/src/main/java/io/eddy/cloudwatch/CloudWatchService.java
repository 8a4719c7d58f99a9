package io.eddy.cloudwatch;

import static io.eddy.cloudwatch.CloudWatchErrors.invalidParameterCombination;
import static io.eddy.cloudwatch.CloudWatchErrors.invalidParameterValue;
import static io.eddy.cloudwatch.CloudWatchErrors.invalidValue;
import static io.eddy.cloudwatch.CloudWatchErrors.missingParameter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.protocol.TimestampNode;
import io.eddy.protocol.json.JsonService;
import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * Amazon CloudWatch metrics: PutMetricData, GetMetricStatistics, GetMetricData and ListMetrics,
 * served alike over Query, AWS JSON 1.0 and Smithy RPC v2 CBOR. Raw datapoints are kept under
 * {@code cloudwatch/<account>/<region>/d/<namespace>/<metric>/<dimensions>/<timestamp>/<seq>} and each
 * metric once under {@code .../m/<namespace>/<metric>/<dimensions>}. Other services publish through
 * {@link #put}.
 */
public final class CloudWatchService implements JsonService {

    public static final String TARGET_PREFIX = "GraniteServiceVersion20100801";
    public static final String SERVICE_NAME = "GraniteServiceVersion20100801";

    static final List<String> UNITS = List.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QUERY_ID = Pattern.compile("^[a-z][a-zA-Z0-9_]*$");
    private static final double VALUE_LIMIT = Math.pow(2, 360);
    // the model's limit; it also bounds how deep the expression parser recurses
    private static final int MAX_EXPRESSION_LENGTH = 2048;
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final int MAX_METRICS_PER_PUT = 1000;
    private static final int MAX_DIMENSIONS = 30;
    private static final int MAX_VALUES = 150;
    private static final int MAX_STATISTICS_DATAPOINTS = 1440;
    private static final int MAX_QUERIES = 500;
    private static final int DEFAULT_MAX_DATAPOINTS = 100_800;
    private static final int LIST_PAGE_SIZE = 500;

    private final Store store;
    private final Clock clock;
    private final AtomicLong sequence;
    /** Serialises writers so each metric's registry record keeps its latest timestamp. */
    private final ReentrantLock writeLock = new ReentrantLock();

    public CloudWatchService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        // seeded from the clock so datapoints written after a restart never reuse a key
        this.sequence = new AtomicLong(clock.millis() * 1000);
    }

    @Override
    public ObjectNode invoke(String operation, JsonNode input, RequestContext context) {
        Scope scope = new Scope(context.accountId(), context.region());
        return switch (operation) {
            case "PutMetricData" -> putMetricData(scope, input);
            case "GetMetricStatistics" -> getMetricStatistics(scope, input);
            case "GetMetricData" -> getMetricData(scope, input);
            case "ListMetrics" -> listMetrics(scope, input);
            default -> throw CloudWatchErrors.unknownOperation(operation);
        };
    }

    /**
     * Publishes one value, as PutMetricData does with a single {@code Value}; for AWS namespaces
     * ({@code AWS/Lambda} ...) that callers of the API may not write to. {@code unit} null means "None".
     */
    public void put(String account, String region, String namespace, String metricName, Map<String, String> dimensions,
                    double value, String unit, Instant timestamp) {
        putAll(List.of(new MetricDatum(account, region, namespace, metricName, dimensions, new double[] {value},
                new double[] {1}, unit, timestamp)));
    }

    /**
     * One datum for {@link #putAll}: values with how often each occurred, as PutMetricData's
     * {@code Values} and {@code Counts}. {@code unit} null means "None".
     */
    public record MetricDatum(String account, String region, String namespace, String metricName,
                              Map<String, String> dimensions, double[] values, double[] counts, String unit,
                              Instant timestamp) {
    }

    /** Publishes many data in one write, for services that aggregate what they emit. */
    public void putAll(List<MetricDatum> data) {
        writeLock.lock();
        try {
            WriteBatch batch = new WriteBatch();
            for (MetricDatum d : data) {
                List<Dimension> dims = new ArrayList<>();
                d.dimensions().forEach((name, v) -> dims.add(new Dimension(name, v)));
                Datapoint point = Datapoint.ofValues(d.unit() == null ? "None" : d.unit(), d.values(), d.counts());
                batch.add(new Scope(d.account(), d.region()), new MetricId(d.namespace(), d.metricName(), dims),
                        d.timestamp().toEpochMilli(), 60, point);
            }
            batch.commit();
        } finally {
            writeLock.unlock();
        }
    }

    private record Scope(String account, String region) {
        Keys keys() {
            return Keys.of().text("cloudwatch").text(account).text(region);
        }
    }

    record Dimension(String name, String value) {
    }

    /** A metric's identity: namespace, name and its dimension set (order does not matter). */
    record MetricId(String namespace, String name, List<Dimension> dimensions) {
        String dimensionKey() {
            StringBuilder key = new StringBuilder();
            dimensions.stream().sorted(java.util.Comparator.comparing(Dimension::name)).forEach(d ->
                    key.append(d.name()).append('\u0001').append(d.value()).append('\u0002'));
            return key.toString();
        }

        byte[] dataPrefix(Scope scope) {
            return scope.keys().text("d").text(namespace).text(name).text(dimensionKey()).build();
        }

        byte[] registryKey(Scope scope) {
            return scope.keys().text("m").text(namespace).text(name).text(dimensionKey()).build();
        }
    }

    // ---- PutMetricData ----

    private ObjectNode putMetricData(Scope scope, JsonNode input) {
        String namespace = requiredText(input, "Namespace", "Namespace");
        checkLength(namespace, "Namespace", 255);
        if (namespace.startsWith(":") || namespace.startsWith("AWS/")) throw invalidValue(namespace, "Namespace");
        JsonNode data = input.get("MetricData");
        if (data == null || data.isNull() || data.isEmpty()) throw missingParameter("MetricData");
        if (data.size() > MAX_METRICS_PER_PUT) {
            throw invalidParameterValue("The collection MetricData must not have a size greater than " + MAX_METRICS_PER_PUT + ".");
        }
        long now = clock.millis();
        record Pending(MetricId metric, long timestamp, int resolution, Datapoint point) {
        }
        List<Pending> pending = new ArrayList<>();
        int index = 0;
        for (JsonNode datum : data) {
            index++;
            String member = "MetricData.member." + index;
            String metricName = requiredText(datum, "MetricName", member + ".MetricName");
            checkLength(metricName, member + ".MetricName", 255);
            List<Dimension> dimensions = dimensions(datum.get("Dimensions"), member + ".Dimensions", true);
            String unit = text(datum, "Unit");
            if (unit == null) unit = "None";
            if (!UNITS.contains(unit)) throw invalidValue(unit, member + ".Unit");
            int resolution = datum.hasNonNull("StorageResolution") ? datum.get("StorageResolution").asInt() : 60;
            if (resolution != 1 && resolution != 60) throw invalidValue(resolution, member + ".StorageResolution");
            long timestamp = datum.hasNonNull("Timestamp") ? timestamp(datum.get("Timestamp"), member + ".Timestamp") : now;
            if (timestamp < now - 14 * DAY) {
                throw invalidParameterValue("The parameter " + member + ".Timestamp must specify a time no more than two weeks in the past.");
            }
            if (timestamp > now + 2 * HOUR) {
                throw invalidParameterValue("The parameter " + member + ".Timestamp must specify a time no more than two hours in the future.");
            }
            Datapoint point = datapoint(datum, member, unit);
            pending.add(new Pending(new MetricId(namespace, metricName, dimensions), timestamp, resolution, point));
        }
        writeLock.lock();
        try {
            WriteBatch batch = new WriteBatch();
            for (Pending p : pending) batch.add(scope, p.metric(), p.timestamp(), p.resolution(), p.point());
            batch.commit();
        } finally {
            writeLock.unlock();
        }
        return JSON.createObjectNode();
    }

    private static Datapoint datapoint(JsonNode datum, String member, String unit) {
        boolean hasValue = datum.hasNonNull("Value");
        boolean hasValues = datum.hasNonNull("Values") && !datum.get("Values").isEmpty();
        boolean hasSet = datum.hasNonNull("StatisticValues");
        if (hasValue && hasValues) throw exclusive(member + ".Value", member + ".Values");
        if (hasValue && hasSet) throw exclusive(member + ".Value", member + ".StatisticValues");
        if (hasValues && hasSet) throw exclusive(member + ".Values", member + ".StatisticValues");
        if (hasSet) {
            JsonNode set = datum.get("StatisticValues");
            double sampleCount = number(set, "SampleCount", member + ".StatisticValues.SampleCount");
            double sum = number(set, "Sum", member + ".StatisticValues.Sum");
            double minimum = number(set, "Minimum", member + ".StatisticValues.Minimum");
            double maximum = number(set, "Maximum", member + ".StatisticValues.Maximum");
            if (sampleCount <= 0) throw invalidValue(format(sampleCount), member + ".StatisticValues.SampleCount");
            if (minimum > maximum) {
                throw invalidParameterValue("The parameter " + member + ".StatisticValues.Maximum must be greater than "
                        + member + ".StatisticValues.Minimum.");
            }
            return Datapoint.ofStatisticSet(unit, sampleCount, sum, minimum, maximum);
        }
        if (hasValues) {
            JsonNode values = datum.get("Values");
            JsonNode counts = datum.get("Counts");
            if (values.size() > MAX_VALUES) {
                throw invalidParameterValue("The collection " + member + ".Values must not have a size greater than " + MAX_VALUES + ".");
            }
            if (counts != null && !counts.isNull() && !counts.isEmpty() && counts.size() != values.size()) {
                throw invalidParameterValue("The parameters " + member + ".Values and " + member
                        + ".Counts must be of the same size.");
            }
            double[] v = new double[values.size()];
            double[] c = new double[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = checkedValue(values.get(i), member + ".Values.member." + (i + 1));
                c[i] = counts == null || counts.isNull() || counts.isEmpty() ? 1
                        : checkedValue(counts.get(i), member + ".Counts.member." + (i + 1));
                if (c[i] < 0) throw invalidValue(format(c[i]), member + ".Counts.member." + (i + 1));
            }
            return Datapoint.ofValues(unit, v, c);
        }
        if (!hasValue) throw missingParameter(member + ".Value");
        return Datapoint.ofValues(unit, new double[] {checkedValue(datum.get("Value"), member + ".Value")}, new double[] {1});
    }

    private static RuntimeException exclusive(String a, String b) {
        return invalidParameterCombination("The parameters " + a + " and " + b
                + " are mutually exclusive and you have specified both.");
    }

    private static double checkedValue(JsonNode node, String parameter) {
        double value = parseDouble(node, parameter);
        if (Double.isNaN(value) || Double.isInfinite(value) || Math.abs(value) > VALUE_LIMIT
                || (value != 0 && Math.abs(value) < 1 / VALUE_LIMIT)) {
            throw invalidValue(node.asText(), parameter);
        }
        return value;
    }

    private static double number(JsonNode parent, String field, String parameter) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) throw missingParameter(parameter);
        return checkedValue(node, parameter);
    }

    private static double parseDouble(JsonNode node, String parameter) {
        if (node.isNumber()) return node.doubleValue();
        try {
            return Double.parseDouble(node.asText());
        } catch (NumberFormatException e) {
            throw invalidValue(node.asText(), parameter);
        }
    }

    /** Datapoints and the metric records they touch, gathered into one batch. */
    private final class WriteBatch {
        final Batch batch = new Batch();
        final Map<String, ObjectNode> registry = new LinkedHashMap<>();
        final Map<String, byte[]> registryKeys = new LinkedHashMap<>();

        void add(Scope scope, MetricId metric, long timestamp, int resolution, Datapoint point) {
            // standard-resolution data is kept at minute granularity, as CloudWatch stores it
            long stored = resolution == 60 ? Math.floorDiv(timestamp, MINUTE) * MINUTE : Math.floorDiv(timestamp, SECOND) * SECOND;
            batch.put(Keys.of().raw(metric.dataPrefix(scope)).u64(Math.max(0, stored)).u64(sequence.incrementAndGet()).build(),
                    point.encode());
            byte[] key = metric.registryKey(scope);
            String id = Base64.getEncoder().encodeToString(key);
            ObjectNode record = registry.computeIfAbsent(id, k -> readJson(key));
            if (record == null) {
                record = JSON.createObjectNode();
                record.put("Namespace", metric.namespace());
                record.put("MetricName", metric.name());
                ArrayNode dims = record.putArray("Dimensions");
                for (Dimension d : metric.dimensions()) dims.addObject().put("Name", d.name()).put("Value", d.value());
                record.put("lastTimestamp", stored);
                registry.put(id, record);
                registryKeys.put(id, key);
            } else if (record.path("lastTimestamp").asLong() < stored) {
                record.put("lastTimestamp", stored);
                registryKeys.put(id, key);
            }
        }

        void commit() {
            registryKeys.forEach((id, key) -> batch.put(key, bytes(registry.get(id))));
            store.write(batch);
        }
    }

    // ---- GetMetricStatistics ----

    private ObjectNode getMetricStatistics(Scope scope, JsonNode input) {
        String namespace = requiredText(input, "Namespace", "Namespace");
        String metricName = requiredText(input, "MetricName", "MetricName");
        List<Dimension> dimensions = dimensions(input.get("Dimensions"), "Dimensions", true);
        if (!input.hasNonNull("StartTime")) throw missingParameter("StartTime");
        if (!input.hasNonNull("EndTime")) throw missingParameter("EndTime");
        if (!input.hasNonNull("Period")) throw missingParameter("Period");
        long start = timestamp(input.get("StartTime"), "StartTime");
        long end = timestamp(input.get("EndTime"), "EndTime");
        int period = period(input.get("Period"), "Period");
        List<String> statistics = strings(input.get("Statistics"));
        List<String> extended = strings(input.get("ExtendedStatistics"));
        if (statistics.isEmpty() && extended.isEmpty()) {
            throw invalidParameterCombination("Must specify either Statistics or ExtendedStatistics");
        }
        if (!statistics.isEmpty() && !extended.isEmpty()) {
            throw invalidParameterCombination("The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.");
        }
        for (int i = 0; i < statistics.size(); i++) {
            if (!Statistics.BASIC.contains(statistics.get(i))) throw invalidValue(statistics.get(i), "Statistics.member." + (i + 1));
        }
        if (extended.size() > 10) {
            throw invalidParameterValue("The collection ExtendedStatistics must not have a size greater than 10.");
        }
        for (int i = 0; i < extended.size(); i++) {
            if (!Statistics.isExtended(extended.get(i))) throw invalidValue(extended.get(i), "ExtendedStatistics.member." + (i + 1));
        }
        String unit = text(input, "Unit");
        if (unit != null && !UNITS.contains(unit)) throw invalidValue(unit, "Unit");
        if (start == end) throw invalidParameterValue("The parameter StartTime must not equal parameter EndTime.");
        long now = clock.millis();
        long from = floorStart(start, period, now);
        if (from >= end) {
            throw invalidParameterValue("The parameter StartTime must be less than the parameter EndTime.");
        }
        long buckets = (end - from + period * SECOND - 1) / (period * SECOND);
        if (buckets > MAX_STATISTICS_DATAPOINTS) {
            throw invalidParameterCombination("You have requested up to " + buckets + " datapoints, which exceeds the limit of "
                    + MAX_STATISTICS_DATAPOINTS + ". You may reduce the datapoints requested by increasing Period, or"
                    + " decreasing the time range.");
        }
        MetricId metric = new MetricId(namespace, metricName, dimensions);
        Map<String, Map<Long, Statistics>> byUnit = aggregate(scope, metric, from, end, period, unit, true, now);

        ObjectNode out = JSON.createObjectNode();
        out.put("Label", metricName);
        ArrayNode datapoints = out.putArray("Datapoints");
        byUnit.forEach((pointUnit, byBucket) -> byBucket.forEach((bucket, stats) -> {
            ObjectNode point = datapoints.addObject();
            point.set("Timestamp", TimestampNode.ofEpochMillis(bucket));
            for (String statistic : statistics) point.put(statistic, stats.basic(statistic));
            point.put("Unit", pointUnit);
            if (!extended.isEmpty()) {
                ObjectNode values = JSON.createObjectNode();
                for (String statistic : extended) {
                    Double value = stats.extended(statistic);
                    if (value != null) values.put(statistic, value);
                }
                point.set("ExtendedStatistics", values);
            }
        }));
        return out;
    }

    /**
     * The datapoints of {@code metric} in {@code [from, end)} grouped into periods that start at
     * {@code from}; by unit when {@code splitUnits}, else all under one key.
     */
    private Map<String, Map<Long, Statistics>> aggregate(Scope scope, MetricId metric, long from, long end, int period,
                                                         String unit, boolean splitUnits, long now) {
        Map<String, Map<Long, Statistics>> byUnit = new TreeMap<>();
        long periodMillis = period * SECOND;
        byte[] prefix = metric.dataPrefix(scope);
        try (Cursor cursor = store.scan(Keys.of().raw(prefix).u64(Math.max(0, from)).build(),
                Keys.of().raw(prefix).u64(Math.max(0, end)).build())) {
            while (cursor.next()) {
                byte[] key = cursor.key();
                long timestamp = Keys.readU64(key, key.length - 16);
                if (!retained(timestamp, period, now)) continue;
                Datapoint point = Datapoint.decode(cursor.value());
                if (unit != null && !unit.equals(point.unit())) continue;
                long bucket = from + (timestamp - from) / periodMillis * periodMillis;
                byUnit.computeIfAbsent(splitUnits ? point.unit() : "", u -> new TreeMap<>())
                        .computeIfAbsent(bucket, b -> new Statistics()).add(point);
            }
        }
        return byUnit;
    }

    /** Whether data this old is still served at this period (CloudWatch's roll-up schedule). */
    private static boolean retained(long timestamp, int period, long now) {
        return now - timestamp <= retention(period);
    }

    /** How long CloudWatch keeps datapoints at this period: finer periods age out sooner. */
    private static long retention(int period) {
        if (period < 60) return 3 * HOUR;
        if (period % 3600 == 0) return 455 * DAY;
        if (period % 300 == 0) return 63 * DAY;
        return 15 * DAY;
    }

    /** Rounds StartTime down as CloudWatch does: to the period within a minute, else by the data's age. */
    private static long floorStart(long start, int period, long now) {
        long unit;
        if (period < 60) unit = period * SECOND;
        else if (now - start < 15 * DAY) unit = MINUTE;
        else if (now - start < 63 * DAY) unit = 5 * MINUTE;
        else unit = HOUR;
        return Math.floorDiv(start, unit) * unit;
    }

    private static int period(JsonNode node, String parameter) {
        double value = parseDouble(node, parameter);
        if (value != Math.rint(value) || value < 1 || value > Integer.MAX_VALUE) throw invalidValue(node.asText(), parameter);
        int period = (int) value;
        if (period < 60 ? !List.of(1, 5, 10, 20, 30).contains(period) : period % 60 != 0) {
            throw invalidParameterValue("The parameter " + parameter + " must be 1, 5, 10, 20, 30, or a multiple of 60.");
        }
        return period;
    }

    // ---- GetMetricData ----

    private ObjectNode getMetricData(Scope scope, JsonNode input) {
        JsonNode queries = input.get("MetricDataQueries");
        if (queries == null || queries.isNull() || queries.isEmpty()) throw missingParameter("MetricDataQueries");
        if (queries.size() > MAX_QUERIES) {
            throw invalidParameterValue("The collection MetricDataQueries must not have a size greater than " + MAX_QUERIES + ".");
        }
        if (!input.hasNonNull("StartTime")) throw missingParameter("StartTime");
        if (!input.hasNonNull("EndTime")) throw missingParameter("EndTime");
        long start = timestamp(input.get("StartTime"), "StartTime");
        long end = timestamp(input.get("EndTime"), "EndTime");
        String scanBy = text(input, "ScanBy");
        if (scanBy == null) scanBy = "TimestampDescending";
        if (!scanBy.equals("TimestampDescending") && !scanBy.equals("TimestampAscending")) throw invalidValue(scanBy, "ScanBy");
        int maxDatapoints = input.hasNonNull("MaxDatapoints") ? (int) parseDouble(input.get("MaxDatapoints"), "MaxDatapoints")
                : DEFAULT_MAX_DATAPOINTS;
        if (maxDatapoints < 1) throw invalidValue(maxDatapoints, "MaxDatapoints");
        long offset = decodeOffset(text(input, "NextToken"));
        long now = clock.millis();

        List<MetricMath.MetricInput> metricInputs = new ArrayList<>();
        List<MetricMath.ExpressionInput> expressionInputs = new ArrayList<>();
        List<String> returned = new ArrayList<>();
        Set<String> returnedExpressions = new HashSet<>();
        List<String> invalid = new ArrayList<>();
        if (start == end) invalid.add("The parameter StartTime must not equal parameter EndTime.");
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (JsonNode query : queries) {
            index++;
            String member = "MetricDataQueries.member." + index;
            String id = requiredText(query, "Id", member + ".Id");
            if (!QUERY_ID.matcher(id).matches()) {
                invalid.add("The value " + id + " for parameter " + member + ".Id is not matching the expected pattern "
                        + QUERY_ID.pattern() + ".");
            }
            if (!ids.add(id)) throw invalidParameterValue("The value " + id + " for parameter " + member + ".Id is not unique.");
            boolean hasStat = query.hasNonNull("MetricStat");
            boolean hasExpression = query.hasNonNull("Expression");
            if (hasStat == hasExpression) {
                throw invalidParameterCombination("Exactly one element of the " + member
                        + " must be specified: MetricStat or Expression.");
            }
            boolean returnData = !query.hasNonNull("ReturnData") || query.get("ReturnData").asBoolean();
            if (returnData) returned.add(id);
            String label = text(query, "Label");
            if (hasExpression) {
                String expression = query.get("Expression").asText();
                if (expression.isEmpty() || expression.length() > MAX_EXPRESSION_LENGTH) {
                    invalid.add("The value for parameter " + member + ".Expression must have a length between 1 and "
                            + MAX_EXPRESSION_LENGTH + ".");
                    continue;
                }
                expressionInputs.add(new MetricMath.ExpressionInput(id, label, expression));
                if (returnData) returnedExpressions.add(id);
                continue;
            }
            JsonNode stat = query.get("MetricStat");
            JsonNode metricNode = stat.get("Metric");
            if (metricNode == null || metricNode.isNull()) throw missingParameter(member + ".MetricStat.Metric");
            MetricId metric = new MetricId(requiredText(metricNode, "Namespace", member + ".MetricStat.Metric.Namespace"),
                    requiredText(metricNode, "MetricName", member + ".MetricStat.Metric.MetricName"),
                    dimensions(metricNode.get("Dimensions"), member + ".MetricStat.Metric.Dimensions", true));
            if (!stat.hasNonNull("Period")) throw missingParameter(member + ".MetricStat.Period");
            int period = period(stat.get("Period"), member + ".MetricStat.Period");
            String statistic = requiredText(stat, "Stat", member + ".MetricStat.Stat");
            if (!Statistics.BASIC.contains(statistic) && !Statistics.isExtended(statistic)) {
                invalid.add("The value " + statistic + " for parameter " + member + ".MetricStat.Stat is not a valid statistic.");
            }
            String unit = text(stat, "Unit");
            if (unit != null && !UNITS.contains(unit)) throw invalidValue(unit, member + ".MetricStat.Unit");
            metricInputs.add(new MetricMath.MetricInput(id, label != null ? label : metric.name(), period,
                    () -> metricValues(scope, metric, start, end, period, statistic, unit, now)));
        }
        MetricMath math = new MetricMath(metricInputs, expressionInputs, period -> periodStarts(start, end, period, now));
        invalid.addAll(math.check());
        if (!invalid.isEmpty()) throw CloudWatchErrors.validationError(invalid);
        if (start > end) throw invalidParameterValue("The parameter StartTime must be less than the parameter EndTime.");
        List<String> unevaluable = math.evaluate(returnedExpressions);
        if (!unevaluable.isEmpty()) throw CloudWatchErrors.validationError(unevaluable);

        record Series(String id, String label, List<Long> timestamps, List<Double> values, boolean droppedNonNumeric) {
        }
        List<Series> series = new ArrayList<>();
        for (String id : returned) {
            for (MetricMath.Series result : math.result(id)) {
                NavigableMap<Long, Double> points = scanBy.equals("TimestampDescending")
                        ? result.points().descendingMap() : result.points();
                series.add(new Series(id, result.label(), new ArrayList<>(points.keySet()), new ArrayList<>(points.values()),
                        result.droppedNonNumeric()));
            }
        }

        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("MetricDataResults");
        long position = 0;
        long remaining = maxDatapoints;
        boolean truncated = false;
        for (Series s : series) {
            int size = s.timestamps().size();
            int skip = (int) Math.max(0, Math.min(size, offset - position));
            position += size;
            int take = (int) Math.max(0, Math.min(size - skip, remaining));
            remaining -= take;
            if (skip + take < size) truncated = true;
            ObjectNode result = results.addObject();
            result.put("Id", s.id());
            result.put("Label", s.label());
            ArrayNode timestamps = result.putArray("Timestamps");
            ArrayNode values = result.putArray("Values");
            for (int i = skip; i < skip + take; i++) {
                timestamps.add(TimestampNode.ofEpochMillis(s.timestamps().get(i)));
                values.add(s.values().get(i));
            }
            result.put("StatusCode", skip + take < size ? "PartialData" : "Complete");
            if (s.droppedNonNumeric()) {
                result.putArray("Messages").addObject().put("Code", "ArithmeticError").put("Value", MetricMath.ARITHMETIC_ERROR);
            }
        }
        if (truncated) out.put("NextToken", encodeOffset(offset + maxDatapoints));
        out.putArray("Messages");
        return out;
    }

    /** One MetricStat query's values by period start, ascending. */
    private NavigableMap<Long, Double> metricValues(Scope scope, MetricId metric, long start, long end, int period,
                                                    String statistic, String unit, long now) {
        Map<Long, Statistics> buckets = aggregate(scope, metric, floorStart(start, period, now), end, period, unit, false, now)
                .getOrDefault("", Map.of());
        NavigableMap<Long, Double> values = new TreeMap<>();
        buckets.forEach((bucket, stats) -> {
            Double value = Statistics.BASIC.contains(statistic) ? stats.basic(statistic) : stats.extended(statistic);
            if (value != null) values.put(bucket, value);
        });
        return values;
    }

    /**
     * The start of every period of the request's range where GetMetricData can have a datapoint: none
     * older than the period's retention and none past the two hours ahead that PutMetricData accepts,
     * which also bounds what FILL creates (at most 21,600 periods).
     */
    private static long[] periodStarts(long start, long end, int period, long now) {
        long step = period * SECOND;
        long from = floorStart(start, period, now);
        long oldest = now - retention(period);
        if (from < oldest) from += Math.ceilDiv(oldest - from, step) * step;
        long until = Math.min(end, now + 2 * HOUR + step);
        int count = (int) Math.max(0, Math.ceilDiv(until - from, step));
        long[] starts = new long[count];
        for (int i = 0; i < count; i++) starts[i] = from + i * step;
        return starts;
    }

    private static String encodeOffset(long offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("gmd:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeOffset(String token) {
        if (token == null) return 0;
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!text.startsWith("gmd:")) throw CloudWatchErrors.invalidNextToken();
            long offset = Long.parseLong(text.substring(4));
            if (offset < 0) throw CloudWatchErrors.invalidNextToken();
            return offset;
        } catch (IllegalArgumentException e) {
            throw CloudWatchErrors.invalidNextToken();
        }
    }

    // ---- ListMetrics ----

    private ObjectNode listMetrics(Scope scope, JsonNode input) {
        String namespace = text(input, "Namespace");
        String metricName = text(input, "MetricName");
        List<Dimension> filters = dimensions(input.get("Dimensions"), "Dimensions", false);
        if (filters.size() > 10) {
            throw invalidParameterValue("The collection Dimensions must not have a size greater than 10.");
        }
        String recentlyActive = text(input, "RecentlyActive");
        if (recentlyActive != null && !recentlyActive.equals("PT3H")) throw invalidValue(recentlyActive, "RecentlyActive");
        String after = null;
        String token = text(input, "NextToken");
        if (token != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException e) {
                throw invalidValue(token, "NextToken");
            }
        }
        long now = clock.millis();
        long activeSince = recentlyActive != null ? now - 3 * HOUR : now - 14 * DAY;
        Keys prefixKeys = scope.keys().text("m");
        if (namespace != null) {
            prefixKeys.text(namespace);
            if (metricName != null) prefixKeys.text(metricName);
        }
        byte[] prefix = prefixKeys.build();
        byte[] from = prefix;
        if (after != null) {
            byte[] afterKey = after.getBytes(StandardCharsets.ISO_8859_1);
            if (java.util.Arrays.compare(afterKey, prefix) < 0) throw invalidValue(token, "NextToken");
            from = Keys.of().raw(afterKey).raw(new byte[] {0}).build();
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode metrics = out.putArray("Metrics");
        byte[] lastKey = null;
        try (Cursor cursor = store.scan(from, Keys.prefixEnd(prefix))) {
            while (cursor.next()) {
                ObjectNode record = parse(cursor.value());
                if (metricName != null && !metricName.equals(record.path("MetricName").asText())) continue;
                if (record.path("lastTimestamp").asLong() < activeSince) continue;
                if (!matchesFilters(record.path("Dimensions"), filters)) continue;
                if (metrics.size() == LIST_PAGE_SIZE) {
                    out.put("NextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey));
                    break;
                }
                ObjectNode metric = metrics.addObject();
                metric.put("Namespace", record.path("Namespace").asText());
                metric.put("MetricName", record.path("MetricName").asText());
                metric.set("Dimensions", record.path("Dimensions").deepCopy());
                lastKey = cursor.key();
            }
        }
        return out;
    }

    private static boolean matchesFilters(JsonNode dimensions, List<Dimension> filters) {
        for (Dimension filter : filters) {
            boolean found = false;
            for (JsonNode d : dimensions) {
                if (d.path("Name").asText().equals(filter.name())
                        && (filter.value() == null || d.path("Value").asText().equals(filter.value()))) {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }

    // ---- input helpers ----

    private static List<Dimension> dimensions(JsonNode node, String parameter, boolean valueRequired) {
        List<Dimension> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (node.size() > MAX_DIMENSIONS) {
            throw invalidParameterValue("The collection " + parameter + " must not have a size greater than " + MAX_DIMENSIONS + ".");
        }
        Map<String, String> seen = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode d : node) {
            index++;
            String member = parameter + ".member." + index;
            String name = requiredText(d, "Name", member + ".Name");
            checkLength(name, member + ".Name", 255);
            String value = text(d, "Value");
            if (value == null && valueRequired) throw missingParameter(member + ".Value");
            if (value != null) checkLength(value, member + ".Value", 1024);
            if (seen.containsKey(name)) {
                throw invalidParameterValue("No Metric may specify the same dimension name twice.");
            }
            seen.put(name, value);
            out.add(new Dimension(name, value));
        }
        return out;
    }

    private static void checkLength(String value, String parameter, int max) {
        if (value.isEmpty()) {
            throw invalidParameterValue("The parameter " + parameter + " must be longer than 1 character.");
        }
        if (value.length() > max) {
            throw invalidParameterValue("The parameter " + parameter + " must be shorter than " + (max + 1) + " characters.");
        }
    }

    /** Epoch seconds (JSON, CBOR) or ISO 8601 text (Query). */
    private static long timestamp(JsonNode node, String parameter) {
        if (node.isNumber()) return Math.round(node.doubleValue() * 1000);
        String text = node.asText();
        try {
            return Math.round(Double.parseDouble(text) * 1000);
        } catch (NumberFormatException notNumeric) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException notOffset) {
                try {
                    return Instant.parse(text + (text.endsWith("Z") ? "" : "Z")).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw invalidValue(text, parameter);
                }
            }
        }
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null && !node.isNull()) for (JsonNode item : node) out.add(item.asText());
        return out;
    }

    private static String requiredText(JsonNode input, String field, String parameter) {
        String value = text(input, field);
        if (value == null) throw missingParameter(parameter);
        return value;
    }

    private static String text(JsonNode input, String field) {
        JsonNode node = input == null ? null : input.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private ObjectNode readJson(byte[] key) {
        byte[] value = store.get(key);
        return value == null ? null : parse(value);
    }

    private static ObjectNode parse(byte[] json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
