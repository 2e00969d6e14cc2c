package io.npusim.kernel.proposed;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.event.Priority;
import io.npusim.core.trace.TraceArgs;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.npu.CoreContext;
import io.npusim.hw.npu.IrqBits;
import io.npusim.hw.npu.NpuCore;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.os.Kernel;

/**
 * One NPU core under the proposed driver: runs an item (the rest of one part of a job) in
 * bounded batches with hardware task chaining (TASK_NUMBER(n), one interrupt per batch), keeps
 * the context's IOMMU domain attached while consecutive items share it, and at every batch
 * boundary gives the device a chance to preempt the item for higher-class work.
 */
final class ProposedCore {
    private static final int DONE_BITS = IrqBits.DPU_BOTH | IrqBits.PPU_BOTH;
    final int index;
    private final Kernel k;
    private final KernelCosts cost;
    private final ProposedParams p;
    private final ProposedDevice dev;
    final NpuCore npu;
    private final Iommu iommu;
    private final TraceSink trace;
    private final int track;
    ProposedJob.Item item;
    private int batch;
    private long batchStartPs;
    private long watchdog = -1;
    boolean resetting;
    /** The core's power domain is on (set once at probe: the driver keeps the cores powered). */
    boolean powered;
    long attaches;
    long batches;
    long irqs;
    long timeouts;
    long preemptions;

    ProposedCore(Kernel k, ProposedParams p, ProposedDevice dev, int index) {
        this.k = k;
        this.cost = k.cost();
        this.p = p;
        this.dev = dev;
        this.index = index;
        this.npu = k.hw().core(index);
        this.iommu = k.hw().iommuFor(index);
        this.trace = k.trace();
        this.track = trace.enabled() ? trace.track("kernel: proposed", "core " + index) : 0;
        npu.setIrqSink((c, t) -> hardIrq());
    }

    /** The devfreq governor told when this core takes and drops work (proposed.dvfs), or null. */
    io.npusim.kernel.devfreq.SimpleOndemand devfreq;

    private void setItem(ProposedJob.Item it) {
        if (devfreq != null) {
            if (item == null && it != null) devfreq.jobStarted();
            else if (item != null && it == null) devfreq.jobEnded();
        }
        item = it;
    }

    boolean idle() {
        return item == null && !resetting && powered;
    }

    /** Starts (or resumes) an item: attach its context's domain unless kept, then its next batch. */
    void start(ProposedJob.Item it) {
        setItem(it);
        ProposedJob j = it.job;
        long ps = k.measuredRefPs(cost.irqCpu(), cost.hwSubmitPs());
        Part part = Part.TASK_OVERHEAD;
        if (iommu.attached() != j.ctx.domain || !p.keepIommuAttached()) {
            iommu.detach();
            iommu.attach(j.ctx.domain);
            attaches++;
            ps += cost.iommuAttachPs();
            part = Part.JOB_OVERHEAD;
        }
        k.irqCpu(ps, j.request, part, () -> {
            if (item != it || resetting) return;
            submitBatch();
        });
    }

