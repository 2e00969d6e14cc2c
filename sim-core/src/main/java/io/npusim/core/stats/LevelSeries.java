package io.npusim.core.stats;

/**
 * A piecewise-constant level (queue depth, bytes held) averaged per time bucket for plots over
 * time: each bucket holds the time-weighted mean of the level over it.
 */
public final class LevelSeries {
    private final BucketSeries area;
    private double level;
    private long sincePs;

    public LevelSeries(long bucketPs) {
        this.area = new BucketSeries(bucketPs);
    }

    public void set(double newLevel, long nowPs) {
        if (nowPs > sincePs && level != 0) area.addSpread(sincePs, nowPs, level * (nowPs - sincePs));
        sincePs = Math.max(sincePs, nowPs);
        level = newLevel;
    }

    public double level() {
        return level;
    }

    /** Mean level per bucket up to {@code nowPs}. */
    public double[] means(long nowPs) {
        set(level, nowPs);
        double[] sums = area.sums();
        int n = (int) Math.max(sums.length, nowPs / area.bucketPs());
        double[] out = new double[n];
        for (int i = 0; i < sums.length; i++) out[i] = sums[i] / area.bucketPs();
        return out;
    }

    public long bucketPs() {
        return area.bucketPs();
    }
}
