package io.npusim.hw;

import io.npusim.core.event.Simulator;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.iommu.IommuDomain;
import io.npusim.hw.mem.Region;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.IrqBits;
import io.npusim.hw.npu.NpuCore;
import io.npusim.hw.npu.NpuObserver;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare board for hardware tests: drives cores through their registers as a driver would, with
 * buffers mapped in one IOMMU domain per IOMMU instance.
 */
public final class HwRig {
    public final Simulator sim = new Simulator();
    public final Rk3588 hw;
    public final List<TaskRecord> records = new ArrayList<>();
    public final List<long[]> irqs = new ArrayList<>(); // {core, time}
    public final List<String> lost = new ArrayList<>();
    private final List<IommuDomain> domains = new ArrayList<>();
    private long nextIova = 0x1000_0000L;

    public HwRig(String... sets) {
        this(Rk3588.IommuTopology.PER_CORE, sets);
    }

    public HwRig(Rk3588.IommuTopology topo, String... sets) {
        ParamTable t = ParamTable.loadResources(Rk3588.HW_RESOURCES).withAll(List.of(sets));
        hw = new Rk3588(sim, t, topo, TraceSink.NONE);
        NpuObserver obs = new NpuObserver() {
            @Override
            public void taskDone(TaskRecord r) {
                records.add(r);
            }

            @Override
            public void workLost(int core, int tasks, String reason, long nowPs) {
                lost.add(core + ":" + tasks);
            }
        };
        for (int i = 0; i < 3; i++) {
            int core = i;
            hw.core(i).setObserver(obs);
            hw.core(i).setIrqSink((c, time) -> irqs.add(new long[] {core, time}));
            hw.core(i).setPowered(true);
        }
        for (Iommu m : hw.iommus()) {
            IommuDomain d = new IommuDomain(domains.size(), "test");
            domains.add(d);
            m.attach(d);
        }
    }

    /** Allocates and maps a system-SRAM buffer at SRAM offset {@code offset}; returns its IOVA. */
    public long sramBuffer(long offset, long bytes) {
        Region r = hw.mem().allocSram("sram", 1, offset, bytes);
        long iova = nextIova;
        for (IommuDomain d : domains) d.map(iova, r, 0, r.bytes());
        nextIova += r.bytes() + 0x10000;
        return iova;
    }

    /** A task of any kind and datatype over fresh buffers (in SRAM when {@code sramIn}). */
    public TaskOp task(TaskOp.Kind kind, Dtype dt, int cin, int h, int w, int cout, int k, boolean sramIn) {
        long in = dt.bytes((long) cin * h * w);
        long wts = kind == TaskOp.Kind.CONV ? dt.bytes((long) cin * cout * k * k) : kind == TaskOp.Kind.DEPTHWISE ? dt.bytes((long) cout * k * k) : 0;
        long out = dt.bytes((long) cout * h * w);
        List<TaskOp.Dma> dma = new ArrayList<>();
        dma.add(new TaskOp.Dma(TaskOp.Operand.FEATURE, sramIn ? sramBuffer(0, in) : buffer(in), in));
        if (wts > 0) dma.add(new TaskOp.Dma(TaskOp.Operand.WEIGHT, buffer(wts), wts));
        dma.add(new TaskOp.Dma(TaskOp.Operand.OUTPUT, buffer(out), out));
        long macs = kind == TaskOp.Kind.CONV ? (long) h * w * cout * cin * k * k : kind == TaskOp.Kind.DEPTHWISE ? (long) h * w * cout * k * k : 0;
        int groups = kind == TaskOp.Kind.DEPTHWISE ? cout : 1;
        return new TaskOp(kind.name(), kind, dt, new TaskOp.Shape(cin, h, w, cout, h, w, k, k, 1, 1, groups), new TaskOp.Cbuf(6, 6, false),
                kind == TaskOp.Kind.POOL ? new TaskOp.Post(false, false, TaskOp.Activation.NONE, true) : TaskOp.Post.NONE, dma, macs);
    }

    /** Allocates and maps a DDR buffer in every domain; returns its IOVA. */
    public long buffer(long bytes) {
        Region r = hw.mem().allocDdr("buf", 1, bytes);
        long iova = nextIova;
        for (IommuDomain d : domains) d.map(iova, r, 0, r.bytes());
        nextIova += r.bytes() + 0x10000;
        return iova;
    }

