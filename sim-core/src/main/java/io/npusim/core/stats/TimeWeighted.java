package io.npusim.core.stats;

/**
 * Time-weighted average of a piecewise-constant quantity (queue depth, bytes held, cores busy):
 * integrates value x time exactly in a double, with integer time.
 */
public final class TimeWeighted {
    private final long startPs;
    private long lastPs;
    private double value;
    private double area;
    private double max;

    public TimeWeighted(long startPs) {
        this.startPs = startPs;
        this.lastPs = startPs;
    }

    public void set(double newValue, long nowPs) {
        advance(nowPs);
        value = newValue;
        max = Math.max(max, newValue);
    }

    public void add(double delta, long nowPs) {
        set(value + delta, nowPs);
    }

    public double value() {
        return value;
    }

    public double max() {
        return max;
    }

    /** Integral of the value over [start, now], in value-picoseconds. */
    public double area(long nowPs) {
        return area + value * (nowPs - lastPs);
    }

    public double mean(long nowPs) {
        long span = nowPs - startPs;
        return span <= 0 ? value : area(nowPs) / span;
    }

    private void advance(long nowPs) {
        if (nowPs < lastPs) throw new IllegalArgumentException("time went backwards: " + nowPs + " < " + lastPs);
        area += value * (nowPs - lastPs);
        lastPs = nowPs;
    }
}
