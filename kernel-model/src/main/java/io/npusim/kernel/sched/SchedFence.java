package io.npusim.kernel.sched;

import io.npusim.kernel.drm.DmaFence;

/**
 * struct drm_sched_fence: the two fences a job exposes once armed, on its entity's two timelines
 * (scheduled = entity context, finished = entity context + 1, same seqno), and the hardware fence
 * ({@code parent}) the driver's run_job returned (rocket-upstream.md §3.1, sched_fence.c).
 * "Scheduled" signals when run_job returned; "finished" when the hardware fence signalled (or the
 * job was cancelled), just after the scheduler took back the job's credits and score.
 */
public final class SchedFence {
    private DmaFence scheduled;
    private DmaFence finished;
    private DmaFence parent;
    private DrmGpuScheduler sched;

    SchedFence() {}

    /** drm_sched_fence_init, at drm_sched_job_arm. */
    void init(long entityContext, long seqno, DrmGpuScheduler s) {
        this.sched = s;
        this.scheduled = new DmaFence(entityContext, seqno, s.name());
        this.finished = new DmaFence(entityContext + 1, seqno, s.name());
    }

    /** Null until the job is armed. */
    public DmaFence scheduled() {
        return scheduled;
    }

    /** Null until the job is armed. This is the fence drivers put in dma_resv and hand out. */
    public DmaFence finished() {
        return finished;
    }

    /** The hardware fence, null before run_job, when run_job returned null, or after drm_sched_stop. */
    public DmaFence parent() {
        return parent;
    }

    void setParent(DmaFence f) {
        parent = f;
    }

    /** The scheduler the job was armed on (s_fence->sched). */
    public DrmGpuScheduler sched() {
        return sched;
    }
}
