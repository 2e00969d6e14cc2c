package io.npusim.kernel.sched;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.event.Priority;
import io.npusim.core.event.Simulator;
import io.npusim.core.stats.TimeWeighted;
import io.npusim.core.trace.TraceArgs;
import io.npusim.core.trace.TraceSink;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.os.Kernel;
import io.npusim.uapi.Errno;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * struct drm_gpu_scheduler: one per hardware queue (rocket: one per NPU core, credit_limit 1,
 * 500 ms timeout; rocket-upstream.md §2.7, §3). Modelled after sched_main.c of the 6.8+ workqueue
 * era (§3.3), with the FAIR policy of sched_rq.c as an option (§3.2).
 *
 * <p><b>Run loop.</b> An ordered submit workqueue runs two work items, one at a time, on
 * {@link #workerCpu()}; each run costs {@code workqueueWakeupPs} of kernel CPU before its body:
 * <pre>
 * run_job_work:  select entity (FIFO/RR per priority from KERNEL down, or FAIR); pop its head job,
 *                resolving dependencies (wait -> callback, return); credit_count += credits;
 *                job_begin (pending_list += job, TDR mod_delayed_work); ops.runJob; scheduled
 *                fence signals; callback on the hardware fence; queue run_job_work again.
 *                (+ schedTickPs + fencePs when a job is to be run, charged to its request.)
 * job_done:      in the signaller's context after fenceCallbackPs: credit_count -= credits,
 *                score -1, finished fence signals (error from the hardware fence), queue
 *                free_job_work.
 * free_job_work: pop finished jobs from the head of pending_list (cancel the TDR, re-arm it for the
 *                next pending job), ops.freeJob; queue run_job_work.
 * </pre>
 * Bodies run atomically at one instant; a work item cancelled while waiting for its worker
 * (drm_sched_stop) does not run.
 *
 * <p><b>TDR</b> (§2.9, §3.5): {@code timeoutPs} after a job began, the timeout work (on the same
 * CPU, after a workqueue wake-up) takes the head of pending_list and calls
 * {@link SchedBackend#timedOutJob}. A resetting driver calls {@link #stop(SchedJob)}, resets, and
 * {@link #start(int)}: every job left on the pending list, the bad one included, completes with
 * -ECANCELED (rocket passes errno 0); nothing is resubmitted; jobs still in entity queues run
 * after the restart.
 *
 * <p><b>Score</b> (§8): +1 per pushed job and when an entity joins a run queue list; -1 when a job
 * completes (just before its finished fence signals) and when an entity leaves a run queue. Idle
 * entities stay on the list. {@link #pickBest} takes the ready scheduler with the lowest score,
 * ties to the lowest index.
 *
 * <p><b>ready.</b> As in the kernel, {@code ready} is set at init and only cleared by
 * {@link #setReady} (drm_sched_fini, or a driver declaring the hardware dead);
 * {@link #stop(SchedJob)} pauses submission ({@code pause_submit}) but leaves the scheduler
 * eligible in {@link #pickBest}.
 */
public final class DrmGpuScheduler {
    /** MAX_SCHEDULE_TIMEOUT: no TDR. */
    public static final long MAX_SCHEDULE_TIMEOUT = Long.MAX_VALUE;
    /** ESRCH (3), the error of jobs killed with their entity; not in the UAPI errno table. */
    static final int ESRCH = 3;

    /** Listener for queue-depth plots: called on every push and pop. */
    @FunctionalInterface
    public interface QueueDepthListener {
        /**
         * @param entityDepth jobs queued in {@code entity}
         * @param schedQueued jobs queued in all entities currently on this scheduler
         */
        void onQueueDepth(DrmGpuScheduler sched, SchedEntity entity, int entityDepth, int schedQueued, long nowPs);
    }

    /** Counters for summaries. */
    public record Stats(String name, long jobsQueued, long jobsRun, long jobsFinished, long jobsCompleted,
                        long jobsCancelled, long jobsFailed, long jobsKilled, long timeouts, long resets,
                        int score, int creditCount, int pending, int queued, double meanQueued,
                        double meanCreditsInUse, long workItems, long dependencyWaits) {}

    private static final class Work {
        final String name;
        final Runnable body;
        boolean pending;
        int gen;

        Work(String name, Runnable body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Kernel k;
    private final Simulator sim;
    private final KernelCosts cost;
    private final TraceSink trace;
    private final int track;
    private final SchedBackend ops;
    private final String name;
    private final int index;
    private final int creditLimit;
    private int creditCount;
    private long timeoutPs;
    private final SchedPolicy policy;
    private final int workerCpu;
    private final SchedRq[] rqs;
    private int score;
    private boolean ready = true;
    private boolean pauseSubmit;
    private boolean freeGuilty;
    private final List<SchedJob> pendingList = new ArrayList<>();
    private long jobIdCount;
    private final Map<DmaFence, SchedJob> ownFences = new IdentityHashMap<>();
    private final Ewma avgJobUs = new Ewma();
    boolean selectEnospc;

    // submit_wq (ordered) and its worker
    private final Work runJobWork = new Work("run_job_work", this::runJobWork);
    private final Work freeJobWork = new Work("free_job_work", this::freeJobWork);
    private final ArrayDeque<Work> wq = new ArrayDeque<>();
    private boolean workerBusy;

    // work_tdr (delayed work on timeout_wq)
    private long tdrGen;
    private long tdrEvent = -1;

    // statistics
    private long jobsQueued;
    private long jobsRun;
    private long jobsFinished;
    private long jobsCompleted;
    private long jobsCancelled;
    private long jobsFailed;
    private long jobsKilled;
    private long jobsFreed;
    private long timeouts;
    private long resets;
    private long workItems;
    private long dependencyWaits;
    private long creditTruncations;
    private long killedPushes;
    private int queued;
    private final TimeWeighted queuedDepth;
    private final TimeWeighted creditsInUse;
    private QueueDepthListener depthListener;

    /** drm_sched_init. */
    public DrmGpuScheduler(Kernel k, SchedBackend ops, DrmSchedInitArgs args) {
        if (ops == null) throw new IllegalArgumentException("scheduler " + args.name() + ": no backend ops");
        this.k = k;
        this.sim = k.sim();
        this.cost = k.cost();
        this.trace = k.trace();
        this.ops = ops;
        this.name = args.name();
        this.index = args.index();
        this.creditLimit = args.creditLimit();
        this.timeoutPs = args.timeoutPs();
        this.policy = args.policy();
        this.workerCpu = args.workerCpu() >= 0 ? args.workerCpu() : cost.irqCpu();
        if (policy == SchedPolicy.FAIR) {
            rqs = new SchedRq[] {new SchedRq(this, null)};
        } else {
            DrmSchedPriority[] prios = DrmSchedPriority.values();
            rqs = new SchedRq[prios.length];
            for (int i = 0; i < prios.length; i++) rqs[i] = new SchedRq(this, prios[i]);
        }
        this.queuedDepth = new TimeWeighted(sim.now());
        this.creditsInUse = new TimeWeighted(sim.now());
        this.track = trace.enabled() ? trace.track("kernel: drm_sched", name) : 0;
    }

    // ---- driver API -------------------------------------------------------------------------

    /**
     * drm_sched_pick_best: the ready scheduler with the lowest score (compared unsigned, as the
     * kernel's atomic_read into an unsigned int), ties to the first in the list; null if none is
     * ready.
     */
    public static DrmGpuScheduler pickBest(List<DrmGpuScheduler> schedList) {
        DrmGpuScheduler picked = null;
        long minScore = 0xFFFF_FFFFL; // UINT_MAX
        for (DrmGpuScheduler s : schedList) {
            if (!s.ready) continue;
            long sc = s.score & 0xFFFF_FFFFL;
            if (sc < minScore) {
                minScore = sc;
                picked = s;
            }
        }
        return picked;
    }

    /**
     * drm_sched_stop: pause submission (cancel queued run/free work), put the bad job back at the
     * head of pending_list, then from the newest job back: remove the hardware-fence callback of
     * each job whose fence has not signalled (its credits are returned, its parent dropped), and
     * take the others off the list and free them (the bad one is only flagged free_guilty).
     * Finally cancel the TDR.
     */
    public void stop(SchedJob bad) {
        pauseSubmit = true;
        cancelWork(runJobWork);
        cancelWork(freeJobWork);
        if (bad != null && bad.sched == this && !bad.inPending) {
            pendingList.add(0, bad);
            bad.inPending = true;
        }
        for (int i = pendingList.size() - 1; i >= 0; i--) {
            SchedJob j = pendingList.get(i);
            if (j.sFence.parent() != null && j.hwCbToken != null) {
                j.hwCbToken = null; // dma_fence_remove_callback succeeded
                j.sFence.setParent(null);
                creditCount -= j.credits;
            } else {
                pendingList.remove(i);
                j.inPending = false;
                if (!j.done) {
                    // dma_fence_wait(finished): its callback fired and is still running; finish it now.
                    DmaFence p = j.sFence.parent();
                    jobDone(j, p != null ? p.error() : -Errno.ECANCELED);
                }
                if (bad != j) freeJob(j);
                else freeGuilty = true;
            }
        }
        cancelTdr();
        creditsInUse.set(creditCount, sim.now());
        resets++;
        if (trace.enabled()) trace.instant(track, "drm_sched", "drm_sched_stop", sim.now(),
                TraceArgs.of("bad", bad == null ? "-" : bad.label(), "pending", pendingList.size()));
    }

    /**
     * drm_sched_start: every job left on pending_list takes its credits back and completes: with
     * {@code errno} or -ECANCELED when it has no hardware fence (all of them after
     * {@link #stop(SchedJob)}), else when its hardware fence signals. Then the TDR is re-armed and
     * submission resumes (run and free work queued).
     *
     * @param errno negated errno for the cancelled jobs, or 0 for -ECANCELED
     */
    public void start(int errno) {
        for (SchedJob j : new ArrayList<>(pendingList)) {
            if (j.done || j.hwCbToken != null) continue; // not stopped: nothing to recover
            creditCount += j.credits;
            DmaFence f = j.sFence.parent();
            if (f == null) {
                jobDone(j, errno != 0 ? errno : -Errno.ECANCELED);
                continue;
            }
            if (!installHwCallback(j, f)) jobDone(j, f.error() != 0 ? f.error() : errno);
        }
        startTimeout();
        pauseSubmit = false;
        queueWork(runJobWork);
        queueWork(freeJobWork);
        if (trace.enabled()) trace.instant(track, "drm_sched", "drm_sched_start", sim.now(), TraceArgs.of("errno", errno));
    }

    /** drm_sched_fault: run the timeout handler now (a driver saw a hardware fault). */
    public void fault() {
        modDelayedTdr(0);
    }

    /** drm_sched_wakeup: queue the run work (no-op while submission is paused). */
    public void wakeup() {
        runJobQueue();
    }

    /** sched->ready: cleared by drm_sched_fini or a driver declaring the hardware dead. */
    public void setReady(boolean r) {
        ready = r;
    }

    /** Changes the TDR timeout for jobs that begin from now on. */
    public void setTimeoutPs(long ps) {
        if (ps <= 0) throw new IllegalArgumentException("timeout must be positive");
        timeoutPs = ps;
    }

    public void setQueueDepthListener(QueueDepthListener l) {
        depthListener = l;
    }

    // ---- accessors --------------------------------------------------------------------------

    public String name() {
        return name;
    }

    public int index() {
        return index;
    }

    public SchedBackend ops() {
        return ops;
    }

    public SchedPolicy policy() {
        return policy;
    }

    public int creditLimit() {
        return creditLimit;
    }

    public int creditCount() {
        return creditCount;
    }

    public long timeoutPs() {
        return timeoutPs;
    }

    public int score() {
        return score;
    }

    public boolean isReady() {
        return ready;
    }

    /** pause_submit: true between {@link #stop} and {@link #start}. */
    public boolean isSubmitPaused() {
        return pauseSubmit;
    }

    public int workerCpu() {
        return workerCpu;
    }

    /** Jobs on the hardware or finished and not yet freed, oldest first. */
    public List<SchedJob> pendingList() {
        return List.copyOf(pendingList);
    }

    /** Jobs queued in the entities currently on this scheduler. */
    public int queuedJobs() {
        return queued;
    }

    /** Time-weighted count of jobs queued in entities on this scheduler. */
    public TimeWeighted queuedOverTime() {
        return queuedDepth;
    }

    /** Time-weighted credit_count. */
    public TimeWeighted creditsInUseOverTime() {
        return creditsInUse;
    }

    /** FAIR: the scheduler's average job duration in µs (EWMA). */
    public long avgJobUs() {
        return avgJobUs.read();
    }

    public long jobsQueued() {
        return jobsQueued;
    }

    public long jobsRun() {
        return jobsRun;
    }

    /** Finished fences signalled by job completion (completed + cancelled + failed). */
    public long jobsFinished() {
        return jobsFinished;
    }

    /** Finished without error. */
    public long jobsCompleted() {
        return jobsCompleted;
    }

    /** Finished with -ECANCELED (reset). */
    public long jobsCancelled() {
        return jobsCancelled;
    }

    /** Finished with another error. */
    public long jobsFailed() {
        return jobsFailed;
    }

    /** Queued jobs completed with -ESRCH because their entity was destroyed. */
    public long jobsKilled() {
        return jobsKilled;
    }

    public long jobsFreed() {
        return jobsFreed;
    }

    public long timeouts() {
        return timeouts;
    }

    /** drm_sched_stop calls. */
    public long resets() {
        return resets;
    }

    public long workItems() {
        return workItems;
    }

    public long dependencyWaits() {
        return dependencyWaits;
    }

    /** Jobs whose credits exceeded credit_limit and were truncated (a kernel WARN). */
    public long creditTruncations() {
        return creditTruncations;
    }

    /** Jobs pushed to a killed entity (a kernel DRM_ERROR; they never run). */
    public long killedPushes() {
        return killedPushes;
    }

    public Stats stats() {
        long now = sim.now();
        return new Stats(name, jobsQueued, jobsRun, jobsFinished, jobsCompleted, jobsCancelled, jobsFailed, jobsKilled,
                timeouts, resets, score, creditCount, pendingList.size(), queued, queuedDepth.mean(now),
                creditsInUse.mean(now), workItems, dependencyWaits);
    }

    @Override
    public String toString() {
        return "DrmGpuScheduler[" + name + " score=" + score + " credits=" + creditCount + "/" + creditLimit
                + " pending=" + pendingList.size() + " queued=" + queued + "]";
    }

    // ---- run queues and selection -----------------------------------------------------------

    SchedRq rqFor(DrmSchedPriority p) {
        return policy == SchedPolicy.FAIR ? rqs[0] : rqs[p.ordinal()];
    }

    void scoreAdd(int d) {
        score += d;
    }

    long nextJobId() {
        return ++jobIdCount;
    }

    /**
     * drm_sched_select_entity: run queues from KERNEL down (one queue for FAIR); the first queue
     * that yields an entity or -ENOSPC ends the search, so a job that does not fit the free credits
     * blocks lower queues too. {@code commit=false} is a peek without side effects (RR cursor).
     */
    private SchedEntity selectEntity(boolean commit) {
        selectEnospc = false;
        for (SchedRq rq : rqs) {
            SchedEntity e = policy == SchedPolicy.RR ? rq.selectRr(commit) : rq.selectTree();
            if (e != null) return e;
            if (selectEnospc) return null;
        }
        return null;
    }

    /** drm_sched_can_queue: the head job fits the free credits (oversized jobs are truncated). */
    boolean canQueue(SchedEntity e) {
        SchedJob j = e.jobQueue.peek();
        if (j == null) return false;
        if (j.credits > creditLimit) {
            j.credits = creditLimit;
            creditTruncations++;
        }
        return Math.max(0, creditLimit - creditCount) >= j.credits;
    }

    // ---- the submit workqueue ---------------------------------------------------------------

    /** queue_work: no-op while the item is pending. */
    private void queueWork(Work w) {
        if (w.pending) return;
        w.pending = true;
        wq.add(w);
        kickWorker();
    }

    /** cancel_work: a pending item (queued, or waiting for the worker CPU) does not run. */
    private void cancelWork(Work w) {
        w.gen++;
        if (w.pending) {
            w.pending = false;
            wq.remove(w);
        }
    }

    private void kickWorker() {
        if (workerBusy) return;
        Work w = wq.poll();
        if (w == null) return;
        workerBusy = true;
        workItems++;
        final int gen = w.gen;
        long ps = cost.workqueueWakeupPs();
        Attribution req = null;
        if (w == runJobWork) {
            SchedEntity e = selectEntity(false);
            if (e != null) {
                ps += cost.schedTickPs() + cost.fencePs();
                req = e.jobQueue.peek().request();
            }
        }
        k.kernelCpu(workerCpu, ps, req, Part.JOB_OVERHEAD, () -> {
            workerBusy = false;
            if (w.gen == gen && w.pending) {
                w.pending = false;
                w.body.run();
            }
            kickWorker();
        });
    }

    /** drm_sched_run_job_queue. */
    private void runJobQueue() {
        if (!pauseSubmit) queueWork(runJobWork);
    }

    /** __drm_sched_run_free_queue. */
    private void runFreeQueueForce() {
        if (!pauseSubmit) queueWork(freeJobWork);
    }

    /** drm_sched_run_free_queue: only when the head of pending_list has finished. */
    private void runFreeQueue() {
        if (!pendingList.isEmpty() && pendingList.get(0).finishedFence().isSignaled()) runFreeQueueForce();
    }

    /** drm_sched_run_job_work. */
    private void runJobWork() {
        SchedEntity entity = selectEntity(true);
        if (entity == null) return; // no more work, or -ENOSPC: job_done/free work will kick us
        SchedJob job = entity.popJob();
        if (job == null) { // waiting for a dependency
            wakeJobScheduled();
            runJobQueue();
            return;
        }
        creditCount += job.credits;
        creditsInUse.set(creditCount, sim.now());
        jobBegin(job);
        jobsRun++;
        DmaFence fence = ops.runJob(job);
        fenceScheduled(job, fence);
        if (fence != null) {
            if (!installHwCallback(job, fence)) jobDone(job, fence.error()); // already signalled
        } else {
            jobDone(job, 0);
        }
        wakeJobScheduled();
        runJobQueue();
    }

    /** drm_sched_free_job_work: free every finished job at the head of pending_list. */
    private void freeJobWork() {
        SchedJob job;
        while ((job = getFinishedJob()) != null) {
            // drm_sched_entity_stats_job_add_gpu_time + the scheduler average (fair series).
            if (job.scheduledTsPs >= 0 && job.finishedAtPs >= job.scheduledTsPs) {
                long durNs = (job.finishedAtPs - job.scheduledTsPs) / 1000;
                job.entity.addGpuTime(durNs);
                avgJobUs.add(durNs / 1000);
            }
            freeJob(job);
        }
        runJobQueue();
    }

    /** drm_sched_get_finished_job. */
    private SchedJob getFinishedJob() {
        if (pendingList.isEmpty()) return null;
        SchedJob job = pendingList.get(0);
        if (!job.finishedFence().isSignaled()) return null;
        pendingList.remove(0);
        job.inPending = false;
        cancelTdr();
        if (!pendingList.isEmpty()) {
            SchedJob next = pendingList.get(0);
            if (next.scheduledFence().isSignaled()) next.scheduledTsPs = job.finishedAtPs;
            startTimeout();
        }
        return job;
    }

    /** drm_sched_job_begin. */
    private void jobBegin(SchedJob job) {
        pendingList.add(job);
        job.inPending = true;
        job.beganAtPs = sim.now();
        startTimeout();
    }

    /** drm_sched_fence_scheduled. */
    private void fenceScheduled(SchedJob job, DmaFence parent) {
        if (parent != null) job.sFence.setParent(parent);
        long now = sim.now();
        job.scheduledTsPs = now;
        job.scheduledFence().signal(now);
    }

    private boolean installHwCallback(SchedJob job, DmaFence fence) {
        final Object token = new Object();
        job.hwCbToken = token;
        boolean added = fence.addCallback(() -> {
            if (job.hwCbToken != token) return; // removed by drm_sched_stop
            job.hwCbToken = null;
            k.kernelCpu(workerCpu, cost.fenceCallbackPs(), job.request(), Part.JOB_OVERHEAD, () -> jobDone(job, fence.error()));
        });
        if (!added) job.hwCbToken = null;
        return added;
    }

    /** drm_sched_job_done: credits and score back, then the finished fence signals. */
    private void jobDone(SchedJob job, int result) {
        if (job.done) return;
        job.done = true;
        creditCount -= job.credits;
        scoreAdd(-1);
        long now = sim.now();
        creditsInUse.set(creditCount, now);
        DmaFence fin = job.finishedFence();
        if (result != 0) fin.setError(result);
        job.finishedAtPs = now;
        jobsFinished++;
        int err = fin.error();
        if (err == 0) jobsCompleted++;
        else if (err == -Errno.ECANCELED) jobsCancelled++;
        else jobsFailed++;
        if (trace.enabled()) trace.asyncEnd(track, "drm_sched", job.label(), job.traceId(), now);
        unregisterFences(job);
        fin.signal(now);
        runFreeQueueForce();
    }

    private void freeJob(SchedJob job) {
        if (job.freed) return;
        job.freed = true;
        jobsFreed++;
        ops.freeJob(job);
    }

    /** Tail of drm_sched_entity_kill_jobs_work: -ESRCH, free; the push's score is not returned. */
    void killJob(SchedJob job, int err) {
        long now = sim.now();
        if (!job.scheduledFence().isSignaled()) job.scheduledFence().signal(now);
        job.done = true;
        job.finishedAtPs = now;
        DmaFence fin = job.finishedFence();
        fin.setError(err);
        jobsKilled++;
        if (trace.enabled()) trace.asyncEnd(track, "drm_sched", job.label(), job.traceId(), now);
        unregisterFences(job);
        fin.signal(now);
        freeJob(job);
    }

    /** wake_up(&sched->job_scheduled): entities waiting in drm_sched_entity_flush re-check. */
    private void wakeJobScheduled() {
        for (SchedRq rq : rqs) {
            if (rq.entities.isEmpty()) continue;
            for (SchedEntity e : new ArrayList<>(rq.entities)) {
                if (e.hasFlushWaiters()) e.runFlushWaiters();
            }
        }
    }

    // ---- TDR --------------------------------------------------------------------------------

    /** drm_sched_start_timeout: mod_delayed_work when a job is pending. */
    private void startTimeout() {
        if (timeoutPs != MAX_SCHEDULE_TIMEOUT && !pendingList.isEmpty()) modDelayedTdr(timeoutPs);
    }

    private void modDelayedTdr(long delayPs) {
        cancelTdr();
        final long gen = tdrGen;
        tdrEvent = sim.scheduleIn(delayPs, Priority.KERNEL, (p, a) -> tdrTimer(gen));
    }

    /** cancel_delayed_work. */
    private void cancelTdr() {
        tdrGen++;
        if (tdrEvent >= 0) {
            sim.cancel(tdrEvent);
            tdrEvent = -1;
        }
    }

    private void tdrTimer(long gen) {
        if (gen != tdrGen) return;
        tdrEvent = -1;
        k.kernelCpu(workerCpu, cost.workqueueWakeupPs(), null, Part.JOB_OVERHEAD, () -> {
            if (gen == tdrGen) jobTimedout();
        });
    }

    /**
     * drm_sched_job_timedout: take the oldest pending job off the list, ask the driver, free it if
     * drm_sched_stop flagged it, put it back on NO_HANG, and re-arm unless ENODEV.
     */
    private void jobTimedout() {
        TimeoutStatus status = TimeoutStatus.RESET;
        if (!pendingList.isEmpty()) {
            SchedJob job = pendingList.remove(0);
            job.inPending = false;
            timeouts++;
            if (trace.enabled()) trace.instant(track, "drm_sched", "timeout " + job.label(), sim.now(),
                    TraceArgs.of("job", job.id(), "began_ps", job.beganAtPs()));
            status = ops.timedOutJob(job);
            if (status == null) throw new IllegalStateException(name + ": timedout_job returned null");
            if (freeGuilty) {
                freeJob(job);
                freeGuilty = false;
            }
            if (status == TimeoutStatus.NO_HANG && !job.inPending) {
                pendingList.add(0, job);
                job.inPending = true;
                runFreeQueue();
            }
        }
        if (status != TimeoutStatus.ENODEV) startTimeout();
    }

    // ---- fences of this scheduler's jobs (to_drm_sched_fence + s_fence->sched == sched) -------

    void registerFences(SchedJob job) {
        ownFences.put(job.scheduledFence(), job);
        ownFences.put(job.finishedFence(), job);
    }

    void unregisterFences(SchedJob job) {
        ownFences.remove(job.scheduledFence());
        ownFences.remove(job.finishedFence());
    }

    /** The unfinished job of this scheduler that owns {@code f}, or null. */
    SchedJob jobOfFence(DmaFence f) {
        return ownFences.get(f);
    }

    // ---- statistics hooks -------------------------------------------------------------------

    void notePushed(SchedEntity e, SchedJob job) {
        jobsQueued++;
        queued++;
        long now = sim.now();
        queuedDepth.set(queued, now);
        e.notePushedDepth(now);
        if (depthListener != null) depthListener.onQueueDepth(this, e, e.queueDepth(), queued, now);
        if (trace.enabled()) {
            trace.asyncBegin(track, "drm_sched", job.label(), job.traceId(), now,
                    TraceArgs.of("entity", e.name(), "credits", job.credits(), "seqno", job.finishedFence().seqno()));
            trace.counter(track, "queued", now, name, queued);
        }
    }

    void notePopped(SchedEntity e) {
        queued--;
        long now = sim.now();
        queuedDepth.set(queued, now);
        if (depthListener != null) depthListener.onQueueDepth(this, e, e.queueDepth(), queued, now);
        if (trace.enabled()) trace.counter(track, "queued", now, name, queued);
    }

    void noteDependencyWait() {
        dependencyWaits++;
    }

    void noteKilledPush() {
        killedPushes++;
    }
}
