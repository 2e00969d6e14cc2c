package io.npusim.kernel.sched;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.drm.DmaResv;
import io.npusim.uapi.Errno;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * struct drm_sched_job (rocket-upstream.md §3.1). A driver job either extends this class (as
 * {@code struct rocket_job} embeds {@code struct drm_sched_job base}) or keeps a reference to it.
 *
 * <p>Life cycle, as in sched_main.c / sched_entity.c:
 * {@link #init} (drm_sched_job_init) -> {@link #arm} (drm_sched_job_arm: picks the scheduler,
 * numbers the fences) -> {@link #addDependency} / {@link #addImplicitDependencies} ->
 * {@link SchedEntity#pushJob} (drm_sched_entity_push_job) -> popped by the scheduler's run work,
 * {@link SchedBackend#runJob} -> hardware fence signals -> finished fence signals ->
 * {@link SchedBackend#freeJob}.
 *
 * <p>While the job waits in its entity's queue (for its turn, its dependencies or free credits)
 * its request, if any, holds a {@link Part#QUEUED} claim, closed when the scheduler pops the job
 * to run it; the driver opens the hardware and overhead claims from there.
 */
public class SchedJob {
    private final String label;
    private final Attribution request;

    // drm_sched_job fields
    SchedEntity entity;
    DrmGpuScheduler sched;
    int credits;
    Object owner;
    final List<DmaFence> dependencies = new ArrayList<>(2);
    int lastDependency;
    final SchedFence sFence = new SchedFence();
    long id;
    DrmSchedPriority sPriority;
    long submitTsPs = -1;
    private boolean dontPipeline;

    // model state
    private Attribution.Claim queuedClaim;
    /** Identity of the installed hardware-fence callback; null when none is armed (removed or fired). */
    Object hwCbToken;
    boolean done;
    boolean inPending;
    boolean freed;
    long beganAtPs = -1;
    /** Timestamp of the scheduled fence, adjustable as drm_sched_get_finished_job does. */
    long scheduledTsPs = -1;
    long finishedAtPs = -1;

    /**
     * @param label   name in traces and test output (e.g. "fd3 job 12")
     * @param request the latency attribution of the request this job serves, or null
     */
    public SchedJob(String label, Attribution request) {
        this.label = label;
        this.request = request;
    }

    /** drm_sched_job_init; returns 0, -ENOENT (entity without run queue) or -EINVAL (0 credits). */
    public int init(SchedEntity entity, int credits) {
        return init(entity, credits, null);
    }

    /** drm_sched_job_init with its {@code owner} (client id, for debugging). */
    public int init(SchedEntity entity, int credits, Object owner) {
        if (entity == null) throw new IllegalArgumentException("job " + label + ": no entity");
        if (this.entity != null || sched != null) throw new IllegalStateException("job " + label + " initialised twice");
        if (entity.rq == null) return -Errno.ENOENT;
        if (credits <= 0) return -Errno.EINVAL;
        this.entity = entity;
        this.credits = credits;
        this.owner = owner;
        return 0;
    }

    /**
     * drm_sched_job_arm: runs drm_sched_entity_select_rq (the only place an entity may move to
     * another scheduler, rocket-upstream.md §2.7, §8), then numbers the scheduled and finished
     * fences on the entity's timelines.
     */
    public void arm() {
        if (entity == null) throw new IllegalStateException("job " + label + " armed before init");
        if (sched != null) throw new IllegalStateException("job " + label + " armed twice");
        entity.selectRq();
        if (entity.rq == null) throw new IllegalStateException("job " + label + ": no ready scheduler in the entity's list");
        sched = entity.rq.sched;
        sPriority = entity.priority();
        id = sched.nextJobId();
        sFence.init(entity.fenceContext(), entity.nextFenceSeq(), sched);
        sched.registerFences(this);
    }

    /**
     * drm_sched_job_add_dependency: keeps at most one fence per context (the later one), as the
     * xarray dedup does. Null fences are ignored. Returns 0.
     */
    public int addDependency(DmaFence fence) {
        if (fence == null) return 0;
        for (int i = 0; i < dependencies.size(); i++) {
            DmaFence e = dependencies.get(i);
            if (e.context() != fence.context()) continue;
            if (fence.seqno() > e.seqno()) dependencies.set(i, fence); // dma_fence_is_later
            return 0;
        }
        dependencies.add(fence);
        return 0;
    }

    /** drm_sched_job_add_resv_dependencies: every fence of {@code resv} with usage up to {@code usage}. */
    public int addResvDependencies(DmaResv resv, DmaResv.Usage usage) {
        for (DmaFence f : resv.fences(usage)) addDependency(f);
        return 0;
    }

    /**
     * drm_sched_job_add_implicit_dependencies: a reader ({@code write=false}) waits for writers, a
     * writer for readers and writers (dma_resv_usage_rw, rocket-upstream.md §2.4).
     */
    public int addImplicitDependencies(DmaResv resv, boolean write) {
        return addResvDependencies(resv, DmaResv.usageRw(write));
    }

    /**
     * DRM_SCHED_FENCE_DONT_PIPELINE on this job's finished fence: a job of another entity on the
     * same scheduler that depends on it waits for it to finish, not just to be scheduled.
     */
    public void setDontPipeline(boolean v) {
        dontPipeline = v;
    }

    public boolean dontPipeline() {
        return dontPipeline;
    }

    /**
     * drm_sched_job_cleanup for a job armed but never pushed (an aborted submit): forgets its
     * fences. Pushed jobs are cleaned up by the scheduler.
     */
    public void cleanup() {
        if (sched != null && submitTsPs < 0) sched.unregisterFences(this);
    }

    // ---- accessors --------------------------------------------------------------------------

    public String label() {
        return label;
    }

    /** The request this job serves, or null. */
    public Attribution request() {
        return request;
    }

    /** The entity the job was initialised on (the kernel clears it after pop; the model keeps it). */
    public SchedEntity entity() {
        return entity;
    }

    /** The scheduler chosen at arm; null before. */
    public DrmGpuScheduler sched() {
        return sched;
    }

    public int credits() {
        return credits;
    }

    public Object owner() {
        return owner;
    }

    /** Per-scheduler job id (job_id_count), from 1. */
    public long id() {
        return id;
    }

    public DrmSchedPriority priority() {
        return sPriority;
    }

    public SchedFence sFence() {
        return sFence;
    }

    public DmaFence scheduledFence() {
        return sFence.scheduled();
    }

    public DmaFence finishedFence() {
        return sFence.finished();
    }

    public DmaFence hwFence() {
        return sFence.parent();
    }

    public List<DmaFence> dependencies() {
        return Collections.unmodifiableList(dependencies);
    }

    /** submit_ts: when it was pushed, or -1. */
    public long submitTsPs() {
        return submitTsPs;
    }

    /** When drm_sched_job_begin put it on the pending list (its TDR reference), or -1. */
    public long beganAtPs() {
        return beganAtPs;
    }

    public long finishedAtPs() {
        return finishedAtPs;
    }

    public boolean isFreed() {
        return freed;
    }

    // ---- model internals --------------------------------------------------------------------

    void openQueuedClaim(long nowPs) {
        if (request != null && !request.isFinished()) queuedClaim = request.open(Part.QUEUED, nowPs);
    }

    void closeQueuedClaim(long nowPs) {
        if (queuedClaim != null && request != null && !request.isFinished()) request.close(queuedClaim, nowPs);
        queuedClaim = null;
    }

    /** Async trace id, unique per job across schedulers. */
    long traceId() {
        DmaFence f = sFence.finished();
        return f == null ? id : (f.context() << 32) ^ f.seqno();
    }

    @Override
    public String toString() {
        return "SchedJob[" + label + (sched != null ? " on " + sched.name() + " #" + id : "") + "]";
    }
}
