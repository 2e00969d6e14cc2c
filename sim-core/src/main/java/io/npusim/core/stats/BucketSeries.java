package io.npusim.core.stats;

import java.util.Arrays;

/**
 * A quantity accumulated into fixed time buckets for plots over time: busy picoseconds of a core
 * (utilisation), bytes moved (bandwidth), samples of a level. An interval [start, end) that spans
 * buckets is split exactly by time.
 */
public final class BucketSeries {
    private final long bucketPs;
    private double[] sums = new double[64];
    private int used;

    public BucketSeries(long bucketPs) {
        if (bucketPs <= 0) throw new IllegalArgumentException("bucket must be positive");
        this.bucketPs = bucketPs;
    }

    public long bucketPs() {
        return bucketPs;
    }

    /** Adds {@code amount} at instant {@code tPs}. */
    public void addAt(long tPs, double amount) {
        int b = bucket(tPs);
        sums[b] += amount;
    }

    /** Spreads {@code amount} uniformly over [startPs, endPs). */
    public void addSpread(long startPs, long endPs, double amount) {
        if (endPs <= startPs) {
            if (amount != 0) addAt(startPs, amount);
            return;
        }
        double perPs = amount / (endPs - startPs);
        long t = startPs;
        while (t < endPs) {
            int b = bucket(t);
            long bEnd = Math.min(endPs, (b + 1L) * bucketPs);
            sums[b] += perPs * (bEnd - t);
            t = bEnd;
        }
    }

    /** Adds the length of [startPs, endPs) to each bucket it covers (busy time). */
    public void addInterval(long startPs, long endPs) {
        addSpread(startPs, endPs, endPs - startPs);
    }

    public int buckets() {
        return used;
    }

    public double sum(int bucket) {
        return bucket < used ? sums[bucket] : 0;
    }

    public double[] sums() {
        return Arrays.copyOf(sums, used);
    }

    private int bucket(long tPs) {
        if (tPs < 0) throw new IllegalArgumentException("negative time");
        long b = tPs / bucketPs;
        if (b > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("series too long");
        int bi = (int) b;
        if (bi >= sums.length) sums = Arrays.copyOf(sums, Math.max(sums.length * 2, bi + 1));
        if (bi >= used) used = bi + 1;
        return bi;
    }
}
