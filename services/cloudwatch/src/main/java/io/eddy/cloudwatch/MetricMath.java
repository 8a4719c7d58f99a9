package io.eddy.cloudwatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Metric math of GetMetricData, as the CloudWatch User Guide's "Metric math syntax and functions"
 * defines it: each Expression query is parsed, its ids, functions and references checked (cycles
 * included), then evaluated over the request's MetricStat series. Metrics Insights queries and
 * {@code SEARCH} are recognised and refused.
 */
final class MetricMath {

    /** The message AWS attaches to a result that lost datapoints to division by zero and the like. */
    static final String ARITHMETIC_ERROR =
            "One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)";

    /** A MetricStat query as expressions see it; {@code points} fetches its datapoints when first needed. */
    record MetricInput(String id, String label, int period, Supplier<NavigableMap<Long, Double>> points) {
    }

    /** An Expression query; {@code label} is null when the request gave none. */
    record ExpressionInput(String id, String label, String expression) {
    }

    /**
     * One time series: values by epoch-millisecond timestamp, the period of the metrics it came from
     * (which FILL fills at), and whether a non-numeric value was dropped on the way to it.
     */
    record Series(String label, int period, NavigableMap<Long, Double> points, boolean droppedNonNumeric) {
    }

    /** A problem with one expression, reported as a ValidationError line. */
    static final class MathException extends RuntimeException {
        MathException(String message) {
            super(message, null, false, false);
        }
    }

    /** Evaluating an expression that references one already reported as broken. */
    private static final class AlreadyReported extends RuntimeException {
        AlreadyReported() {
            super(null, null, false, false);
        }
    }

    private static final Set<String> ONE_SERIES_ARGUMENT = Set.of("SUM", "AVG", "MIN", "MAX", "STDDEV", "ABS", "CEIL",
            "FLOOR", "DIFF", "DIFF_TIME", "RATE", "RUNNING_SUM", "LOG", "LOG10", "DATAPOINT_COUNT", "METRIC_COUNT",
            "REMOVE_EMPTY", "FIRST", "LAST", "PERIOD");
    /** Functions the guide lists that Eddy leaves out, told apart from names CloudWatch does not know. */
    private static final Set<String> NOT_EVALUATED = Set.of("ANOMALY_DETECTION_BAND", "INSIGHT_RULE_METRIC", "SEARCH",
            "SERVICE_QUOTA", "SLICE", "SORT", "TIME_SERIES", "MINUTE", "HOUR", "DAY", "DATE", "MONTH", "YEAR", "EPOCH",
            "LAMBDA", "CONCAT");

    private final Map<String, MetricInput> metrics = new LinkedHashMap<>();
    private final Map<String, ExpressionInput> expressions = new LinkedHashMap<>();
    private final IntFunction<long[]> grid;
    private final Map<String, Node> parsed = new HashMap<>();
    private final Map<String, Series> fetched = new HashMap<>();
    private final Map<String, Value> evaluated = new HashMap<>();
    private final Set<String> broken = new HashSet<>();
    private final Set<String> inProgress = new HashSet<>();

    /** {@code grid} answers the timestamps a series of the given period may have in the request's range. */
    MetricMath(List<MetricInput> metrics, List<ExpressionInput> expressions, IntFunction<long[]> grid) {
        for (MetricInput metric : metrics) this.metrics.put(metric.id(), metric);
        for (ExpressionInput expression : expressions) this.expressions.put(expression.id(), expression);
        this.grid = grid;
    }

    /**
     * Parses every expression and checks its ids, functions and references, without reading data:
     * the problems as ValidationError lines, in query order, reference cycles last.
     */
    List<String> check() {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> references = new LinkedHashMap<>();
        for (ExpressionInput expression : expressions.values()) {
            try {
                Node node = new Parser(expression.expression()).parse();
                Set<String> referenced = new TreeSet<>();
                check(node, referenced);
                parsed.put(expression.id(), node);
                references.put(expression.id(), referenced);
            } catch (MathException e) {
                problems.add(line(expression.id(), e.getMessage()));
                broken.add(expression.id());
            }
        }
        problems.addAll(cycles(references));
        return problems;
    }

