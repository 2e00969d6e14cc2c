package io.npusim.kernel.rknpu;

import java.util.ArrayDeque;

/** struct rknpu_subcore_data: one core's FIFO, its current job and its queued-plus-running task count. */
final class SubcoreQueue {
    final int core;
    final ArrayDeque<RknpuJob> todo = new ArrayDeque<>();
    RknpuJob job;
    long taskNum;
    long busyPs; // timer.busy_time
    long hwRecorderPs;
    boolean timeoutCleaning; // rknpu_job_timeout_clean owns this core's running job across its reset
    final java.util.List<Double> loadSamples = new java.util.ArrayList<>();

    SubcoreQueue(int core) {
        this.core = core;
    }
}
