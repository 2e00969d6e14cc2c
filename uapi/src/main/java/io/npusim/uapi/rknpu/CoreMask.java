package io.npusim.uapi.rknpu;

/**
 * Values of {@code core_mask} in rknpu_submit and rknpu_mem_create ({@code RKNPU_CORE*_MASK} in
 * rknpu_job.h 0.9.8). The combinations are the ones rknpu_job_commit handles; 0x5 and 0x6 pass
 * validation (mask not above the SoC's 0x7) but match no case and are never committed.
 */
public final class CoreMask {
    /** {@code RKNPU_CORE_AUTO_MASK}: the driver picks the core with the fewest queued tasks. */
    public static final int AUTO = 0x0;
    public static final int CORE0 = 0x1;
    public static final int CORE1 = 0x2;
    public static final int CORE2 = 0x4;
    /** Cores 0 and 1 together (gang start). */
    public static final int CORE0_1 = CORE0 | CORE1;
    /** All three cores together (gang start). */
    public static final int CORE0_1_2 = CORE0 | CORE1 | CORE2;
    /** The RK3588 config's {@code core_mask}: the largest value SUBMIT accepts. */
    public static final int RK3588_ALL = CORE0_1_2;

    private CoreMask() {}

    /** The mask of a single core index (rknpu_core_mask). */
    public static int ofCore(int coreIndex) {
        if (coreIndex < 0 || coreIndex > 2) {
            throw new IllegalArgumentException("RK3588 has NPU cores 0..2, not " + coreIndex);
        }
        return 1 << coreIndex;
    }
}