    /**
     * Evaluates every expression (reading the metrics they use), after a {@link #check} that found
     * nothing: the problems as ValidationError lines, in query order. {@code returned} are the ids
     * whose results are answered, which must be time series.
     */
    List<String> evaluate(Set<String> returned) {
        List<String> problems = new ArrayList<>();
        for (ExpressionInput expression : expressions.values()) {
            try {
                Value value = valueOf(expression.id());
                if (value instanceof Scalar && returned.contains(expression.id())) {
                    throw new MathException("The result is a scalar; an expression must return a time series or an"
                            + " array of time series.");
                }
            } catch (MathException e) {
                problems.add(line(expression.id(), e.getMessage()));
                broken.add(expression.id());
            } catch (AlreadyReported e) {
                broken.add(expression.id());
            }
        }
        return problems;
    }

    /**
     * The series a query answers, each labelled as GetMetricData reports it: a MetricStat query's
     * own, or those of an expression {@link #evaluate} evaluated.
     */
    List<Series> result(String id) {
        if (metrics.containsKey(id)) return List.of(metric(id));
        return switch (evaluated.get(id)) {
            case One one -> List.of(one.series());
            case Many many -> many.series();
            case Scalar scalar -> throw new IllegalStateException("scalar result of " + id);
        };
    }

    private static String line(String id, String message) {
        return "Error in expression " + id + ": " + message;
    }

    // ---- checking ----

    private void check(Node node, Set<String> referenced) {
        switch (node) {
            case Num n -> {
            }
            case Ref ref -> {
                if (expressions.containsKey(ref.id())) referenced.add(ref.id());
                else if (!metrics.containsKey(ref.id())) throw new MathException("Unrecognized Id " + ref.id() + ".");
            }
            case Text text -> throw new MathException("A string is only valid as the argument of METRICS.");
            case Word word -> throw new MathException(word.word().equals("REPEAT") || word.word().equals("LINEAR")
                    ? word.word() + " is only valid as the second argument of FILL." : "Unexpected word " + word.word() + ".");
            case Negation negation -> check(negation.operand(), referenced);
            case Binary binary -> {
                check(binary.left(), referenced);
                check(binary.right(), referenced);
            }
            case ArrayLiteral array -> {
                for (Node element : array.elements()) check(element, referenced);
            }
            case Call call -> checkCall(call, referenced);
        }
    }

    private void checkCall(Call call, Set<String> referenced) {
        String function = call.function();
        List<Node> args = call.args();
        switch (function) {
            case "METRICS" -> {
                if (args.size() > 1 || (args.size() == 1 && !(args.getFirst() instanceof Text))) {
                    throw new MathException("METRICS takes no argument or one string.");
                }
                return;
            }
            case "FILL" -> {
                arity(call, 2, 2);
                check(args.get(0), referenced);
                if (!(args.get(1) instanceof Word word && (word.word().equals("REPEAT") || word.word().equals("LINEAR")))) {
                    check(args.get(1), referenced);
                }
                return;
            }
            case "PERIOD" -> {
                arity(call, 1, 1);
                if (!(args.getFirst() instanceof Ref ref && metrics.containsKey(ref.id()))) {
                    throw new MathException("PERIOD takes the Id of a MetricStat query.");
                }
                return;
            }
            case "IF" -> arity(call, 2, 3);
            default -> {
                if (ONE_SERIES_ARGUMENT.contains(function)) arity(call, 1, 1);
                else if (NOT_EVALUATED.contains(function)) throw new MathException("Eddy does not evaluate the function " + function + ".");
                else throw new MathException("Unknown function " + function + ".");
            }
        }
        for (Node arg : args) check(arg, referenced);
    }

    private static void arity(Call call, int min, int max) {
        int count = call.args().size();
        if (count < min || count > max) {
            String expected = min == max ? String.valueOf(min) : min + " to " + max;
            throw new MathException(call.function() + " takes " + expected + " argument" + (max == 1 ? "" : "s")
                    + ", not " + count + ".");
        }
    }

