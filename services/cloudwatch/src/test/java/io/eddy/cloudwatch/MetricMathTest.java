package io.eddy.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

/** Metric math over series laid out minute by minute; {@code null} is a minute without a datapoint. */
class MetricMathTest {

    static final long MINUTE = 60_000;
    static final int MINUTES = 5;
    /** The request's range holds five one-minute periods. */
    static final IntFunction<long[]> GRID = period -> {
        long step = period * 1000L;
        long[] starts = new long[(int) (MINUTES * MINUTE / step)];
        for (int i = 0; i < starts.length; i++) starts[i] = i * step;
        return starts;
    };

    static MetricMath.MetricInput metric(String id, Double... perMinute) {
        NavigableMap<Long, Double> points = new TreeMap<>();
        for (int i = 0; i < perMinute.length; i++) if (perMinute[i] != null) points.put(i * MINUTE, perMinute[i]);
        return new MetricMath.MetricInput(id, id.toUpperCase(), 60, () -> points);
    }

    static List<MetricMath.Series> evaluate(String expression, MetricMath.MetricInput... metrics) {
        MetricMath math = new MetricMath(List.of(metrics), List.of(new MetricMath.ExpressionInput("e1", null, expression)), GRID);
        assertThat(math.check()).isEmpty();
        assertThat(math.evaluate(Set.of("e1"))).isEmpty();
        return math.result("e1");
    }

    /** The single series {@code expression} answers, minute by minute. */
    static List<Double> values(String expression, MetricMath.MetricInput... metrics) {
        List<MetricMath.Series> result = evaluate(expression, metrics);
        assertThat(result).hasSize(1);
        return minutes(result.getFirst());
    }

