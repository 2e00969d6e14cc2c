package io.npusim.kernel.proposed;

import io.npusim.core.event.Priority;
import io.npusim.core.stats.LevelSeries;
import io.npusim.core.time.Time;
import io.npusim.hw.Rk3588;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.iommu.IommuDomain;
import io.npusim.hw.mem.MemKind;
import io.npusim.hw.mem.PhysMemory;
import io.npusim.hw.mem.Region;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.drm.GemObject;
import io.npusim.kernel.drm.MmapOffsets;
import io.npusim.kernel.os.Kernel;
import io.npusim.kernel.os.NpuDriver;
import io.npusim.kernel.os.OpenFile;
import io.npusim.kernel.os.SyscallContext;
import io.npusim.uapi.Errno;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.drm.GemClose;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.proposed.BoCreate;
import io.npusim.uapi.proposed.BoResident;
import io.npusim.uapi.proposed.CtxCreate;
import io.npusim.uapi.proposed.CtxDestroy;
import io.npusim.uapi.proposed.CtxQuery;
import io.npusim.uapi.proposed.NpuFence;
import io.npusim.uapi.proposed.NpuIoctl;
import io.npusim.uapi.proposed.NpuSegment;
import io.npusim.uapi.proposed.NpuSubmit;
import io.npusim.uapi.proposed.NpuTask;
import io.npusim.uapi.proposed.NpuVariant;
import io.npusim.uapi.proposed.NpuWait;
import io.npusim.uapi.proposed.SramRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The proposed NPU subsystem's driver (docs/PROPOSED_UAPI.md) behind /dev/accel/accel0, built on
 * the same DRM core pieces as rocket: execution contexts with a class (latency, throughput,
 * background) and an IOMMU domain each; buffers made resident in a context once; visible SRAM
 * grants with eviction by priority; explicit jobs with per-core variants chosen from the load;
 * hardware task chaining in bounded batches with one interrupt per batch; preemption of
 * lower-class work at batch boundaries; timeline fences; per-context accounting.
 */
public final class ProposedDevice implements NpuDriver {
    public static final String PATH = "/dev/accel/accel0";
    /** SRAM priority bonus of latency-class contexts when proposed.sram_by_class is on. */
    static final int CLASS_SRAM_BONUS = 1 << 20;

    private final Kernel k;
    private final Rk3588 hw;
    private final KernelCosts cost;
    private final ProposedParams p;
    private final List<ProposedCore> cores = new ArrayList<>();
    @SuppressWarnings("unchecked")
    private final ArrayDeque<ProposedJob.Item>[] queues = new ArrayDeque[3];
    private final MmapOffsets offsets = new MmapOffsets();
    private final SramPool sram;
    private final Map<SramPool.Grant, SramUse> sramUses = new IdentityHashMap<>();
    private final LevelSeries[] depth = new LevelSeries[3];
    private long nextGem = 1;
    private int nextCtx = 1;
    private int nextDomain = 1;
    private long nextJob = 1;
    private long jobsSubmitted;
    private long jobsCompleted;
    private long jobsErrored;
    private long evictions;
    private long restores;
    /** Closed files waiting for their work to leave the cores, with their teardown. */
    private final Map<ProposedFile, Runnable> closing = new java.util.LinkedHashMap<>();

    /** Which buffer of which context a grant belongs to. */
    private record SramUse(NpuContext ctx, GemObject bo) {}

