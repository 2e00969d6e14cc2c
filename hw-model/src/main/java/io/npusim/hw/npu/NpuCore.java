package io.npusim.hw.npu;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.event.EventHandler;
import io.npusim.core.event.Priority;
import io.npusim.core.event.Simulator;
import io.npusim.core.time.ClockDomain;
import io.npusim.core.trace.TraceArgs;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.clock.NpuClock;
import io.npusim.hw.ddr.Activity;
import io.npusim.hw.ddr.MemoryFabric;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.iommu.IommuDomain;
import io.npusim.hw.power.EnergyMeter;

/**
 * One NPU core as its drivers see it: PC registers, and a program controller that runs a list of
 * tasks. On OP_ENABLE the PC fetches the first task's register commands ((REGISTER_AMOUNTS + 1) * 2
 * entries at PC_BASE_ADDRESS, through the IOMMU), runs the task, and either follows the task's
 * tail entries to the next one (TASK_NUMBER > 1: one interrupt at the end, the vendor way) or
 * stops and interrupts (TASK_NUMBER = 1: the upstream way). With TASK_PP_EN the next task's
 * commands are fetched into the other ping-pong register group while the current task runs.
 *
 * <p>A task's time: regcmd fetch (hidden when ping-ponged), fixed setup and drain cycles, one
 * exposed page-walk latency when it misses in the IOTLB, then an execution phase whose rate is
 * the smaller of the MAC/DPU pipeline rate and what DDR, SRAM, the AXI port and the page walker
 * allow ({@link MemoryFabric}). Register commands that do not decode leave the core hung (no
 * interrupt); an unmapped DMA address raises a DMA error interrupt and stops the core until reset.
 */
public final class NpuCore {
    public enum State { IDLE, FETCH, SETUP, WALK, EXEC, HUNG, FAULTED }

    private final int id;
    private final Simulator sim;
    private final NpuParams p;
    private final NpuClock clock;
    private final MemoryFabric fabric;
    private final int port;
    private final Iommu iommu;
    private final EnergyMeter energy;
    private final TraceSink trace;
    private final int track;
    private final long ddrLatencyPs;
    private final long walkLatencyPs;
    private final double walkerPerPs;
    private final double walkBytes;
    private final double bytesPerPsPerGbps = 1e9 / 1e12;
    private IrqSink irq = (c, t) -> {};
    private NpuObserver observer = NpuObserver.NONE;

    // registers
    private int pcBase;
    private int registerAmounts;
    private int intMask;
    private int rawStatus;
    private int taskCon;
    private int taskDmaBase;
    private int taskStatus;
    private int cnaSPointer;
    private int coreSPointer;
    private boolean powered = true;

    // program state
    private State state = State.IDLE;
    private int tasksToRun;
    private int tasksDone;
    private long curAddress;
    private int curAmounts;
    private boolean prefetched;
    private RegcmdStream cur;
    private TaskTiming.Cost cost;
    private CoreContext ctx = CoreContext.NONE;
    private Activity exec;
    private long taskStartPs;
    private long execStartPs;
    private long overheadPs;
    private long walkExposedPs;
    private long misses;
    private double execDdr;
    private double execSram;
    private long phaseHandle = -1;
    private long phaseEndPs;
    private long phaseCycles;
    private long phaseStartPs;
    private long phaseExtraPs;
    private Attribution.Claim claim;

    // counters
    private long tasksRun;
    private long irqs;
    private long busyPs;
    private long setupPs;
    private long walkPs;
    private double computePs;
    private double memStallPs;
    private double walkStallPs;
    private double ddrBytes;
    private double execDdrWrites;
    /** The job whose weights the CBUF holds (-2: none since reset). */
    private long cbufJob = -2;
    private long cbufReloads;
    private double cbufReloadBytes;
    private double sramBytes;
    private long regcmdBytes;
    private long iotlbMisses;
    private long macs;
    private long resets;
    private long lostTasks;
    private long faults;
    private final io.npusim.core.stats.BucketSeries busySeries = new io.npusim.core.stats.BucketSeries(io.npusim.core.time.Time.ms(10));

