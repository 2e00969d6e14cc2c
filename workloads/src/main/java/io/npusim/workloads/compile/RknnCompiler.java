package io.npusim.workloads.compile;

import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.NpuParams;
import io.npusim.hw.npu.TaskOp;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.graph.Gather;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.KvCacheAppend;
import io.npusim.workloads.graph.LayerNorm;
import io.npusim.workloads.graph.Op;
import io.npusim.workloads.graph.Reshape;
import io.npusim.workloads.graph.RmsNorm;
import io.npusim.workloads.graph.Rope;
import io.npusim.workloads.graph.Softmax;
import io.npusim.workloads.graph.Tensor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vendor RKNN compiler as far as its behaviour shows on the board: operators fused into
 * ConvRelu/ConvReluAdd-style layers, per-layer task lists, weights/internal/IO buffers with the
 * internal memory packed by tensor lifetime, optional SRAM for the internal buffer, and the
 * multi-core rule: only convolution, depthwise convolution, add, concat and ReLU-family layers are
 * split across cores, each into one share per core (by output channels when the weights outweigh
 * the input, by rows otherwise); everything else runs on core 0 (rknpu-vendor-and-hw.md,
 * per-layer-dumps 9.7).
 * Softmax, normalisations, gathers and rotary embeddings fall back to the CPU.
 */
public final class RknnCompiler {
    /** What the application asked for at load time. */
    public record Options(int coreMask, boolean sramInternal) {
        public int cores() {
            return Integer.bitCount(coreMask & 0x7) > 1 ? Integer.bitCount(coreMask & 0x7) : 1;
        }
    }

    private static final Set<Activation.Kind> FUSABLE = EnumSet.of(Activation.Kind.RELU, Activation.Kind.RELU6,
            Activation.Kind.LEAKY_RELU, Activation.Kind.SIGMOID, Activation.Kind.SILU, Activation.Kind.HARD_SWISH);
    private static final Set<Activation.Kind> SPLITTABLE = EnumSet.of(Activation.Kind.RELU, Activation.Kind.RELU6,
            Activation.Kind.LEAKY_RELU);

    private final NpuParams npu;
    private final CpuCostModel cpu;
    private final int regcmdEntries;
    private final int dataBanks;

    public RknnCompiler(NpuParams npu, ParamTable t) {
        this.npu = npu;
        this.cpu = new CpuCostModel(t);
        this.regcmdEntries = (int) t.integer("rknn.regcmd_entries", "entries");
        this.dataBanks = (int) t.integer("rknn.tile_data_banks", "banks");
    }

    public static boolean npuSupports(Op op) {
        return !(op instanceof Softmax || op instanceof LayerNorm || op instanceof RmsNorm || op instanceof Gather
                || op instanceof Rope || op instanceof KvCacheAppend);
    }

    public List<Layer> layers(Graph g) {
        return Fusion.layers(g, RknnCompiler::npuSupports, true, FUSABLE, SPLITTABLE);
    }

    public Program compile(Graph g, Options o) {
        List<Layer> layers = layers(g);
        Plan plan = planBuffers(g, layers, o);
        Tiler tiler = new Tiler(npu, Tiler.Strategy.VENDOR, dataBanks, regcmdEntries);
        int cores = o.cores();
        List<Step> steps = new ArrayList<>();
        List<TaskPlan> pending = new ArrayList<>(); // consecutive single-core layers, chained in one job
        List<Integer> pendIn = new ArrayList<>(), pendOut = new ArrayList<>();
        int segment = 0;
        for (Layer l : layers) {
            if (l.main() instanceof Reshape) continue; // aliases its input, no work
            if (!l.onNpu()) {
                segment = flush(steps, pending, pendIn, pendOut, segment);
                steps.add(cpu.fallback(l.main()));
                continue;
            }
            boolean split = cores > 1 && l.splittable();
            // a split layer is cut into one share per core at least (rows or output channels, see
            // Tiler): the vendor runtime gives every core a third of every split layer, small ones
            // included (per-layer-dumps 9.7, D3 WorkLoad 33.3/33.3/33.3)
            List<TaskPlan> tasks = tiler.tile(l, plan.at, plan.weightBuffer, plan.weightOffset.getOrDefault(l.name(), 0L),
                    split ? cores : 1);
            if (tasks.isEmpty()) continue;
            if (split && tasks.size() >= cores) {
                segment = flush(steps, pending, pendIn, pendOut, segment);
                steps.add(new Step.Npu("layer " + l.name(), List.of(new JobPlan(l.name(), splitAcrossCores(tasks, cores), List.of(), List.of())), false));
                segment++;
            } else {
                pending.addAll(tasks);
            }
        }
        flush(steps, pending, pendIn, pendOut, segment);
        List<BufferPlan> buffers = new ArrayList<>(plan.buffers);
        int totalTasks = 0;
        for (Step s : steps) if (s instanceof Step.Npu n) totalTasks += n.taskCount();
        buffers.add(new BufferPlan(buffers.size(), "regcmd", BufferPlan.Kind.REGCMD,
                Math.max(4096, (long) totalTasks * regcmdEntries * 8), false));
        buffers.add(new BufferPlan(buffers.size(), "tasks", BufferPlan.Kind.TASKS, Math.max(4096, totalTasks * 40L), false));
        return new Program(g.name(), "rknn", buffers, steps);
    }

