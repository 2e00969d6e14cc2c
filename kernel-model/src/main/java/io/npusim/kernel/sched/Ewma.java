package io.npusim.kernel.sched;

/**
 * DECLARE_EWMA(drm_sched_avgtime, 6, 4) of the fair-policy series (include/linux/average.h): 6 bits
 * of fraction, weight reciprocal 4, so each new value weighs 1/4 and the old average 3/4 (the macro
 * shifts by ilog2(4) = 2). Integer arithmetic exactly as the macro.
 */
final class Ewma {
    private static final int PRECISION = 6;
    private static final int WEIGHT_SHIFT = 2; // ilog2(_weight_rcp = 4)
    private long internal;

    /** ewma_*_add; values are unsigned in the kernel, negatives are clamped to 0 here. */
    void add(long val) {
        long v = Math.max(0, val);
        internal = internal != 0
                ? (((internal << WEIGHT_SHIFT) - internal) + (v << PRECISION)) >>> WEIGHT_SHIFT
                : (v << PRECISION);
    }

    /** ewma_*_read. */
    long read() {
        return internal >>> PRECISION;
    }
}