    private final EventHandler onFetchDone = (o, a) -> fetchDone();
    private final EventHandler onSetupDone = (o, a) -> setupDone();
    private final EventHandler onWalkDone = (o, a) -> walkDone();
    private final Activity.Listener execListener = new Activity.Listener() {
        @Override
        public void onComplete(Activity a, long nowPs) {
            execDone(a);
        }

        @Override
        public void onRate(Activity a, long nowPs) {
            updateShares(a, nowPs);
        }
    };

    public NpuCore(int id, Simulator sim, NpuParams p, NpuClock clock, MemoryFabric fabric, int port, Iommu iommu,
                   EnergyMeter energy, TraceSink trace, long ddrLatencyPs, long walkLatencyPs, int walksInFlight, double walkBytes) {
        this.id = id;
        this.sim = sim;
        this.p = p;
        this.clock = clock;
        this.fabric = fabric;
        this.port = port;
        this.iommu = iommu;
        this.energy = energy;
        this.trace = trace;
        this.track = trace.enabled() ? trace.track("NPU core " + id, "tasks") : 0;
        this.ddrLatencyPs = ddrLatencyPs;
        this.walkLatencyPs = walkLatencyPs;
        this.walkerPerPs = walksInFlight / (double) Math.max(1, walkLatencyPs);
        this.walkBytes = walkBytes;
        clock.domain().addListener(this::onClockChange);
    }

    public int id() {
        return id;
    }

    public Iommu iommu() {
        return iommu;
    }

    public State state() {
        return state;
    }

    public boolean isBusy() {
        return state == State.FETCH || state == State.SETUP || state == State.WALK || state == State.EXEC;
    }

    public void setIrqSink(IrqSink sink) {
        this.irq = sink;
    }

    public void setObserver(NpuObserver o) {
        this.observer = o;
    }

    /** Bookkeeping for the next start (see {@link CoreContext}). */
    public void setContext(CoreContext c) {
        this.ctx = c == null ? CoreContext.NONE : c;
    }

    public CoreContext context() {
        return ctx;
    }

    public void setPowered(boolean on) {
        this.powered = on;
    }

    // ---- registers -----------------------------------------------------------------------

    public void writeReg(int offset, int value) {
        switch (offset) {
            case NpuRegs.PC_BASE_ADDRESS -> pcBase = value;
            case NpuRegs.PC_REGISTER_AMOUNTS -> registerAmounts = value & 0xffff;
            case NpuRegs.PC_INTERRUPT_MASK -> intMask = value;
            case NpuRegs.PC_INTERRUPT_CLEAR -> rawStatus &= ~value;
            case NpuRegs.PC_TASK_CON -> {
                taskCon = value;
                if ((value & NpuRegs.TASK_COUNT_CLEAR) != 0) taskStatus = 0;
            }
            case NpuRegs.PC_TASK_DMA_BASE_ADDR -> taskDmaBase = value;
            case NpuRegs.CNA_S_POINTER -> cnaSPointer = value;
            case NpuRegs.CORE_S_POINTER -> coreSPointer = value;
            case NpuRegs.PC_OPERATION_ENABLE -> {
                if ((value & 1) != 0) start();
            }
            default -> { /* other blocks: programmed by the regcmd stream, not by the kernel */ }
        }
    }

