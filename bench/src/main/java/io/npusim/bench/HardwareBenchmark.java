package io.npusim.bench;

import io.npusim.core.event.Simulator;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.Rk3588;
import io.npusim.hw.ddr.Activity;
import io.npusim.hw.ddr.MemoryFabric;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.NpuParams;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskTiming;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot paths of the hardware model: the task-timing formulas, and the fluid DDR model with three
 * NPU cores streaming and two CPU clusters copying while the other-IP background flows. Each
 * {@code fabricFlowChange} operation completes one activity (a recomputation of every rate and
 * completion event) and starts its successor (another recomputation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HardwareBenchmark {
    private NpuParams npu;
    private TaskOp conv;
    private TaskOp dw;
    private TaskOp matmul;
    private Simulator sim;
    private MemoryFabric fabric;
    private long completions;

    @Setup(Level.Trial)
    public void setUp() {
        ParamTable t = ParamTable.loadResources(Rk3588.HW_RESOURCES);
        npu = NpuParams.from(t);
        conv = new TaskOp("conv", TaskOp.Kind.CONV, Dtype.INT8, new TaskOp.Shape(64, 58, 58, 64, 56, 56, 3, 3, 1, 1, 1),
                new TaskOp.Cbuf(6, 6, true), TaskOp.Post.BIAS_RELU, List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, 0, 200_000),
                new TaskOp.Dma(TaskOp.Operand.OUTPUT, 1 << 20, 200_000)), 115_605_504L);
        dw = new TaskOp("dw", TaskOp.Kind.DEPTHWISE, Dtype.INT8, new TaskOp.Shape(256, 16, 16, 256, 14, 14, 3, 3, 1, 1, 256),
                TaskOp.Cbuf.NONE, TaskOp.Post.NONE, List.of(), 451_584L);
        matmul = new TaskOp("mm", TaskOp.Kind.CONV, Dtype.INT8, TaskOp.Shape.matmul(1, 1536, 8960), TaskOp.Cbuf.NONE,
                TaskOp.Post.NONE, List.of(), 1536L * 8960);
        sim = new Simulator();
        double g = 1e9 / 1e12;
        fabric = new MemoryFabric(sim, 33.8 * 0.8 * g, 48 * g, new String[] {"npu0", "npu1", "npu2", "little", "big", "other"},
                new double[] {12 * g, 12 * g, 12 * g, 6 * g, 12 * g, Double.POSITIVE_INFINITY},
                new boolean[] {true, true, true, false, false, false}, 10_000_000_000L);
        fabric.start(Activity.background("other", 5, 0.3 * g));
        for (int port = 0; port < 5; port++) next(port, port);
    }

    /** Starts the successor of a completed activity on the same port (sizes vary with a counter). */
    private void next(int port, long salt) {
        double bytes = 1_000_000 + (salt * 7919 % 4_000_000);
        double compute = port < 3 ? 1.0 / (200_000 + salt % 50_000) / 1000.0 : 1.0 / 2_000_000_000.0;
        Activity a = new Activity("a", port, compute, bytes, 0, bytes / 4096, 4.0 / 260_000, new Activity.Listener() {
            @Override
            public void onComplete(Activity x, long nowPs) {
                completions++;
                next(port, completions);
                sim.stop(); // one flow change per benchmark operation
            }
        });
        fabric.start(a);
    }

    private static final long GHZ_1 = 1_000_000; // kHz

    @Benchmark
    public long taskTimingConv() {
        return TaskTiming.cost(conv, npu, GHZ_1).cycles();
    }

    @Benchmark
    public long taskTimingDepthwiseAndMatmul() {
        return TaskTiming.cost(dw, npu, GHZ_1).cycles() + TaskTiming.cost(matmul, npu, GHZ_1).cycles();
    }

    /** One activity completes and its successor starts: two full rate recomputations. */
    @Benchmark
    public long fabricFlowChange() {
        sim.run();
        return completions;
    }
}