    private void submitBatch() {
        ProposedJob.Item it = item;
        ProposedJob j = it.job;
        if (j.error != 0) { // the job failed on another core meanwhile: stop this part here
            setItem(null);
            dev.partDone(this, it);
            return;
        }
        batch = Math.min(p.batchTasks(), it.end - it.next);
        ProposedJob.Task t = j.tasks.get(it.next);
        npu.setContext(new CoreContext(j.request, j.ctx.file.client, j.id));
        int pp = NpuRegs.S_POINTER_PP + 0x10000000 * index;
        npu.writeReg(NpuRegs.PC_BASE_ADDRESS, 0x1);
        npu.writeReg(NpuRegs.CNA_S_POINTER, pp);
        npu.writeReg(NpuRegs.CORE_S_POINTER, pp);
        npu.writeReg(NpuRegs.PC_BASE_ADDRESS, (int) t.regcmd());
        npu.writeReg(NpuRegs.PC_REGISTER_AMOUNTS, (t.regcmdCount() + 1) / 2 - 1);
        // a batch may end on a DPU task or a PPU (pooling) task: either completion ends it
        npu.writeReg(NpuRegs.PC_INTERRUPT_MASK, DONE_BITS);
        npu.writeReg(NpuRegs.PC_INTERRUPT_CLEAR, DONE_BITS);
        npu.writeReg(NpuRegs.PC_TASK_CON, (1 << 14) | NpuRegs.TASK_COUNT_CLEAR | NpuRegs.TASK_PP_EN | batch);
        npu.writeReg(NpuRegs.PC_TASK_DMA_BASE_ADDR, 0);
        batchStartPs = k.sim().now();
        batches++;
        npu.writeReg(NpuRegs.PC_OPERATION_ENABLE, 1);
        if (watchdog >= 0) k.sim().cancel(watchdog);
        watchdog = k.sim().scheduleIn(p.jobTimeoutPs(), Priority.KERNEL, (o, a) -> timeout(it), null, 0);
    }

    /** One interrupt per batch: account, then continue, yield to higher-class work, or finish the part. */
    private void hardIrq() {
        k.countIrq();
        irqs++;
        ProposedJob.Item it = item;
        Attribution r = it != null ? it.job.request : null;
        k.measuredIrqCpu(cost.hardIrqPs(), r, Part.TASK_OVERHEAD, () -> {
            int raw = npu.readReg(NpuRegs.PC_INTERRUPT_RAW_STATUS);
            if ((raw & DONE_BITS) == 0) return; // a DMA error alone: left to the watchdog
            npu.writeReg(NpuRegs.PC_OPERATION_ENABLE, 0);
            npu.writeReg(NpuRegs.PC_INTERRUPT_CLEAR, 0x1ffff);
            if (it == null || item != it || resetting) return;
            if (watchdog >= 0) {
                k.sim().cancel(watchdog);
                watchdog = -1;
            }
            long now = k.sim().now();
            it.job.ctx.busyPs[index] += now - batchStartPs;
            it.next += batch;
            if (trace.enabled()) trace.instant(track, "proposed.batch", "batch done", now, TraceArgs.of("ctx", it.job.ctx.id, "job", it.job.id, "tasks", batch));
            if (it.next >= it.end || it.job.error != 0) { // done, or its job failed elsewhere: it leaves the core
                setItem(null);
                dev.partDone(this, it);
                return;
            }
            if (p.preemption() && dev.higherClassWaiting(it.job.ctx.cls)) {
                setItem(null);
                it.preempted = true;
                it.job.ctx.preemptions++;
                preemptions++;
                if (trace.enabled()) trace.instant(track, "proposed.preempt", "preempted at batch boundary", now, TraceArgs.of("ctx", it.job.ctx.id, "job", it.job.id));
                dev.requeueFront(it);
                dev.kick();
                return;
            }
            k.measuredIrqCpu(cost.hwSubmitPs(), r, Part.TASK_OVERHEAD, () -> {
                if (item != it || resetting) return;
                submitBatch();
            });
        });
    }

    /** The watchdog: the batch did not finish in time; reset this core only and fail the job. */
    private void timeout(ProposedJob.Item it) {
        watchdog = -1;
        if (item != it) return;
        timeouts++;
        if (trace.enabled()) trace.instant(track, "proposed.timeout", "batch timed out", k.sim().now(), TraceArgs.of("job", it.job.id));
        setItem(null);
        resetting = true;
        iommu.detach();
        npu.reset();
        dev.jobFailed(it.job, -io.npusim.uapi.Errno.ECANCELED);
        k.after(k.hw().params().integer("power.reset_us", "us") * 1_000_000L, () -> {
            resetting = false;
            dev.kick();
        });
    }
}