    public int readReg(int offset) {
        return switch (offset) {
            case NpuRegs.PC_VERSION -> NpuRegs.VERSION_VALUE;
            case NpuRegs.PC_VERSION_NUM -> 0x0000_0001;
            case NpuRegs.PC_BASE_ADDRESS -> pcBase;
            case NpuRegs.PC_REGISTER_AMOUNTS -> registerAmounts;
            case NpuRegs.PC_INTERRUPT_MASK -> intMask;
            case NpuRegs.PC_INTERRUPT_STATUS -> rawStatus & intMask;
            case NpuRegs.PC_INTERRUPT_RAW_STATUS -> rawStatus;
            case NpuRegs.PC_TASK_CON -> taskCon;
            case NpuRegs.PC_TASK_DMA_BASE_ADDR -> taskDmaBase;
            case NpuRegs.PC_TASK_STATUS -> taskStatus & NpuRegs.TASK_NUMBER_MASK;
            case NpuRegs.CNA_S_POINTER -> cnaSPointer;
            case NpuRegs.CORE_S_POINTER -> coreSPointer;
            default -> 0;
        };
    }

    /** True while the interrupt line is high. */
    public boolean irqPending() {
        return (rawStatus & (intMask | IrqBits.DMA_ERRORS)) != 0;
    }

    // ---- program controller -------------------------------------------------------------

    private void start() {
        if (!powered) return; // a core without power ignores the write; the job will time out
        if (state != State.IDLE) return; // already running, hung or faulted: OP_EN is ignored
        tasksToRun = Math.max(1, taskCon & NpuRegs.TASK_NUMBER_MASK);
        tasksDone = 0;
        curAddress = pcBase & 0xffffffffL;
        curAmounts = registerAmounts;
        prefetched = false;
        beginTask();
    }

    private void beginTask() {
        taskStartPs = sim.now();
        overheadPs = 0;
        walkExposedPs = 0;
        misses = 0;
        state = State.FETCH;
        openClaim(Part.TASK_OVERHEAD);
        int entries = NpuRegs.entriesFor(curAmounts);
        long bytes = (long) entries * RegcmdStream.ENTRY_BYTES;
        regcmdBytes += bytes;
        long fetchCycles = prefetched ? 0 : (long) Math.ceil(bytes / p.pcFetchBytesPerCycle());
        long extra = prefetched ? 0 : ddrLatencyPs;
        startPhase(fetchCycles, extra, onFetchDone);
    }

    private void fetchDone() {
        int entries = NpuRegs.entriesFor(curAmounts);
        long bytes = (long) entries * RegcmdStream.ENTRY_BYTES;
        IommuDomain d = iommu.attached();
        Iommu.Access acc = iommu.translate(id, curAddress, bytes, false, -1, sim.now());
        if (acc == null) {
            dmaFault(IrqBits.DMA_READ_ERROR);
            return;
        }
        IommuDomain.Extent ext = d.lookup(curAddress);
        Object content = ext.region().get(ext.regionOffset() + (curAddress - ext.iova()));
        if (!(content instanceof RegcmdStream s) || s.entries() > entries) {
            hang(); // garbage, or a program longer than what was fetched: the pipeline never completes
            return;
        }
        cur = s;
        int owner = ext.region().ownerPid();
        cost = TaskTiming.cost(s.op(), p, clock.domain().khz());
        // Translate every DMA range now: a fault stops the task before it moves data.
        double ddr = 0, sram = 0, ddrWrites = 0;
        long walks = acc.misses();
        for (TaskOp.Dma dma : s.op().dma()) {
            Iommu.Access a = iommu.translate(id, dma.iova(), dma.bytes(), dma.write(), owner, sim.now());
            if (a == null) {
                dmaFault(dma.write() ? IrqBits.DMA_WRITE_ERROR : IrqBits.DMA_READ_ERROR);
                return;
            }
            if (a.foreignOwnerPid() >= 0) observer.foreignAccess(id, a.foreignOwnerPid(), dma.iova(), sim.now());
            ddr += a.ddrBytes();
            if (dma.write()) ddrWrites += a.ddrBytes();
            sram += a.sramBytes();
            walks += a.misses();
        }
        execDdrWrites = ddrWrites;
        // CNA_CBUF_CON0 "weight reuse" keeps whatever weights the CBUF holds: if the last task on
        // this core belonged to another job (a preemption in between), they are someone else's,
        // and the weight banks are fetched again before the task can compute.
        if (s.op().cbuf().weightReuse() && cbufJob != ctx.job()) {
            double reload = (double) s.op().cbuf().weightBanks() * p.cbufBankBytes();
            ddr += reload;
            cbufReloads++;
            cbufReloadBytes += reload;
        }
        cbufJob = ctx.job();
        misses = walks;
        execDdr = ddr;
        execSram = sram;
        state = State.SETUP;
        startPhase(p.taskSetupCycles() + p.taskDrainCycles(), 0, onSetupDone);
    }

