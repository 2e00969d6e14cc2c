package io.npusim.kernel.rocket;

import io.npusim.core.account.Attribution;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.drm.GemObject;
import io.npusim.kernel.sched.SchedJob;
import java.util.List;

/** struct rocket_job: the drm_sched job plus its tasks, BOs and hardware progress. */
final class RocketJob extends SchedJob {
    /** One task as the kernel keeps it: regcmd address and count. */
    record Task(long regcmd, int regcmdCount) {}

    final RocketFile file;
    final List<Task> tasks;
    final List<GemObject> in;
    final List<GemObject> out;
    int nextTask;
    DmaFence hwFence;
    RocketCore core;
    /** rocket_job_cleanup's drm_gem_object_put of the in and out BOs (set by the device). */
    Runnable putBos = () -> { };

    RocketJob(String label, Attribution request, RocketFile file, List<Task> tasks, List<GemObject> in, List<GemObject> out) {
        super(label, request);
        this.file = file;
        this.tasks = tasks;
        this.in = in;
        this.out = out;
    }
}