    private Region regionAt(long iova) {
        IommuDomain.Extent e = domains.get(0).lookup(iova);
        return e.region();
    }

    /** Writes a chain of register-command streams into a fresh buffer; returns the first address. */
    public long program(List<TaskOp> ops, int entries) {
        long bytes = (long) ops.size() * 1024;
        long base = buffer(bytes);
        Region r = regionAt(base);
        for (int i = 0; i < ops.size(); i++) {
            boolean last = i == ops.size() - 1;
            r.put(i * 1024L, new RegcmdStream(entries, ops.get(i), last ? 0 : base + (i + 1) * 1024L, last ? 0 : NpuRegs.amountFor(entries)));
        }
        return base;
    }

    /** Starts a task list on a core the way rknpu does (TASK_NUMBER = n, one interrupt). */
    public void start(int core, long regcmd, int entries, int tasks, boolean pingpong) {
        NpuCore c = hw.core(core);
        c.writeReg(NpuRegs.PC_BASE_ADDRESS, 1);
        c.writeReg(NpuRegs.PC_BASE_ADDRESS, (int) regcmd);
        c.writeReg(NpuRegs.PC_REGISTER_AMOUNTS, NpuRegs.amountFor(entries));
        c.writeReg(NpuRegs.PC_INTERRUPT_MASK, IrqBits.DPU_BOTH | IrqBits.PPU_BOTH);
        c.writeReg(NpuRegs.PC_INTERRUPT_CLEAR, IrqBits.ALL);
        c.writeReg(NpuRegs.PC_TASK_CON, ((0x6 | (pingpong ? 1 : 0)) << 12) | tasks);
        c.writeReg(NpuRegs.PC_OPERATION_ENABLE, 1);
    }

    /** A single-tile int8 convolution with its DMA ranges in fresh buffers. */
    public TaskOp conv(int cin, int h, int w, int cout, int k, Dtype dt) {
        long in = (long) cin * h * w * dt.bits() / 8;
        long wts = (long) cin * cout * k * k * dt.bits() / 8;
        long out = (long) cout * h * w * dt.bits() / 8;
        long macs = (long) h * w * cout * cin * k * k;
        return new TaskOp("conv", TaskOp.Kind.CONV, dt, new TaskOp.Shape(cin, h, w, cout, h, w, k, k, 1, 1, 1),
                new TaskOp.Cbuf(6, 6, false), TaskOp.Post.BIAS_RELU,
                List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, buffer(in), in),
                        new TaskOp.Dma(TaskOp.Operand.WEIGHT, buffer(wts), wts),
                        new TaskOp.Dma(TaskOp.Operand.OUTPUT, buffer(out), out)), macs);
    }

    /** A weight-streaming matmul with one row (an LLM decode step): K x N int8 weights. */
    public TaskOp matmulM1(int k, int n) {
        long w = (long) k * n;
        return new TaskOp("matmul", TaskOp.Kind.CONV, Dtype.INT8, TaskOp.Shape.matmul(1, k, n), new TaskOp.Cbuf(1, 11, false),
                TaskOp.Post.NONE, List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, buffer(k), k),
                new TaskOp.Dma(TaskOp.Operand.WEIGHT, buffer(w), w), new TaskOp.Dma(TaskOp.Operand.OUTPUT, buffer(n), n)), w);
    }

    /** A pure data-movement task: {@code bytes} read and written. */
    public TaskOp copy(long bytes) {
        return new TaskOp("copy", TaskOp.Kind.COPY, Dtype.INT8, TaskOp.Shape.elementwise(16, 1, 1), TaskOp.Cbuf.NONE,
                TaskOp.Post.NONE, List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, buffer(bytes), bytes),
                new TaskOp.Dma(TaskOp.Operand.OUTPUT, buffer(bytes), bytes)), 0);
    }

    /** Runs one task alone on a core and returns its record. */
    public TaskRecord runAlone(int core, TaskOp op) {
        long rc = program(List.of(op), 128);
        int before = records.size();
        start(core, rc, 128, 1, false);
        sim.run();
        return records.get(before);
    }
}
