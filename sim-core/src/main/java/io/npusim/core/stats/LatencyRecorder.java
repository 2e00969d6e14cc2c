package io.npusim.core.stats;

import org.HdrHistogram.Histogram;

/**
 * Latencies of one kind (frames of a client, tokens of a chat). Percentiles come from an
 * HdrHistogram in nanoseconds with 3 significant digits (0.1% resolution); count, sum, min and
 * max are kept exactly in picoseconds, so the mean is exact.
 */
public final class LatencyRecorder {
    private static final long HIGHEST_NS = 3_600_000_000_000L; // one hour
    private final Histogram histogram = new Histogram(1, HIGHEST_NS, 3);
    private long count;
    private long sumPs;
    private long minPs = Long.MAX_VALUE;
    private long maxPs = Long.MIN_VALUE;

    public void record(long latencyPs) {
        if (latencyPs < 0) throw new IllegalArgumentException("negative latency " + latencyPs);
        long ns = Math.max(1, Math.min(HIGHEST_NS, (latencyPs + 500) / 1000));
        histogram.recordValue(ns);
        count++;
        sumPs += latencyPs;
        minPs = Math.min(minPs, latencyPs);
        maxPs = Math.max(maxPs, latencyPs);
    }

    public long count() {
        return count;
    }

    public long sumPs() {
        return sumPs;
    }

    public double meanPs() {
        return count == 0 ? 0 : sumPs / (double) count;
    }

    public long minPs() {
        return count == 0 ? 0 : minPs;
    }

    public long maxPs() {
        return count == 0 ? 0 : maxPs;
    }

    /** Percentile in picoseconds (resolution 0.1%); {@code p} in [0, 100]. */
    public long percentilePs(double p) {
        if (count == 0) return 0;
        long ns = histogram.getValueAtPercentile(p);
        long ps = histogram.highestEquivalentValue(ns) * 1000L;
        return Math.min(Math.max(ps, minPs), maxPs);
    }

    /** Points (latency ps, cumulative fraction) for a CDF plot, one per distinct bucket. */
    public double[][] cdf() {
        if (count == 0) return new double[0][];
        java.util.List<double[]> pts = new java.util.ArrayList<>();
        long seen = 0;
        for (var v : histogram.recordedValues()) {
            seen += v.getCountAtValueIteratedTo();
            pts.add(new double[] {histogram.highestEquivalentValue(v.getValueIteratedTo()) * 1000.0, seen / (double) count});
        }
        return pts.toArray(new double[0][]);
    }
}