    public ProposedDevice(Kernel k, ProposedParams p) {
        this.k = k;
        this.hw = k.hw();
        this.cost = k.cost();
        this.p = p;
        if (hw.topology() != Rk3588.IommuTopology.PER_CORE) throw new IllegalStateException("the proposed driver keeps a domain per context: it needs an IOMMU per core");
        for (int i = 0; i < 3; i++) queues[i] = new ArrayDeque<>();
        for (int i = 0; i < hw.coreCount(); i++) {
            cores.add(new ProposedCore(k, p, this, i));
            depth[i] = new LevelSeries(Time.ms(10));
        }
        for (ProposedCore pc : cores) {
            // no runtime PM in this model: the cores are powered at probe and stay powered; a core
            // takes work only once its power domain is on (work queued meanwhile waits for it)
            hw.powerOnCore(pc.index, () -> {
                pc.powered = true;
                kick();
            });
        }
        this.sram = new SramPool(hw.mem().sramCapacity());
        if (p.dvfs()) { // the one NPU clock follows the load of all cores (simple_ondemand over the OPP table)
            var gov = new io.npusim.kernel.devfreq.SimpleOndemand(k, p.governor(), "kernel: proposed");
            for (ProposedCore pc : cores) pc.devfreq = gov;
            gov.start();
        }
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String policy() {
        return "proposed";
    }

    @Override
    public void open(SyscallContext c, OpenResult done) {
        ProposedFile f = new ProposedFile(c.pid(), c.thread().process().name());
        c.cpu(cost.lockPs() * 4, () -> done.opened(f));
    }

    @Override
    public void release(SyscallContext c, OpenFile of, Runnable done) {
        ProposedFile f = of.state();
        // The file's work first: nothing of it starts any more (jobs still waiting for fences are
        // cancelled when they become ready), queued parts are dropped, parts on the cores stop at
        // their next batch boundary. Only when no core runs the file's work are its contexts torn
        // down and its buffers freed: the hardware must not touch unmapped or freed pages.
        for (NpuContext ctx : f.contexts.values()) ctx.destroyed = true;
        List<ProposedJob> doomed = new ArrayList<>();
        for (ArrayDeque<ProposedJob.Item> q : queues) {
            for (ProposedJob.Item it : q) if (it.job.ctx.file == f && !doomed.contains(it.job)) doomed.add(it.job);
        }
        for (ProposedCore pc : cores) {
            if (pc.item != null && pc.item.job.ctx.file == f && !doomed.contains(pc.item.job)) doomed.add(pc.item.job);
        }
        for (ProposedJob j : doomed) jobFailed(j, -Errno.ECANCELED);
        closing.put(f, () -> {
            long ps = 0;
            for (NpuContext ctx : new ArrayList<>(f.contexts.values())) ps += destroyContext(ctx);
            for (int h : f.handles.handleSet()) {
                GemObject o = f.handles.remove(h);
                if (o.dropHandle()) ps += freeBo(o);
            }
            c.cpu(ps, done);
        });
        reapClosing();
    }

    /** Tears down the closed files none of whose work is on a core any more. */
    private void reapClosing() {
        for (java.util.Iterator<Map.Entry<ProposedFile, Runnable>> i = closing.entrySet().iterator(); i.hasNext(); ) {
            Map.Entry<ProposedFile, Runnable> e = i.next();
            boolean onCores = false;
            for (ProposedCore pc : cores) onCores |= pc.item != null && pc.item.job.ctx.file == e.getKey();
            if (onCores) continue;
            i.remove();
            e.getValue().run();
        }
    }

    @Override
    public void mmap(SyscallContext c, OpenFile of, long offset, long length, Syscalls.MmapResult done) {
        offsets.mmap(offset, length, of.<ProposedFile>state().handles, done);
    }

    @Override
    public void ioctl(SyscallContext c, OpenFile of, Ioctl arg, Syscalls.IoctlResult done) {
        ProposedFile f = of.state();
        if (!(arg instanceof NpuIoctl) && !(arg instanceof GemClose)) {
            done.done(-Errno.ENOTTY, arg);
            return;
        }
        if (arg instanceof CtxCreate a) ctxCreate(c, f, a, done);
        else if (arg instanceof CtxDestroy a) ctxDestroy(c, f, a, done);
        else if (arg instanceof BoCreate a) boCreate(c, f, a, done);
        else if (arg instanceof BoResident a) boResident(c, f, a, done);
        else if (arg instanceof SramRequest a) sramRequest(c, f, a, done);
        else if (arg instanceof NpuSubmit a) submit(c, f, a, done);
        else if (arg instanceof NpuWait a) waitJob(c, f, a, done);
        else if (arg instanceof CtxQuery a) query(c, f, a, done);
        else if (arg instanceof GemClose a) gemClose(c, f, a, done);
    }

    // ---- contexts ------------------------------------------------------------------------------

    private void ctxCreate(SyscallContext c, ProposedFile f, CtxCreate a, Syscalls.IoctlResult done) {
        long ps = cost.copyPs(CtxCreate.SIZE) * 2;
        if (a.flags() != 0 || a.pad() != 0 || a.ctxClass() < 0 || a.ctxClass() > NpuIoctl.CLASS_BACKGROUND || a.deadlineNs() < 0) {
            c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        int id = nextCtx++;
        IommuDomain d = new IommuDomain(nextDomain++, "npu ctx " + id);
        NpuContext ctx = new NpuContext(id, a.ctxClass(), a.deadlineNs() * Time.PS_PER_NS, d, f, k.fenceContexts().alloc(1));
        f.contexts.put(id, ctx);
        c.cpu(ps + cost.lockPs(), () -> done.done(0, a.withId(id)));
    }

    private void ctxDestroy(SyscallContext c, ProposedFile f, CtxDestroy a, Syscalls.IoctlResult done) {
        NpuContext ctx = f.contexts.get(a.ctxId());
        if (ctx == null || a.pad() != 0) {
            c.cpu(cost.copyPs(CtxDestroy.SIZE), () -> done.done(-Errno.EINVAL, a));
            return;
        }
        if (ctx.pendingJobs > 0) {
            c.cpu(cost.copyPs(CtxDestroy.SIZE), () -> done.done(-Errno.EBUSY, a));
            return;
        }
        long ps = destroyContext(ctx);
        c.cpu(cost.copyPs(CtxDestroy.SIZE) + ps, () -> done.done(0, a));
    }

    /** Unpins and unmaps the context's buffers, returns its SRAM, detaches its domain. */
    private long destroyContext(NpuContext ctx) {
        long ps = 0;
        ctx.destroyed = true;
        for (SramPool.Grant g : new ArrayList<>(sramUses.keySet())) {
            if (sramUses.get(g).ctx() == ctx) ps += releaseGrant(g);
        }
        for (Map.Entry<GemObject, Long> e : ctx.resident.entrySet()) {
            ctx.domain.unmap(e.getValue());
            ps += e.getKey().pages() * cost.iommuUnmapPagePs();
        }
        ctx.resident.clear();
        for (ProposedCore pc : cores) {
            Iommu mmu = hw.iommuFor(pc.index);
            if (mmu.attached() == ctx.domain) mmu.detach();
        }
        ctx.file.contexts.remove(ctx.id);
        return ps;
    }

    private NpuContext ctxOf(ProposedFile f, int id) {
        NpuContext ctx = f.contexts.get(id);
        return ctx == null || ctx.destroyed ? null : ctx;
    }

    // ---- buffers --------------------------------------------------------------------------------

    private void boCreate(SyscallContext c, ProposedFile f, BoCreate a, Syscalls.IoctlResult done) {
        long ps = cost.copyPs(BoCreate.SIZE) * 2;
        if (a.flags() != 0 || a.sizeBytes() <= 0) {
            c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        long size = PhysMemory.pageAlign(a.sizeBytes());
        Region r = hw.mem().allocDdr("npu bo " + nextGem, c.pid(), size);
        if (r == null) {
            c.cpu(ps, () -> done.done(-Errno.ENOMEM, a));
            return;
        }
        GemObject o = new GemObject(nextGem++, "npu bo", c.pid(), size, r, null);
        int handle = f.handles.add(o);
        long off = offsets.assign(o);
        ps += o.pages() * (cost.pageAllocPs() + cost.pageZeroPs());
        c.cpu(ps, () -> done.done(0, a.withResult(handle, off)));
    }

    private void boResident(SyscallContext c, ProposedFile f, BoResident a, Syscalls.IoctlResult done) {
        long ps = cost.copyPs(BoResident.SIZE) * 2;
        NpuContext ctx = ctxOf(f, a.ctxId());
        GemObject o = f.handles.get(a.handle());
        if (ctx == null || o == null || a.flags() != 0 || a.pad() != 0) {
            c.cpu(ps, () -> done.done(ctx == null || a.flags() != 0 || a.pad() != 0 ? -Errno.EINVAL : -Errno.ENOENT, a));
            return;
        }
        Long have = ctx.resident.get(o);
        if (have != null) { // already resident: the same address
            long iova = have;
            c.cpu(ps, () -> done.done(0, a.withIova(iova)));
            return;
        }
        long iova = ctx.domain.findFree(0, o.size());
        if (iova < 0) {
            c.cpu(ps, () -> done.done(-Errno.ENOSPC, a));
            return;
        }
        ctx.domain.map(iova, o.region(), 0, o.size());
        ctx.resident.put(o, iova);
        ctx.residentBytes += o.size();
        ps += o.pages() * cost.iommuMapPagePs();
        c.cpu(ps, () -> done.done(0, a.withIova(iova)));
    }

    private void gemClose(SyscallContext c, ProposedFile f, GemClose a, Syscalls.IoctlResult done) {
        GemObject o = f.handles.get(a.handle());
        if (o == null) {
            c.cpu(cost.copyPs(GemClose.SIZE), () -> done.done(-Errno.EINVAL, a));
            return;
        }
        for (NpuContext ctx : f.contexts.values()) {
            if (ctx.resident.containsKey(o)) { // pinned for the context's life
                c.cpu(cost.copyPs(GemClose.SIZE), () -> done.done(-Errno.EBUSY, a));
                return;
            }
        }
        f.handles.remove(a.handle());
        long ps = o.dropHandle() ? freeBo(o) : 0;
        c.cpu(cost.copyPs(GemClose.SIZE) + ps, () -> done.done(0, a));
    }

    private long freeBo(GemObject o) {
        if (o.isFreed()) return 0;
        o.markFreed();
        hw.mem().free(o.region());
        offsets.remove(o);
        return o.pages() * cost.pageAllocPs() / 4;
    }

    // ---- SRAM -----------------------------------------------------------------------------------

    private void sramRequest(SyscallContext c, ProposedFile f, SramRequest a, Syscalls.IoctlResult done) {
        long ps = cost.copyPs(SramRequest.SIZE) * 2 + cost.lockPs();
        NpuContext ctx = ctxOf(f, a.ctxId());
        GemObject o = f.handles.get(a.handle());
        // priority is a __u32 below the class bonus: a larger one would wrap negative, or outrank the class
        boolean badPrio = Integer.compareUnsigned(a.priority(), CLASS_SRAM_BONUS) >= 0;
        if (ctx == null || o == null || !ctx.resident.containsKey(o) || a.pad() != 0 || badPrio || a.bytes() < 0 || a.bytes() > o.size()) {
            // an unknown handle is -ENOENT, as in BO_RESIDENT (drm_gem_object_lookup fails)
            int err = ctx != null && o == null && a.pad() == 0 && !badPrio ? -Errno.ENOENT : -Errno.EINVAL;
            c.cpu(ps, () -> done.done(err, a));
            return;
        }
        // one grant per (context, buffer): a new request replaces the old one
        for (SramPool.Grant g : new ArrayList<>(sramUses.keySet())) {
            SramUse u = sramUses.get(g);
            if (u.ctx() == ctx && u.bo() == o) ps += releaseGrant(g);
        }
        if (a.bytes() == 0) {
            long fps = ps;
            c.cpu(fps, () -> done.done(0, a.withGranted(0)));
            return;
        }
        int prio = a.priority() + (p.sramByClass() && ctx.cls == NpuIoctl.CLASS_LATENCY ? CLASS_SRAM_BONUS : 0);
        List<SramPool.Grant> evicted = new ArrayList<>();
        SramPool.Grant g = sram.request(ctx.id + ":" + o.id(), a.bytes(), prio, evicted);
        sramUses.put(g, new SramUse(ctx, o));
        for (SramPool.Grant v : evicted) {
            ps += remap(v, 0);
            evictions++;
        }
        ps += remap(g, g.bytes);
        long granted = g.bytes;
        c.cpu(ps, () -> done.done(0, a.withGranted(granted)));
    }

    /** Releases a grant: its buffer goes back to DDR, and waiting grants are restored into the space. */
    private long releaseGrant(SramPool.Grant g) {
        long ps = remap(g, 0);
        List<SramPool.Grant> restored = sram.release(g);
        sramUses.remove(g);
        for (SramPool.Grant r : restored) {
            ps += remap(r, r.bytes);
            restores++;
        }
        return ps;
    }

    /**
     * Maps the first {@code sramBytes} of the grant's buffer to its SRAM range and the rest to the
     * buffer's DDR pages (0: all DDR), copying what moves between SRAM and DDR and zapping the IOTLB
     * of cores that have the context's domain attached. Invisible to jobs: the IOVA stays.
     */
    private long remap(SramPool.Grant g, long sramBytes) {
        SramUse u = sramUses.get(g);
        if (u == null) return 0;
        GemObject o = u.bo();
        Long iovaObj = u.ctx().resident.get(o);
        if (iovaObj == null) return 0;
        long iova = iovaObj;
        IommuDomain d = u.ctx().domain;
        // unmap the buffer's extents (its SRAM part and its DDR part), and only its own: the end
        // is fixed, the buffers resident after it stay mapped; the SRAM it held is freed
        for (long at = iova, end = iova + o.size(); at < end; ) {
            IommuDomain.Extent e = d.lookup(at);
            if (e == null) break;
            d.unmap(e.iova());
            if (e.region().kind() == MemKind.SRAM) hw.mem().free(e.region());
            at = e.end();
        }
        long moved = 0;
        if (sramBytes > 0) {
            Region s = hw.mem().allocSram("npu sram ctx " + u.ctx().id, o.ownerPid(), g.offset, sramBytes);
            d.map(iova, s, 0, sramBytes);
            if (sramBytes < o.size()) d.map(iova + sramBytes, o.region(), sramBytes, o.size() - sramBytes);
            moved = sramBytes;
        } else {
            d.map(iova, o.region(), 0, o.size());
        }
        for (ProposedCore pc : cores) {
            Iommu mmu = hw.iommuFor(pc.index);
            if (mmu.attached() == d) mmu.zapRange(iovaObj, o.size());
        }
        // the kernel copies what moves (DMA at memcpy speed on the CPU's port) and rewrites PTEs
        return (long) (moved / 10.0e9 * 1e12) + PhysMemory.pageAlign(o.size()) / PhysMemory.PAGE * cost.iommuMapPagePs();
    }

    // ---- submit ----------------------------------------------------------------------------------

    private void submit(SyscallContext c, ProposedFile f, NpuSubmit a, Syscalls.IoctlResult done) {
        long ps = cost.copyPs(NpuSubmit.SIZE);
        NpuContext ctx = ctxOf(f, a.ctxId());
        long taskCount = Integer.toUnsignedLong(a.taskCount());
        long variantCount = Integer.toUnsignedLong(a.variantCount());
        long fenceCount = Integer.toUnsignedLong(a.inFenceCount());
        if (ctx == null || a.flags() != 0 || a.pad() != 0 || taskCount == 0 || taskCount > 0xffff
                || Integer.compareUnsigned(a.taskStructSize(), NpuTask.SIZE) < 0 || variantCount == 0 || variantCount > 3
                || Integer.compareUnsigned(a.variantStructSize(), NpuVariant.SIZE) < 0 || fenceCount > 64) {
            c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        Optional<List<NpuTask>> tasks = a.tasks().copyFromUser(taskCount);
        Optional<List<NpuVariant>> variants = a.variants().copyFromUser(variantCount);
        Optional<List<NpuFence>> fences = fenceCount == 0 ? Optional.of(List.of()) : a.inFences().copyFromUser(fenceCount);
        ps += cost.copyPs(taskCount * NpuTask.SIZE + variantCount * NpuVariant.SIZE + fenceCount * NpuFence.SIZE);
        if (tasks.isEmpty() || variants.isEmpty() || fences.isEmpty()) {
            c.cpu(ps, () -> done.done(-Errno.EFAULT, a));
            return;
        }
        List<ProposedJob.Task> kt = new ArrayList<>();
        for (NpuTask t : tasks.get()) {
            if (t.regcmdCount() <= 0) {
                c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
                return;
            }
            kt.add(new ProposedJob.Task(t.regcmd(), t.regcmdCount()));
        }
        List<ProposedJob.Variant> kv = new ArrayList<>();
        for (NpuVariant v : variants.get()) {
            long segs = Integer.toUnsignedLong(v.segmentCount());
            if (v.cores() < 1 || v.cores() > 3 || segs == 0 || segs > 4096) {
                c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
                return;
            }
            Optional<List<NpuSegment>> s = v.segments().copyFromUser(segs);
            ps += cost.copyPs(segs * NpuSegment.SIZE);
            if (s.isEmpty()) {
                c.cpu(ps, () -> done.done(-Errno.EFAULT, a));
                return;
            }
            List<List<ProposedJob.PartRange>> segments = new ArrayList<>();
            for (NpuSegment seg : s.get()) {
                List<ProposedJob.PartRange> parts = new ArrayList<>();
                for (int i = 0; i < NpuSegment.MAX_PARTS; i++) {
                    long start = Integer.toUnsignedLong(seg.startOf(i)), count = Integer.toUnsignedLong(seg.countOf(i));
                    if (count == 0) continue;
                    if (i >= v.cores() || start + count > taskCount) {
                        c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
                        return;
                    }
                    parts.add(new ProposedJob.PartRange((int) start, (int) count));
                }
                if (parts.isEmpty()) {
                    c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
                    return;
                }
                segments.add(parts);
            }
            kv.add(new ProposedJob.Variant(v.cores(), segments));
        }
        List<DmaFence> deps = new ArrayList<>();
        for (NpuFence nf : fences.get()) {
            NpuContext dc = ctxOf(f, nf.ctxId());
            if (dc == null || nf.pad() != 0 || nf.seqno() <= 0 || nf.seqno() >= dc.nextSeqno) {
                c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
                return;
            }
            DmaFence fe = dc.timeline.get(nf.seqno());
            if (fe != null) deps.add(fe); // a retired point is signalled
        }
        if (!p.explicitSync()) { // ablation: implicit ordering of every job of the file behind the previous one
            for (NpuContext other : f.contexts.values()) {
                if (!other.timeline.isEmpty()) deps.add(other.timeline.lastEntry().getValue());
            }
        }
        long seqno = ctx.nextSeqno++;
        DmaFence fence = new DmaFence(ctx.fenceContext, seqno, "npu ctx " + ctx.id);
        ctx.timeline.put(seqno, fence);
        ctx.pendingJobs++;
        ProposedJob job = new ProposedJob(nextJob++, ctx, seqno, fence, kt, kv, c.request());
        jobsSubmitted++;
        ps += cost.fencePs() + cost.lockPs();
        c.cpu(ps, () -> {
            done.done(0, a.withSeqno(seqno));
            whenSignalled(deps, () -> ready(job));
        });
    }

    private void whenSignalled(List<DmaFence> deps, Runnable then) {
        int[] left = {deps.size() + 1};
        Runnable one = () -> {
            if (--left[0] == 0) then.run();
        };
        for (DmaFence d : deps) {
            if (!d.addCallback(() -> k.kernelCpu(cost.irqCpu(), cost.fenceCallbackPs(), null, io.npusim.core.account.Part.JOB_OVERHEAD, one))) one.run();
        }
        one.run();
    }

    /** The job's dependencies are met: choose its variant and queue the parts of its first segment. */
    private void ready(ProposedJob j) {
        if (!p.residency()) {
            // ablation: no persistent residency, so every job maps the context's buffers first
            // (and unmaps them at its end), as stacks that map per job must
            long pages = j.ctx.residentBytes / PhysMemory.PAGE;
            k.kernelCpu(cost.irqCpu(), pages * cost.iommuMapPagePs() + cost.iommuAttachPs(), j.request,
                    io.npusim.core.account.Part.JOB_OVERHEAD, () -> start(j));
            return;
        }
        start(j);
    }

    private void start(ProposedJob j) {
        if (j.ctx.destroyed) { // its file was closed while it waited for its fences
            jobFailed(j, -Errno.ECANCELED);
            return;
        }
        j.readyPs = k.sim().now();
        j.chosen = chooseVariant(j);
        j.segment = 0;
        enqueueSegment(j);
        kick();
    }

    /**
     * From the load: a context with a deadline gets the narrowest variant whose last measured time
     * fits the deadline with margin (unknown widths are tried narrowest first, so the driver
     * learns them); others get the widest variant that fits the cores not busy with higher-class
     * work. With proposed.variant_choice off, always the widest.
     */
    ProposedJob.Variant chooseVariant(ProposedJob j) {
        List<ProposedJob.Variant> vs = new ArrayList<>(j.variants);
        vs.sort((x, y) -> Integer.compare(x.cores(), y.cores()));
        ProposedJob.Variant widest = vs.get(vs.size() - 1);
        if (!p.variantChoice() || vs.size() == 1) return widest;
        NpuContext ctx = j.ctx;
        if (ctx.deadlinePs > 0) {
            for (ProposedJob.Variant v : vs) {
                long est = ctx.lastVariantPs[v.cores()];
                if (est == 0 || est <= ctx.deadlinePs * p.deadlineMargin()) return v;
            }
            return widest;
        }
        int free = 0;
        for (ProposedCore pc : cores) {
            if (pc.resetting || !pc.powered) continue;
            if (pc.item == null || pc.item.job.ctx.cls > ctx.cls) free++;
        }
        ProposedJob.Variant pick = vs.get(0);
        for (ProposedJob.Variant v : vs) if (v.cores() <= Math.max(1, free)) pick = v;
        return pick;
    }

    private void enqueueSegment(ProposedJob j) {
        List<ProposedJob.PartRange> parts = j.chosen.segments().get(j.segment);
        j.partsLeft = parts.size();
        for (ProposedJob.PartRange r : parts) {
            queues[j.ctx.cls].addLast(new ProposedJob.Item(j, r));
            queuedMore(j);
        }
        updateDepth();
    }

    void requeueFront(ProposedJob.Item it) {
        queues[it.job.ctx.cls].addFirst(it);
        queuedMore(it.job);
        updateDepth();
    }

    /**
     * A part of the job joined a class queue: while any part of it waits there, its request holds
     * a QUEUED claim (hardware work of its other parts, when running, still takes the time first).
     */
    private void queuedMore(ProposedJob j) {
        if (j.waiting++ == 0 && j.request != null && !j.request.isFinished()) {
            j.queuedClaim = j.request.open(io.npusim.core.account.Part.QUEUED, k.sim().now());
        }
    }

    /** A part of the job left its class queue (to a core, or dropped). */
    private void queuedLess(ProposedJob j) {
        if (--j.waiting == 0 && j.queuedClaim != null) {
            if (!j.request.isFinished()) j.request.close(j.queuedClaim, k.sim().now());
            j.queuedClaim = null;
        }
    }

    /** Work of a class above {@code cls} (a lower number) is waiting for a core. */
    boolean higherClassWaiting(int cls) {
        for (int c = 0; c < cls; c++) if (!queues[c].isEmpty()) return true;
        return false;
    }

    /** Gives every idle core the head of the highest non-empty class queue. */
    void kick() {
        for (ProposedCore pc : cores) {
            if (!pc.idle()) continue;
            ProposedJob.Item it = null;
            for (ArrayDeque<ProposedJob.Item> q : queues) {
                it = q.pollFirst();
                if (it != null) break;
            }
            if (it == null) break;
            queuedLess(it.job);
            pc.start(it);
        }
        updateDepth();
    }

    /** A part finished: when the segment's barrier is reached, the next segment or the job's end. */
    void partDone(ProposedCore core, ProposedJob.Item it) {
        ProposedJob j = it.job;
        if (j.error != 0) { // the job failed: this part has left its core, maybe the last one to
            signalIfOffCores(j);
            kick();
            return;
        }
        if (--j.partsLeft > 0) {
            kick();
            return;
        }
        j.segment++;
        if (j.segment < j.chosen.segments().size()) {
            enqueueSegment(j);
            kick();
            return;
        }
        long now = k.sim().now();
        j.ctx.lastVariantPs[j.chosen.cores()] = now - j.readyPs;
        j.ctx.jobsDone++;
        retire(j);
        jobsCompleted++;
        long unmapPs = 0;
        if (!p.residency()) { // ablation: the per-job unmap, and the IOTLB goes cold
            unmapPs = j.ctx.residentBytes / PhysMemory.PAGE * cost.iommuUnmapPagePs();
            for (ProposedCore pc : cores) {
                Iommu mmu = hw.iommuFor(pc.index);
                if (mmu.attached() == j.ctx.domain) mmu.zapCache();
            }
        }
        k.irqCpu(cost.fencePs() + unmapPs, j.request, io.npusim.core.account.Part.JOB_OVERHEAD, () -> j.fence.signal(k.sim().now()));
        kick();
    }

    /**
     * The job failed (a reset): its queued parts are dropped, its parts on other cores stop at
     * their next batch boundary, and its fence carries the error once none is left on a core.
     */
    void jobFailed(ProposedJob j, int negErrno) {
        if (j.error == 0) {
            j.error = negErrno;
            for (ArrayDeque<ProposedJob.Item> q : queues) q.removeIf(it -> it.job == j);
            while (j.waiting > 0) queuedLess(j);
            jobsErrored++;
            updateDepth();
        }
        signalIfOffCores(j);
    }

    /**
     * A failed job retires and signals its error only when no part of it is on a core any more:
     * until then the hardware may still read and write its buffers, and a signalled fence tells
     * userspace (and CTX_DESTROY) that it no longer does.
     */
    private void signalIfOffCores(ProposedJob j) {
        if (j.fence.isSignaled()) return;
        for (ProposedCore pc : cores) if (pc.item != null && pc.item.job == j) return;
        retire(j);
        j.fence.setError(j.error);
        j.fence.signal(k.sim().now());
        if (!closing.isEmpty()) reapClosing();
    }

    private void retire(ProposedJob j) {
        NpuContext ctx = j.ctx;
        ctx.pendingJobs--;
        // keep recent points so WAIT on them still reports their error
        while (ctx.timeline.size() > 64) {
            Map.Entry<Long, DmaFence> e = ctx.timeline.firstEntry();
            if (!e.getValue().isSignaled() && e.getValue() != j.fence) break;
            ctx.timeline.pollFirstEntry();
            ctx.retiredBelow = e.getKey() + 1;
        }
    }

    private void updateDepth() {
        long now = k.sim().now();
        for (ProposedCore pc : cores) {
            int d = pc.item != null ? 1 : 0;
            if (pc.index == 0) for (ArrayDeque<ProposedJob.Item> q : queues) d += q.size(); // the shared queue is shown on core 0
            depth[pc.index].set(d, now);
        }
    }

    // ---- wait and query --------------------------------------------------------------------

    private void waitJob(SyscallContext c, ProposedFile f, NpuWait a, Syscalls.IoctlResult done) {
        long ps = cost.copyPs(NpuWait.SIZE);
        NpuContext ctx = ctxOf(f, a.ctxId());
        if (ctx == null || a.pad() != 0 || a.seqno() <= 0 || a.seqno() >= ctx.nextSeqno) {
            c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        DmaFence fe = ctx.timeline.get(a.seqno());
        if (fe == null || fe.isSignaled()) {
            int err = fe == null ? 0 : fe.error();
            c.cpu(ps, () -> done.done(err, a));
            return;
        }
        long nowNs = k.sim().now() / Time.PS_PER_NS;
        boolean forever = a.timeoutNs() >= Long.MAX_VALUE / Time.PS_PER_NS;
        if (!forever && a.timeoutNs() <= nowNs) {
            c.cpu(ps, () -> done.done(-Errno.ETIME, a));
            return;
        }
        boolean[] finished = {false};
        long[] timer = {-1};
        fe.addCallback(() -> {
            if (finished[0]) return;
            finished[0] = true;
            if (timer[0] >= 0) k.sim().cancel(timer[0]);
            k.kernelCpu(c.thread().cpu(), cost.wakeUpPs(), c.request(), io.npusim.core.account.Part.JOB_OVERHEAD, () -> done.done(fe.error(), a));
        });
        if (!forever) {
            timer[0] = k.sim().schedule(a.timeoutNs() * Time.PS_PER_NS, Priority.KERNEL, (o, x) -> {
                if (finished[0]) return;
                finished[0] = true;
                done.done(-Errno.ETIME, a);
            }, null, 0);
        }
        c.cpu(ps, () -> { });
    }

    private void query(SyscallContext c, ProposedFile f, CtxQuery a, Syscalls.IoctlResult done) {
        long ps = cost.copyPs(CtxQuery.SIZE) * 2;
        NpuContext ctx = ctxOf(f, a.ctxId());
        if (ctx == null || a.pad() != 0) {
            c.cpu(ps, () -> done.done(-Errno.EINVAL, a));
            return;
        }
        long sramBytes = 0;
        for (Map.Entry<SramPool.Grant, SramUse> e : sramUses.entrySet()) if (e.getValue().ctx() == ctx) sramBytes += e.getKey().bytes;
        CtxQuery out = new CtxQuery(ctx.id, 0, ctx.busyPs[0] / Time.PS_PER_NS, ctx.busyPs[1] / Time.PS_PER_NS, ctx.busyPs[2] / Time.PS_PER_NS,
                ctx.residentBytes, sramBytes, ctx.jobsDone, ctx.preemptions);
        c.cpu(ps, () -> done.done(0, out));
    }

    // ---- statistics ------------------------------------------------------------------------

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
        return 0;
    }

    @Override
    public double[] queueDepthSeries(int core) {
        return depth[core].means(k.sim().now());
    }

    @Override
    public long sramPeakBytes() {
        return sram.peak();
    }

    public long preemptions() {
        return sumOverCores(pc -> pc.preemptions);
    }

    public long sramEvictions() {
        return evictions;
    }

    public long sramRestores() {
        return restores;
    }

    public long attaches() {
        return sumOverCores(pc -> pc.attaches);
    }

    public long batches() {
        return sumOverCores(pc -> pc.batches);
    }

    public long timeouts() {
        return sumOverCores(pc -> pc.timeouts);
    }

    private long sumOverCores(ToLongFunction<ProposedCore> f) {
        long n = 0;
        for (ProposedCore pc : cores) n += f.applyAsLong(pc);
        return n;
    }
}
