package io.npusim.kernel.sched;

import io.npusim.kernel.drm.DmaFence;

/**
 * struct drm_sched_backend_ops: the driver side of a {@link DrmGpuScheduler}. All calls come from
 * the scheduler in simulated kernel context at one instant; a driver that needs CPU time charges it
 * itself (e.g. {@code kernel.kernelCpu(...)}) and signals the returned hardware fence later.
 */
public interface SchedBackend {
    /**
     * run_job: start the job on the hardware and return its hardware fence (the job is done when
     * it signals; its error becomes the finished fence's error), or null when the job has nothing
     * to run or already failed (set the error on {@code job.finishedFence()} first): the job then
     * completes at once.
     */
    DmaFence runJob(SchedJob job);

    /**
     * timedout_job: called by the TDR {@code timeoutPs} after the job began. A driver that resets
     * calls {@link DrmGpuScheduler#stop(SchedJob)} with this job, resets, then
     * {@link DrmGpuScheduler#start(int)}, and returns {@link TimeoutStatus#RESET}.
     */
    TimeoutStatus timedOutJob(SchedJob job);

    /** free_job: the job left the pending list after its finished fence signalled. */
    void freeJob(SchedJob job);

    /**
     * prepare_job (optional): extra dependencies asked for after the job's own ones are resolved;
     * null when there are none left.
     */
    default DmaFence prepareJob(SchedJob job, SchedEntity entity) {
        return null;
    }
}
