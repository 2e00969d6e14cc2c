package io.npusim.core.time;

/**
 * Simulated time is a {@code long} count of picoseconds everywhere. These helpers convert to and
 * from larger units; conversions to coarser units round toward zero unless named otherwise.
 */
public final class Time {
    public static final long PS_PER_NS = 1_000L;
    public static final long PS_PER_US = 1_000_000L;
    public static final long PS_PER_MS = 1_000_000_000L;
    public static final long PS_PER_S = 1_000_000_000_000L;
    /** Longest simulated span we allow (about 106 days), far from overflow in sums of spans. */
    public static final long MAX_PS = Long.MAX_VALUE / 1024;

    private Time() {}

    public static long ns(long ns) {
        return Math.multiplyExact(ns, PS_PER_NS);
    }

    public static long us(long us) {
        return Math.multiplyExact(us, PS_PER_US);
    }

    public static long ms(long ms) {
        return Math.multiplyExact(ms, PS_PER_MS);
    }

    public static long seconds(long s) {
        return Math.multiplyExact(s, PS_PER_S);
    }

    /** Converts a (possibly fractional) count of a unit to picoseconds, rounding to nearest. */
    public static long fromNs(double ns) {
        return Math.round(ns * PS_PER_NS);
    }

    public static long fromUs(double us) {
        return Math.round(us * PS_PER_US);
    }

    public static long fromMs(double ms) {
        return Math.round(ms * PS_PER_MS);
    }

    public static long fromSeconds(double s) {
        return Math.round(s * PS_PER_S);
    }

    public static double toNs(long ps) {
        return ps / (double) PS_PER_NS;
    }

    public static double toUs(long ps) {
        return ps / (double) PS_PER_US;
    }

    public static double toMs(long ps) {
        return ps / (double) PS_PER_MS;
    }

    public static double toSeconds(long ps) {
        return ps / (double) PS_PER_S;
    }

    /** Human-readable span, e.g. "2.500 ms", for messages and narratives. */
    public static String format(long ps) {
        long abs = Math.abs(ps);
        if (abs >= PS_PER_S) return String.format("%.3f s", toSeconds(ps));
        if (abs >= PS_PER_MS) return String.format("%.3f ms", toMs(ps));
        if (abs >= PS_PER_US) return String.format("%.3f us", toUs(ps));
        if (abs >= PS_PER_NS) return String.format("%.3f ns", toNs(ps));
        return ps + " ps";
    }
}