    /** Every cycle of expressions referencing each other, reported once at the expression it was entered by. */
    private List<String> cycles(Map<String, Set<String>> references) {
        List<String> problems = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String id : references.keySet()) findCycles(id, references, new ArrayList<>(), done, problems);
        return problems;
    }

    private void findCycles(String id, Map<String, Set<String>> references, List<String> path, Set<String> done,
                            List<String> problems) {
        int onPath = path.indexOf(id);
        if (onPath >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(onPath, path.size()));
            cycle.add(id);
            problems.add(line(id, "Circular reference " + String.join(" -> ", cycle) + "."));
            broken.addAll(cycle);
            return;
        }
        if (!done.add(id)) return;
        path.add(id);
        for (String next : references.getOrDefault(id, Set.of())) findCycles(next, references, path, done, problems);
        path.removeLast();
    }

    // ---- evaluation ----

    private sealed interface Value permits Scalar, One, Many {
    }

    private record Scalar(double value) implements Value {
    }

    private record One(Series series) implements Value {
    }

    private record Many(List<Series> series) implements Value {
    }

    private Value valueOf(String expressionId) {
        Value known = evaluated.get(expressionId);
        if (known != null) return known;
        if (broken.contains(expressionId)) throw new AlreadyReported();
        if (!inProgress.add(expressionId)) throw new IllegalStateException("cycle through " + expressionId + " passed check()");
        try {
            ExpressionInput expression = expressions.get(expressionId);
            Value value = labelled(eval(parsed.get(expressionId)), expression);
            evaluated.put(expressionId, value);
            return value;
        } finally {
            inProgress.remove(expressionId);
        }
    }

    /**
     * An expression's own label for its series: one series carries the query's Label (its Id when
     * none); each series of an array keeps its own label, after the query's Label when there is one,
     * as the guide describes the graph legend.
     */
    private static Value labelled(Value value, ExpressionInput expression) {
        String label = expression.label();
        return switch (value) {
            case Scalar scalar -> scalar;
            case One one -> new One(relabel(one.series(), label != null ? label : expression.id()));
            case Many many -> new Many(many.series().stream().map(s -> label == null || label.isBlank() ? s
                    : relabel(s, label + " " + s.label())).toList());
        };
    }

    private static Series relabel(Series series, String label) {
        return new Series(label, series.period(), series.points(), series.droppedNonNumeric());
    }

    private Series metric(String id) {
        return fetched.computeIfAbsent(id, key -> {
            MetricInput input = metrics.get(key);
            return new Series(input.label(), input.period(), input.points().get(), false);
        });
    }

    private Value eval(Node node) {
        return switch (node) {
            case Num n -> new Scalar(n.value());
            case Ref ref -> metrics.containsKey(ref.id()) ? new One(metric(ref.id())) : valueOf(ref.id());
            case Negation negation -> map(eval(negation.operand()), x -> -x);
            case Binary binary -> combine(eval(binary.left()), eval(binary.right()), operator(binary.op()));
            case ArrayLiteral array -> {
                List<Series> elements = new ArrayList<>();
                for (Node element : array.elements()) {
                    switch (eval(element)) {
                        case One one -> elements.add(one.series());
                        case Many many -> elements.addAll(many.series());
                        case Scalar scalar -> throw new MathException("An array holds time series, not scalars.");
                    }
                }
                yield new Many(elements);
            }
            case Call call -> call(call);
            case Text text -> throw new IllegalStateException("string outside METRICS passed check()");
            case Word word -> throw new IllegalStateException(word.word() + " outside FILL passed check()");
        };
    }

    private static DoubleBinaryOperator operator(String op) {
        return switch (op) {
            case "+" -> Double::sum;
            case "-" -> (a, b) -> a - b;
            case "*" -> (a, b) -> a * b;
            case "/" -> (a, b) -> a / b;
            case "^" -> Math::pow;
            case "==" -> (a, b) -> a == b ? 1 : 0;
            case "!=" -> (a, b) -> a != b ? 1 : 0;
            case "<" -> (a, b) -> a < b ? 1 : 0;
            case ">" -> (a, b) -> a > b ? 1 : 0;
            case "<=" -> (a, b) -> a <= b ? 1 : 0;
            case ">=" -> (a, b) -> a >= b ? 1 : 0;
            case "AND" -> (a, b) -> a != 0 && b != 0 ? 1 : 0;
            case "OR" -> (a, b) -> a != 0 || b != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static Value map(Value value, DoubleUnaryOperator f) {
        return switch (value) {
            case Scalar scalar -> new Scalar(f.applyAsDouble(scalar.value()));
            case One one -> new One(map(one.series(), f));
            case Many many -> new Many(many.series().stream().map(s -> map(s, f)).toList());
        };
    }

    private static Series map(Series series, DoubleUnaryOperator f) {
        PointsBuilder out = new PointsBuilder(series.droppedNonNumeric());
        series.points().forEach((t, v) -> out.put(t, f.applyAsDouble(v)));
        return out.build(series.label(), series.period());
    }

    /**
     * A binary operator between values. Two series pair their datapoints by timestamp, a missing
     * one counting as 0 as the guide says of arithmetic and comparisons; a scalar applies to every
     * datapoint; an array applies element by element.
     */
    private static Value combine(Value left, Value right, DoubleBinaryOperator f) {
        if (left instanceof Scalar l && right instanceof Scalar r) return new Scalar(f.applyAsDouble(l.value(), r.value()));
        if (left instanceof Many l && right instanceof Many r) {
            if (l.series().size() != r.series().size()) {
                throw new MathException("Arrays of " + l.series().size() + " and " + r.series().size()
                        + " time series cannot be combined.");
            }
            List<Series> out = new ArrayList<>();
            for (int i = 0; i < l.series().size(); i++) out.add(zip(l.series().get(i), r.series().get(i), f));
            return new Many(out);
        }
        if (left instanceof Many l) return new Many(l.series().stream().map(s -> single(combine(new One(s), right, f))).toList());
        if (right instanceof Many r) return new Many(r.series().stream().map(s -> single(combine(left, new One(s), f))).toList());
        if (left instanceof One l && right instanceof One r) return new One(zip(l.series(), r.series(), f));
        if (left instanceof One l) {
            double scalar = ((Scalar) right).value();
            return new One(map(l.series(), x -> f.applyAsDouble(x, scalar)));
        }
        double scalar = ((Scalar) left).value();
        return new One(map(((One) right).series(), x -> f.applyAsDouble(scalar, x)));
    }

    private static Series single(Value value) {
        return ((One) value).series();
    }

    private static Series zip(Series left, Series right, DoubleBinaryOperator f) {
        PointsBuilder out = new PointsBuilder(left.droppedNonNumeric() || right.droppedNonNumeric());
        TreeSet<Long> timestamps = new TreeSet<>(left.points().keySet());
        timestamps.addAll(right.points().keySet());
        for (long t : timestamps) {
            out.put(t, f.applyAsDouble(left.points().getOrDefault(t, 0.0), right.points().getOrDefault(t, 0.0)));
        }
        return out.build(left.label(), Math.min(left.period(), right.period()));
    }

    private Value call(Call call) {
        List<Node> args = call.args();
        return switch (call.function()) {
            case "METRICS" -> {
                String part = args.isEmpty() ? "" : ((Text) args.getFirst()).value();
                yield new Many(metrics.keySet().stream().filter(id -> id.contains(part)).map(this::metric).toList());
            }
            case "PERIOD" -> new Scalar(metrics.get(((Ref) args.getFirst()).id()).period());
            case "SUM" -> aggregate(call, (values, seriesCount) -> sum(values));
            case "AVG" -> aggregate(call, (values, seriesCount) -> sum(values) / seriesCount);
            case "MIN" -> aggregate(call, (values, seriesCount) -> values.stream().mapToDouble(v -> v).min().orElse(Double.NaN));
            case "MAX" -> aggregate(call, (values, seriesCount) -> values.stream().mapToDouble(v -> v).max().orElse(Double.NaN));
            case "STDDEV" -> aggregate(call, (values, seriesCount) -> standardDeviation(values));
            case "DATAPOINT_COUNT" -> aggregate(call, (values, seriesCount) -> values.size());
            case "ABS" -> map(seriesArgument(call), Math::abs);
            case "CEIL" -> map(seriesArgument(call), Math::ceil);
            case "FLOOR" -> map(seriesArgument(call), Math::floor);
            case "LOG" -> map(seriesArgument(call), Math::log);
            case "LOG10" -> map(seriesArgument(call), Math::log10);
            case "DIFF" -> perSeries(seriesArgument(call), s -> successive(s, (t0, v0, t1, v1) -> v1 - v0));
            case "DIFF_TIME" -> perSeries(seriesArgument(call), s -> successive(s, (t0, v0, t1, v1) -> (t1 - t0) / 1000.0));
            case "RATE" -> perSeries(seriesArgument(call), s -> successive(s, (t0, v0, t1, v1) -> (v1 - v0) / ((t1 - t0) / 1000.0)));
            case "RUNNING_SUM" -> perSeries(seriesArgument(call), MetricMath::runningSum);
            case "FILL" -> fill(call);
            case "IF" -> condition(call);
            case "METRIC_COUNT" -> new Scalar(arrayArgument(call).size());
            case "REMOVE_EMPTY" -> new Many(arrayArgument(call).stream().filter(s -> !s.points().isEmpty()).toList());
            case "FIRST", "LAST" -> {
                List<Series> array = arrayArgument(call);
                if (array.isEmpty()) throw new MathException(call.function() + " of an empty array of time series.");
                yield new One(call.function().equals("FIRST") ? array.getFirst() : array.getLast());
            }
            default -> throw new IllegalStateException(call.function() + " passed check()");
        };
    }

    private Value seriesArgument(Call call) {
        Value value = eval(call.args().getFirst());
        if (value instanceof Scalar) {
            throw new MathException(call.function() + " takes a time series or an array of time series, not a scalar.");
        }
        return value;
    }

    private List<Series> arrayArgument(Call call) {
        if (!(eval(call.args().getFirst()) instanceof Many many)) {
            throw new MathException(call.function() + " takes an array of time series.");
        }
        return many.series();
    }

    private static Value perSeries(Value value, UnaryOperator<Series> f) {
        return switch (value) {
            case One one -> new One(f.apply(one.series()));
            case Many many -> new Many(many.series().stream().map(f).toList());
            case Scalar scalar -> throw new IllegalStateException("scalar passed seriesArgument()");
        };
    }

    /**
     * One aggregated value from the values present; {@code seriesCount} is how many values there
     * would be without gaps (the datapoints of one series, or the series of an array), which AVG
     * divides by because the guide counts a missing value as 0.
     */
    private interface Aggregation {
        double apply(List<Double> values, int seriesCount);
    }

    /** Over one series, a scalar from all its datapoints; over an array, a series of one value per timestamp. */
    private Value aggregate(Call call, Aggregation aggregation) {
        switch (seriesArgument(call)) {
            case One one -> {
                List<Double> values = new ArrayList<>(one.series().points().values());
                return new Scalar(aggregation.apply(values, values.size()));
            }
            case Many many -> {
                TreeMap<Long, List<Double>> byTimestamp = new TreeMap<>();
                boolean dropped = false;
                int period = Integer.MAX_VALUE;
                for (Series s : many.series()) {
                    s.points().forEach((t, v) -> byTimestamp.computeIfAbsent(t, k -> new ArrayList<>()).add(v));
                    dropped |= s.droppedNonNumeric();
                    period = Math.min(period, s.period());
                }
                PointsBuilder out = new PointsBuilder(dropped);
                int count = many.series().size();
                byTimestamp.forEach((t, values) -> out.put(t, aggregation.apply(values, count)));
                return new One(out.build(call.function(), period == Integer.MAX_VALUE ? defaultPeriod() : period));
            }
            case Scalar scalar -> throw new IllegalStateException("scalar passed seriesArgument()");
        }
    }

    /** The period of a series made from no metric at all: the request's shortest. */
    private int defaultPeriod() {
        return metrics.values().stream().mapToInt(MetricInput::period).min().orElse(60);
    }

    private static double sum(List<Double> values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum;
    }

    /** Population standard deviation: every datapoint of the series is the whole population. */
    private static double standardDeviation(List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        double mean = sum(values) / values.size();
        double squares = 0;
        for (double v : values) squares += (v - mean) * (v - mean);
        return Math.sqrt(squares / values.size());
    }

    private interface Step {
        double apply(long previousTimestamp, double previous, long timestamp, double value);
    }

    /** One value per datapoint after the first, from it and the datapoint before it. */
    private static Series successive(Series series, Step step) {
        PointsBuilder out = new PointsBuilder(series.droppedNonNumeric());
        Map.Entry<Long, Double> previous = null;
        for (Map.Entry<Long, Double> point : series.points().entrySet()) {
            if (previous != null) {
                out.put(point.getKey(), step.apply(previous.getKey(), previous.getValue(), point.getKey(), point.getValue()));
            }
            previous = point;
        }
        return out.build(series.label(), series.period());
    }

    private static Series runningSum(Series series) {
        PointsBuilder out = new PointsBuilder(series.droppedNonNumeric());
        double total = 0;
        for (Map.Entry<Long, Double> point : series.points().entrySet()) {
            total += point.getValue();
            out.put(point.getKey(), total);
        }
        return out.build(series.label(), series.period());
    }

    /**
     * FILL: every timestamp of the series' period in the request's range that has no datapoint gets
     * one, from a scalar, another series at that timestamp, the last datapoint before it (REPEAT), or
     * the straight line between the datapoints around it (LINEAR). REPEAT leaves the start of the
     * range before the first datapoint empty, LINEAR both ends outside the first and last.
     */
    private Value fill(Call call) {
        Value target = seriesArgument(call);
        Node fillerNode = call.args().get(1);
        if (fillerNode instanceof Word word) {
            boolean repeat = word.word().equals("REPEAT");
            return perSeries(target, s -> repeat ? fillRepeat(s) : fillLinear(s));
        }
        Value filler = eval(fillerNode);
        return switch (filler) {
            case Scalar scalar -> perSeries(target, s -> fillFrom(s, t -> scalar.value()));
            case One one -> perSeries(target, s -> fillFrom(s, t -> one.series().points().get(t)));
            case Many many -> throw new MathException("FILL fills from a scalar, a time series, REPEAT or LINEAR, not an"
                    + " array of time series.");
        };
    }

    private Series fillFrom(Series series, LongFunction<Double> filler) {
        PointsBuilder out = new PointsBuilder(series.droppedNonNumeric());
        series.points().forEach(out::put);
        for (long t : grid.apply(series.period())) {
            if (series.points().containsKey(t)) continue;
            Double value = filler.apply(t);
            if (value != null) out.put(t, value);
        }
        return out.build(series.label(), series.period());
    }

    private Series fillRepeat(Series series) {
        return fillFrom(series, t -> {
            Map.Entry<Long, Double> before = series.points().lowerEntry(t);
            return before == null ? null : before.getValue();
        });
    }

    private Series fillLinear(Series series) {
        return fillFrom(series, t -> {
            Map.Entry<Long, Double> before = series.points().lowerEntry(t);
            Map.Entry<Long, Double> after = series.points().higherEntry(t);
            if (before == null || after == null) return null;
            double slope = (after.getValue() - before.getValue()) / (after.getKey() - before.getKey());
            return before.getValue() + slope * (t - before.getKey());
        });
    }

    /**
     * IF(condition, trueValue[, falseValue]) as the guide's "Using IF expressions" defines it: with a
     * series condition, one datapoint per datapoint of the condition; a true one takes trueValue (0
     * where that series has none), a false one falseValue, and is dropped where falseValue has none
     * or was not given. With a scalar condition, the whole of trueValue or falseValue.
     */
    private Value condition(Call call) {
        List<Node> args = call.args();
        Value condition = eval(args.get(0));
        Value whenTrue = eval(args.get(1));
        Value whenFalse = args.size() > 2 ? eval(args.get(2)) : null;
        if (condition instanceof Many || whenTrue instanceof Many || whenFalse instanceof Many) {
            throw new MathException("IF takes time series and scalars, not arrays of time series.");
        }
        if (condition instanceof Scalar scalar) {
            if (scalar.value() != 0) return whenTrue;
            if (whenFalse != null) return whenFalse;
            int period = whenTrue instanceof One one ? one.series().period() : defaultPeriod();
            return new One(new Series("IF", period, new TreeMap<>(), false));
        }
        Series test = ((One) condition).series();
        boolean dropped = test.droppedNonNumeric() || (whenTrue instanceof One t && t.series().droppedNonNumeric())
                || (whenFalse instanceof One f && f.series().droppedNonNumeric());
        PointsBuilder out = new PointsBuilder(dropped);
        test.points().forEach((t, c) -> {
            if (c != 0) {
                out.put(t, whenTrue instanceof Scalar s ? s.value() : ((One) whenTrue).series().points().getOrDefault(t, 0.0));
            } else if (whenFalse instanceof Scalar s) {
                out.put(t, s.value());
            } else if (whenFalse instanceof One f && f.series().points().containsKey(t)) {
                out.put(t, f.series().points().get(t));
            }
        });
        return new One(out.build(test.label(), test.period()));
    }

    /** Collects datapoints, leaving out (and remembering) NaN and infinite values. */
    private static final class PointsBuilder {
        private final TreeMap<Long, Double> points = new TreeMap<>();
        private boolean dropped;

        PointsBuilder(boolean alreadyDropped) {
            this.dropped = alreadyDropped;
        }

        void put(long timestamp, double value) {
            if (Double.isFinite(value)) points.put(timestamp, value);
            else dropped = true;
        }

        Series build(String label, int period) {
            return new Series(label, period, points, dropped);
        }
    }

    // ---- syntax ----

    private sealed interface Node permits Num, Ref, Text, Word, Negation, Binary, Call, ArrayLiteral {
    }

    private record Num(double value) implements Node {
    }

    /** The Id of another query. */
    private record Ref(String id) implements Node {
    }

    /** A string in double or single quotes: METRICS' filter, or SEARCH's query that Eddy refuses. */
    private record Text(String value) implements Node {
    }

    /** An upper-case word that is not a function: FILL's REPEAT and LINEAR, or SORT's AVG and DESC that Eddy refuses. */
    private record Word(String word) implements Node {
    }

    private record Negation(Node operand) implements Node {
    }

    private record Binary(String op, Node left, Node right) implements Node {
    }

    private record Call(String function, List<Node> args) implements Node {
    }

    private record ArrayLiteral(List<Node> elements) implements Node {
    }

    private enum Kind { NUMBER, ID, WORD, STRING, SYMBOL, END }

    private record Token(Kind kind, String text, int position) {
        boolean is(String symbol) {
            return (kind == Kind.SYMBOL || kind == Kind.WORD) && text.equals(symbol);
        }

        String describe() {
            return kind == Kind.END ? "end of expression" : "'" + text + "' at position " + position;
        }
    }

    /**
     * Recursive descent over the guide's operators. From loosest to tightest: OR ({@code ||}), AND
     * ({@code &&}), comparisons, {@code + -}, {@code * /}, unary {@code -}, then
     * {@code ^}, which groups to the right and binds tighter than a leading minus ({@code -2^2} is -4).
     */
    private static final class Parser {
        private static final List<String> SYMBOLS = List.of("==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-",
                "*", "/", "^", "(", ")", "[", "]", ",");

        private final List<Token> tokens = new ArrayList<>();
        private int next;

        Parser(String text) {
            tokenize(text);
        }

        Node parse() {
            if (tokens.getFirst().is("SELECT")) throw new MathException("Eddy does not evaluate Metrics Insights queries.");
            Node node = or();
            if (peek().kind() != Kind.END) throw unexpected(peek());
            return node;
        }

        private void tokenize(String text) {
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                int position = i + 1;
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (Character.isDigit(c) || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
                    int end = i;
                    while (end < text.length() && (Character.isDigit(text.charAt(end)) || text.charAt(end) == '.')) end++;
                    if (end < text.length() && (text.charAt(end) == 'e' || text.charAt(end) == 'E')) {
                        int exponent = end + 1;
                        if (exponent < text.length() && (text.charAt(exponent) == '+' || text.charAt(exponent) == '-')) exponent++;
                        if (exponent < text.length() && Character.isDigit(text.charAt(exponent))) {
                            end = exponent;
                            while (end < text.length() && Character.isDigit(text.charAt(end))) end++;
                        }
                    }
                    tokens.add(new Token(Kind.NUMBER, text.substring(i, end), position));
                    i = end;
                } else if (Character.isLetter(c) || c == '_') {
                    int end = i;
                    while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) end++;
                    String word = text.substring(i, end);
                    tokens.add(new Token(Character.isLowerCase(c) ? Kind.ID : Kind.WORD, word, position));
                    i = end;
                } else if (c == '"' || c == '\'') {
                    int close = text.indexOf(c, i + 1);
                    if (close < 0) throw new MathException("Unterminated string at position " + position + ".");
                    tokens.add(new Token(Kind.STRING, text.substring(i + 1, close), position));
                    i = close + 1;
                } else {
                    int at = i;
                    String symbol = SYMBOLS.stream().filter(s -> text.startsWith(s, at)).findFirst()
                            .orElseThrow(() -> new MathException("Unexpected character '" + c + "' at position " + position + "."));
                    tokens.add(new Token(Kind.SYMBOL, symbol, position));
                    i += symbol.length();
                }
            }
            tokens.add(new Token(Kind.END, "", text.length() + 1));
        }

        private Token peek() {
            return tokens.get(next);
        }

        private boolean accept(String... symbols) {
            for (String symbol : symbols) {
                if (peek().is(symbol)) {
                    next++;
                    return true;
                }
            }
            return false;
        }

        private void expect(String symbol) {
            if (!accept(symbol)) {
                throw new MathException("Expected '" + symbol + "' but found " + peek().describe() + ".");
            }
        }

        private static MathException unexpected(Token token) {
            return new MathException("Unexpected " + token.describe() + ".");
        }

        private Node or() {
            Node left = and();
            while (accept("||", "OR")) left = new Binary("OR", left, and());
            return left;
        }

        private Node and() {
            Node left = comparison();
            while (accept("&&", "AND")) left = new Binary("AND", left, comparison());
            return left;
        }

        private Node comparison() {
            Node left = additive();
            while (true) {
                String op = peek().text();
                if (!accept("==", "!=", "<=", ">=", "<", ">")) return left;
                left = new Binary(op, left, additive());
            }
        }

        private Node additive() {
            Node left = multiplicative();
            while (true) {
                String op = peek().text();
                if (!accept("+", "-")) return left;
                left = new Binary(op, left, multiplicative());
            }
        }

        private Node multiplicative() {
            Node left = unary();
            while (true) {
                String op = peek().text();
                if (!accept("*", "/")) return left;
                left = new Binary(op, left, unary());
            }
        }

        private Node unary() {
            if (accept("-")) return new Negation(unary());
            return power();
        }

        private Node power() {
            Node base = primary();
            if (accept("^")) return new Binary("^", base, unary());
            return base;
        }

        private Node primary() {
            Token token = peek();
            next++;
            switch (token.kind()) {
                case NUMBER -> {
                    try {
                        return new Num(Double.parseDouble(token.text()));
                    } catch (NumberFormatException e) {
                        throw new MathException("Invalid number '" + token.text() + "' at position " + token.position() + ".");
                    }
                }
                case ID -> {
                    return new Ref(token.text());
                }
                case STRING -> {
                    return new Text(token.text());
                }
                case WORD -> {
                    if (accept("(")) return new Call(token.text(), list(")"));
                    return new Word(token.text());
                }
                case SYMBOL -> {
                    if (token.is("(")) {
                        Node inner = or();
                        expect(")");
                        return inner;
                    }
                    if (token.is("[")) return new ArrayLiteral(list("]"));
                    throw unexpected(token);
                }
                default -> throw unexpected(token);
            }
        }

        private List<Node> list(String close) {
            List<Node> items = new ArrayList<>();
            if (accept(close)) return items;
            do {
                items.add(or());
            } while (accept(","));
            expect(close);
            return items;
        }
    }
}