    private static int flush(List<Step> steps, List<TaskPlan> pending, List<Integer> in, List<Integer> out, int segment) {
        if (pending.isEmpty()) return segment;
        steps.add(new Step.Npu("segment " + segment, List.of(JobPlan.single("segment " + segment, pending, in, out)), false));
        pending.clear();
        return segment + 1;
    }

    /** Contiguous groups of tiles per core; each core's first conv task loads the weights itself. */
    static List<List<TaskPlan>> splitAcrossCores(List<TaskPlan> tasks, int cores) {
        List<List<TaskPlan>> per = new ArrayList<>();
        TaskPlan first = tasks.get(0);
        List<TaskPlan.Dma> weightDma = first.dma().stream()
                .filter(d -> d.operand() == TaskOp.Operand.WEIGHT || d.operand() == TaskOp.Operand.BIAS).toList();
        for (int c = 0; c < cores; c++) {
            List<TaskPlan> mine = new ArrayList<>(tasks.subList(tasks.size() * c / cores, tasks.size() * (c + 1) / cores));
            if (!mine.isEmpty() && c > 0 && !weightDma.isEmpty() && mine.get(0).cbuf().weightReuse()) {
                TaskPlan t = mine.get(0);
                List<TaskPlan.Dma> dma = new ArrayList<>(weightDma);
                dma.addAll(t.dma());
                mine.set(0, new TaskPlan(t.label(), t.layer(), t.kind(), t.dtype(), t.shape(),
                        new TaskOp.Cbuf(t.cbuf().dataBanks(), t.cbuf().weightBanks(), false), t.post(), dma, t.macs(), t.regcmdEntries()));
            }
            per.add(mine);
        }
        return per;
    }

    /** Buffers and tensor placement shared by the vendor and upstream compilers. */
    static final class Plan {
        final List<BufferPlan> buffers = new ArrayList<>();
        final Placement at = new Placement();
        final Map<String, Long> weightOffset = new HashMap<>();
        int weightBuffer = -1;
    }

    /**
     * Weights in one buffer; graph inputs and outputs in their own buffers; every other activation
     * packed into one internal buffer by lifetime.
     */
    static Plan planBuffers(Graph g, List<Layer> layers, Options o) {
        Plan plan = new Plan();
        long wBytes = 0;
        for (Layer l : layers) {
            if (!l.onNpu() || l.weightBytes() == 0) continue;
            plan.weightOffset.put(l.name(), wBytes);
            wBytes += align(l.weightBytes() + 4L * outChannels(l), 256);
        }
        if (wBytes > 0) {
            plan.weightBuffer = plan.buffers.size();
            plan.buffers.add(new BufferPlan(plan.weightBuffer, "weights", BufferPlan.Kind.WEIGHT, wBytes, false));
        }
        int inBuf = plan.buffers.size();
        long inBytes = 0;
        for (Tensor t : g.inputs()) {
            long b = NpuLayout.bytes(t, NpuLayout.dtype(t.dtype()));
            plan.at.put(t, inBuf, inBytes, b);
            inBytes += align(b, 256);
        }
        plan.buffers.add(new BufferPlan(inBuf, "input", BufferPlan.Kind.INPUT, Math.max(inBytes, 256), false));
        for (Tensor t : g.outputs()) {
            int id = plan.buffers.size();
            long b = NpuLayout.bytes(t, NpuLayout.dtype(t.dtype()));
            plan.at.put(t, id, 0, b);
            plan.buffers.add(new BufferPlan(id, "output " + t.name(), BufferPlan.Kind.OUTPUT, Math.max(b, 256), false));
        }
        // lifetimes in layer indices
        Map<Integer, int[]> life = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            for (Tensor t : l.outputs()) life.computeIfAbsent(t.id(), k -> new int[] {Integer.MAX_VALUE, -1})[0] = Math.min(life.get(t.id())[0], i);
            for (Op op : l.ops()) {
                for (Tensor t : op.inputs()) {
                    int[] r = life.computeIfAbsent(t.id(), k -> new int[] {Integer.MAX_VALUE, -1});
                    r[1] = Math.max(r[1], i);
                }
            }
        }
        int internal = plan.buffers.size();
        Liveness pack = new Liveness(256);
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l.main() instanceof Reshape) {
                if (plan.at.has(l.main().input(0)) && !plan.at.has(l.output())) plan.at.alias(l.output(), l.main().input(0));
                continue;
            }
            for (Tensor t : l.outputs()) {
                if (plan.at.has(t)) continue;
                int[] r = life.get(t.id());
                long b = NpuLayout.bytes(t, NpuLayout.dtype(t.dtype()));
                long off = pack.place(b, r[0], Math.max(r[0], r[1]));
                plan.at.put(t, internal, off, b);
            }
            // fused intermediates (conv output before its activation) never reach memory
            for (Op op : l.ops()) for (Tensor t : op.outputs()) if (!plan.at.has(t)) plan.at.alias(t, l.output());
        }
        plan.buffers.add(new BufferPlan(internal, "internal", BufferPlan.Kind.INTERNAL, pack.high(), o.sramInternal()));
        return plan;
    }

    private static long outChannels(Layer l) {
        Tensor y = l.output();
        return NpuLayout.c(y);
    }

    static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }
}