    private void setupDone() {
        overheadPs = sim.now() - taskStartPs;
        if (misses > 0) {
            state = State.WALK;
            setClaimPart(Part.IOTLB_WALK);
            startPhase(0, walkLatencyPs, onWalkDone); // the first translation cannot be hidden
        } else {
            walkDone();
        }
    }

    private void walkDone() {
        walkExposedPs = sim.now() - taskStartPs - overheadPs;
        state = State.EXEC;
        execStartPs = sim.now();
        double periodPs = 1e12 / clock.domain().hz();
        double cycles = Math.max(1, cost.cycles());
        double computePerPs = 1.0 / (cycles * periodPs);
        double walkDdr = misses * walkBytes; // page-table reads are DDR traffic
        closeClaim();
        openSplitClaim();
        exec = new Activity("npu" + id + ":" + cur.op().label(), port, computePerPs, execDdr + walkDdr, execSram,
                misses, walkerPerPs, execListener);
        double total = execDdr + walkDdr;
        if (total > 0) exec.withWrites(execDdrWrites / total, p.ddrWriteCost());
        fabric.start(exec);
    }

    private void execDone(Activity a) {
        long now = sim.now();
        closeClaim();
        TaskOp op = cur.op();
        long padded = cost.paddedMacs();
        double pj = energy.macs(padded, op.dtype() == Dtype.FP16, clock.millivolts())
                + energy.ddrBytes(a.ddrDone()) + energy.sramBytes(a.sramDone());
        long dur = now - taskStartPs;
        busyPs += dur;
        busySeries.addInterval(taskStartPs, now);
        setupPs += overheadPs;
        walkPs += walkExposedPs;
        computePs += a.computePs();
        memStallPs += a.memStallPs();
        walkStallPs += a.walkStallPs();
        ddrBytes += a.ddrDone();
        sramBytes += a.sramDone();
        iotlbMisses += misses;
        macs += op.macs();
        tasksRun++;
        observer.taskDone(new TaskRecord(id, op.label(), op.kind(), ctx.client(), ctx.job(), taskStartPs, now, overheadPs,
                walkExposedPs, op.macs(), padded, cost.cycles(), a.ddrDone(), a.sramDone(), misses, a.computePs(),
                a.memStallPs(), a.walkStallPs(), clock.domain().khz(), pj));
        if (trace.enabled()) {
            trace.slice(track, "npu.task", op.label(), taskStartPs, dur, TraceArgs.of(
                    "client", ctx.client(), "job", ctx.job(), "op", op.label(), "cycles", cost.cycles(),
                    "macs", op.macs(), "ddr_bytes", (long) a.ddrDone(), "iotlb_misses", misses));
        }
        exec = null;
        tasksDone++;
        taskStatus = (taskStatus + 1) & NpuRegs.TASK_NUMBER_MASK;
        if (tasksDone < tasksToRun) {
            // Follow the tail entries; with ping-pong the next commands were fetched meanwhile.
            curAddress = cur.nextAddress() & 0xffffffffL;
            curAmounts = cur.nextAmounts();
            prefetched = (taskCon & NpuRegs.TASK_PP_EN) != 0 && curAddress != 0;
            beginTask();
            return;
        }
        int bits = op.doneBits();
        // The group that finished is the ping-pong parity of the last task; drivers pair the bits.
        int group = ((tasksDone - 1) & 1) == 0 ? (bits & (IrqBits.DPU_0 | IrqBits.PPU_0)) : (bits & (IrqBits.DPU_1 | IrqBits.PPU_1));
        state = State.IDLE;
        cur = null;
        raise(group);
    }

