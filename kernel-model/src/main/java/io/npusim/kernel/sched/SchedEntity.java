package io.npusim.kernel.sched;

import io.npusim.core.account.Part;
import io.npusim.core.stats.TimeWeighted;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.os.Kernel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * struct drm_sched_entity (sched_entity.c; rocket-upstream.md §3.1): a FIFO of jobs from one
 * submitter (rocket: one per open file, NORMAL priority, all cores in its list, §2.2), its current
 * run queue, {@code last_scheduled}, the dependency it waits for, and two fence contexts
 * (scheduled = base, finished = base + 1).
 *
 * <p>Placement (§2.7, §8): the entity chooses a scheduler only in {@link SchedJob#arm}, and only when
 * its queue is empty and its last popped job has finished; then the ready scheduler with the
 * lowest score wins, ties to the lowest index. An idle entity stays on its run queue's list, so it
 * keeps counting in the score of the scheduler it last used.
 */
public final class SchedEntity {
    private final Kernel k;
    private final String name;
    private DrmSchedPriority priority;
    /** sched_list, null when it has a single scheduler (as the kernel keeps it). */
    private List<DrmGpuScheduler> schedList;
    private final List<DrmGpuScheduler> schedListAll;
    SchedRq rq;
    final ArrayDeque<SchedJob> jobQueue = new ArrayDeque<>();
    private DmaFence lastScheduled;
    private DmaFence dependency;
    private Object dependencyToken;
    private final long fenceContext;
    private long fenceSeq;
    private boolean stopped;

    // run-queue membership (rq->entities list and rb-tree node)
    boolean onList;
    boolean inTree;
    long oldestJobWaiting;
    long treeSeq;

    // FAIR: struct drm_sched_entity_stats
    long runtimeNs;
    long prevRuntimeNs;
    long vruntimeNs;
    final Ewma avgJobUs = new Ewma();

    // statistics
    private final TimeWeighted depth;
    private long pushed;
    private long moves;
    private long sameEntityDepsSkipped;
    private long pipelinedDeps;
    private long dependencyWaits;
    private final List<Runnable> flushWaiters = new ArrayList<>(1);

    /**
     * drm_sched_entity_init. The entity starts on the first scheduler's run queue for its priority
     * without being on its list (so no score yet).
     */
    public SchedEntity(Kernel k, String name, DrmSchedPriority priority, List<DrmGpuScheduler> schedList) {
        if (schedList == null || schedList.isEmpty() || schedList.get(0) == null) {
            throw new IllegalArgumentException("entity " + name + ": empty sched_list");
        }
        this.k = k;
        this.name = name;
        this.priority = priority;
        this.schedListAll = List.copyOf(schedList);
        this.schedList = schedList.size() > 1 ? schedListAll : null;
        this.rq = schedList.get(0).rqFor(priority);
        this.fenceContext = k.fenceContexts().alloc(2);
        this.depth = new TimeWeighted(k.sim().now());
    }

    // ---- drm_sched_entity API ---------------------------------------------------------------

    /**
     * drm_sched_entity_push_job: score +1 on the current scheduler for the job; the first job of an
     * empty queue adds the entity to its run queue (score +1 if it was not on the list), sets its
     * FIFO key or FAIR vruntime, and wakes the scheduler.
     */
    public void pushJob(SchedJob job) {
        if (job.entity != this) throw new IllegalArgumentException(job + " was not initialised on entity " + name);
        if (job.sched == null) throw new IllegalStateException(job + " pushed before drm_sched_job_arm");
        if (job.submitTsPs >= 0) throw new IllegalStateException(job + " pushed twice");
        DrmGpuScheduler sched = rq.sched;
        long now = k.sim().now();
        job.submitTsPs = now;
        sched.scoreAdd(1);
        boolean first = jobQueue.isEmpty();
        jobQueue.add(job);
        pushed++;
        job.openQueuedClaim(now);
        sched.notePushed(this, job);
        if (!first) return;
        if (stopped) {
            // "Trying to push to a killed entity": the job stays queued and never runs.
            sched.noteKilledPush();
            return;
        }
        rq.addEntity(this);
        switch (sched.policy()) {
            case FIFO -> rq.updateTree(this, job.submitTsPs);
            case FAIR -> rq.updateTree(this, restoreVruntime(rq.minVruntime(), rq.headPrio()));
            case RR -> { }
        }
        sched.wakeup();
    }

    /**
     * drm_sched_entity_flush for a process that is not exiting: {@code then} runs once the entity is
     * idle (off its run queue, queue empty, or stopped).
     */
    public void flush(Runnable then) {
        if (isIdle()) {
            then.run();
            return;
        }
        flushWaiters.add(then);
    }

    /**
     * drm_sched_entity_fini: drm_sched_entity_kill (stop the entity, leave the run queue: score -1,
     * and complete each still queued job with -ESRCH once the previous one finished and its own
     * dependencies signalled), then drop the pending dependency and {@code last_scheduled}. As in
     * the kernel, the score the killed jobs added at push is not given back.
     */
    public void fini() {
        stopped = true;
        if (rq != null) rq.removeEntity(this);
        DmaFence prev = lastScheduled;
        SchedJob job;
        while ((job = jobQueue.poll()) != null) {
            job.closeQueuedClaim(k.sim().now());
            if (job.sched != null) job.sched.notePopped(this);
            final SchedJob j = job;
            if (prev == null || !prev.addCallback(() -> killJobsCb(j))) killJobsCb(j);
            prev = j.finishedFence();
        }
        depth.set(0, k.sim().now());
        if (dependency != null) {
            dependencyToken = null; // dma_fence_remove_callback
            dependency = null;
        }
        lastScheduled = null;
        runFlushWaiters();
    }

    /** drm_sched_entity_destroy: flush, then fini, then {@code then}. */
    public void destroy(Runnable then) {
        flush(() -> {
            fini();
            then.run();
        });
    }

    /** drm_sched_entity_set_priority (takes effect when the entity next joins a run queue). */
    public void setPriority(DrmSchedPriority p) {
        priority = p;
    }

    // ---- accessors --------------------------------------------------------------------------

    public String name() {
        return name;
    }

    public DrmSchedPriority priority() {
        return priority;
    }

    public List<DrmGpuScheduler> schedList() {
        return schedListAll;
    }

    /** The scheduler of the entity's current run queue. */
    public DrmGpuScheduler currentSched() {
        return rq == null ? null : rq.sched;
    }

    /** Whether the entity is on its run queue's list (counts in that scheduler's score). */
    public boolean isOnRunQueue() {
        return onList;
    }

    public int queueDepth() {
        return jobQueue.size();
    }

    /** Time-weighted queue depth (jobs pushed and not yet popped). */
    public TimeWeighted depthOverTime() {
        return depth;
    }

    /** last_scheduled: finished fence of the last job popped, or null. */
    public DmaFence lastScheduled() {
        return lastScheduled;
    }

    /** The dependency the head job waits for, or null. */
    public DmaFence dependency() {
        return dependency;
    }

    /** fence_context: the scheduled fences' context; finished fences use this + 1. */
    public long fenceContext() {
        return fenceContext;
    }

    /** oldest_job_waiting: FIFO key (submit time of the head job, ps) or FAIR vruntime (ns). */
    public long oldestJobWaiting() {
        return oldestJobWaiting;
    }

    /** FAIR virtual runtime in ns. */
    public long vruntimeNs() {
        return vruntimeNs;
    }

    /** FAIR average job duration in µs (EWMA). */
    public long avgJobUs() {
        return avgJobUs.read();
    }

    public boolean isStopped() {
        return stopped;
    }

    public long jobsPushed() {
        return pushed;
    }

    /** Times select_rq moved the entity to another scheduler. */
    public long moves() {
        return moves;
    }

    public long sameEntityDepsSkipped() {
        return sameEntityDepsSkipped;
    }

    public long pipelinedDeps() {
        return pipelinedDeps;
    }

    /** Dependencies the entity had to wait for (a callback was installed). */
    public long dependencyWaits() {
        return dependencyWaits;
    }

    @Override
    public String toString() {
        return "SchedEntity[" + name + " " + priority + (rq != null ? " on " + rq.sched.name() : "") + " q=" + jobQueue.size() + "]";
    }

    // ---- scheduler-facing internals ---------------------------------------------------------

    long nextFenceSeq() {
        return ++fenceSeq;
    }

    /** drm_sched_entity_is_ready: a queued job and no unsignalled dependency. */
    boolean isReady() {
        return !jobQueue.isEmpty() && dependency == null;
    }

    /** drm_sched_entity_is_idle. */
    boolean isIdle() {
        return !onList || jobQueue.isEmpty() || stopped;
    }

    /**
     * drm_sched_entity_select_rq (§8): stay while the queue is non-empty, and while last_scheduled
     * is unsignalled; otherwise drm_sched_pick_best over sched_list, moving (score -1 on the old
     * scheduler) if it changed. The +1 on the new one comes with the push.
     */
    void selectRq() {
        if (schedList == null) return;
        if (!jobQueue.isEmpty()) return;
        if (lastScheduled != null && !lastScheduled.isSignaled()) return;
        DrmGpuScheduler best = DrmGpuScheduler.pickBest(schedList);
        SchedRq nrq = best == null ? null : best.rqFor(priority);
        if (nrq != rq) {
            if (rq != null) rq.removeEntity(this);
            rq = nrq;
            moves++;
        }
        if (schedList.size() == 1) schedList = null;
    }

    /**
     * drm_sched_entity_pop_job: resolves the head job's dependencies in order (returns null, with a
     * wake-up callback installed, at the first that must be waited for), then sets last_scheduled,
     * dequeues the job and updates the run-queue position (drm_sched_rq_pop_entity).
     */
    SchedJob popJob() {
        SchedJob job = jobQueue.peek();
        if (job == null) return null;
        DmaFence dep;
        while ((dep = nextDependency(job)) != null) {
            if (addDependencyCb(job, dep)) return null;
        }
        lastScheduled = job.finishedFence();
        jobQueue.poll();
        rqPopEntity();
        long now = k.sim().now();
        job.closeQueuedClaim(now);
        depth.set(jobQueue.size(), now);
        rq.sched.notePopped(this);
        return job;
    }

    void notePushedDepth(long nowPs) {
        depth.set(jobQueue.size(), nowPs);
    }

    private DmaFence nextDependency(SchedJob job) {
        if (job.lastDependency < job.dependencies.size()) return job.dependencies.get(job.lastDependency++);
        return job.sched.ops().prepareJob(job, this);
    }

    /**
     * drm_sched_entity_add_dependency_cb (§2.4): a fence of this entity's own timelines is skipped
     * (FIFO order already holds); a fence of a job on the same scheduler, without error and without
     * DONT_PIPELINE, is relaxed to that job's scheduled fence; anything else is waited for. Returns
     * true when a callback was installed (the entity is not ready until it fires).
     */
    private boolean addDependencyCb(SchedJob job, DmaFence fence) {
        DrmGpuScheduler sched = rq.sched;
        if (fence.context() == fenceContext || fence.context() == fenceContext + 1) {
            sameEntityDepsSkipped++;
            return false;
        }
        SchedJob producer = sched.jobOfFence(fence);
        if (fence.error() == 0 && producer != null && !producer.dontPipeline()) {
            if (fence != producer.scheduledFence()) pipelinedDeps++;
            fence = producer.scheduledFence();
        }
        dependency = fence;
        final Object token = new Object();
        dependencyToken = token;
        if (fence.addCallback(() -> wakeup(token))) {
            dependencyWaits++;
            sched.noteDependencyWait();
            return true;
        }
        dependency = null;
        dependencyToken = null;
        return false;
    }

    /**
     * drm_sched_entity_wakeup: the dependency signalled; after the callback's CPU time, clear it and
     * kick the run work of the entity's scheduler.
     */
    private void wakeup(Object token) {
        if (token != dependencyToken) return;
        DrmGpuScheduler sched = rq.sched;
        SchedJob head = jobQueue.peek();
        k.kernelCpu(sched.workerCpu(), k.cost().fenceCallbackPs(), head == null ? null : head.request(), Part.JOB_OVERHEAD, () -> {
            if (token != dependencyToken) return;
            dependency = null;
            dependencyToken = null;
            rq.sched.wakeup();
        });
    }

    /** drm_sched_rq_pop_entity: FIFO re-keys on the next job; FAIR updates or saves the vruntime. */
    private void rqPopEntity() {
        SchedJob next = jobQueue.peek();
        switch (rq.sched.policy()) {
            case FIFO -> {
                if (next != null) rq.updateTree(this, next.submitTsPs);
            }
            case FAIR -> {
                if (next != null) {
                    rq.updateTree(this, updateVruntime());
                } else {
                    rq.removeTree(this);
                    saveVruntime(rq.minVruntime());
                }
            }
            case RR -> { }
        }
    }

    // ---- FAIR (sched_rq.c) ------------------------------------------------------------------

    /** drm_sched_entity_update_vruntime: add the new GPU time, shifted by the priority. */
    private long updateVruntime() {
        long prev = prevRuntimeNs;
        long runtime = runtimeNs;
        prevRuntimeNs = runtime;
        vruntimeNs = vruntimeNs + ((runtime - prev) << priority.vruntimeShift());
        return vruntimeNs;
    }

    /** drm_sched_entity_save_vruntime: keep the position relative to the queue's minimum. */
    private void saveVruntime(long minVruntime) {
        long v = vruntimeNs;
        vruntimeNs = (minVruntime != 0 && v > minVruntime) ? v - minVruntime : 0;
    }

    /**
     * drm_sched_entity_restore_vruntime: an entity rejoining with no saved lead is placed against
     * the head of the queue: behind it (by its and the scheduler's average job time, shifted) when
     * of lower priority, just ahead when of higher priority, and at equal priority 1 ns ahead when
     * its jobs are on average no longer than the scheduler's, else 1 ns behind.
     */
    private long restoreVruntime(long minVruntime, DrmSchedPriority rqPrio) {
        long v = vruntimeNs;
        long avgUs = avgJobUs.read();
        long schedAvgUs = rq.sched.avgJobUs();
        if (v == 0 && rqPrio != null) {
            int prio = priority.ordinal();
            int head = rqPrio.ordinal();
            if (prio > head) {
                v = ((1 + avgUs + schedAvgUs) << priority.vruntimeShift()) * 1000L; // us_to_ktime
            } else if (prio < head) {
                v = -(head - prio);
            } else {
                v = avgUs <= schedAvgUs ? -1 : 1;
            }
        }
        vruntimeNs = minVruntime + v;
        return vruntimeNs;
    }

    /** drm_sched_entity_stats_job_add_gpu_time. */
    void addGpuTime(long durationNs) {
        runtimeNs += durationNs;
        avgJobUs.add(durationNs / 1000);
    }

    // ---- kill (drm_sched_entity_kill_jobs_cb / _work) ---------------------------------------

    private void killJobsCb(SchedJob job) {
        DrmGpuScheduler s = job.sched;
        k.kernelCpu(s.workerCpu(), k.cost().workqueueWakeupPs(), null, Part.JOB_OVERHEAD, () -> killJobsWork(job));
    }

    /** Waits for every dependency (a scheduled fence stands for its finished one), then -ESRCH. */
    private void killJobsWork(SchedJob job) {
        DrmGpuScheduler s = job.sched;
        while (!job.dependencies.isEmpty()) {
            DmaFence f = job.dependencies.remove(0);
            SchedJob producer = s.jobOfFence(f);
            if (producer != null && f == producer.scheduledFence()) f = producer.finishedFence();
            if (f != null && f.addCallback(() -> killJobsCb(job))) return;
        }
        s.killJob(job, -DrmGpuScheduler.ESRCH);
    }

    void runFlushWaiters() {
        if (flushWaiters.isEmpty() || !isIdle()) return;
        List<Runnable> w = new ArrayList<>(flushWaiters);
        flushWaiters.clear();
        for (Runnable r : w) r.run();
    }

    boolean hasFlushWaiters() {
        return !flushWaiters.isEmpty();
    }
}
