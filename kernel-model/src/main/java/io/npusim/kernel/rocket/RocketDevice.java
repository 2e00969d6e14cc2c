package io.npusim.kernel.rocket;

import io.npusim.core.event.Priority;
import io.npusim.core.time.Time;
import io.npusim.hw.Rk3588;
import io.npusim.hw.iommu.IommuDomain;
import io.npusim.hw.mem.PhysMemory;
import io.npusim.hw.mem.Region;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.drm.DmaResv;
import io.npusim.kernel.drm.GemObject;
import io.npusim.kernel.drm.MmapOffsets;
import io.npusim.kernel.os.Kernel;
import io.npusim.kernel.os.OpenFile;
import io.npusim.kernel.os.SyscallContext;
import io.npusim.kernel.sched.DrmGpuScheduler;
import io.npusim.kernel.sched.DrmSchedPriority;
import io.npusim.kernel.sched.SchedEntity;
import io.npusim.uapi.Errno;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.codec.UserArray;
import io.npusim.uapi.drm.GemClose;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.rocket.CreateBo;
import io.npusim.uapi.rocket.FiniBo;
import io.npusim.uapi.rocket.PrepBo;
import io.npusim.uapi.rocket.RocketTask;
import io.npusim.uapi.rocket.Submit;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The upstream rocket driver (drivers/accel/rocket, Linux 6.18) behind /dev/accel/accel0, as
 * summarised in rocket-upstream.md: each open file gets its own IOMMU domain (process isolation)
 * with a 4 GiB IOVA space and one drm_sched entity listing every core; BOs are shmem pages pinned
 * at creation; SUBMIT validates and queues jobs, dropping per-job errors while returning 0;
 * PREP_BO waits for writers with an absolute deadline and syncs caches even after a timeout.
 */
public final class RocketDevice implements io.npusim.kernel.os.NpuDriver {
    public static final String PATH = "/dev/accel/accel0";
    private static final long SHMEM_BASE_IOVA = 0;

    private final Kernel k;
    private final Rk3588 hw;
    private final KernelCosts cost;
    private final RocketParams p;
    private final List<RocketCore> cores = new ArrayList<>();
    private final List<DrmGpuScheduler> scheds = new ArrayList<>();
    private final MmapOffsets offsets = new MmapOffsets();
    /**
     * References queued and running jobs hold on their in and out BOs (drm_gem_objects_lookup
     * takes them, rocket_job_cleanup puts them), and BOs whose last handle is gone but that a job
     * still holds: they are freed when the last such job is.
     */
    private final Map<GemObject, Integer> jobRefs = new IdentityHashMap<>();
    private final Map<GemObject, RocketFile> closedInUse = new IdentityHashMap<>();
    private long nextGemId = 1;
    private int nextDomain = 1;
    private int nextFile = 1;
    private final io.npusim.core.stats.LevelSeries[] depth = new io.npusim.core.stats.LevelSeries[3];
    private final io.npusim.kernel.devfreq.SimpleOndemand devfreq; // null unless rocket.devfreq

    // statistics
    private long jobsSubmitted;
    private long jobsRejected;
    private long submitsCalled;