    private void raise(int bits) {
        rawStatus |= bits;
        if (irqPending()) {
            irqs++;
            if (trace.enabled()) trace.instant(track, "npu.irq", "irq", sim.now(), TraceArgs.of("status", "0x" + Integer.toHexString(rawStatus)));
            irq.raise(id, sim.now());
        }
    }

    private void dmaFault(int bit) {
        faults++;
        closeClaim();
        state = State.FAULTED;
        if (trace.enabled()) {
            Iommu.Fault f = iommu.lastFault();
            trace.instant(track, "npu.fault", "iommu fault", sim.now(), TraceArgs.of(
                    "iova", f == null ? "-" : "0x" + Long.toHexString(f.iova()), "domain", f == null ? -1 : f.domainId(),
                    "client", ctx.client(), "job", ctx.job()));
        }
        raise(bit);
    }

    private void hang() {
        closeClaim();
        state = State.HUNG;
        observer.hung(id, curAddress, sim.now());
        if (trace.enabled()) trace.instant(track, "npu.hang", "hung: undecodable regcmd", sim.now(), TraceArgs.of("address", "0x" + Long.toHexString(curAddress)));
    }

    /**
     * At the end of a run: a task still loaded is busy up to now, so it gets its trace slice, cut
     * at the end (busy time and task slices then agree exactly).
     */
    public void endOfRun() {
        if (!isBusy() || !trace.enabled()) return;
        long now = sim.now();
        String label = cur != null ? cur.op().label() : "fetching";
        trace.slice(track, "npu.task", label, taskStartPs, now - taskStartPs, TraceArgs.of(
                "client", ctx.client(), "job", ctx.job(), "op", label, "cut", "end of run"));
    }

    /** Soft reset (srst_a/srst_h pulse): in-flight and queued tasks of the PC are lost. */
    public void reset() {
        resets++;
        cbufJob = -2; // a reset leaves the CBUF contents undefined
        int lost = 0;
        if (isBusy() || state == State.HUNG) lost = Math.max(1, tasksToRun - tasksDone);
        cancelPhase();
        if (exec != null) {
            fabric.abort(exec);
            exec = null;
        }
        closeClaim();
        if (lost > 0) {
            lostTasks += lost;
            observer.workLost(id, lost, "core reset", sim.now());
        }
        if (trace.enabled()) trace.instant(track, "npu.reset", "core reset", sim.now(), TraceArgs.of("lost_tasks", lost));
        state = State.IDLE;
        cur = null;
        rawStatus = 0;
        intMask = 0;
        taskStatus = 0;
        taskCon = 0;
        pcBase = 0;
        registerAmounts = 0;
    }

    // ---- fixed phases and clock changes ---------------------------------------------------

    private void startPhase(long cycles, long extraPs, EventHandler h) {
        phaseCycles = cycles;
        phaseExtraPs = extraPs;
        phaseStartPs = sim.now();
        phaseEndPs = sim.now() + clock.domain().cyclesToPs(cycles) + extraPs;
        phaseHandle = sim.schedule(phaseEndPs, Priority.HARDWARE, h, null, 0);
        pendingPhase = h;
    }

    private EventHandler pendingPhase;

    private void cancelPhase() {
        if (phaseHandle >= 0) sim.cancel(phaseHandle);
        phaseHandle = -1;
    }

