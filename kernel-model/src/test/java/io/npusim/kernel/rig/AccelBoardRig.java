package io.npusim.kernel.rig;

import io.npusim.core.event.Simulator;
import io.npusim.core.time.Time;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.Rk3588;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.NpuObserver;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.hw.npu.TaskTiming;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.os.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the driver test rigs of the accel drivers (rocket, proposed) share: a board with an IOMMU
 * per core (the mainline device tree), a kernel, every completed task recorded, hangs and lost
 * work noted, MAC-bound test tasks whose width sets their duration, and ways to run the
 * simulation until something happened. The subclass creates and registers its driver.
 */
public abstract class AccelBoardRig {
    public static final long US = Time.PS_PER_US;
    public static final long MS = Time.PS_PER_MS;
    public static final long PAGE = 4096;
    /** An absolute deadline that never comes (Mesa passes INT64_MAX). */
    public static final long FOREVER = Long.MAX_VALUE;
    public static final int ENTRIES = 64; // regcmd entries per task (60 register writes + 4 tail entries)

    public final Simulator sim = new Simulator();
    public final ParamTable params;
    public final Rk3588 hw;
    public final KernelCosts cost;
    public final Kernel k;
    /** Every task that completed, in completion order. */
    public final List<TaskRecord> records = new ArrayList<>();
    /** Cores that hung on undecodable commands: {core, time}. */
    public final List<long[]> hangs = new ArrayList<>();
    /** Tasks lost to resets, as "core:tasks". */
    public final List<String> lost = new ArrayList<>();

    protected AccelBoardRig(ParamTable params) {
        this.params = params;
        this.hw = new Rk3588(sim, params, Rk3588.IommuTopology.PER_CORE, TraceSink.NONE);
        this.cost = KernelCosts.from(params);
        this.k = new Kernel(sim, hw, cost, TraceSink.NONE);
        NpuObserver obs = new NpuObserver() {
            @Override
            public void taskDone(TaskRecord r) {
                records.add(r);
                onTaskDone(r);
            }

            @Override
            public void workLost(int core, int tasks, String reason, long nowPs) {
                lost.add(core + ":" + tasks);
            }

            @Override
            public void hung(int core, long address, long nowPs) {
                hangs.add(new long[] {core, nowPs});
                onHung(core);
            }
        };
        for (int i = 0; i < hw.coreCount(); i++) hw.core(i).setObserver(obs);
    }

    /** A task completed (after it was recorded): what the driver's rig also notes. */
    protected void onTaskDone(TaskRecord r) {}

    /** A core hung: what the driver's rig also notes. */
    protected void onHung(int core) {}

    /**
     * Task width for a pipeline time of about {@code us} microseconds at the current NPU clock,
     * calibrated on the hardware model's own timing (TaskTiming) so that changes to its constants
     * do not change the durations the tests ask for.
     */
    public long widthForUs(double us) {
        double cycles = us * hw.clock().mhz();
        int probe = 1024;
        double perWidth = TaskTiming.cost(convOp("probe", probe, 0, 0, 0, false), hw.npuParams(), hw.clock().mhz() * 1000L).cycles() / (double) probe;
        return Math.max(4, Math.round(cycles / perWidth));
    }

    /**
     * A 1x1 INT8 conv, 1024 channels in and out, {@code w} pixels wide, 1 KiB DMA ranges;
     * {@code weightReuse} sets CNA_CBUF_CON0's weight reuse (the weights are expected in the CBUF).
     */
    public static TaskOp convOp(String label, int w, long inIova, long weightIova, long outIova, boolean weightReuse) {
        long bytes = 1024;
        return new TaskOp(label, TaskOp.Kind.CONV, Dtype.INT8, new TaskOp.Shape(1024, 1, w, 1024, 1, w, 1, 1, 1, 1, 1),
                new TaskOp.Cbuf(6, 6, weightReuse), TaskOp.Post.NONE,
                List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, inIova, bytes),
                        new TaskOp.Dma(TaskOp.Operand.WEIGHT, weightIova, bytes),
                        new TaskOp.Dma(TaskOp.Operand.OUTPUT, outIova, bytes)), (long) w * 1024 * 1024);
    }

    public long nowPs() {
        return sim.now();
    }

    /** Runs the simulation until {@code timePs} (events at that time included). */
    public void runUntil(long timePs) {
        sim.runUntil(timePs);
    }

    /** Runs until nothing is left to do. */
    public void runAll() {
        sim.run();
    }

    /** Runs until {@code op} delivers a value; fails if the simulation runs dry first. */
    public <T> T await(Consumer<Consumer<T>> op) {
        Object[] box = {null};
        boolean[] set = {false};
        op.accept(v -> {
            box[0] = v;
            set[0] = true;
            sim.stop();
        });
        while (!set[0]) {
            if (sim.pending() == 0) throw new AssertionError("the call never returned (simulation ran dry at " + Time.format(sim.now()) + ")");
            sim.run();
        }
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }
}
