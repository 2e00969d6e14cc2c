package io.npusim.kernel.rknpu;

import io.npusim.core.account.Attribution;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.drm.GemObject;
import io.npusim.uapi.rknpu.Submit;

/** struct rknpu_job: one submit, queued on one to three cores. */
final class RknpuJob {
    final long id;
    final Submit args;
    final GemObject taskObj;
    final RknpuFile file;
    final Attribution request;
    final String client;
    final long timestampPs; // job->timestamp: allocation time
    int coreMask;
    int useCoreNum;
    int runCount;
    int interruptCount;
    final int[] intMask = new int[3];
    final int[] submitIndex = new int[3]; // 4095-task chunks committed so far, per core
    final long[] taskNum = new long[3];
    long hwCommitPs; // 0 until the first core committed
    long hwRecorderPs;
    long hwElapsePs;
    boolean committed;
    boolean done;
    boolean aborted;
    boolean lost;
    boolean orphan; // a non-PC job whose submit already returned 0 while it was still queued
    int ret;
    int taskCounter; // PC_TASK_STATUS read by rknpu_job_wait when the wait failed
    DmaFence fence;
    Attribution.Claim queuedClaim;
    Runnable waiter;
    /** CPU of the thread blocked in rknpu_job_wait. */
    int waiterCpu;
    Runnable resetWaker; // wakes the blocking submitter when a soft reset wakes the wait queues

    RknpuJob(long id, Submit args, GemObject taskObj, RknpuFile file, Attribution request, String client, long nowPs) {
        this.id = id;
        this.args = args;
        this.taskObj = taskObj;
        this.file = file;
        this.request = request;
        this.client = client;
        this.timestampPs = nowPs;
    }

    boolean pc() {
        return (args.flags() & io.npusim.uapi.rknpu.JobFlags.PC) != 0;
    }

    boolean nonblock() {
        return (args.flags() & io.npusim.uapi.rknpu.JobFlags.NONBLOCK) != 0;
    }

    boolean pingpong() {
        return (args.flags() & io.npusim.uapi.rknpu.JobFlags.PINGPONG) != 0;
    }
}
