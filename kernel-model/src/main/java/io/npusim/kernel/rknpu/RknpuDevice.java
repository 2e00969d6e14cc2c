package io.npusim.kernel.rknpu;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.event.Priority;
import io.npusim.core.time.Time;
import io.npusim.core.trace.TraceArgs;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.Rk3588;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.iommu.IommuDomain;
import io.npusim.hw.mem.PhysMemory;
import io.npusim.hw.mem.Region;
import io.npusim.hw.npu.CoreContext;
import io.npusim.hw.npu.IrqBits;
import io.npusim.hw.npu.NpuCore;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.drm.GemObject;
import io.npusim.kernel.drm.MmapOffsets;
import io.npusim.kernel.os.Kernel;
import io.npusim.kernel.os.OpenFile;
import io.npusim.kernel.os.SyscallContext;
import io.npusim.uapi.Errno;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.rknpu.Action;
import io.npusim.uapi.rknpu.ActionCode;
import io.npusim.uapi.rknpu.JobFlags;
import io.npusim.uapi.rknpu.MemCreate;
import io.npusim.uapi.rknpu.MemDestroy;
import io.npusim.uapi.rknpu.MemFlags;
import io.npusim.uapi.rknpu.MemMap;
import io.npusim.uapi.rknpu.MemSync;
import io.npusim.uapi.rknpu.RknpuTask;
import io.npusim.uapi.rknpu.Submit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The vendor rknpu 0.9.8 driver (DRM flavour) on RK3588: one device for all three cores behind one
 * shared IOMMU. Modelled after rknpu_drv.c, rknpu_job.c, rknpu_gem.c, rknpu_mm.c, rknpu_iommu.c
 * and rknpu_reset.c as summarised in rknpu-vendor-and-hw.md, quirks included:
 * <ul>
 *   <li>AUTO picks the core with the fewest queued-plus-running tasks at submit time, ties to the
 *       lowest index, idle state ignored (2.3);</li>
 *   <li>a multi-core job is written to the hardware only when its last core dequeued it, then on
 *       all its cores at once; cores that reached it earlier sit reserved and idle (2.4);</li>
 *   <li>masks 0x5 and 0x6 pass validation and are never committed: the waiter gives up after one
 *       timeout with -EINVAL ("job commit failed"), and no reset follows;</li>
 *   <li>a job without RKNPU_JOB_PC passes validation and fails at commit; nothing waits for it, so
 *       on a free core -EINVAL comes back after the abort's 100 ms sleep, and a queued one returns
 *       0 and later holds its core (1.3, 2.2);</li>
 *   <li>the nonblocking timeout check compares microseconds with the millisecond timeout, resets
 *       the NPU and drops every queued job of that core without signalling its fence (2.8, 8);</li>
 *   <li>a timeout resets all cores, with two 100 ms sleeps, and the reset wakes every blocking
 *       submitter, whose unfinished job fails with -EINVAL (2.8).</li>
 * </ul>
 */
public final class RknpuDevice implements io.npusim.kernel.os.NpuDriver {
    public static final String PATH = "/dev/dri/renderD129";
    private static final long OBJ_ADDR_BASE = 0xffffff8000100000L;
    private static final int FENCE_CTX_TIMELINE = 1;

    private final Kernel k;
    private final Rk3588 hw;
    private final KernelCosts cost;
    private final RknpuParams p;
    private final TraceSink trace;
    private final int track;
    private final SubcoreQueue[] subcores = new SubcoreQueue[3];
    private final RknpuDomains domains;
    private final RknpuMm mm;
    private final Iommu iommu;
    private final MmapOffsets offsets = new MmapOffsets();
    private final TreeMap<Long, GemObject> byObjAddr = new TreeMap<>();
    private long nextObjAddr = OBJ_ADDR_BASE;
    private long nextGemId = 1;
    private long nextJobId = 1;
    private final long fenceContext;
    private long fenceSeqno;
    private boolean softResetting;
    private boolean resetLock;
    // sync files of FENCE_OUT fences, by the fd value handed out (the job id; not in the process fd table)
    private final TreeMap<Integer, DmaFence> syncFiles = new TreeMap<>();
    // blocking submitters sleeping in rknpu_job_wait (rknpu_soft_reset wakes them all)
    private final java.util.LinkedHashSet<RknpuJob> waiting = new java.util.LinkedHashSet<>();

    // power
    private int powerRefs;
    private boolean powered;
    private boolean poweringOn;
    private final List<Runnable> powerWaiters = new ArrayList<>();
    private long powerOffHandle = -1;
    private long powerOns;

    // statistics
    private long jobsSubmitted;
    private long jobsCompleted;
    private long jobsErrored;
    private long jobsLost;
    private long timeouts;
    private long softResets;
    private long invalidIrqs;
    private long sramBytesHeld;
    private long sramPeak;
    private final List<String> lostReports = new ArrayList<>();
    private final io.npusim.core.stats.LevelSeries[] depth = new io.npusim.core.stats.LevelSeries[3];
    private final int[] depthTrack = new int[3];

