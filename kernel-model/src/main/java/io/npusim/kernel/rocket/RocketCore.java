package io.npusim.kernel.rocket;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.event.Priority;
import io.npusim.core.trace.TraceArgs;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.Rk3588;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.npu.CoreContext;
import io.npusim.hw.npu.IrqBits;
import io.npusim.hw.npu.NpuCore;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.os.Kernel;
import io.npusim.kernel.sched.DrmGpuScheduler;
import io.npusim.kernel.sched.DrmSchedInitArgs;
import io.npusim.kernel.sched.SchedBackend;
import io.npusim.kernel.sched.SchedJob;
import io.npusim.kernel.sched.SchedPolicy;
import io.npusim.kernel.sched.TimeoutStatus;

/**
 * struct rocket_core: one NPU core with its drm_sched scheduler (credit limit 1, 500 ms
 * timeout), its own IOMMU (mainline device tree) and runtime PM. rocket_job_run attaches the
 * file's domain and writes one task; the threaded IRQ handler writes the next task, or after the
 * last one detaches the domain and signals the job's fence (rocket_job.c, rocket_core.c).
 */
final class RocketCore implements SchedBackend {
    private final Kernel k;
    private final Rk3588 hw;
    private final KernelCosts cost;
    private final RocketParams p;
    private final int index;
    private final NpuCore npu;
    private final Iommu iommu;
    final DrmGpuScheduler sched;
    private final TraceSink trace;
    private final int track;
    private final long fenceContext;
    private long emitSeqno;
    private RocketJob inFlight;
    private io.npusim.kernel.devfreq.SimpleOndemand devfreq; // the devfreq switch's governor, or null

    // runtime PM (autosuspend 50 ms)
    private int rpmUsage;
    private boolean suspended = true;
    private long suspendHandle = -1;

    // counters
    long hwSubmits;
    long irqs;
    long attaches;
    long resumes;
    long dmaErrors;
    long timeouts;

    RocketCore(Kernel k, RocketParams p, int index, TraceSink trace) {
        this.k = k;
        this.hw = k.hw();
        this.cost = k.cost();
        this.p = p;
        this.index = index;
        this.npu = hw.core(index);
        this.iommu = hw.iommuFor(index);
        this.trace = trace;
        this.track = trace.enabled() ? trace.track("kernel: rocket", "core " + index) : 0;
        this.fenceContext = k.fenceContexts().alloc(1);
        DrmSchedInitArgs args = DrmSchedInitArgs.of("rocket-core" + index, index, p.creditLimit(), p.jobTimeoutPs())
                .withPolicy(p.fairSched() ? SchedPolicy.FAIR : SchedPolicy.FIFO);
        this.sched = new DrmGpuScheduler(k, this, args);
        npu.setIrqSink((c, t) -> hardIrq());
    }

    int index() {
        return index;
    }

    /** The devfreq governor told when this core takes and ends a job (rocket.devfreq). */
    void setDevfreq(io.npusim.kernel.devfreq.SimpleOndemand d) {
        this.devfreq = d;
    }

    private void setInFlight(RocketJob job) {
        if (devfreq != null) {
            if (inFlight == null && job != null) devfreq.jobStarted();
            else if (inFlight != null && job == null) devfreq.jobEnded();
        }
        inFlight = job;
    }

    // ---- run_job ---------------------------------------------------------------------------

    @Override
    public DmaFence runJob(SchedJob sj) {
        RocketJob job = (RocketJob) sj;
        if (job.finishedFence().error() != 0 || job.nextTask >= job.tasks.size()) return null;
        job.core = this;
        job.hwFence = new DmaFence(fenceContext, ++emitSeqno, "rockchip-npu");
        Attribution r = job.request();
        // pm_runtime_resume_and_get, then iommu_attach_group on every job (unless the patch keeps it)
        rpmGet(r, () -> {
            long ps = 0;
            if (!(p.keepIommuAttached() && iommu.attached() == job.file.domain)) {
                iommu.detach();
                iommu.attach(job.file.domain);
                attaches++;
                ps += cost.iommuAttachPs();
            }
            k.kernelCpu(sched.workerCpu(), ps, r, Part.JOB_OVERHEAD, () -> {
                setInFlight(job);
                hwSubmit(job);
            });
        });
        return job.hwFence;
    }

    /** rocket_job_hw_submit: one task (or the whole chain with the hw_task_chaining patch). */
    private void hwSubmit(RocketJob job) {
        int first = job.nextTask;
        // TASK_NUMBER is 12 bits on the RK3588 (rocket-upstream.md 2.5): a longer job is re-armed
        // from the IRQ thread every 4095 tasks
        int count = p.hwTaskChaining() ? Math.min(job.tasks.size() - first, NpuRegs.TASK_NUMBER_MASK) : 1;
        RocketJob.Task t = job.tasks.get(first);
        job.nextTask += count;
        hwSubmits++;
        k.measuredCpu(sched.workerCpu(), cost.hwSubmitPs(), job.request(), Part.TASK_OVERHEAD, () -> {
            if (inFlight != job) return; // reset meanwhile
            npu.setContext(new CoreContext(job.request(), job.file.client, job.id()));
            int pp = NpuRegs.S_POINTER_PP + 0x10000000 * index;
            npu.writeReg(NpuRegs.PC_BASE_ADDRESS, 0x1);
            npu.writeReg(NpuRegs.CNA_S_POINTER, pp);
            npu.writeReg(NpuRegs.CORE_S_POINTER, pp);
            npu.writeReg(NpuRegs.PC_BASE_ADDRESS, (int) t.regcmd());
            npu.writeReg(NpuRegs.PC_REGISTER_AMOUNTS, (t.regcmdCount() + 1) / 2 - 1);
            npu.writeReg(NpuRegs.PC_INTERRUPT_MASK, IrqBits.DPU_BOTH);
            npu.writeReg(NpuRegs.PC_INTERRUPT_CLEAR, IrqBits.DPU_BOTH);
            npu.writeReg(NpuRegs.PC_TASK_CON, (1 << 14) | NpuRegs.TASK_COUNT_CLEAR | NpuRegs.TASK_PP_EN | count);
            npu.writeReg(NpuRegs.PC_TASK_DMA_BASE_ADDR, 0);
            npu.writeReg(NpuRegs.PC_OPERATION_ENABLE, 1);
        });
    }