    public RocketDevice(Kernel k, RocketParams p) {
        this.k = k;
        this.hw = k.hw();
        this.cost = k.cost();
        this.p = p;
        if (hw.topology() != Rk3588.IommuTopology.PER_CORE) throw new IllegalStateException("rocket needs the mainline device tree (an IOMMU per core)");
        for (int i = 0; i < hw.coreCount(); i++) {
            RocketCore c = new RocketCore(k, p, i, k.trace());
            cores.add(c);
            scheds.add(c.sched);
            int core = i;
            depth[i] = new io.npusim.core.stats.LevelSeries(Time.ms(10));
            int track = k.trace().enabled() ? k.trace().track("kernel: rocket", "core " + i + " queue") : 0;
            // jobs queued on the scheduler plus the one on the hardware
            c.sched.setQueueDepthListener((s, e, ed, queued, now) -> {
                int d = queued + s.creditCount();
                depth[core].set(d, now);
                if (k.trace().enabled()) k.trace().counter(track, "queue depth core " + core, now, "jobs", d);
            });
        }
        if (p.devfreq()) {
            devfreq = new io.npusim.kernel.devfreq.SimpleOndemand(k, p.governor(), "kernel: rocket");
            for (RocketCore c : cores) c.setDevfreq(devfreq);
            devfreq.start();
        } else {
            devfreq = null;
        }
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String policy() {
        return "rocket";
    }

    @Override
    public void open(SyscallContext c, OpenResult done) {
        IommuDomain d = new IommuDomain(nextDomain++, "rocket file " + nextFile);
        List<SchedEntity> entities = new ArrayList<>();
        if (p.multiEntity()) {
            for (int i = 0; i < scheds.size(); i++) {
                entities.add(new SchedEntity(k, "file" + nextFile + "." + i, DrmSchedPriority.NORMAL, List.copyOf(scheds)));
            }
        } else {
            entities.add(new SchedEntity(k, "file" + nextFile, DrmSchedPriority.NORMAL, List.copyOf(scheds)));
        }
        nextFile++;
        RocketFile f = new RocketFile(c.pid(), c.thread().process().name(), d, entities);
        c.cpu(cost.lockPs() * 4, () -> done.opened(f));
    }

    @Override
    public void release(SyscallContext c, OpenFile of, Runnable done) {
        RocketFile f = of.state();
        long ps = 0;
        for (int h : f.handles.handleSet()) {
            GemObject o = f.handles.remove(h);
            if (o.dropHandle()) ps += freeUnlessInUse(f, o);
        }
        for (SchedEntity e : f.entities) e.fini();
        c.cpu(ps, done);
    }

    @Override
    public void mmap(SyscallContext c, OpenFile of, long offset, long length, Syscalls.MmapResult done) {
        offsets.mmap(offset, length, of.<RocketFile>state().handles, done);
    }

    @Override
    public void ioctl(SyscallContext c, OpenFile of, Ioctl arg, Syscalls.IoctlResult done) {
        RocketFile f = of.state();
        if (arg instanceof CreateBo a) createBo(c, f, a, done);
        else if (arg instanceof Submit a) submit(c, f, a, done);
        else if (arg instanceof PrepBo a) prepBo(c, f, a, done);
        else if (arg instanceof FiniBo a) finiBo(c, f, a, done);
        else if (arg instanceof GemClose a) gemClose(c, f, a, done);
        else done.done(-Errno.ENOTTY, arg);
    }

    // ---- CREATE_BO -------------------------------------------------------------------------

    private void createBo(SyscallContext c, RocketFile f, CreateBo a, Syscalls.IoctlResult done) {
        long size = PhysMemory.pageAlign(a.sizeBytes());
        if (a.sizeBytes() == 0) {
            // rocket_gem.c does not check the size: drm_gem_shmem_create(0) fails in
            // drm_gem_create_mmap_offset, whose drm_vma_offset_add of 0 pages gets -ENOSPC from
            // drm_mm_insert_node_in_range ("size == 0 ... return -ENOSPC"), and the error passes
            // through (rocket-upstream.md 1.3: drm_gem_shmem_create errors pass through).
            c.cpu(cost.copyPs(CreateBo.SIZE), () -> done.done(-Errno.ENOSPC, a));
            return;
        }
        Region r = hw.mem().allocDdr("rocket bo " + nextGemId, c.pid(), size);
        if (r == null) {
            c.cpu(cost.copyPs(CreateBo.SIZE), () -> done.done(-Errno.ENOMEM, a));
            return;
        }
        long iova = f.domain.findFree(SHMEM_BASE_IOVA, size); // drm_mm first fit over the aperture
        if (iova < 0) {
            hw.mem().free(r);
            c.cpu(cost.copyPs(CreateBo.SIZE), () -> done.done(-Errno.ENOSPC, a));
            return;
        }
        f.domain.map(iova, r, 0, size);
        GemObject o = new GemObject(nextGemId++, "bo", c.pid(), size, r, null);
        o.setMapping(f.domain, iova);
        int handle = f.handles.add(o);
        long off = offsets.assign(o);
        long pages = size / PhysMemory.PAGE;
        long ps = cost.copyPs(CreateBo.SIZE) * 2 + pages * (cost.pageAllocPs() + cost.pageZeroPs() + cost.iommuMapPagePs());
        c.cpu(ps, () -> done.done(0, a.withResult(handle, iova, off)));
    }

    /** The last handle is gone: free now, or when the last job holding the BO is freed. */
    private long freeUnlessInUse(RocketFile f, GemObject o) {
        if (jobRefs.containsKey(o)) {
            closedInUse.put(o, f);
            return 0;
        }
        return free(f, o);
    }

    /** rocket_job_push's lookups keep the job's BOs alive until rocket_job_cleanup. */
    private void getBos(RocketJob j) {
        for (GemObject o : j.in) jobRefs.merge(o, 1, Integer::sum);
        for (GemObject o : j.out) jobRefs.merge(o, 1, Integer::sum);
        j.putBos = () -> {
            for (GemObject o : j.in) putBo(o);
            for (GemObject o : j.out) putBo(o);
        };
    }

    private void putBo(GemObject o) {
        if (jobRefs.merge(o, -1, Integer::sum) > 0) return;
        jobRefs.remove(o);
        RocketFile f = closedInUse.remove(o);
        if (f != null) free(f, o);
    }

    private long free(RocketFile f, GemObject o) {
        if (o.isFreed()) return 0;
        o.markFreed();
        f.domain.unmap(o.iova());
        hw.iommuFor(0); // the file's domain may be attached to any core; zap where it is
        for (RocketCore rc : cores) {
            var mmu = hw.iommuFor(rc.index());
            if (mmu.attached() == f.domain) mmu.zapRange(o.iova(), o.size());
        }
        hw.mem().free(o.region());
        offsets.remove(o);
        return o.pages() * cost.iommuUnmapPagePs();
    }

    private void gemClose(SyscallContext c, RocketFile f, GemClose a, Syscalls.IoctlResult done) {
        GemObject o = f.handles.remove(a.handle());
        if (o == null) {
            c.cpu(cost.copyPs(GemClose.SIZE), () -> done.done(-Errno.EINVAL, a));
            return;
        }
        long ps = cost.copyPs(GemClose.SIZE) + (o.dropHandle() ? freeUnlessInUse(f, o) : 0);
        c.cpu(ps, () -> done.done(0, a));
    }

    // ---- SUBMIT ----------------------------------------------------------------------------

    private void submit(SyscallContext c, RocketFile f, Submit a, Syscalls.IoctlResult done) {
        submitsCalled++;
        long ps = cost.copyPs(Submit.SIZE);
        // The counts and strides are __u32: read unsigned, as C compares them.
        long jobCount = Integer.toUnsignedLong(a.jobCount());
        if (jobCount == 0) {
            c.cpu(ps, () -> done.done(0, a));
            return;
        }
        if (Integer.compareUnsigned(a.jobStructSize(), io.npusim.uapi.rocket.RocketJob.SIZE) < 0 || a.reserved() != 0) {
            c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        // kvmalloc_objs(*jobs, job_count): kvmalloc refuses more than INT_MAX bytes (mm/util.c)
        if (jobCount * io.npusim.uapi.rocket.RocketJob.SIZE > Integer.MAX_VALUE) {
            c.cpu(ps, () -> done.done(-Errno.ENOMEM, a));
            return;
        }
        // all jobs are copied before any is processed: one fault submits nothing
        Optional<List<io.npusim.uapi.rocket.RocketJob>> jobs = a.jobs().copyFromUser(jobCount);
        ps += cost.copyPs(jobCount * io.npusim.uapi.rocket.RocketJob.SIZE); // sizeof(*jobs) per job, whatever the stride
        if (jobs.isEmpty()) {
            c.cpu(ps, () -> done.done(-Errno.EFAULT, a));
            return;
        }
        int firstError = 0;
        List<RocketJob> accepted = new ArrayList<>();
        for (io.npusim.uapi.rocket.RocketJob uj : jobs.get()) {
            int[] err = {0};
            RocketJob j = buildJob(c, f, uj, err);
            ps += cost.copyPs((j == null ? 0 : j.tasks.size()) * (long) RocketTask.SIZE) + cost.fencePs() + cost.lockPs();
            if (j == null) {
                jobsRejected++;
                if (firstError == 0) firstError = err[0];
                continue; // rocket_ioctl_submit ignores rocket_ioctl_submit_job's return value
            }
            getBos(j);
            accepted.add(j);
        }
        int ret = p.submitErrors() ? firstError : 0;
        c.cpu(ps, () -> {
            for (RocketJob j : accepted) push(f, j);
            done.done(ret, a);
        });
    }

    /** sizeof(struct rocket_task) in the kernel: u64 regcmd, u32 regcmd_count, padded. */
    private static final int KERNEL_TASK_BYTES = 16;

    /** rocket_ioctl_submit_job's checks; null (with the errno the driver computes) when the job is dropped. */
    private RocketJob buildJob(SyscallContext c, RocketFile f, io.npusim.uapi.rocket.RocketJob uj, int[] err) {
        long taskCount = Integer.toUnsignedLong(uj.taskCount());
        if (taskCount == 0 || Integer.compareUnsigned(uj.taskStructSize(), RocketTask.SIZE) < 0) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        if (taskCount * KERNEL_TASK_BYTES > Integer.MAX_VALUE) { // kvmalloc_objs(*rjob->tasks, task_count)
            err[0] = -Errno.ENOMEM;
            return null;
        }
        Optional<List<RocketTask>> tasks = uj.tasks().copyFromUser(taskCount);
        if (tasks.isEmpty()) {
            err[0] = -Errno.EFAULT;
            return null;
        }
        List<RocketJob.Task> kt = new ArrayList<>();
        for (RocketTask t : tasks.get()) {
            if (t.regcmdCount() == 0) {
                err[0] = -Errno.EINVAL;
                return null;
            }
            kt.add(new RocketJob.Task(t.regcmd(), t.regcmdCount()));
        }
        List<GemObject> in = lookup(f, uj.inBoHandles(), uj.inBoHandleCount(), err);
        List<GemObject> out = in == null ? null : lookup(f, uj.outBoHandles(), uj.outBoHandleCount(), err);
        if (in == null || out == null) return null;
        // rocket_job_push: check_add_overflow(in_bo_count, out_bo_count) on u32
        if (Integer.toUnsignedLong(uj.inBoHandleCount()) + Integer.toUnsignedLong(uj.outBoHandleCount()) > 0xFFFF_FFFFL) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        RocketJob j = new RocketJob("job", c.request(), f, kt, in, out);
        SchedEntity e = f.entities.get(f.nextEntity++ % f.entities.size());
        int r = j.init(e, 1);
        if (r != 0) {
            err[0] = r;
            return null;
        }
        jobsSubmitted++;
        return j;
    }

    /** drm_gem_objects_lookup: -ENOMEM when the arrays cannot be allocated, -EFAULT, -ENOENT. */
    private static List<GemObject> lookup(RocketFile f, UserArray<Integer> handles, int rawCount, int[] err) {
        long count = Integer.toUnsignedLong(rawCount);
        if (count == 0) return List.of();
        if (count * 8 > Integer.MAX_VALUE) { // kvmalloc_array(count, sizeof(struct drm_gem_object *))
            err[0] = -Errno.ENOMEM;
            return null;
        }
        Optional<List<Integer>> hs = handles.copyFromUser(count);
        if (hs.isEmpty()) {
            err[0] = -Errno.EFAULT;
            return null;
        }
        List<GemObject> out = new ArrayList<>();
        for (int h : hs.get()) {
            GemObject o = f.handles.get(h);
            if (o == null) {
                err[0] = -Errno.ENOENT;
                return null;
            }
            out.add(o);
        }
        return out;
    }

    /** rocket_job_push: arm under the device lock, implicit dependencies, push, fence the out BOs. */
    private void push(RocketFile f, RocketJob j) {
        j.arm();
        for (GemObject o : j.in) j.addImplicitDependencies(o.resv(), false);
        for (GemObject o : j.out) j.addImplicitDependencies(o.resv(), true);
        j.entity().pushJob(j);
        for (GemObject o : j.out) o.resv().add(j.finishedFence(), DmaResv.Usage.WRITE);
    }

    // ---- PREP_BO / FINI_BO ------------------------------------------------------------------

    private void prepBo(SyscallContext c, RocketFile f, PrepBo a, Syscalls.IoctlResult done) {
        long copy = cost.copyPs(PrepBo.SIZE);
        if (a.reserved() != 0) {
            c.cpu(copy, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        GemObject o = f.handles.get(a.handle());
        if (o == null) {
            c.cpu(copy, () -> done.done(-Errno.ENOENT, a));
            return;
        }
        long nowNs = k.sim().now() / Time.PS_PER_NS;
        long deadlineNs = a.timeoutNs();
        List<DmaFence> writers = o.resv().fences(DmaResv.Usage.WRITE);
        long syncPs = cost.syncPs(o.size());
        // drm_timeout_abs_to_jiffies clamps far deadlines to MAX_SCHEDULE_TIMEOUT - 1: a deadline
        // beyond what picoseconds can hold never comes (and must not overflow into the past).
        boolean infinite = deadlineNs >= Long.MAX_VALUE / Time.PS_PER_NS;
        long deadlinePs = infinite ? Long.MAX_VALUE : deadlineNs * Time.PS_PER_NS;
        // Success: 6.18.0 returns what dma_resv_wait_timeout left, the remaining jiffies, through
        // the int ioctl handler (rocket-upstream.md 1.3 as the issue pins it: "a positive value,
        // as 6.18 does"); modelled as the jiffies left, at least 1, clamped to INT_MAX for
        // deadlines that never come. The later stable fix "accel/rocket: Fix prep_bo ioctl leaking
        // positive return from dma_resv_wait_timeout()" (2026-04, Fixes: 525ad89dd904) returns 0:
        // rocket.prep_bo_fixed=true.
        final long hz = p.hz();
        final boolean fixed = p.prepBoFixed();
        java.util.function.LongToIntFunction left = nowPs -> {
            if (fixed) return 0;
            if (infinite) return Integer.MAX_VALUE;
            long remainPs = Math.max(0, deadlinePs - nowPs);
            long jiffies = (long) Math.ceil(remainPs / (1e12 / hz));
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, jiffies));
        };
        if (writers.isEmpty()) {
            c.cpu(copy + syncPs, () -> done.done(left.applyAsInt(k.sim().now()), a));
            return;
        }
        if (!infinite && deadlineNs <= nowNs) {
            // a deadline of zero or in the past polls: busy; the cache sync still runs
            c.cpu(copy + syncPs, () -> done.done(-Errno.EBUSY, a));
            return;
        }
        // dma_resv_wait_timeout on the writers, then the sync (even after a timeout)
        final boolean[] finished = {false};
        final long[] timer = {-1};
        final int[] pending = {writers.size()};
        Runnable onSignal = () -> {
            if (finished[0] || --pending[0] > 0) return;
            finished[0] = true;
            if (timer[0] >= 0) k.sim().cancel(timer[0]);
            k.kernelCpu(c.thread().cpu(), cost.wakeUpPs(), c.request(), io.npusim.core.account.Part.JOB_OVERHEAD, () -> {
                int ret = left.applyAsInt(k.sim().now()); // jiffies left when the fence signalled
                c.cpu(syncPs, () -> done.done(ret, a));
            });
        };
        for (DmaFence fe : writers) {
            if (!fe.addCallback(onSignal)) onSignal.run();
        }
        if (!infinite && !finished[0]) {
            timer[0] = k.sim().schedule(Math.max(k.sim().now(), deadlinePs), Priority.KERNEL, (ob, x) -> {
                if (finished[0]) return;
                finished[0] = true;
                c.cpu(syncPs, () -> done.done(-Errno.ETIMEDOUT, a));
            }, null, 0);
        }
        if (!finished[0]) c.cpu(copy, () -> { });
    }

    private void finiBo(SyscallContext c, RocketFile f, FiniBo a, Syscalls.IoctlResult done) {
        long copy = cost.copyPs(FiniBo.SIZE);
        if (a.reserved() != 0) {
            c.cpu(copy, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        GemObject o = f.handles.get(a.handle());
        if (o == null) {
            c.cpu(copy, () -> done.done(-Errno.ENOENT, a));
            return;
        }
        c.cpu(copy + cost.syncPs(o.size()), () -> done.done(0, a));
    }

    // ---- statistics ------------------------------------------------------------------------

    public List<DrmGpuScheduler> schedulers() {
        return List.copyOf(scheds);
    }

    @Override
    public long jobsSubmitted() {
        return jobsSubmitted;
    }

    public long jobsRejected() {
        return jobsRejected;
    }

    public long submits() {
        return submitsCalled;
    }

    @Override
    public long jobsCompleted() {
        return sumOverScheds(s -> s.jobsCompleted());
    }

    @Override
    public long jobsErrored() {
        return sumOverScheds(s -> s.jobsCancelled() + s.jobsFailed());
    }

    @Override
    public long jobsLost() {
        return sumOverScheds(s -> s.jobsKilled());
    }

    public long hwSubmits() {
        return sumOverCores(c -> c.hwSubmits);
    }

    public long iommuAttaches() {
        return sumOverCores(c -> c.attaches);
    }

    public long timeouts() {
        return sumOverCores(c -> c.timeouts);
    }

    /** Samples the devfreq governor took (0 without the devfreq switch). */
    public long devfreqSamples() {
        return devfreq == null ? 0 : devfreq.samples();
    }

    /** Times the devfreq governor raised, and lowered, the NPU clock. */
    public long devfreqRaises() {
        return devfreq == null ? 0 : devfreq.raises();
    }

    public long devfreqLowers() {
        return devfreq == null ? 0 : devfreq.lowers();
    }

    public long runtimeResumes() {
        return sumOverCores(c -> c.resumes);
    }

    /** Jobs queued on a core's scheduler or running on it, mean per 10 ms bucket. */
    @Override
    public double[] queueDepthSeries(int core) {
        return depth[core].means(k.sim().now());
    }

    private long sumOverCores(ToLongFunction<RocketCore> f) {
        long n = 0;
        for (RocketCore c : cores) n += f.applyAsLong(c);
        return n;
    }

    private long sumOverScheds(ToLongFunction<DrmGpuScheduler> f) {
        long n = 0;
        for (DrmGpuScheduler s : scheds) n += f.applyAsLong(s);
        return n;
    }
}