    private void onClockChange(ClockDomain d, long oldKhz, long newKhz, long nowPs) {
        if (exec != null && exec.isActive()) {
            cost = TaskTiming.cost(cur.op(), p, newKhz); // the feature I/O bound does not scale with the clock
            double cycles = Math.max(1, cost.cycles());
            fabric.setComputeRate(exec, 1.0 / (cycles * (1e9 / newKhz)));
        } else if (phaseHandle >= 0 && phaseEndPs > nowPs && phaseCycles > 0) {
            long elapsed = nowPs - phaseStartPs;
            long doneCycles = ClockDomain.psToCycles(Math.max(0, elapsed - phaseExtraPs), oldKhz);
            long left = Math.max(0, phaseCycles - doneCycles);
            long extraLeft = Math.max(0, phaseExtraPs - elapsed);
            sim.cancel(phaseHandle);
            phaseCycles = left;
            phaseExtraPs = extraLeft;
            phaseStartPs = nowPs;
            phaseEndPs = nowPs + ClockDomain.cyclesToPs(left, newKhz) + extraLeft;
            phaseHandle = sim.schedule(phaseEndPs, Priority.HARDWARE, pendingPhase, null, 0);
        }
    }

    // ---- attribution --------------------------------------------------------------------

    private void openClaim(Part part) {
        closeClaim();
        Attribution r = ctx.request();
        if (r != null && !r.isFinished()) claim = r.open(part, sim.now());
    }

    private void openSplitClaim() {
        closeClaim();
        Attribution r = ctx.request();
        if (r != null && !r.isFinished()) claim = r.openSplit(sim.now());
    }

    private void setClaimPart(Part part) {
        if (claim != null && claim.isOpen()) ctx.request().setPart(claim, sim.now(), part);
    }

    private void closeClaim() {
        if (claim != null && claim.isOpen() && !ctx.request().isFinished()) ctx.request().close(claim, sim.now());
        claim = null;
    }

    private void updateShares(Activity a, long now) {
        if (claim == null || !claim.isOpen() || ctx.request().isFinished()) return;
        double c = a.computeShare();
        double stall = 1 - c;
        boolean walk = a.binding() == io.npusim.hw.ddr.Binding.WALK;
        ctx.request().setShares(claim, now, c, walk ? 0 : stall, walk ? stall : 0, 0);
    }

    // ---- counters -----------------------------------------------------------------------

    /** Tasks that expected weights kept in the CBUF but found another job's there. */
    public long cbufReloads() {
        return cbufReloads;
    }

    public double cbufReloadBytes() {
        return cbufReloadBytes;
    }

    public long tasksRun() {
        return tasksRun;
    }

    public long irqs() {
        return irqs;
    }

    /** Picoseconds a task was loaded on the core (fetch to completion), the busy of DESIGN.md. */
    public long busyPs() {
        long b = busyPs;
        if (isBusy()) b += sim.now() - taskStartPs;
        return b;
    }

    /** Busy picoseconds per 10 ms bucket (utilisation over time). */
    public io.npusim.core.stats.BucketSeries busySeries() {
        return busySeries;
    }

    public long setupPs() {
        return setupPs;
    }

    public long walkLatencyPs() {
        return walkPs;
    }

    public double computePs() {
        return computePs;
    }

    public double memStallPs() {
        return memStallPs;
    }

    public double walkStallPs() {
        return walkStallPs;
    }

    public double ddrBytes() {
        return ddrBytes;
    }

    public double sramBytes() {
        return sramBytes;
    }

    public long regcmdBytes() {
        return regcmdBytes;
    }

    public long iotlbMisses() {
        return iotlbMisses;
    }

    public long macs() {
        return macs;
    }

    public long resets() {
        return resets;
    }

    public long lostTasks() {
        return lostTasks;
    }

    public long faults() {
        return faults;
    }

    public double portBytesPerPs() {
        return p.portGbps() * bytesPerPsPerGbps;
    }
}
