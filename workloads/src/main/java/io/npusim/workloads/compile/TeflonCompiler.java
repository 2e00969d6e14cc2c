package io.npusim.workloads.compile;

import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.NpuParams;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.graph.Add;
import io.npusim.workloads.graph.Conv2d;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.Op;
import io.npusim.workloads.graph.Reshape;
import io.npusim.workloads.graph.Tensor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Mesa's rocket Gallium driver behind the Teflon TFLite delegate (rocket-upstream.md 4): only
 * CONV_2D and DEPTHWISE_CONV_2D with per-tensor quantisation and no dilation run on the NPU, with
 * a fused ReLU/ReLU6 and an ADD fused into the convolution that produces one of its operands;
 * contiguous supported operators form partitions, everything else runs on the CPU. Every tensor
 * a delegated operation reads or writes gets its own BO; weights, biases and register commands
 * get a BO each per operation. Mesa's CBUF
 * split decides the jobs: one job per operation holding all its tasks when the weights fit the
 * CBUF, else one job per task. One SUBMIT per partition carries all its jobs in graph order.
 */
public final class TeflonCompiler {
    /**
     * A delegated partition: its NPU step, the tensors crossing to and from the CPU, and the regcmd
     * BO holding each job's tasks (in job order).
     */
    public record Partition(int step, List<Integer> cpuInputs, List<Integer> cpuOutputs, List<Integer> regcmdOfJob) {}

    /** The program plus where the CPU hands data to the NPU and back. */
    public record Compiled(Program program, List<Partition> partitions) {}

    private static final Set<Activation.Kind> FUSABLE = EnumSet.of(Activation.Kind.RELU, Activation.Kind.RELU6);

    private final NpuParams npu;
    private final CpuCostModel cpu;
    private final int regcmdEntries;
    private final double inputNsPerByte;
    private final double outputNsPerByte;

    public TeflonCompiler(NpuParams npu, ParamTable t) {
        this.npu = npu;
        this.cpu = new CpuCostModel(t);
        this.regcmdEntries = (int) t.integer("teflon.regcmd_entries", "entries");
        this.inputNsPerByte = t.nonNegative("teflon.input_convert_ns_per_byte", "ns/byte");
        this.outputNsPerByte = t.nonNegative("teflon.output_convert_ns_per_byte", "ns/byte");
    }

    /** rkt_ml_operation_supported plus Teflon's ReLU6 folding and ADD fusion rules. */
    static boolean npuSupports(Op op) {
        if (op instanceof Conv2d c) {
            boolean perTensor = c.x().quant().perTensor() && c.weight().quant().perTensor() && c.output().quant().perTensor();
            return perTensor && c.window().dilationH() == 1 && c.window().dilationW() == 1;
        }
        if (op instanceof Activation a) return FUSABLE.contains(a.kind());
        if (op instanceof Add add) return !add.input(0).isConstant() && !add.input(1).isConstant();
        return false;
    }

    public List<Layer> layers(Graph g) {
        List<Layer> fused = Fusion.layers(g, TeflonCompiler::npuSupports, true, FUSABLE, FUSABLE);
        // an activation or add that did not fuse into a convolution has no NPU path upstream
        List<Layer> out = new ArrayList<>();
        for (Layer l : fused) {
            boolean conv = l.main() instanceof Conv2d;
            out.add(l.onNpu() && !conv ? new Layer(l.name(), null, l.main(), l.ops(), l.inputs(), l.outputs(), l.post(), false) : l);
        }
        return out;
    }

