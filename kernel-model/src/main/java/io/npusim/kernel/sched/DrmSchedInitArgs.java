package io.npusim.kernel.sched;

/**
 * struct drm_sched_init_args, reduced to what the model uses.
 *
 * @param name       the scheduler (and its fences' timeline) name, e.g. "rocket-core0"
 * @param index      position of the scheduler in its device (for traces and summaries)
 * @param creditLimit credit_limit: credits of jobs that may be on the hardware at once (rocket: 1)
 * @param timeoutPs  TDR timeout from a job's start on the hardware (rocket: 500 ms), or
 *                   {@link DrmGpuScheduler#MAX_SCHEDULE_TIMEOUT} for none
 * @param policy     entity selection policy (FIFO is the kernel default)
 * @param workerCpu  CPU that runs the scheduler's work items, fence callbacks and TDR handler
 *                   (the submit_wq kworker); -1 for the kernel's IRQ CPU
 */
public record DrmSchedInitArgs(String name, int index, int creditLimit, long timeoutPs, SchedPolicy policy, int workerCpu) {
    public DrmSchedInitArgs {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("scheduler needs a name");
        if (creditLimit <= 0) throw new IllegalArgumentException("credit_limit must be positive, got " + creditLimit);
        if (timeoutPs <= 0) throw new IllegalArgumentException("timeout must be positive, got " + timeoutPs + " ps");
        if (policy == null) throw new IllegalArgumentException("policy is null");
    }

    /** FIFO policy, work on the IRQ CPU. */
    public static DrmSchedInitArgs of(String name, int index, int creditLimit, long timeoutPs) {
        return new DrmSchedInitArgs(name, index, creditLimit, timeoutPs, SchedPolicy.FIFO, -1);
    }

    public DrmSchedInitArgs withPolicy(SchedPolicy p) {
        return new DrmSchedInitArgs(name, index, creditLimit, timeoutPs, p, workerCpu);
    }

    public DrmSchedInitArgs withWorkerCpu(int cpu) {
        return new DrmSchedInitArgs(name, index, creditLimit, timeoutPs, policy, cpu);
    }

    public DrmSchedInitArgs withTimeoutPs(long ps) {
        return new DrmSchedInitArgs(name, index, creditLimit, ps, policy, workerCpu);
    }
}