    static List<Double> minutes(MetricMath.Series series) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < MINUTES; i++) out.add(series.points().get(i * MINUTE));
        return out;
    }

    static List<Double> of(Double... values) {
        return Arrays.asList(values);
    }

    static List<String> problems(List<MetricMath.ExpressionInput> expressions, MetricMath.MetricInput... metrics) {
        MetricMath math = new MetricMath(List.of(metrics), expressions, GRID);
        List<String> problems = math.check();
        if (!problems.isEmpty()) return problems;
        return math.evaluate(Set.of("e1"));
    }

    static List<String> problems(String expression, MetricMath.MetricInput... metrics) {
        return problems(List.of(new MetricMath.ExpressionInput("e1", null, expression)), metrics);
    }

    @Test
    void operatorsFollowUsualPrecedenceWithPowerAboveLeadingMinus() {
        MetricMath.MetricInput m1 = metric("m1", 1.0, 2.0, 3.0, null, null);
        assertThat(values("m1 * -2^2 + 10 / 5 * 3", m1)).isEqualTo(of(2.0, -2.0, -6.0, null, null));
        assertThat(values("2^-1 * m1 - (1 - 2 - 3)", m1)).isEqualTo(of(4.5, 5.0, 5.5, null, null));
        assertThat(values("2^3^2 + m1 * 0", m1)).isEqualTo(of(512.0, 512.0, 512.0, null, null));
        assertThat(values("m1 > 1 AND m1 < 3 || m1 == 1", m1)).isEqualTo(of(1.0, 1.0, 0.0, null, null));
        assertThat(values("(m1 >= 2) + (m1 == 1) * 10", m1)).isEqualTo(of(10.0, 1.0, 1.0, null, null));
        assertThat(values("m1 != 2 && m1 <= 3 OR 0", m1)).isEqualTo(of(1.0, 0.0, 1.0, null, null));
    }

    @Test
    void comparisonsTreatAMissingDatapointAsZeroAsTheGuideShows() {
        MetricMath.MetricInput metric1 = metric("metric1", 30.0, 20.0, 0.0, 0.0);
        MetricMath.MetricInput metric2 = metric("metric2", 20.0, null, 20.0, null);
        assertThat(values("(metric1 < metric2)", metric1, metric2)).isEqualTo(of(0.0, 0.0, 1.0, 0.0, null));
        assertThat(values("(metric1 >= 30)", metric1, metric2)).isEqualTo(of(1.0, 0.0, 0.0, 0.0, null));
        assertThat(values("(metric1 > 15 AND metric2 > 15)", metric1, metric2)).isEqualTo(of(1.0, 0.0, 0.0, 0.0, null));
        assertThat(values("metric1 - metric2", metric1, metric2)).isEqualTo(of(10.0, 20.0, -20.0, 0.0, null));
    }

    @Test
    void ifFollowsTheGuidesTables() {
        MetricMath.MetricInput metric1 = metric("metric1", 1.0, 1.0, 0.0, 0.0, null);
        MetricMath.MetricInput metric2 = metric("metric2", 30.0, null, 0.0, 0.0, 30.0);
        MetricMath.MetricInput metric3 = metric("metric3", 0.0, 0.0, 20.0, null, 20.0);
        MetricMath.MetricInput[] all = {metric1, metric2, metric3};
        assertThat(values("IF(metric1, metric2, metric3)", all)).isEqualTo(of(30.0, 0.0, 20.0, null, null));
        assertThat(values("IF(metric1, 5, metric3)", all)).isEqualTo(of(5.0, 5.0, 20.0, null, null));
        assertThat(values("IF(metric1, metric2, 5)", all)).isEqualTo(of(30.0, 0.0, 5.0, 5.0, null));
        assertThat(values("IF(metric1, metric2)", all)).isEqualTo(of(30.0, 0.0, null, null, null));
        assertThat(values("IF(metric3 < 10, 1, 0)", all)).isEqualTo(of(1.0, 1.0, 0.0, null, 0.0));
        assertThat(values("IF(MAX(metric2) > 20, metric3, metric1)", all)).isEqualTo(of(0.0, 0.0, 20.0, null, 20.0));
        assertThat(values("IF(0, metric3)", all)).isEqualTo(of(null, null, null, null, null));
    }

    @Test
    void fillCompletesTheRangeFromAValueAnotherSeriesTheLastValueOrALine() {
        MetricMath.MetricInput m1 = metric("m1", null, 2.0, null, null, 8.0);
        MetricMath.MetricInput m2 = metric("m2", 7.0, 7.0, null, 7.0, 7.0);
        assertThat(values("FILL(m1, 0)", m1)).isEqualTo(of(0.0, 2.0, 0.0, 0.0, 8.0));
        assertThat(values("FILL(m1, MAX(m1) + 1)", m1)).isEqualTo(of(9.0, 2.0, 9.0, 9.0, 8.0));
        assertThat(values("FILL(m1, m2)", m1, m2)).isEqualTo(of(7.0, 2.0, null, 7.0, 8.0));
        assertThat(values("FILL(m1, REPEAT)", m1)).isEqualTo(of(null, 2.0, 2.0, 2.0, 8.0));
        assertThat(values("FILL(m1, LINEAR)", m1)).isEqualTo(of(null, 2.0, 4.0, 6.0, 8.0));
        List<MetricMath.Series> filled = evaluate("FILL(METRICS(), 1)", m1, m2);
        assertThat(filled).extracting(MetricMath.Series::label).containsExactly("M1", "M2");
        assertThat(minutes(filled.get(1))).isEqualTo(of(7.0, 7.0, 1.0, 7.0, 7.0));
    }

    @Test
    void differencesRatesAndRunningSumsStepFromDatapointToDatapoint() {
        MetricMath.MetricInput m1 = metric("m1", 1.0, null, 4.0, 6.0, null);
        assertThat(values("DIFF(m1)", m1)).isEqualTo(of(null, null, 3.0, 2.0, null));
        assertThat(values("DIFF_TIME(m1)", m1)).isEqualTo(of(null, null, 120.0, 60.0, null));
        assertThat(values("RATE(m1)", m1)).isEqualTo(of(null, null, 0.025, 2.0 / 60, null));
        assertThat(values("RUNNING_SUM(m1)", m1)).isEqualTo(of(1.0, null, 5.0, 11.0, null));
        assertThat(values("m1 / PERIOD(m1)", m1)).isEqualTo(of(1.0 / 60, null, 4.0 / 60, 0.1, null));
        assertThat(values("ABS(-m1) + CEIL(m1 / 4) + FLOOR(m1 / 4)", m1)).isEqualTo(of(2.0, null, 6.0, 9.0, null));
        assertThat(values("LOG10(m1 * 25) + LOG(m1 * 0 + 1)", m1).get(2)).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void aggregatesMakeOneSeriesOfAnArrayAndAScalarOfOneSeries() {
        MetricMath.MetricInput a = metric("errorsA", 1.0, 2.0, null, 4.0);
        MetricMath.MetricInput b = metric("errorsB", 3.0, null, null, 8.0);
        MetricMath.MetricInput c = metric("requests", 10.0, 10.0, 10.0, 10.0);
        MetricMath.MetricInput[] all = {a, b, c};
        assertThat(values("SUM(METRICS(\"errors\"))", all)).isEqualTo(of(4.0, 2.0, null, 12.0, null));
        assertThat(values("AVG([errorsA, errorsB])", all)).isEqualTo(of(2.0, 1.0, null, 6.0, null));
        assertThat(values("MIN(METRICS())", all)).isEqualTo(of(1.0, 2.0, 10.0, 4.0, null));
        assertThat(values("MAX([METRICS(\"A\"), METRICS(\"B\")])", all)).isEqualTo(of(3.0, 2.0, null, 8.0, null));
        assertThat(values("STDDEV([errorsA, errorsB])", all)).isEqualTo(of(1.0, 0.0, null, 2.0, null));
        assertThat(values("DATAPOINT_COUNT(METRICS())", all)).isEqualTo(of(3.0, 2.0, 1.0, 3.0, null));
        assertThat(values("errorsB - AVG(errorsB) + SUM(errorsA) * 0", all)).isEqualTo(of(-2.5, null, null, 2.5, null));
        assertThat(values("requests * 0 + STDDEV(errorsB) + MIN(errorsA) + MAX(errorsA)", all))
                .isEqualTo(of(7.5, 7.5, 7.5, 7.5, null));
        assertThat(values("requests / METRIC_COUNT(METRICS())", all).getFirst()).isCloseTo(10.0 / 3, within(1e-12));
        assertThat(values("LAST(METRICS(\"errors\"))", all)).isEqualTo(of(3.0, null, null, 8.0, null));
        assertThat(evaluate("REMOVE_EMPTY(METRICS())", a, b, c, metric("silent"))).hasSize(3);
    }

    @Test
    void arraysCarryTheirMetricsLabelsAfterTheExpressionsLabel() {
        MetricMath.MetricInput m1 = metric("m1", 1.0);
        MetricMath.MetricInput m2 = metric("m2", 2.0);
        MetricMath math = new MetricMath(List.of(m1, m2), List.of(
                new MetricMath.ExpressionInput("e1", "Doubled", "METRICS() * 2"),
                new MetricMath.ExpressionInput("e2", null, "-e1"),
                new MetricMath.ExpressionInput("e3", null, "SUM(e1)"),
                new MetricMath.ExpressionInput("e4", "Total", "SUM(e1)")), GRID);
        assertThat(math.check()).isEmpty();
        assertThat(math.evaluate(Set.of("e1", "e2", "e3", "e4"))).isEmpty();
        assertThat(math.result("e1")).extracting(MetricMath.Series::label).containsExactly("Doubled M1", "Doubled M2");
        assertThat(math.result("e2")).extracting(MetricMath.Series::label).containsExactly("Doubled M1", "Doubled M2");
        assertThat(math.result("e2")).extracting(s -> s.points().firstEntry().getValue()).containsExactly(-2.0, -4.0);
        assertThat(math.result("e3")).extracting(MetricMath.Series::label).containsExactly("e3");
        assertThat(math.result("e4")).extracting(MetricMath.Series::label).containsExactly("Total");
        assertThat(math.result("m2")).extracting(MetricMath.Series::label).containsExactly("M2");
    }

    @Test
    void nonNumericResultsAreDroppedAndRemembered() {
        MetricMath.MetricInput errors = metric("errors", 1.0, 0.0, 3.0);
        MetricMath.MetricInput calls = metric("calls", 4.0, 0.0, 0.0);
        List<MetricMath.Series> rate = evaluate("100 * errors / calls", errors, calls);
        assertThat(minutes(rate.getFirst())).isEqualTo(of(25.0, null, null, null, null));
        assertThat(rate.getFirst().droppedNonNumeric()).isTrue();
        assertThat(evaluate("FILL(errors / calls, 0)", errors, calls).getFirst())
                .satisfies(s -> assertThat(minutes(s)).isEqualTo(of(0.25, 0.0, 0.0, 0.0, 0.0)))
                .satisfies(s -> assertThat(s.droppedNonNumeric()).isTrue());
        assertThat(evaluate("errors + calls", errors, calls).getFirst().droppedNonNumeric()).isFalse();
    }

    @Test
    void badExpressionsAreReportedOneLinePerExpression() {
        MetricMath.MetricInput m1 = metric("m1", 1.0);
        assertThat(problems("m1 +", m1)).containsExactly("Error in expression e1: Unexpected end of expression.");
        assertThat(problems("(m1 * 2", m1)).containsExactly("Error in expression e1: Expected ')' but found end of expression.");
        assertThat(problems("m1 # 2", m1)).containsExactly("Error in expression e1: Unexpected character '#' at position 4.");
        // the guide's logical operators are AND and OR only
        assertThat(problems("!(m1 > 2)", m1)).containsExactly("Error in expression e1: Unexpected character '!' at position 1.");
        assertThat(problems("m1 m1", m1)).containsExactly("Error in expression e1: Unexpected 'm1' at position 4.");
        assertThat(problems("m1 + m9", m1)).containsExactly("Error in expression e1: Unrecognized Id m9.");
        assertThat(problems("MEDIAN(m1)", m1)).containsExactly("Error in expression e1: Unknown function MEDIAN.");
        assertThat(problems("SEARCH('{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\"', 'Average', 300)", m1))
                .containsExactly("Error in expression e1: Eddy does not evaluate the function SEARCH.");
        assertThat(problems("m1 + DESC", m1)).containsExactly("Error in expression e1: Unexpected word DESC.");
        assertThat(problems("SORT(METRICS(), AVG, DESC)", m1))
                .containsExactly("Error in expression e1: Eddy does not evaluate the function SORT.");
        assertThat(problems("SELECT AVG(CPUUtilization) FROM \"AWS/EC2\"", m1))
                .containsExactly("Error in expression e1: Eddy does not evaluate Metrics Insights queries.");
        assertThat(problems("FILL(m1)", m1)).containsExactly("Error in expression e1: FILL takes 2 arguments, not 1.");
        assertThat(problems("FILL(m1, REPEAT) + REPEAT", m1))
                .containsExactly("Error in expression e1: REPEAT is only valid as the second argument of FILL.");
        assertThat(problems("AVG(m1)", m1)).containsExactly("Error in expression e1: The result is a scalar; an expression"
                + " must return a time series or an array of time series.");
        assertThat(problems("ABS(3)", m1)).containsExactly(
                "Error in expression e1: ABS takes a time series or an array of time series, not a scalar.");
        assertThat(problems("METRICS() + [m1, m1]", m1))
                .containsExactly("Error in expression e1: Arrays of 1 and 2 time series cannot be combined.");
        assertThat(problems(List.of(new MetricMath.ExpressionInput("e1", null, "m1 * 2"),
                new MetricMath.ExpressionInput("e2", null, "PERIOD(e1)")), m1))
                .containsExactly("Error in expression e2: PERIOD takes the Id of a MetricStat query.");
    }

    @Test
    void referenceCyclesAreReportedOnceEach() {
        MetricMath.MetricInput m1 = metric("m1", 1.0);
        assertThat(problems(List.of(new MetricMath.ExpressionInput("e1", null, "e2 + m1"),
                new MetricMath.ExpressionInput("e2", null, "e3 * 2"),
                new MetricMath.ExpressionInput("e3", null, "e1 - 1"),
                new MetricMath.ExpressionInput("e4", null, "e4 + 1"),
                new MetricMath.ExpressionInput("e5", null, "e2")), m1))
                .containsExactly("Error in expression e1: Circular reference e1 -> e2 -> e3 -> e1.",
                        "Error in expression e4: Circular reference e4 -> e4.");
    }

    @Test
    void aScalarExpressionThatIsNotReturnedCanBeUsedByAnother() {
        MetricMath.MetricInput m1 = metric("m1", 2.0, 4.0);
        MetricMath math = new MetricMath(List.of(m1), List.of(new MetricMath.ExpressionInput("mean", null, "AVG(m1)"),
                new MetricMath.ExpressionInput("e1", null, "m1 - mean")), GRID);
        assertThat(math.check()).isEmpty();
        assertThat(math.evaluate(Set.of("e1"))).isEmpty();
        assertThat(minutes(math.result("e1").getFirst())).isEqualTo(of(-1.0, 1.0, null, null, null));
    }
}
