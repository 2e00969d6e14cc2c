package io.npusim.kernel.sched;

/**
 * enum drm_gpu_sched_stat, what {@link SchedBackend#timedOutJob} returns (gpu_scheduler.h, 6.17+;
 * rocket-upstream.md §3.5).
 */
public enum TimeoutStatus {
    /** The driver reset the hardware (it called drm_sched_stop / drm_sched_start). */
    RESET,
    /** False timeout: the job is alive; it goes back to the head of the pending list. */
    NO_HANG,
    /** The device is gone: the TDR is not re-armed. */
    ENODEV
}