    public Compiled compile(Graph g) {
        List<Layer> layers = layers(g);
        List<BufferPlan> buffers = new ArrayList<>();
        Placement at = new Placement();
        // A BO for each input and output tensor of the delegated operations, and only for those:
        // tensors that only CPU operators touch stay in TFLite's arena, and a convolution's
        // pre-activation tensor does not exist (TFLite fuses the activation into CONV_2D). Mesa
        // sizes each BO W*H*ceil(C/16)*2*16 bytes, twice the data (rkt_ml.c rkt_ml_subgraph_create,
        // calc_raw_output_size; rocket-upstream.md 4.3); the placement keeps the data's size.
        for (Layer l : layers) {
            if (!l.onNpu()) continue;
            List<Tensor> touched = new ArrayList<>(l.inputs());
            touched.addAll(l.outputs());
            for (Tensor t : touched) {
                if (t.isConstant() || at.has(t)) continue;
                boolean in = g.inputs().contains(t), out = g.outputs().contains(t);
                BufferPlan.Kind kind = in ? BufferPlan.Kind.INPUT : out ? BufferPlan.Kind.OUTPUT : BufferPlan.Kind.INTERNAL;
                long bytes = NpuLayout.bytes(t, NpuLayout.dtype(t.dtype()));
                at.put(t, buffers.size(), 0, bytes);
                buffers.add(new BufferPlan(buffers.size(), "tensor " + t.name(), kind, Math.max(2 * bytes, 64), false));
            }
        }
        Tiler tiler = new Tiler(npu, Tiler.Strategy.MESA, 0, regcmdEntries);
        List<Step> steps = new ArrayList<>();
        List<Partition> partitions = new ArrayList<>();
        List<JobPlan> jobs = new ArrayList<>();
        List<Integer> regcmdOfJob = new ArrayList<>();
        Set<Tensor> partIn = new LinkedHashSet<>(), partOut = new LinkedHashSet<>(), produced = new LinkedHashSet<>();
        Set<Op> partOps = new java.util.HashSet<>();
        for (int i = 0; i <= layers.size(); i++) {
            Layer l = i < layers.size() ? layers.get(i) : null;
            boolean npuLayer = l != null && l.onNpu();
            if (!npuLayer && !jobs.isEmpty()) {
                closePartition(g, steps, partitions, jobs, regcmdOfJob, partIn, partOut, produced, partOps, at);
            }
            if (l == null) break;
            if (!npuLayer) {
                if (!(l.main() instanceof Reshape)) steps.add(cpu.fallback(l.main()));
                continue;
            }
            partOps.addAll(l.ops());
            // separate BOs for the re-laid-out weights and for the int32 biases (rkt_ml.c
            // lower_convolution, rkt_coefs.c rkt_fill_weights/rkt_fill_biases; rocket-upstream.md 4.3)
            int wBuf = buffers.size();
            buffers.add(new BufferPlan(wBuf, "weights " + l.name(), BufferPlan.Kind.WEIGHT, Math.max(64, mesaWeightBoBytes((Conv2d) l.main())), false));
            int bBuf = buffers.size();
            buffers.add(new BufferPlan(bBuf, "biases " + l.name(), BufferPlan.Kind.WEIGHT, Math.max(64, 4L * NpuLayout.c(l.output())), false));
            List<TaskPlan> tasks = tiler.tile(l, at, wBuf, 0, bBuf, 0);
            int rcBuf = buffers.size();
            buffers.add(new BufferPlan(rcBuf, "regcmd " + l.name(), BufferPlan.Kind.REGCMD, Math.max(4096, tasks.size() * 1024L), false));
            List<Integer> in = new ArrayList<>();
            for (Tensor t : l.inputs()) {
                in.add(at.of(t).buffer());
                if (!produced.contains(t)) partIn.add(t);
            }
            List<Integer> out = new ArrayList<>();
            for (Tensor t : l.outputs()) {
                out.add(at.of(t).buffer());
                produced.add(t);
                partOut.add(t);
            }
            if (tiler.weightsResident(l)) {
                jobs.add(new JobPlan(l.name(), List.of(tasks), in, out)); // one job per operation
                regcmdOfJob.add(rcBuf);
            } else {
                for (TaskPlan t : tasks) { // one job per task
                    jobs.add(new JobPlan(t.label(), List.of(List.of(t)), in, out));
                    regcmdOfJob.add(rcBuf);
                }
            }
        }
        return new Compiled(new Program(g.name(), "teflon", buffers, steps), partitions);
    }

    /**
     * Mesa's weight BO: {@code kw*kh*align(Cout,2)*align(max(Cin,16),32)*2} bytes, with one output
     * channel for a depthwise convolution (rkt_coefs.c rkt_fill_weights).
     */
    static long mesaWeightBoBytes(Conv2d c) {
        long cout = c.isDepthwise() ? 1 : (c.cout() + 1) / 2 * 2;
        long cin = (Math.max(c.cin(), 16) + 31) / 32 * 32;
        return (long) c.window().kernelH() * c.window().kernelW() * cout * cin * 2;
    }

    /** One SUBMIT: CPU input conversion, the jobs, CPU conversion of what leaves the partition. */
    private void closePartition(Graph g, List<Step> steps, List<Partition> partitions, List<JobPlan> jobs, List<Integer> regcmdOfJob, Set<Tensor> partIn,
                                Set<Tensor> partOut, Set<Tensor> produced, Set<Op> partOps, Placement at) {
        List<Integer> cpuIn = new ArrayList<>();
        long inBytes = 0;
        for (Tensor t : partIn) {
            cpuIn.add(at.of(t).buffer());
            inBytes += at.of(t).bytes();
        }
        // a partition's output leaves it when a CPU operator or the graph output reads it
        List<Integer> cpuOut = new ArrayList<>();
        long outBytes = 0;
        for (Tensor t : partOut) {
            boolean leaves = g.outputs().contains(t);
            for (Op c : g.consumers(t)) leaves |= !partOps.contains(c);
            if (leaves) {
                cpuOut.add(at.of(t).buffer());
                outBytes += at.of(t).bytes();
            }
        }
        steps.add(cpu.runtimeWork("teflon input conversion", inBytes, inputNsPerByte, 0));
        partitions.add(new Partition(steps.size(), cpuIn, cpuOut, List.copyOf(regcmdOfJob)));
        regcmdOfJob.clear();
        steps.add(new Step.Npu("partition " + partitions.size(), jobs, false));
        steps.add(cpu.runtimeWork("teflon output conversion", outBytes, outputNsPerByte, 0));
        jobs.clear();
        partIn.clear();
        partOut.clear();
        produced.clear();
        partOps.clear();
    }
}
