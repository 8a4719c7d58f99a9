package io.eddy.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    static Statistics oneToHundred() {
        Statistics stats = new Statistics();
        double[] values = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        double[] counts = new double[100];
        java.util.Arrays.fill(counts, 1);
        stats.add(Datapoint.ofValues("None", values, counts));
        return stats;
    }

    @Test
    void basicStatistics() {
        Statistics stats = oneToHundred();
        assertThat(stats.basic("SampleCount")).isEqualTo(100);
        assertThat(stats.basic("Sum")).isEqualTo(5050);
        assertThat(stats.basic("Average")).isEqualTo(50.5);
        assertThat(stats.basic("Minimum")).isEqualTo(1);
        assertThat(stats.basic("Maximum")).isEqualTo(100);
    }

    @Test
    void percentileFamily() {
        Statistics stats = oneToHundred();
        assertThat(stats.extended("p0")).isEqualTo(1);
        assertThat(stats.extended("p50")).isEqualTo(50);
        assertThat(stats.extended("p99.5")).isEqualTo(100);
        assertThat(stats.extended("tm90")).isCloseTo(45.5, within(1e-9));
        assertThat(stats.extended("TM(10%:90%)")).isCloseTo(50.5, within(1e-9));
        assertThat(stats.extended("tc90")).isEqualTo(90);
        assertThat(stats.extended("ts(:10)")).isEqualTo(55);
        // values below p10 (10) become 10, values above p90 (90) become 90
        assertThat(stats.extended("wm(10%:90%)")).isCloseTo(50.4, within(1e-9));
        assertThat(stats.extended("PR(:25)")).isEqualTo(25);
        assertThat(stats.extended("PR(50:100)")).isEqualTo(50);
        assertThat(stats.extended("iqm")).isCloseTo(50.5, within(1e-9));
        assertThat(Statistics.isExtended("p101")).isFalse();
        assertThat(Statistics.isExtended("median")).isFalse();
    }

    @Test
    void statisticSetsOnlyAnswerDistributionStatisticsWhenTheyHoldOneValue() {
        Statistics identical = new Statistics();
        identical.add(Datapoint.ofStatisticSet("None", 4, 20, 5, 5));
        assertThat(identical.extended("p50")).isEqualTo(5);
        Statistics spread = new Statistics();
        spread.add(Datapoint.ofStatisticSet("None", 4, 40, 5, 15));
        assertThat(spread.extended("p50")).isNull();
        assertThat(spread.basic("Average")).isEqualTo(10);
    }
}
