package io.npusim.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.npusim.core.time.Time;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void latencyRecorderHasExactMeanAndPercentilesWithinResolution() {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 1; i <= 100; i++) r.record(Time.ms(i));
        assertThat(r.count()).isEqualTo(100);
        assertThat(r.meanPs()).isEqualTo(Time.ms(1) * 50.5);
        assertThat(Time.toMs(r.percentilePs(50))).isCloseTo(50, within(0.1));
        assertThat(Time.toMs(r.percentilePs(99))).isCloseTo(99, within(0.1));
        assertThat(r.maxPs()).isEqualTo(Time.ms(100));
        assertThat(r.percentilePs(100)).isEqualTo(Time.ms(100));
        double[][] cdf = r.cdf();
        assertThat(cdf[cdf.length - 1][1]).isEqualTo(1.0);
    }

    @Test
    void timeWeightedAverageIntegratesExactly() {
        TimeWeighted q = new TimeWeighted(0);
        q.set(2, 0);
        q.set(4, 10);
        q.set(0, 30);
        assertThat(q.area(40)).isEqualTo(2 * 10 + 4 * 20);
        assertThat(q.mean(40)).isCloseTo(100 / 40.0, within(1e-12));
        assertThat(q.max()).isEqualTo(4);
    }

    @Test
    void bucketSeriesSplitsIntervalsByTime() {
        BucketSeries s = new BucketSeries(100);
        s.addInterval(50, 250);
        assertThat(s.sums()).containsExactly(50, 100, 50);
        s.addSpread(0, 100, 10);
        assertThat(s.sum(0)).isEqualTo(60);
        assertThat(s.buckets()).isEqualTo(3);
    }
}
