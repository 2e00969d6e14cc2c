package io.npusim.core.random;

/**
 * A random stream for one component: xoshiro256** seeded by SplitMix64. Implemented here (not
 * {@link java.util.SplittableRandom}) so that the sequence is fixed by this code, not by the JDK.
 */
public final class RngStream {
    private long s0, s1, s2, s3;
    private final String path;
    private double spareGaussian;
    private boolean hasSpare;

    RngStream(long seed, String path) {
        this.path = path;
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
        if ((s0 | s1 | s2 | s3) == 0) s0 = 1; // the all-zero state is a fixed point
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public String path() {
        return path;
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), without modulo bias. */
    public long nextLong(long bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        long m = bound - 1;
        long r = nextLong() >>> 1;
        if ((bound & m) == 0) return r & m;
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
            // rejection keeps the distribution exact
        }
        return r;
    }

    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in [lo, hi]. */
    public long uniform(long lo, long hi) {
        if (hi < lo) throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        return lo + nextLong(hi - lo + 1);
    }

    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Standard normal (Marsaglia polar method). */
    public double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u, v, s;
        do {
            u = nextDouble() * 2 - 1;
            v = nextDouble() * 2 - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * f;
        hasSpare = true;
        return u * f;
    }

    public double exponential(double mean) {
        return -mean * Math.log(1 - nextDouble());
    }

    /** Log-normal with the given mean and coefficient of variation of the result. */
    public double logNormal(double mean, double cv) {
        if (cv <= 0) return mean;
        double sigma2 = Math.log(1 + cv * cv);
        double mu = Math.log(mean) - sigma2 / 2;
        return Math.exp(mu + Math.sqrt(sigma2) * gaussian());
    }
}