    public RknpuDevice(Kernel k, RknpuParams p) {
        this.k = k;
        this.hw = k.hw();
        this.cost = k.cost();
        this.p = p;
        this.trace = k.trace();
        this.track = trace.enabled() ? trace.track("kernel: rknpu", "jobs") : 0;
        if (hw.topology() != Rk3588.IommuTopology.SHARED) {
            throw new IllegalStateException("rknpu needs the vendor device tree (one shared IOMMU)");
        }
        this.iommu = hw.iommuFor(0);
        this.domains = new RknpuDomains(iommu, p.maxDomains());
        long sram = hw.mem().sramCapacity();
        this.mm = sram > 0 ? new RknpuMm(sram, PhysMemory.PAGE) : null;
        this.fenceContext = k.fenceContexts().alloc(1); // rknpu takes one context at probe
        for (int i = 0; i < 3; i++) {
            depth[i] = new io.npusim.core.stats.LevelSeries(io.npusim.core.time.Time.ms(10));
            depthTrack[i] = trace.enabled() ? trace.track("kernel: rknpu", "core " + i + " queue") : 0;
            subcores[i] = new SubcoreQueue(i);
            final int core = i;
            hw.core(i).setIrqSink((c, t) -> irq(core));
        }
        // The load statistic: an hrtimer every RKNPU_LOAD_INTERVAL.
        k.sim().scheduleIn(p.loadIntervalPs(), Priority.KERNEL, (o, a) -> loadTick(), null, 0);
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String policy() {
        return "rknpu";
    }

    @Override
    public double[] driverLoadPct() {
        return new double[] {loadPct(0), loadPct(1), loadPct(2)};
    }

    // ---- file operations ------------------------------------------------------------------

    @Override
    public void open(SyscallContext c, OpenResult done) {
        c.cpu(cost.lockPs() * 4, () -> done.opened(new RknpuFile(c.pid(), c.thread().process().name())));
    }

    @Override
    public void release(SyscallContext c, OpenFile f, Runnable done) {
        RknpuFile file = f.state();
        long ps = 0;
        for (int h : file.handles.handleSet()) {
            GemObject o = file.handles.remove(h);
            if (o.dropHandle()) ps += freeObject(o);
        }
        c.cpu(ps, done);
    }

    @Override
    public void mmap(SyscallContext c, OpenFile of, long offset, long length, Syscalls.MmapResult done) {
        offsets.mmap(offset, length, null, done); // rknpu_gem_mmap finds the object by offset alone
    }

    @Override
    public void ioctl(SyscallContext c, OpenFile f, Ioctl arg, Syscalls.IoctlResult done) {
        RknpuFile file = f.state();
        // RKNPU_IOCTL(): every ioctl holds a power reference.
        powerGet(c, () -> {
            Syscalls.IoctlResult put = (ret, out) -> {
                powerPutDelay();
                done.done(ret, out);
            };
            if (arg instanceof Action a) action(c, a, put);
            else if (arg instanceof MemCreate m) memCreate(c, file, m, put);
            else if (arg instanceof MemMap m) memMap(c, file, m, put);
            else if (arg instanceof MemDestroy m) memDestroy(c, file, m, put);
            else if (arg instanceof MemSync m) memSync(c, m, put);
            else if (arg instanceof Submit s) submit(c, file, s, put);
            else put.done(-Errno.ENOTTY, arg);
        });
    }

    // ---- power ----------------------------------------------------------------------------

    private void powerGet(SyscallContext c, Runnable then) {
        powerRefs++;
        if (powerOffHandle >= 0) {
            k.sim().cancel(powerOffHandle);
            powerOffHandle = -1;
        }
        if (powered) {
            then.run();
            return;
        }
        powerWaiters.add(then);
        if (poweringOn) return;
        poweringOn = true;
        powerOns++;
        Attribution r = c.request();
        Attribution.Claim claim = r != null && !r.isFinished() ? r.open(Part.JOB_OVERHEAD, k.sim().now()) : null;
        int[] left = {3};
        for (int i = 0; i < 3; i++) {
            hw.powerOnCore(i, () -> {
                if (--left[0] > 0) return;
                // clocks back to the running rate, IOMMU enabled again (cold TLB)
                hw.clock().setMhz(hw.clock().requestedMhz(), k.sim().now());
                domains.reattach();
                powered = true;
                poweringOn = false;
                if (claim != null && !r.isFinished()) r.close(claim, k.sim().now());
                List<Runnable> w = new ArrayList<>(powerWaiters);
                powerWaiters.clear();
                c.cpu(cost.rpmResumePs(), () -> w.forEach(Runnable::run));
            });
        }
    }

    private void powerPutDelay() {
        if (--powerRefs > 0) return;
        if (powerOffHandle >= 0) k.sim().cancel(powerOffHandle);
        powerOffHandle = k.sim().scheduleIn(p.powerOffDelayPs(), Priority.KERNEL, (o, a) -> powerOff(), null, 0);
    }

    private void powerOff() {
        powerOffHandle = -1;
        if (powerRefs > 0 || !powered) return;
        for (SubcoreQueue s : subcores) if (s.job != null || !s.todo.isEmpty()) return;
        powered = false;
        iommu.detach();
        for (int i = 0; i < 3; i++) hw.powerOffCore(i);
        if (trace.enabled()) trace.instant(track, "rknpu.power", "power off", k.sim().now(), TraceArgs.EMPTY);
    }

    // ---- memory ---------------------------------------------------------------------------

    private void memCreate(SyscallContext c, RknpuFile file, MemCreate a, Syscalls.IoctlResult done) {
        if (a.sizeBytes() == 0) {
            c.cpu(cost.copyPs(MemCreate.SIZE), () -> done.done(-Errno.EINVAL, a));
            return;
        }
        int domainId = a.iommuDomainId();
        if (domainId < 0 || domainId >= domains.max()) {
            c.cpu(cost.copyPs(MemCreate.SIZE), () -> done.done(-Errno.EINVAL, a));
            return;
        }
        withDomain(c, domainId, ok -> {
            if (!ok) {
                // rknpu_gem_object_create: a failed get_and_switch is ERR_PTR(-EINVAL) (rknpu_gem.c)
                done.done(-Errno.EINVAL, a);
                return;
            }
            long size = PhysMemory.pageAlign(a.sizeBytes());
            int flags = a.flags();
            Region ddr = hw.mem().allocDdr("rknpu gem " + nextGemId, c.pid(), size);
            if (ddr == null) {
                releaseDomain();
                c.cpu(cost.copyPs(MemCreate.SIZE), () -> done.done(-Errno.ENOMEM, a));
                return;
            }
            long sramBytes = 0;
            Region sram = null;
            if ((flags & MemFlags.TRY_ALLOC_SRAM) != 0 && mm != null) {
                long want = a.sramSizeBytes() > 0 && a.sramSizeBytes() < size ? PhysMemory.pageAlign(a.sramSizeBytes()) : size;
                want = Math.min(want, mm.freeBytes());
                long off = want > 0 ? mm.alloc(want) : -1;
                if (off >= 0) { // on failure the driver silently falls back to DDR only
                    sram = hw.mem().allocSram("rknpu sram " + nextGemId, c.pid(), off, want);
                    sramBytes = want;
                    sramBytesHeld += want;
                    sramPeak = Math.max(sramPeak, sramBytesHeld);
                }
            }
            IommuDomain d = domains.domain(domainId);
            long span = sramBytes + size;
            long iova = topDown(d, span);
            if (iova < 0) {
                hw.mem().free(ddr);
                if (sram != null) {
                    mm.free(sram.physBase() - PhysMemory.SRAM_BASE, sram.bytes());
                    sramBytesHeld -= sram.bytes();
                    hw.mem().free(sram);
                }
                releaseDomain();
                c.cpu(cost.copyPs(MemCreate.SIZE), () -> done.done(-Errno.ENOMEM, a));
                return;
            }
            if (sram != null) d.map(iova, sram, 0, sramBytes);
            d.map(iova + sramBytes, ddr, 0, size);
            GemObject o = new GemObject(nextGemId++, "gem", c.pid(), size, ddr, sram);
            o.setMapping(d, iova);
            o.setFlags(flags);
            long objAddr = nextObjAddr;
            nextObjAddr += 0x200;
            byObjAddr.put(objAddr, o);
            int handle = file.handles.add(o);
            offsets.assign(o);
            long pages = size / PhysMemory.PAGE;
            long ps = cost.copyPs(MemCreate.SIZE) * 2 + pages * cost.pageAllocPs() + pages * cost.iommuMapPagePs()
                    + ((flags & MemFlags.ZEROING) != 0 ? pages * cost.pageZeroPs() : 0);
            if ((flags & MemFlags.NON_CONTIGUOUS) != 0) {
                iommu.zapCache(); // 0.9.8 flushes the whole IOTLB after mapping a non-contiguous buffer
                ps += cost.zapCachePs();
            }
            releaseDomain();
            MemCreate out = a.withResult(handle, size, objAddr, iova, sramBytes);
            c.cpu(ps, () -> done.done(0, out));
        });
    }

    /** The DMA API hands out IOVAs top-down below the 32-bit limit. */
    private static long topDown(IommuDomain d, long bytes) {
        long cursor = IommuDomain.APERTURE - bytes;
        while (cursor >= PhysMemory.PAGE) {
            long f = d.findFree(cursor, bytes);
            if (f == cursor) return cursor;
            IommuDomain.Extent e = d.lookup(cursor) != null ? d.lookup(cursor) : d.lookup(cursor + bytes - 1);
            if (e == null) {
                // a mapping starts inside the range: move below it
                long probe = cursor;
                IommuDomain.Extent inside = null;
                for (long x = cursor; x < cursor + bytes; x += PhysMemory.PAGE) {
                    inside = d.lookup(x);
                    if (inside != null) break;
                }
                if (inside == null) return cursor;
                cursor = inside.iova() - bytes;
            } else {
                cursor = e.iova() - bytes;
            }
            cursor = cursor / PhysMemory.PAGE * PhysMemory.PAGE;
        }
        return -1;
    }

    private void memMap(SyscallContext c, RknpuFile file, MemMap a, Syscalls.IoctlResult done) {
        GemObject o = file.handles.get(a.handle());
        c.cpu(cost.copyPs(MemMap.SIZE) * 2 + cost.lockPs(), () -> {
            if (o == null) done.done(-Errno.ENOENT, a);
            else done.done(0, a.withOffset(o.mapOffset()));
        });
    }

    private void memDestroy(SyscallContext c, RknpuFile file, MemDestroy a, Syscalls.IoctlResult done) {
        GemObject o = file.handles.remove(a.handle());
        if (o == null) {
            c.cpu(cost.copyPs(MemDestroy.SIZE), () -> done.done(-Errno.EINVAL, a));
            return;
        }
        long ps = cost.copyPs(MemDestroy.SIZE) + (o.dropHandle() ? freeObject(o) : 0);
        c.cpu(ps, () -> done.done(0, a));
    }

    /** Unmaps (one ZAP_ONE_LINE per page on every bank) and frees; returns the CPU cost. */
    private long freeObject(GemObject o) {
        if (o.isFreed()) return 0;
        o.markFreed();
        IommuDomain d = o.domain();
        long span = o.sramBytes() + o.size();
        if (o.sram() != null) d.unmap(o.iova());
        d.unmap(o.iova() + o.sramBytes());
        iommu.zapRange(o.iova(), span);
        hw.mem().free(o.region());
        if (o.sram() != null) {
            mm.free(o.sram().physBase() - PhysMemory.SRAM_BASE, o.sram().bytes());
            sramBytesHeld -= o.sram().bytes();
            hw.mem().free(o.sram());
        }
        offsets.remove(o);
        byObjAddr.values().remove(o);
        long pages = span / PhysMemory.PAGE;
        return pages * cost.iommuUnmapPagePs() + cost.lockPs();
    }

    private void memSync(SyscallContext c, MemSync a, Syscalls.IoctlResult done) {
        GemObject o = byObjAddr.get(a.objAddr());
        // The driver dereferences obj_addr as a kernel pointer; a bad one would oops. We refuse it.
        if (o == null || (o.flags() & MemFlags.CACHEABLE) == 0) {
            c.cpu(cost.copyPs(MemSync.SIZE), () -> done.done(-Errno.EINVAL, a));
            return;
        }
        long bytes = Math.min(a.sizeBytes(), o.size() - Math.min(o.size(), a.offset()));
        c.cpu(cost.copyPs(MemSync.SIZE) + cost.syncPs(bytes), () -> done.done(0, a));
    }

    private void action(SyscallContext c, Action a, Syscalls.IoctlResult done) {
        int ret = 0;
        int value = a.value();
        ActionCode code = ActionCode.fromCode(a.flags()).orElse(null);
        if (code == null) {
            ret = -Errno.EINVAL;
        } else {
            switch (code) {
                case GET_HW_VERSION -> value = hw.core(0).readReg(NpuRegs.PC_VERSION) + (hw.core(0).readReg(NpuRegs.PC_VERSION_NUM) & 0xffff);
                case GET_DRV_VERSION -> value = 908;
                case GET_FREQ -> value = (int) (hw.clock().mhz() * 1_000_000);
                case GET_VOLT -> value = (int) (hw.clock().millivolts() * 1000);
                case ACT_RESET -> {
                    // rknpu_soft_reset() runs in the ioctl: the caller returns after its 100 ms sleep
                    // and the reset (1.5, 2.8)
                    Action out = a.withValue(value);
                    softReset(() -> c.cpu(cost.copyPs(Action.SIZE) * 2, () -> done.done(0, out)));
                    return;
                }
                case GET_IOMMU_EN -> value = 1;
                case SET_PROC_NICE -> { }
                case GET_TOTAL_SRAM_SIZE -> value = mm == null ? 0 : (int) mm.totalBytes();
                case GET_FREE_SRAM_SIZE -> value = mm == null ? 0 : (int) mm.freeBytes();
                case GET_IOMMU_DOMAIN_ID -> value = domains.current();
                case SET_IOMMU_DOMAIN_ID -> {
                    int id = a.value();
                    if (id < 0 || id >= domains.max()) {
                        ret = -Errno.EINVAL;
                    } else {
                        final int[] r = {0};
                        withDomain(c, id, ok -> {
                            if (ok) releaseDomain();
                            // the switch gives up after 6 s with -EINVAL (rknpu_iommu.c)
                            c.cpu(cost.copyPs(Action.SIZE) * 2, () -> done.done(ok ? 0 : -Errno.EINVAL, a));
                        });
                        return;
                    }
                }
                case ACT_CLR_TOTAL_RW_AMOUNT, GET_DT_WR_AMOUNT, GET_DT_RD_AMOUNT, GET_WT_RD_AMOUNT, GET_TOTAL_RW_AMOUNT -> value = 0;
                default -> ret = -Errno.EINVAL; // SET_FREQ, SET_VOLT, BW_* (no bw_priority_base), POWER_ON/OFF
            }
        }
        int r = ret;
        Action out = a.withValue(value);
        c.cpu(cost.copyPs(Action.SIZE) * 2, () -> done.done(r, out));
    }

    /** rknpu_iommu_domain_get_and_switch with its 6 s limit; {@code then} gets false on timeout. */
    private void withDomain(SyscallContext c, int id, java.util.function.Consumer<Boolean> then) {
        final long[] timer = {-1};
        final boolean[] finished = {false};
        Runnable granted = new Runnable() {
            @Override
            public void run() {
                if (finished[0]) return;
                finished[0] = true;
                if (timer[0] >= 0) k.sim().cancel(timer[0]);
                c.cpu(cost.iommuAttachPs(), () -> then.accept(true));
            }
        };
        int before = domains.current();
        if (domains.getAndSwitch(id, granted)) {
            long ps = before != domains.current() ? cost.iommuDetachPs() + cost.iommuAttachPs() : cost.lockPs();
            c.cpu(ps, () -> then.accept(true));
            return;
        }
        Attribution r = c.request();
        Attribution.Claim claim = r != null && !r.isFinished() ? r.open(Part.QUEUED, k.sim().now()) : null;
        timer[0] = k.sim().scheduleIn(p.domainSwitchWaitPs(), Priority.KERNEL, (o, x) -> {
            if (finished[0]) return;
            finished[0] = true;
            domains.cancel(granted);
            if (claim != null && !r.isFinished()) r.close(claim, k.sim().now());
            then.accept(false);
        }, null, 0);
    }

    private void releaseDomain() {
        for (Runnable r : domains.put()) r.run();
    }

    // ---- submit ---------------------------------------------------------------------------

    private void submit(SyscallContext c, RknpuFile file, Submit a, Syscalls.IoctlResult done) {
        long copyIn = cost.copyPs(Submit.SIZE);
        if (a.taskNumber() == 0 || (a.coreMask() & 0xffffffffL) > 0x7) {
            c.cpu(copyIn, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        GemObject taskObj = byObjAddr.get(a.taskObjAddr());
        if (taskObj == null) {
            // task_obj_addr is a kernel pointer passed back verbatim; a bad one would oops the real driver
            c.cpu(copyIn, () -> done.done(-Errno.EFAULT, a));
            return;
        }
        if ((a.flags() & JobFlags.FENCE_IN) != 0 && !syncFiles.containsKey(a.fenceFd())) {
            // rknpu_submit: sync_file_get_fence(fence_fd) fails -> "invalid fence in fd", -EINVAL.
            // Only rknpu's own sync files exist here, and those are never waited on (2.2 step 3).
            c.cpu(copyIn, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        jobsSubmitted++;
        RknpuJob job = new RknpuJob(nextJobId++, a, taskObj, file, c.request(), file.client, k.sim().now());
        job.coreMask = a.coreMask() & 0x7;
        job.useCoreNum = Integer.bitCount(job.coreMask);
        job.runCount = job.interruptCount = job.useCoreNum;
        job.taskCounter = a.taskCounter();
        long ps = copyIn + cost.lockPs() * 2;
        // FENCE_IN consumes the fd (args->fence_fd = -1); FENCE_OUT returns a new sync file fd in
        // fence_fd, for blocking and NONBLOCK submits alike (2.2 steps 3-4, rknpu_submit)
        Submit base = (a.flags() & JobFlags.FENCE_IN) != 0 ? a.withFenceFd(-1) : a;
        if ((a.flags() & JobFlags.FENCE_OUT) != 0) {
            job.fence = new DmaFence(fenceContext, ++fenceSeqno, "rknpu");
            syncFiles.put((int) job.id, job.fence);
            base = base.withFenceFd((int) job.id);
            ps += cost.fencePs();
        }
        Submit out0 = base;
        if (trace.enabled()) {
            trace.asyncBegin(track, "rknpu.job", "job " + job.id + " (" + file.client + ")", job.id, k.sim().now(),
                    TraceArgs.of("client", file.client, "core_mask", "0x" + Integer.toHexString(a.coreMask()),
                            "tasks", a.taskNumber(), "flags", "0x" + Integer.toHexString(a.flags())));
        }
        c.cpu(ps, () -> {
            Runnable go = () -> schedule(c, job, scheduled -> {
                if (scheduled != 0) {
                    // rknpu_job_schedule failed (IOMMU domain): job->ret = -EINVAL, the job was never
                    // queued. A blocking PC submit still sleeps in rknpu_job_wait (3 rounds, never
                    // committed), then every path goes through rknpu_job_abort's msleep(100).
                    long waitPs = !job.nonblock() && job.pc() ? p.waitRounds() * Time.ms(Math.max(0, a.timeoutMs())) : 0;
                    k.after(waitPs + p.abortSleepPs(), () -> done.done(scheduled, out0));
                    return;
                }
                if (job.nonblock() || !job.pc()) {
                    // rknpu_submit: NONBLOCK returns once scheduled, and a blocking job only waits in
                    // PC mode (2.2 step 5). A commit that already failed (no RKNPU_JOB_PC, core free)
                    // left job->ret = -EINVAL: rknpu_job_abort (msleep(100), no soft reset), error back.
                    if (job.ret != 0) {
                        jobsErrored++;
                        abort(c, job, false, () -> done.done(job.ret, out0));
                        return;
                    }
                    // a non-PC job still queued: the driver frees it and returns 0; when it reaches
                    // the head of its queue its commit fails and it stays its cores' current job
                    if (!job.pc()) job.orphan = true;
                    done.done(0, out0);
                    return;
                }
                waitJob(c, job, ret -> {
                    // on success task_counter = task_number and hw_elapse_time are copied back;
                    // after a timeout task_counter is PC_TASK_STATUS read in rknpu_job_wait
                    Submit out = ret == 0
                            ? out0.withTaskCounter(a.taskNumber()).withHwElapseTimeNs(job.hwElapsePs / 1000)
                            : out0.withTaskCounter(job.taskCounter);
                    c.cpu(cost.copyPs(Submit.SIZE), () -> done.done(ret, out));
                });
            });
            if (job.nonblock()) timeoutClean(job.coreMask, 0, go);
            else go.run();
        });
    }

    /** rknpu_job_schedule: AUTO choice, domain reference, enqueue on every core of the mask. */
    private void schedule(SyscallContext c, RknpuJob job, java.util.function.IntConsumer done) {
        if (job.coreMask == 0) {
            int core = 0;
            for (int i = 1; i < 3; i++) if (subcores[core].taskNum > subcores[i].taskNum) core = i;
            job.coreMask = 1 << core;
            job.useCoreNum = 1;
            job.runCount = job.interruptCount = 1;
        }
        int domainId = job.args.iommuDomainId();
        if (domainId < 0 || domainId >= domains.max()) {
            // rknpu_iommu_switch_domain rejects ids outside 0..15 with -EINVAL
            jobsErrored++;
            done.accept(-Errno.EINVAL);
            return;
        }
        withDomain(c, domainId, ok -> {
            if (!ok) {
                // get_and_switch gives up after RKNPU_SWITCH_DOMAIN_WAIT_TIME_MS with -EINVAL
                jobsErrored++;
                done.accept(-Errno.EINVAL);
                return;
            }
            if (job.request != null && !job.request.isFinished()) job.queuedClaim = job.request.open(Part.QUEUED, k.sim().now());
            for (int i = 0; i < 3; i++) {
                if ((job.coreMask & (1 << i)) == 0) continue;
                subcores[i].todo.addLast(job);
                job.taskNum[i] = coreTaskRange(job, i)[1];
                subcores[i].taskNum += job.taskNum[i];
            }
            for (int i = 0; i < 3; i++) if ((job.coreMask & (1 << i)) != 0) next(i, true);
            noteDepth();
            done.accept(0);
        });
    }

    /** Task range {start, number} of {@code core}: subcore_task[i] for one or two cores, [i + 2] for three. */
    private int[] coreTaskRange(RknpuJob job, int core) {
        int idx = job.useCoreNum == 3 ? core + 2 : core;
        var st = job.args.subcoreTasks().get(idx);
        return new int[] {st.taskStart(), st.taskNumber()};
    }

    /** rknpu_job_next: pop the head job; the last core of a multi-core job commits it everywhere. */
    private void next(int core, boolean processContext) {
        SubcoreQueue s = subcores[core];
        if (softResetting || s.job != null || s.todo.isEmpty()) return;
        RknpuJob job = s.todo.pollFirst();
        s.job = job;
        long now = k.sim().now();
        job.hwCommitPs = job.hwCommitPs == 0 ? now : job.hwCommitPs;
        s.hwRecorderPs = now;
        job.hwRecorderPs = now;
        if (--job.runCount == 0) commit(job);
    }

    private void commit(RknpuJob job) {
        int m = job.coreMask;
        if (m != 0x1 && m != 0x2 && m != 0x4 && m != 0x3 && m != 0x7) {
            // "Unknown core mask": never committed, the cores stay reserved until the job times out
            if (trace.enabled()) trace.instant(track, "rknpu.error", "unknown core mask 0x" + Integer.toHexString(m), k.sim().now(), TraceArgs.EMPTY);
            return;
        }
        job.hwCommitPs = k.sim().now();
        if (job.queuedClaim != null && !job.request.isFinished()) {
            job.request.close(job.queuedClaim, k.sim().now());
            job.queuedClaim = null;
        }
        if (!job.pc()) {
            // rknpu_job_subcore_commit writes "switch to slave mode" (PC_BASE_ADDRESS = 1), then fails:
            // only PC mode is implemented (1.3). The job is not completed: it stays the current job
            // of its cores until rknpu_job_abort detaches it (2.2 step 5, 2.8), and nothing signals it.
            for (int i = 0; i < 3; i++) if ((m & (1 << i)) != 0) hw.core(i).writeReg(NpuRegs.PC_BASE_ADDRESS, 0x1);
            job.ret = -Errno.EINVAL;
            if (job.orphan) reportLost(job, "committed without RKNPU_JOB_PC after its submit returned; its cores stay held");
            return;
        }
        for (int i = 0; i < 3; i++) if ((m & (1 << i)) != 0) commitPc(job, i);
        job.committed = true;
    }

    /** rknpu_job_subcore_commit_pc: the exact register sequence of one (chunk of a) job on a core. */
    private void commitPc(RknpuJob job, int core) {
        int[] range = coreTaskRange(job, core);
        int start = range[0] + job.submitIndex[core] * p.maxSubmitTasks();
        int number = Math.min(range[1] - job.submitIndex[core] * p.maxSubmitTasks(), p.maxSubmitTasks());
        RknpuTask first = readTask(job, start);
        RknpuTask last = readTask(job, start + Math.max(0, number - 1));
        NpuCore npu = hw.core(core);
        job.intMask[core] = last.intMask();
        npu.setContext(new CoreContext(job.request, job.client, job.id));
        npu.writeReg(NpuRegs.CNA_S_POINTER, NpuRegs.S_POINTER_PP + 0x10000000 * core);
        npu.writeReg(NpuRegs.CORE_S_POINTER, NpuRegs.S_POINTER_PP + 0x10000000 * core);
        npu.writeReg(NpuRegs.PC_BASE_ADDRESS, 0x1);
        npu.writeReg(NpuRegs.PC_BASE_ADDRESS, (int) first.regcmdAddr());
        npu.writeReg(NpuRegs.PC_REGISTER_AMOUNTS, (first.regcfgAmount() + p.pcDataExtraAmount() + 2 - 1) / 2 - 1);
        npu.writeReg(NpuRegs.PC_INTERRUPT_MASK, last.intMask());
        npu.writeReg(NpuRegs.PC_INTERRUPT_CLEAR, first.intMask());
        int pp = job.pingpong() ? 1 : 0;
        npu.writeReg(NpuRegs.PC_TASK_CON, ((0x6 | pp) << 12) | number);
        npu.writeReg(NpuRegs.PC_TASK_DMA_BASE_ADDR, (int) job.args.taskBaseAddr());
        npu.writeReg(NpuRegs.PC_OPERATION_ENABLE, 1);
        npu.writeReg(NpuRegs.PC_OPERATION_ENABLE, 0);
        job.submitIndex[core]++;
    }

    private RknpuTask readTask(RknpuJob job, int index) {
        Object t = job.taskObj.region().get((long) index * RknpuTask.SIZE % job.taskObj.size());
        return t instanceof RknpuTask rt ? rt : new RknpuTask(0, 0, 0, 0, 0, 0, 0, 0, 0); // garbage reads as zeros
    }

    // ---- interrupts and completion ---------------------------------------------------------

    private void irq(int core) {
        k.countIrq();
        SubcoreQueue s = subcores[core];
        RknpuJob job = s.job;
        Attribution r = job != null ? job.request : null;
        k.measuredIrqCpu(cost.hardIrqPs(), r, Part.JOB_OVERHEAD, () -> irqHandler(core));
    }

    private void irqHandler(int core) {
        SubcoreQueue s = subcores[core];
        NpuCore npu = hw.core(core);
        RknpuJob job = s.job;
        if (job == null) {
            npu.writeReg(NpuRegs.PC_INTERRUPT_CLEAR, IrqBits.ALL);
            next(core, false);
            return;
        }
        int status = npu.readReg(NpuRegs.PC_INTERRUPT_STATUS);
        int fuzz = IrqBits.pairFuzz(status);
        if (fuzz != job.intMask[core]) {
            invalidIrqs++;
            if (trace.enabled()) trace.instant(track, "rknpu.error", "invalid irq status 0x" + Integer.toHexString(status), k.sim().now(), TraceArgs.of("core", core, "job", job.id));
            npu.writeReg(NpuRegs.PC_INTERRUPT_CLEAR, IrqBits.ALL);
            return; // the job will time out
        }
        npu.writeReg(NpuRegs.PC_INTERRUPT_CLEAR, IrqBits.ALL);
        jobDone(job, 0, core);
    }

    /** rknpu_job_done for one core. */
    private void jobDone(RknpuJob job, int ret, int core) {
        SubcoreQueue s = subcores[core];
        int[] range = coreTaskRange(job, core);
        if (job.submitIndex[core] * (long) p.maxSubmitTasks() < range[1]) {
            commitPc(job, core); // the next 4095-task chunk, from IRQ context
            return;
        }
        long now = k.sim().now();
        s.job = null;
        s.taskNum -= job.taskNum[core];
        job.hwElapsePs = now - job.hwCommitPs;
        s.busyPs += now - s.hwRecorderPs;
        if (--job.interruptCount == 0) {
            job.ret = ret;
            completeJob(job);
        }
        next(core, false);
        noteDepth();
    }

    private void completeJob(RknpuJob job) {
        long now = k.sim().now();
        job.done = true;
        if (job.aborted) {
            // finished during rknpu_job_abort's msleep(100): the abort already dropped the domain
            // reference (the driver puts it a second time) and the submitter already has its error
            if (job.fence != null) job.fence.signal(now);
            return;
        }
        releaseDomain();
        if (job.ret == 0) jobsCompleted++;
        else jobsErrored++;
        if (job.fence != null) job.fence.signal(now);
        if (trace.enabled()) trace.asyncEnd(track, "rknpu.job", "job " + job.id + " (" + job.client + ")", job.id, now);
        Runnable w = job.waiter;
        job.waiter = null;
        if (w != null) {
            // the woken submitter pays its wake-up (scheduling, cpuidle exit) on its own CPU
            k.kernelCpu(job.waiterCpu, cost.wakeUpPs(), job.request, Part.JOB_OVERHEAD, w);
        }
    }

    /** Core whose wait queue the submitter sleeps on: 0 for 0x1/0x3/0x7, 1 for 0x2, 2 for 0x4. */
    private static int waitCore(RknpuJob job) {
        return job.coreMask == 0x2 ? 1 : job.coreMask == 0x4 ? 2 : 0;
    }

    /**
     * rknpu_job_wait: up to three rounds of the timeout, a round ending the wait once the job was
     * dequeued (hw_commit_time set) at least a timeout ago. A soft reset wakes the waiter early.
     */
    private void waitJob(SyscallContext c, RknpuJob job, java.util.function.IntConsumer done) {
        if (job.done) {
            done.accept(job.ret);
            return;
        }
        long timeoutPs = Time.ms(Math.max(0, job.args.timeoutMs()));
        final int[] round = {0};
        final long[] timer = {-1};
        waiting.add(job);
        job.waiterCpu = c.thread().cpu();
        job.waiter = () -> {
            waiting.remove(job);
            job.resetWaker = null;
            if (timer[0] >= 0) k.sim().cancel(timer[0]);
            done.accept(job.ret);
        };
        // rknpu_soft_reset wakes every core's job_done_wq and the wait condition includes
        // soft_reseting, so the job comes back unfinished: -EINVAL ("job commit failed" when it
        // was never committed, else not RKNPU_JOB_DONE), then rknpu_job_abort without a reset (2.8).
        job.resetWaker = () -> {
            if (job.done) return; // RKNPU_JOB_DONE already: the pending wake-up returns success
            waiting.remove(job);
            job.waiter = null;
            job.resetWaker = null;
            if (timer[0] >= 0) k.sim().cancel(timer[0]);
            failWait(c, job, -Errno.EINVAL, done);
        };
        if (softResetting) { // the condition already holds when the wait starts
            job.resetWaker.run();
            return;
        }
        Runnable[] arm = new Runnable[1];
        arm[0] = () -> timer[0] = k.sim().scheduleIn(timeoutPs, Priority.KERNEL, (o, a) -> {
            if (job.done) return;
            round[0]++;
            long now = k.sim().now();
            // hw_commit_time is set when a core dequeues the job (rknpu_job_next), even if the
            // commit never happens (masks 0x5/0x6)
            boolean keep = job.hwCommitPs == 0 || now - job.hwCommitPs < timeoutPs;
            if (round[0] < p.waitRounds() && keep) {
                arm[0].run();
                return;
            }
            waiting.remove(job);
            job.waiter = null;
            job.resetWaker = null;
            timeouts++;
            if (!job.committed) {
                // no last_task: "job commit failed", -EINVAL, and the abort does not reset
                failWait(c, job, -Errno.EINVAL, done);
            } else {
                job.taskCounter = hw.core(waitCore(job)).readReg(NpuRegs.PC_TASK_STATUS) & NpuRegs.TASK_NUMBER_MASK;
                failWait(c, job, -Errno.ETIMEDOUT, done);
            }
        }, null, 0);
        arm[0].run();
    }

    /** The end of a failed rknpu_job_wait and rknpu_submit's abort of the job. */
    private void failWait(SyscallContext c, RknpuJob job, int ret, java.util.function.IntConsumer done) {
        jobsErrored++;
        job.ret = ret;
        if (!job.committed) {
            // rknpu_job_wait unlinks a job that never got committed from the todo lists
            for (int i = 0; i < 3; i++) if (subcores[i].todo.remove(job)) subcores[i].taskNum -= job.taskNum[i];
        }
        abort(c, job, ret == -Errno.ETIMEDOUT, () -> done.accept(ret));
    }

    /**
     * rknpu_job_abort: drop the domain reference, sleep 100 ms, detach the job from its cores,
     * and soft-reset the NPU only when the job timed out ({@code job->ret == -ETIMEDOUT}).
     */
    private void abort(SyscallContext c, RknpuJob job, boolean reset, Runnable then) {
        job.aborted = true;
        if (trace.enabled()) {
            trace.instant(track, "rknpu.timeout", "job " + job.id + (reset ? " timed out" : " aborted"), k.sim().now(), TraceArgs.of("client", job.client, "core_mask", job.coreMask));
            trace.asyncEnd(track, "rknpu.job", "job " + job.id + " (" + job.client + ")", job.id, k.sim().now());
        }
        Attribution r = job.request;
        if (job.queuedClaim != null && r != null && !r.isFinished()) {
            r.close(job.queuedClaim, k.sim().now());
            job.queuedClaim = null;
        }
        releaseDomain();
        Attribution.Claim claim = r != null && !r.isFinished() ? r.open(Part.JOB_OVERHEAD, k.sim().now()) : null;
        Runnable finish = () -> {
            if (claim != null && !r.isFinished()) r.close(claim, k.sim().now());
            then.run();
        };
        k.after(p.abortSleepPs(), () -> {
            for (int i = 0; i < 3; i++) {
                SubcoreQueue s = subcores[i];
                if (s.todo.remove(job)) s.taskNum -= job.taskNum[i];
                if (s.job == job) {
                    s.job = null;
                    s.taskNum -= job.taskNum[i];
                }
            }
            if (reset) softReset(finish);
            else finish.run();
        });
    }

    /**
     * rknpu_soft_reset: trylock, sleep 100 ms, wake every core's wait queue, reset every core,
     * re-attach the IOMMU.
     */
    private void softReset(Runnable then) {
        if (resetLock) { // mutex_trylock failed: a concurrent caller skips the reset
            then.run();
            return;
        }
        resetLock = true;
        softResetting = true;
        softResets++;
        k.after(p.resetSleepPs(), () -> {
            for (RknpuJob w : new ArrayList<>(waiting)) if (w.resetWaker != null) w.resetWaker.run();
            for (int i = 0; i < 3; i++) hw.core(i).reset();
            k.after(p.resetPulsePs() * 2, () -> {
                domains.reattach();
                softResetting = false;
                resetLock = false;
                if (trace.enabled()) trace.instant(track, "rknpu.reset", "soft reset (all cores)", k.sim().now(), TraceArgs.EMPTY);
                // Nothing re-kicks the queues but the next IRQ or submit; a running job was lost
                // (unless its submitter is already aborting it).
                for (int i = 0; i < 3; i++) {
                    SubcoreQueue s = subcores[i];
                    if (s.job != null && s.job.committed && !s.job.done && !s.job.aborted && !s.timeoutCleaning) {
                        RknpuJob lost = s.job;
                        s.job = null;
                        s.taskNum -= lost.taskNum[i];
                        reportLost(lost, "running on core " + i + " during a soft reset");
                    }
                }
                then.run();
            });
        });
    }

    /**
     * rknpu_job_timeout_clean (NONBLOCK submits only, on the new job's mask): when the running
     * job's age in microseconds reaches its own {@code args->timeout} (in milliseconds), soft-resets
     * the NPU synchronously in the submitting thread, then drops that job and every job queued on
     * the core without signalling their fences, leaving task_num and the domain references behind
     * (rknpu_job.c; rknpu-vendor-and-hw.md 2.8, 8). {@code then} continues the submit.
     */
    private void timeoutClean(int coreMask, int fromCore, Runnable then) {
        long now = k.sim().now();
        for (int i = fromCore; i < 3; i++) {
            if ((coreMask & (1 << i)) == 0) continue;
            SubcoreQueue s = subcores[i];
            RknpuJob job = s.job;
            if (job == null) continue;
            long ageUs = (now - job.timestampPs) / Time.PS_PER_US;
            if (ageUs < (job.args.timeoutMs() & 0xffffffffL)) continue;
            final int core = i;
            s.timeoutCleaning = true;
            softReset(() -> {
                s.timeoutCleaning = false;
                List<RknpuJob> dropped = new ArrayList<>(s.todo);
                dropped.add(0, job);
                s.todo.clear();
                s.job = null;
                for (RknpuJob d : dropped) reportLost(d, "dropped by the nonblocking timeout check on core " + core);
                timeoutClean(coreMask, core + 1, then);
            });
            return;
        }
        then.run();
    }

    private void reportLost(RknpuJob job, String why) {
        if (job.lost || job.done || job.aborted) return;
        job.lost = true;
        jobsLost++;
        if (lostReports.size() < 20) lostReports.add("job " + job.id + " of " + job.client + ": " + why);
        if (trace.enabled()) trace.instant(track, "rknpu.lost", "job " + job.id + " lost", k.sim().now(), TraceArgs.of("why", why));
    }

    // ---- load statistic --------------------------------------------------------------------

    private void loadTick() {
        long now = k.sim().now();
        for (SubcoreQueue s : subcores) {
            if (s.job != null) {
                s.busyPs += now - s.hwRecorderPs;
                s.hwRecorderPs = now;
            }
            double pct = Math.min(100.0, s.busyPs / (double) (p.loadIntervalPs() / 100));
            s.loadSamples.add(pct);
            s.busyPs = 0;
        }
        k.sim().scheduleIn(p.loadIntervalPs(), Priority.STATS, (o, a) -> loadTick(), null, 0);
    }

    /** Records each core's queued-plus-running job count (for plots and the trace). */
    private void noteDepth() {
        long now = k.sim().now();
        for (int i = 0; i < 3; i++) {
            int d = queueDepth(i);
            if (d == (int) depth[i].level()) continue;
            depth[i].set(d, now);
            if (trace.enabled()) trace.counter(depthTrack[i], "queue depth core " + i, now, "jobs", d);
        }
    }

    /** Mean queue depth per 10 ms bucket of a core (jobs), up to now. */
    @Override
    public double[] queueDepthSeries(int core) {
        return depth[core].means(k.sim().now());
    }

    // ---- queries for summaries and tests ---------------------------------------------------

    /** Mean of the per-second load figures of a core, as /sys/kernel/debug/rknpu/load prints them. */
    public double loadPct(int core) {
        List<Double> l = subcores[core].loadSamples;
        if (l.isEmpty()) return 0;
        double s = 0;
        for (double v : l) s += v;
        return s / l.size();
    }

    public long queuedTasks(int core) {
        return subcores[core].taskNum;
    }

    public int queueDepth(int core) {
        return subcores[core].todo.size() + (subcores[core].job != null ? 1 : 0);
    }

    @Override
    public long jobsSubmitted() {
        return jobsSubmitted;
    }

    @Override
    public long jobsCompleted() {
        return jobsCompleted;
    }

    @Override
    public long jobsErrored() {
        return jobsErrored;
    }

    @Override
    public long jobsLost() {
        return jobsLost;
    }

    public long timeouts() {
        return timeouts;
    }

    public long softResets() {
        return softResets;
    }

    public long invalidIrqs() {
        return invalidIrqs;
    }

    public long domainSwitches() {
        return domains.switches();
    }

    public long powerOns() {
        return powerOns;
    }

    @Override
    public long sramPeakBytes() {
        return sramPeak;
    }

    public List<String> lostReports() {
        return List.copyOf(lostReports);
    }

    /** The fence of a FENCE_OUT submit, by the fd value returned (sync files are modelled by job id). */
    public DmaFence fenceOf(long fd) {
        return fd < Integer.MIN_VALUE || fd > Integer.MAX_VALUE ? null : syncFiles.get((int) fd);
    }
}