    // ---- interrupts --------------------------------------------------------------------------

    /** Hard IRQ: DMA errors are only warned about; no DPU bit means IRQ_NONE; else mask and wake the thread. */
    private void hardIrq() {
        k.countIrq();
        irqs++;
        RocketJob job = inFlight;
        Attribution r = job != null ? job.request() : null;
        k.measuredIrqCpu(cost.hardIrqPs(), r, Part.TASK_OVERHEAD, () -> {
            int raw = npu.readReg(NpuRegs.PC_INTERRUPT_RAW_STATUS);
            if ((raw & IrqBits.DMA_ERRORS) != 0) {
                dmaErrors++; // WARN_ON; the job is left to the timeout
                if (trace.enabled()) trace.instant(track, "rocket.error", "DMA error", k.sim().now(), TraceArgs.of("raw", "0x" + Integer.toHexString(raw)));
            }
            if ((raw & IrqBits.DPU_BOTH) == 0) return; // IRQ_NONE
            npu.writeReg(NpuRegs.PC_INTERRUPT_MASK, 0);
            irqThread();
        });
    }

    /** The threaded handler: next task from here, or detach, signal and put the PM reference. */
    private void irqThread() {
        RocketJob job = inFlight;
        Attribution r = job != null ? job.request() : null;
        boolean more = job != null && job.nextTask < job.tasks.size();
        k.measuredIrqCpu(cost.irqThreadPs(), r, more ? Part.TASK_OVERHEAD : Part.JOB_OVERHEAD, () -> {
            npu.writeReg(NpuRegs.PC_OPERATION_ENABLE, 0);
            npu.writeReg(NpuRegs.PC_INTERRUPT_CLEAR, 0x1ffff);
            if (job == null || inFlight != job) return;
            if (job.nextTask < job.tasks.size()) {
                hwSubmit(job);
                return;
            }
            long ps = 0;
            if (!p.keepIommuAttached()) {
                iommu.detach();
                ps += cost.iommuDetachPs();
            }
            k.irqCpu(ps, r, Part.JOB_OVERHEAD, () -> {
                if (inFlight != job) return;
                setInFlight(null);
                job.hwFence.signal(k.sim().now());
                rpmPutAutosuspend();
            });
        });
    }

    // ---- timeout and reset -----------------------------------------------------------------

    @Override
    public TimeoutStatus timedOutJob(SchedJob bad) {
        timeouts++;
        if (trace.enabled()) trace.instant(track, "rocket.timeout", "NPU job timed out", k.sim().now(), TraceArgs.of("job", bad.id()));
        // rocket_reset: stop the scheduler, drop the in-flight job, pulse the core's resets, restart
        sched.stop(bad);
        if (inFlight != null) {
            rpmPutAutosuspend();
            setInFlight(null);
        }
        iommu.detach();
        npu.reset();
        k.after(hw.params().integer("power.reset_us", "us") * 1_000_000L, () -> sched.start(0));
        return TimeoutStatus.RESET;
    }

    @Override
    public void freeJob(SchedJob job) {
        job.cleanup();
        ((RocketJob) job).putBos.run(); // rocket_job_cleanup: drm_gem_object_put of the in and out BOs
    }

    // ---- runtime PM --------------------------------------------------------------------------

    private void rpmGet(Attribution r, Runnable then) {
        rpmUsage++;
        if (suspendHandle >= 0) {
            k.sim().cancel(suspendHandle);
            suspendHandle = -1;
        }
        if (!suspended) {
            then.run();
            return;
        }
        resumes++;
        Attribution.Claim c = r != null && !r.isFinished() ? r.open(Part.JOB_OVERHEAD, k.sim().now()) : null;
        hw.powerOnCore(index, () -> k.kernelCpu(sched.workerCpu(), cost.rpmResumePs(), r, Part.JOB_OVERHEAD, () -> {
            suspended = false;
            if (c != null && !r.isFinished()) r.close(c, k.sim().now());
            then.run();
        }));
    }

    private void rpmPutAutosuspend() {
        if (--rpmUsage > 0) return;
        if (suspendHandle >= 0) k.sim().cancel(suspendHandle);
        suspendHandle = k.sim().scheduleIn(p.autosuspendPs(), Priority.KERNEL, (o, a) -> {
            suspendHandle = -1;
            if (rpmUsage > 0 || sched.creditCount() != 0) return; // runtime suspend returns -EBUSY
            suspended = true;
            hw.powerOffCore(index);
        }, null, 0);
    }
}
