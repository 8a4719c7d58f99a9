package io.eddy.cloudwatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Aggregates the datapoints of one period and answers CloudWatch's statistics: the basic five and
 * the distribution statistics ({@code p99}, {@code tm90}, {@code TM(10%:90%)}, {@code wm}, {@code tc},
 * {@code ts}, {@code PR(a:b)}, {@code iqm}), which need raw values.
 */
final class Statistics {

    static final List<String> BASIC = List.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");

    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(\\.\\d{1,10})?|100(\\.0{1,10})?)");
    private static final Pattern SHORT_FORM = Pattern.compile("(tm|wm|tc|ts)(\\d{1,2}(\\.\\d{1,10})?|100)");
    private static final Pattern RANGE_FORM = Pattern.compile(
            "(tm|wm|tc|ts|pr)\\((?:(-?\\d+(?:\\.\\d+)?)(%?))?:(?:(-?\\d+(?:\\.\\d+)?)(%?))?\\)", Pattern.CASE_INSENSITIVE);

    private double sampleCount;
    private double sum;
    private double minimum = Double.POSITIVE_INFINITY;
    private double maximum = Double.NEGATIVE_INFINITY;
    private boolean distributionAvailable = true;
    private final List<double[]> weighted = new ArrayList<>();
    private boolean sorted;

    void add(Datapoint point) {
        sampleCount += point.sampleCount();
        sum += point.sum();
        minimum = Math.min(minimum, point.minimum());
        maximum = Math.max(maximum, point.maximum());
        if (!point.hasDistribution()) {
            distributionAvailable = false;
            return;
        }
        double[][] distribution = point.distribution();
        for (int i = 0; i < distribution[0].length; i++) {
            if (distribution[0][i] < 0) distributionAvailable = false;
            weighted.add(new double[] {distribution[0][i], distribution[1][i]});
        }
        sorted = false;
    }

    boolean isEmpty() {
        return sampleCount == 0 && weighted.isEmpty();
    }

    double basic(String statistic) {
        return switch (statistic) {
            case "SampleCount" -> sampleCount;
            case "Sum" -> sum;
            case "Average" -> sampleCount == 0 ? 0 : sum / sampleCount;
            case "Minimum" -> minimum;
            case "Maximum" -> maximum;
            default -> throw new IllegalArgumentException(statistic);
        };
    }

    /** Whether {@code statistic} names an extended statistic CloudWatch understands. */
    static boolean isExtended(String statistic) {
        return PERCENTILE.matcher(statistic).matches() || SHORT_FORM.matcher(statistic).matches()
                || RANGE_FORM.matcher(statistic).matches() || statistic.equalsIgnoreCase("iqm")
                || statistic.equals("wm") || statistic.equals("tm") || statistic.equals("tc") || statistic.equals("ts");
    }

    /** The value of an extended statistic, or null when the data cannot answer it (stat sets, negatives). */
    Double extended(String statistic) {
        if (!distributionAvailable || weighted.isEmpty()) return null;
        sortValues();
        Matcher p = PERCENTILE.matcher(statistic);
        if (p.matches()) return percentile(Double.parseDouble(p.group(1)));
        if (statistic.equalsIgnoreCase("iqm")) return trimmed("tm", 25, 75, true);
        Matcher s = SHORT_FORM.matcher(statistic);
        if (s.matches()) return trimmed(s.group(1), 0, Double.parseDouble(s.group(2)), true);
        if (List.of("tm", "wm", "tc", "ts").contains(statistic)) return trimmed(statistic, 0, 100, true);
        Matcher r = RANGE_FORM.matcher(statistic);
        if (r.matches()) {
            String kind = r.group(1).toLowerCase(Locale.ROOT);
            boolean lowPercent = r.group(3) != null && !r.group(3).isEmpty();
            boolean highPercent = r.group(5) != null && !r.group(5).isEmpty();
            boolean percent = lowPercent || highPercent;
            double low = r.group(2) == null ? (percent ? 0 : Double.NEGATIVE_INFINITY) : Double.parseDouble(r.group(2));
            double high = r.group(4) == null ? (percent ? 100 : Double.POSITIVE_INFINITY) : Double.parseDouble(r.group(4));
            if (kind.equals("pr")) return percentRank(low, high);
            return trimmed(kind, low, high, percent);
        }
        return null;
    }

    private void sortValues() {
        if (!sorted) {
            weighted.sort(Comparator.comparingDouble(v -> v[0]));
            sorted = true;
        }
    }

    private double totalWeight() {
        double total = 0;
        for (double[] v : weighted) total += v[1];
        return total;
    }

    /** Nearest-rank percentile over the weighted values. */
    private double percentile(double percent) {
        double total = totalWeight();
        double rank = Math.max(Math.ceil(percent / 100.0 * total), 1);
        double cumulative = 0;
        for (double[] v : weighted) {
            cumulative += v[1];
            if (cumulative >= rank) return v[0];
        }
        return weighted.get(weighted.size() - 1)[0];
    }

    /**
     * Trimmed mean/count/sum and winsorized mean. Percent bounds trim by rank (the lowest
     * {@code low}% and the highest {@code 100-high}% of samples); absolute bounds keep values in
     * {@code (low, high]}.
     */
    private Double trimmed(String kind, double low, double high, boolean percent) {
        double total = totalWeight();
        double keptWeight = 0;
        double keptSum = 0;
        if (kind.equals("wm")) {
            double lowValue = percent ? percentile(Math.max(low, 0)) : low;
            double highValue = percent ? percentile(Math.min(high, 100)) : high;
            double clampedSum = 0;
            for (double[] v : weighted) clampedSum += Math.min(Math.max(v[0], lowValue), highValue) * v[1];
            return clampedSum / total;
        }
        if (percent) {
            double from = low / 100.0 * total;
            double to = high / 100.0 * total;
            double cumulative = 0;
            for (double[] v : weighted) {
                double start = cumulative;
                cumulative += v[1];
                double overlap = Math.min(cumulative, to) - Math.max(start, from);
                if (overlap > 0) {
                    keptWeight += overlap;
                    keptSum += overlap * v[0];
                }
            }
        } else {
            for (double[] v : weighted) {
                if (v[0] > low && v[0] <= high) {
                    keptWeight += v[1];
                    keptSum += v[0] * v[1];
                }
            }
        }
        return switch (kind) {
            case "tc" -> keptWeight;
            case "ts" -> keptSum;
            default -> keptWeight == 0 ? null : keptSum / keptWeight;
        };
    }

    private double percentRank(double low, double high) {
        double total = totalWeight();
        double inRange = 0;
        for (double[] v : weighted) if (v[0] > low && v[0] <= high) inRange += v[1];
        return inRange / total * 100.0;
    }
}
