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
import io.npusim.kernel.drm.GemMapping;
import io.npusim.kernel.drm.GemObject;
import io.npusim.kernel.drm.MmapOffsets;
import io.npusim.kernel.os.CharDevice;
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
import java.util.List;
import java.util.Optional;

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
    private long nextGemId = 1;
    private int nextDomain = 1;
    private int nextFile = 1;
    private final io.npusim.core.stats.LevelSeries[] depth = new io.npusim.core.stats.LevelSeries[3];

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
            if (o.dropHandle()) ps += free(f, o);
        }
        for (SchedEntity e : f.entities) e.fini();
        c.cpu(ps, done);
    }

    @Override
    public void mmap(SyscallContext c, OpenFile of, long offset, long length, Syscalls.MmapResult done) {
        GemObject o = offsets.lookup(offset);
        RocketFile f = of.state();
        // the fake offset must belong to a BO of this file
        if (o == null || o.isFreed() || !f.handles.objects().contains(o) || length > o.size()) {
            done.done(-Errno.EINVAL, null);
            return;
        }
        done.done(0, new GemMapping(o));
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
            c.cpu(cost.copyPs(CreateBo.SIZE), () -> done.done(-Errno.EINVAL, a));
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
        long ps = cost.copyPs(GemClose.SIZE) + (o.dropHandle() ? free(f, o) : 0);
        c.cpu(ps, () -> done.done(0, a));
    }

    // ---- SUBMIT ----------------------------------------------------------------------------

    private void submit(SyscallContext c, RocketFile f, Submit a, Syscalls.IoctlResult done) {
        submitsCalled++;
        long ps = cost.copyPs(Submit.SIZE);
        if (a.jobCount() == 0) {
            c.cpu(ps, () -> done.done(0, a));
            return;
        }
        if (a.jobStructSize() < io.npusim.uapi.rocket.RocketJob.SIZE || a.reserved() != 0) {
            c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        // all jobs are copied before any is processed: one fault submits nothing
        Optional<List<io.npusim.uapi.rocket.RocketJob>> jobs = a.jobs().copyFromUser(a.jobCount());
        ps += cost.copyPs((long) a.jobCount() * a.jobStructSize());
        if (jobs.isEmpty()) {
            c.cpu(ps, () -> done.done(-Errno.EFAULT, a));
            return;
        }
        int firstError = 0;
        List<RocketJob> accepted = new ArrayList<>();
        for (io.npusim.uapi.rocket.RocketJob uj : jobs.get()) {
            int[] err = {0};
            RocketJob j = buildJob(c, f, uj, err);
            ps += cost.copyPs((long) Math.max(0, uj.taskCount()) * Math.max(8, uj.taskStructSize())) + cost.fencePs() + cost.lockPs();
            if (j == null) {
                jobsRejected++;
                if (firstError == 0) firstError = err[0];
                continue; // rocket_ioctl_submit ignores rocket_ioctl_submit_job's return value
            }
            accepted.add(j);
        }
        int ret = p.submitErrors() ? firstError : 0;
        c.cpu(ps, () -> {
            for (RocketJob j : accepted) push(f, j);
            done.done(ret, a);
        });
    }

    /** rocket_ioctl_submit_job's checks; null (with the errno the driver computes) when the job is dropped. */
    private RocketJob buildJob(SyscallContext c, RocketFile f, io.npusim.uapi.rocket.RocketJob uj, int[] err) {
        if (uj.taskCount() == 0 || uj.taskStructSize() < RocketTask.SIZE) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        Optional<List<RocketTask>> tasks = uj.tasks().copyFromUser(uj.taskCount());
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
        if ((long) uj.inBoHandleCount() + uj.outBoHandleCount() > Integer.MAX_VALUE) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        List<GemObject> in = lookup(f, uj.inBoHandles(), uj.inBoHandleCount(), err);
        List<GemObject> out = in == null ? null : lookup(f, uj.outBoHandles(), uj.outBoHandleCount(), err);
        if (in == null || out == null) return null;
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

    private static List<GemObject> lookup(RocketFile f, UserArray<Integer> handles, int count, int[] err) {
        if (count == 0) return List.of();
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
        long jiffyPs = Time.PS_PER_S / p.hz();
        boolean infinite = deadlineNs == Long.MAX_VALUE;
        if (writers.isEmpty()) {
            int left = infinite ? Integer.MAX_VALUE : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (deadlineNs - nowNs) * Time.PS_PER_NS / jiffyPs));
            c.cpu(copy + syncPs, () -> done.done(deadlineNs <= nowNs && !infinite ? 1 : left, a));
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
            long leftPs = infinite ? Long.MAX_VALUE : deadlineNs * Time.PS_PER_NS - k.sim().now();
            int left = infinite ? Integer.MAX_VALUE : (int) Math.max(1, Math.min(Integer.MAX_VALUE, leftPs / jiffyPs));
            k.irqCpu(cost.wakeUpPs(), c.request(), io.npusim.core.account.Part.JOB_OVERHEAD, () -> c.cpu(syncPs, () -> done.done(left, a)));
        };
        for (DmaFence fe : writers) {
            if (!fe.addCallback(onSignal)) onSignal.run();
        }
        if (!infinite && !finished[0]) {
            timer[0] = k.sim().schedule(Math.max(k.sim().now(), deadlineNs * Time.PS_PER_NS), Priority.KERNEL, (ob, x) -> {
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
        long n = 0;
        for (DrmGpuScheduler s : scheds) n += s.jobsCompleted();
        return n;
    }

    @Override
    public long jobsErrored() {
        long n = 0;
        for (DrmGpuScheduler s : scheds) n += s.jobsCancelled() + s.jobsFailed();
        return n;
    }

    @Override
    public long jobsLost() {
        long n = 0;
        for (DrmGpuScheduler s : scheds) n += s.jobsKilled();
        return n;
    }

    public long hwSubmits() {
        long n = 0;
        for (RocketCore c : cores) n += c.hwSubmits;
        return n;
    }

    public long iommuAttaches() {
        long n = 0;
        for (RocketCore c : cores) n += c.attaches;
        return n;
    }

    public long timeouts() {
        long n = 0;
        for (RocketCore c : cores) n += c.timeouts;
        return n;
    }

    public long runtimeResumes() {
        long n = 0;
        for (RocketCore c : cores) n += c.resumes;
        return n;
    }

    /** Jobs queued on a core's scheduler or running on it, mean per 10 ms bucket. */
    @Override
    public double[] queueDepthSeries(int core) {
        return depth[core].means(k.sim().now());
    }
}
