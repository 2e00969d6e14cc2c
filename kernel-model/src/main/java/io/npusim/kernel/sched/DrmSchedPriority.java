package io.npusim.kernel.sched;

/**
 * enum drm_sched_priority (include/drm/gpu_scheduler.h): KERNEL is the highest. With FIFO and RR
 * each scheduler has one run queue per priority, visited from KERNEL down (rocket-upstream.md
 * §3.1, §3.2); with FAIR all priorities share one run queue and the priority only scales the
 * virtual runtime ({@link #vruntimeShift()}).
 */
public enum DrmSchedPriority {
    KERNEL(1),
    HIGH(2),
    NORMAL(4),
    LOW(7);

    private final int vruntimeShift;

    DrmSchedPriority(int vruntimeShift) {
        this.vruntimeShift = vruntimeShift;
    }

    /**
     * vruntime_shift[] of the fair policy (sched_rq.c): GPU time is shifted left by this much to
     * get virtual time, so KERNEL gets about 2x the time of HIGH, HIGH 4x NORMAL, NORMAL 8x LOW.
     */
    public int vruntimeShift() {
        return vruntimeShift;
    }
}
