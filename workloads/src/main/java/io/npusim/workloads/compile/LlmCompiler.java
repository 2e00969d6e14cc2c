package io.npusim.workloads.compile;

import io.npusim.core.account.Part;
import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.TaskOp;
import io.npusim.workloads.zoo.LlmConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * How an LLM runtime lowers a transformer to NPU matmuls and CPU operators. Two lowerings:
 *
 * <p>{@link Lowering#RKLLM}, the vendor runtime (librkllmrt) as far as the public record shows
 * (rkllm-internals.md): weights resident in one arena per IOMMU domain; per layer the CPU does the
 * norms, activation quantisation, RoPE, KV-cache append, attention and the FFN activation, and the
 * NPU does four groups of int8 matmuls ({q,k,v}, {o}, {gate, up}, {down}), then the lm_head. Each
 * group is three single-core submits issued at once by one worker thread per NPU core, every
 * matmul cut along N into one slice per core (no cross-core reduction needed). K above 8192 is cut
 * into segments, as the matmul API does; w8a8_g128 cuts K into groups of 128 whose partial sums
 * the DPU accumulates (the reference's suggested mechanism for its measured slowdown).
 *
 * <p>{@link Lowering#ROCKET_LLM}, a hypothetical runtime on the upstream rocket UAPI (no upstream
 * userspace runs LLMs, rocket-upstream.md 4.2): the same CPU operators, each matmul emitted as one
 * 1x1-convolution job (its K segments as chained tasks), each group one SUBMIT; weights in BOs of
 * at most rocket_llm.weight_bo_bytes, all in the file's one 4 GiB IOVA space.
 */
public final class LlmCompiler {
    /** Which runtime's lowering. */
    public enum Lowering {
        RKLLM("rkllm", 3), ROCKET_LLM("rocket-llm", 1);

        final String runtime;
        final int slices;

        Lowering(String runtime, int slices) {
            this.runtime = runtime;
            this.slices = slices;
        }
    }

    /** Linear layers of one transformer layer, grouped as the runtime submits them. */
    record Linear(String name, int k, int n) {}

    private final ParamTable t;
    private final Lowering lowering;
    private final long segment;
    private final int groupSize;
    private final int regcmdEntries;
    private final int cpuThreads;
    private final long domainBytes;
    private final double elementwisePs;
    private final double transcendentalPs;
    private final double normPs;
    private final double attentionMacsPerPs;
    private final double samplingPs;
    private final long opOverheadPs;
    private final boolean prefillWholeOps;

    public LlmCompiler(ParamTable t, Lowering lowering) {
        this.t = t;
        this.lowering = lowering;
        boolean vendor = lowering == Lowering.RKLLM;
        this.segment = t.integer(vendor ? "rkllm.k_segment" : "rocket_llm.k_segment", "elements");
        this.groupSize = (int) t.integer("rkllm.group_size", "elements");
        this.regcmdEntries = (int) t.integer(vendor ? "rkllm.regcmd_entries" : "rocket_llm.regcmd_entries", "entries");
        this.cpuThreads = (int) t.integer("rkllm.cpu_threads", "threads");
        this.domainBytes = t.integer(vendor ? "rkllm.domain_bytes" : "rocket_llm.weight_bo_bytes", "bytes");
        this.elementwisePs = t.nonNegative("cpu.elementwise_ns_per_element", "ns") * 1000;
        this.transcendentalPs = t.nonNegative("cpu.transcendental_ns_per_element", "ns") * 1000;
        this.normPs = t.nonNegative("cpu.norm_ns_per_element", "ns") * 1000;
        this.attentionMacsPerPs = t.positive("rkllm.cpu_attention_gmacs", "GMAC/s") * 1e9 / 1e12;
        this.samplingPs = t.nonNegative("rkllm.sampling_ns_per_logit", "ns") * 1000;
        this.opOverheadPs = Time.fromUs(t.nonNegative("rkllm.openmp_sync_us", "us"));
        String split = vendor ? t.text("rkllm.prefill_split") : "n";
        if (!split.equals("op") && !split.equals("n")) {
            throw new io.npusim.core.UserError("configuration key rkllm.prefill_split must be op or n, got '" + split + "'");
        }
        this.prefillWholeOps = split.equals("op");
    }

    /** The four matmul groups of a layer. */
    static List<List<Linear>> groups(LlmConfig c) {
        List<Linear> qkv = c.quirks().fusedQkv() ? List.of(new Linear("qkv", c.hidden(), c.qDim() + 2 * c.kvDim()))
                : List.of(new Linear("q", c.hidden(), c.qDim()), new Linear("k", c.hidden(), c.kvDim()), new Linear("v", c.hidden(), c.kvDim()));
        List<Linear> ffnIn = !c.gatedFfn() ? List.of(new Linear("up", c.hidden(), c.intermediate()))
                : c.quirks().fusedGateUp() ? List.of(new Linear("gate_up", c.hidden(), 2 * c.intermediate()))
                : List.of(new Linear("gate", c.hidden(), c.intermediate()), new Linear("up", c.hidden(), c.intermediate()));
        return List.of(qkv, List.of(new Linear("o", c.qDim(), c.hidden())), ffnIn, List.of(new Linear("down", c.intermediate(), c.hidden())));
    }

    /** Where one matmul's weights (and its g128 scales) sit: arena index and byte offset. */
    record Placed(int arena, long offset, long bytes) {}

    /** The weights packed in order into arenas of at most the chunk size; one bigger matmul gets an arena of its own size. */
    record WeightLayout(List<Long> arenaBytes, List<Placed> placed) {}

    private long matmulWeightBytes(long k, long n, boolean grouped) {
        return k * n + (grouped ? k * n / groupSize * 2 : 0);
    }

    /**
     * Packs the matmul weights in execution order (layers, groups, lm_head; then an untied
     * embedding table, which the CPU reads) into arenas: one per IOMMU domain of
     * rkllm.domain_bytes, or one BO of at most rocket_llm.weight_bo_bytes. A matmul never
     * straddles two arenas.
     */
    WeightLayout weightLayout(LlmConfig c, boolean grouped) {
        List<long[]> order = new ArrayList<>();
        for (int layer = 0; layer < c.layers(); layer++) {
            for (List<Linear> group : groups(c)) for (Linear lin : group) order.add(new long[] {lin.k(), lin.n()});
        }
        order.add(new long[] {c.hidden(), c.vocab()});
        if (!c.tiedEmbeddings()) order.add(new long[] {c.hidden(), c.vocab()});
        List<Long> arenas = new ArrayList<>();
        List<Placed> placed = new ArrayList<>();
        long used = 0;
        for (long[] kn : order) {
            long bytes = matmulWeightBytes(kn[0], kn[1], grouped);
            if (arenas.isEmpty() || (used > 0 && used + bytes > domainBytes)) {
                arenas.add(0L);
                used = 0;
            }
            placed.add(new Placed(arenas.size() - 1, used, bytes));
            used += bytes;
            arenas.set(arenas.size() - 1, used);
        }
        return new WeightLayout(arenas, placed);
    }

    /** Weight arenas: one buffer per IOMMU domain (rkllm.domain_bytes) or per BO (rocket_llm.weight_bo_bytes). */
    public List<BufferPlan> weightArenas(LlmConfig c, boolean grouped) {
        List<Long> sizes = weightLayout(c, grouped).arenaBytes();
        List<BufferPlan> out = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            out.add(new BufferPlan(i, (lowering == Lowering.RKLLM ? "weights domain " : "weights bo ") + i, BufferPlan.Kind.WEIGHT, sizes.get(i), false));
        }
        return out;
    }

    /**
     * The program of one forward pass over {@code m} new tokens (m = prompt length for prefill, 1
     * for decode). Buffer ids: the weight arenas first, then activations in, the activation
     * outputs (RKLLM: one buffer sized for the longest prompt, shared by every program; rocket-llm:
     * one BO per matmul group sized for this program's m, because PREP_BO syncs a whole BO), the
     * task array (RKLLM only) and one regcmd buffer. CPU steps whose cost depends on the cached
     * positions are {@link Step.ContextCpu}.
     */
    public Program compile(LlmConfig c, int m, boolean grouped, boolean prefill) {
        WeightLayout layout = weightLayout(c, grouped);
        List<BufferPlan> buffers = new ArrayList<>(weightArenas(c, grouped));
        int next = 0; // index into layout.placed(), in the order the matmuls are emitted
        int maxM = Math.max(m, (int) t.integer("rkllm.max_prompt_tokens", "tokens"));
        int maxN = Math.max(c.vocab(), Math.max(2 * c.intermediate(), c.qDim() + 2 * c.kvDim()));
        int maxK = Math.max(c.intermediate(), Math.max(c.hidden(), c.qDim()));
        int actIn = buffers.size();
        buffers.add(new BufferPlan(actIn, "activations in", BufferPlan.Kind.INTERNAL, (long) (lowering == Lowering.RKLLM ? maxM : m) * maxK, false));
        int[] outOf = new int[5]; // per group index, and the lm_head
        if (lowering == Lowering.RKLLM) {
            int actOut = buffers.size();
            buffers.add(new BufferPlan(actOut, "activations out", BufferPlan.Kind.INTERNAL, (long) maxM * maxN * 4, false));
            java.util.Arrays.fill(outOf, actOut);
        } else {
            List<List<Linear>> gs = groups(c);
            for (int g = 0; g < 5; g++) {
                long n = g < 4 ? (long) m * groupN(gs.get(g)) : c.vocab();
                outOf[g] = buffers.size();
                buffers.add(new BufferPlan(outOf[g], g < 4 ? "out group " + g : "out lm_head", BufferPlan.Kind.INTERNAL, n * 4, false));
            }
        }
        List<Step> steps = new ArrayList<>();
        int hidden = c.hidden();
        steps.add(cpu("embedding lookup", (long) (m * hidden * elementwisePs), 2L * m * hidden, Part.CPU_FALLBACK, 1));
        for (int layer = 0; layer < c.layers(); layer++) {
            int g = 0;
            for (List<Linear> group : groups(c)) {
                // CPU work before each group
                switch (g) {
                    case 0 -> {
                        steps.add(cpu("L" + layer + " norm", (long) (m * hidden * normPs), 4L * m * hidden, Part.CPU_FALLBACK, cpuThreads));
                        steps.add(cpu("L" + layer + " quantise", (long) (m * hidden * elementwisePs), 5L * m * hidden, Part.RUNTIME_CPU, cpuThreads));
                    }
                    case 1 -> {
                        long rope = (long) m * (c.qDim() + c.kvDim());
                        steps.add(cpu("L" + layer + " rope+kv append", (long) (rope * elementwisePs * 2), 6L * m * c.kvDim() + 2 * rope, Part.CPU_FALLBACK, cpuThreads));
                        // QK^T and PV against every cached position, plus the softmax
                        long macsPerPos = 2L * m * c.qDim();
                        long psPerPos = (long) (macsPerPos / attentionMacsPerPs + (double) m * c.heads() * transcendentalPs);
                        steps.add(new Step.ContextCpu("L" + layer + " attention", "attention", psPerPos, 4L * c.kvDim(), Part.CPU_FALLBACK, cpuThreads));
                        steps.add(cpu("L" + layer + " quantise", (long) (m * c.qDim() * elementwisePs), 5L * m * c.qDim(), Part.RUNTIME_CPU, cpuThreads));
                    }
                    case 2 -> {
                        steps.add(cpu("L" + layer + " residual+norm", (long) (m * hidden * (normPs + elementwisePs)), 8L * m * hidden, Part.CPU_FALLBACK, cpuThreads));
                        steps.add(cpu("L" + layer + " quantise", (long) (m * hidden * elementwisePs), 5L * m * hidden, Part.RUNTIME_CPU, cpuThreads));
                    }
                    default -> {
                        long ffn = (long) m * c.intermediate();
                        steps.add(cpu("L" + layer + " act*up", (long) (ffn * (transcendentalPs + elementwisePs)), 12L * ffn, Part.CPU_FALLBACK, cpuThreads));
                        steps.add(cpu("L" + layer + " quantise", (long) (ffn * elementwisePs), 5L * ffn, Part.RUNTIME_CPU, cpuThreads));
                    }
                }
                List<List<TaskPlan>> perCore = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                List<JobPlan> perMatmul = new ArrayList<>();
                int nBefore = 0;
                long[] load = new long[3];
                for (Linear lin : group) {
                    Placed w = layout.placed().get(next++);
                    int core = -1; // N-split over the three cores
                    if (prefill && prefillWholeOps) core = leastLoaded(load, (long) lin.k() * lin.n());
                    addMatmul(perCore, perMatmul, "L" + layer + " " + lin.name(), m, lin.k(), lin.n(), w.arena(), w.offset(), actIn, outOf[g], nBefore, grouped, core);
                    // each matmul of a group writes its own part of the group's output: the CPU reads
                    // q, k and v (or gate and up) together after the group, so they must not overlap
                    nBefore += lin.n();
                }
                steps.add(npuGroup("L" + layer + " group " + g, perCore, perMatmul));
                steps.add(cpu("L" + layer + " dequantise", (long) (m * groupN(group) * elementwisePs), 6L * m * groupN(group), Part.RUNTIME_CPU, cpuThreads));
                g++;
            }
            steps.add(cpu("L" + layer + " residual", (long) (m * hidden * elementwisePs), 12L * m * hidden, Part.CPU_FALLBACK, cpuThreads));
        }
        steps.add(cpu("final norm", (long) (hidden * normPs), 4L * hidden, Part.CPU_FALLBACK, 1));
        // lm_head for the last token only
        List<List<TaskPlan>> head = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<JobPlan> headJobs = new ArrayList<>();
        Placed w = layout.placed().get(next);
        addMatmul(head, headJobs, "lm_head", 1, hidden, c.vocab(), w.arena(), w.offset(), actIn, outOf[4], 0, grouped, -1);
        steps.add(npuGroup("lm_head", head, headJobs));
        steps.add(cpu("sampling", (long) (c.vocab() * samplingPs), 4L * c.vocab(), Part.RUNTIME_CPU, 1));
        int tasks = 0;
        for (Step s : steps) if (s instanceof Step.Npu n) tasks += n.taskCount();
        // rknpu reads the task array from a buffer; rocket takes it from the SUBMIT arguments
        if (lowering == Lowering.RKLLM) buffers.add(new BufferPlan(buffers.size(), "tasks", BufferPlan.Kind.TASKS, Math.max(4096, tasks * 40L), false));
        buffers.add(new BufferPlan(buffers.size(), "regcmd", BufferPlan.Kind.REGCMD, Math.max(4096, (long) tasks * 1024), false));
        return new Program(c.name() + (prefill ? " prefill " + m : " decode"), lowering.runtime, buffers, steps);
    }

    private static int groupN(List<Linear> g) {
        int n = 0;
        for (Linear l : g) n += l.n();
        return n;
    }

    private Step.Cpu cpu(String name, long refPs, long bytes, Part part, int threads) {
        return new Step.Cpu(name, "llm-cpu", refPs + opOverheadPs, bytes, part, threads);
    }

    /** The core with the least work so far in this group (ties to the lowest index); charges it {@code work}. */
    private static int leastLoaded(long[] load, long work) {
        int best = 0;
        for (int i = 1; i < load.length; i++) if (load[i] < load[best]) best = i;
        load[best] += work;
        return best;
    }

    /** RKLLM: one single-core job per core, issued in parallel; rocket-llm: one job per matmul in one SUBMIT. */
    private Step.Npu npuGroup(String name, List<List<TaskPlan>> perCore, List<JobPlan> perMatmul) {
        if (lowering == Lowering.ROCKET_LLM) return new Step.Npu(name, perMatmul, false);
        List<JobPlan> jobs = new ArrayList<>();
        for (int core = 0; core < 3; core++) {
            if (!perCore.get(core).isEmpty()) jobs.add(JobPlan.single(name + " core " + core, perCore.get(core), List.of(), List.of()));
        }
        return new Step.Npu(name, jobs, true);
    }

    /**
     * One matmul cut into N slices (three 32-aligned ones for RKLLM, one for rocket-llm), each cut
     * along K into segments; rocket-llm also records it as a job of its own.
     */
    private void addMatmul(List<List<TaskPlan>> perCore, List<JobPlan> perMatmul, String name, int m, int k, int n, int arena, long wOffset,
                           int actIn, int actOut, int nBefore, boolean grouped, int wholeOnCore) {
        int slices = wholeOnCore >= 0 ? 1 : lowering.slices;
        int slice = ((n + slices - 1) / slices + 31) / 32 * 32;
        long outBase = (long) nBefore * m * 4; // this matmul's place in a shared group output
        List<TaskPlan> own = new ArrayList<>();
        long seg = grouped ? groupSize : segment;
        int segments = (int) ((k + seg - 1) / seg);
        for (int core = 0; core < slices; core++) {
            int n0 = core * slice;
            int nn = Math.min(slice, n - n0);
            if (nn <= 0) continue;
            for (int s = 0; s < segments; s++) {
                int k0 = (int) (s * seg);
                int kk = (int) Math.min(seg, k - k0);
                List<TaskPlan.Dma> dma = new ArrayList<>(5);
                dma.add(new TaskPlan.Dma(TaskOp.Operand.FEATURE, actIn, (long) k0 * m, (long) m * kk));
                dma.add(new TaskPlan.Dma(TaskOp.Operand.WEIGHT, arena, wOffset + (long) k * n0 + (long) kk * 0 + (long) k0 * nn, (long) kk * nn));
                if (s > 0) dma.add(new TaskPlan.Dma(TaskOp.Operand.EW_INPUT, actOut, outBase + (long) n0 * m * 4, (long) m * nn * 4)); // accumulate the partial sums
                dma.add(new TaskPlan.Dma(TaskOp.Operand.OUTPUT, actOut, outBase + (long) n0 * m * 4, (long) m * nn * 4));
                TaskOp.Post post = new TaskOp.Post(false, s > 0, TaskOp.Activation.NONE, false);
                String label = segments == 1 ? name : name + " k" + s;
                TaskPlan task = new TaskPlan(label, name, TaskOp.Kind.CONV, Dtype.INT8, TaskOp.Shape.matmul(m, kk, nn),
                        new TaskOp.Cbuf(1, 11, false), post, dma, (long) m * kk * nn, regcmdEntries);
                perCore.get(wholeOnCore >= 0 ? wholeOnCore : core).add(task);
                own.add(task);
            }
        }
        if (lowering == Lowering.ROCKET_LLM) perMatmul.add(JobPlan.single(name, own, List.of(actIn, arena), List.of(actOut)));
    }
}
