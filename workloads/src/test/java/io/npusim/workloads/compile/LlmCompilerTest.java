package io.npusim.workloads.compile;

import static io.npusim.workloads.compile.CompileFixtures.PARAMS;
import static io.npusim.workloads.compile.CompileFixtures.buffers;
import static io.npusim.workloads.compile.CompileFixtures.dma;
import static io.npusim.workloads.compile.CompileFixtures.npuSteps;
import static io.npusim.workloads.compile.CompileFixtures.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.TaskOp;
import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.zoo.LlmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RKLLM and rocket-llm lowerings of a tiny Llama-style model whose counts can be worked by hand:
 * 2 layers, hidden 256, 4 heads of 64 (q 256 wide), 2 KV heads (k and v 128 wide), gated FFN of
 * 8320 (K of down = 8320 > 8192: two K segments), vocabulary 1000, tied embeddings.
 *
 * <p>Groups per layer: {q 256x256, k 256x128, v 256x128}, {o 256x256}, {gate 256x8320, up
 * 256x8320}, {down 8320x256}; then lm_head 256x1000. Weight bytes (w8a8, K x N each): q 65536,
 * k 32768, v 32768, o 65536, gate, up and down 2129920 each: 6586368 per layer; 2 layers plus the
 * 256000 B lm_head (the tied table counts once) = 13428736.
 */
class LlmCompilerTest {
    static final LlmConfig TINY = new LlmConfig("tiny", "test", 2, 256, 4, 2, 64, 8320, 1000, true,
            LlmConfig.Norm.RMS, Activation.Kind.SILU, true, false, LlmConfig.Quirks.NONE);
    static final long WEIGHT_BYTES = 2 * 6586368L + 256000;

    @BeforeAll
    static void constants() {
        CompileFixtures.checkHandCalculationConstants();
    }

    private static Program rkllm(int m) {
        return new LlmCompiler(PARAMS, LlmCompiler.Lowering.RKLLM).compile(TINY, m, false, m > 1);
    }

    private static Program rocket(ParamTable t, int m) {
        return new LlmCompiler(t, LlmCompiler.Lowering.ROCKET_LLM).compile(TINY, m, false, m > 1);
    }

    private static List<Integer> outC(JobPlan j) {
        return j.perCore().get(0).stream().map(t -> t.shape().outC()).toList();
    }

    @Test
    void rkllmSubmitsEachGroupAsThreeSingleCoreJobsOfThirtyTwoAlignedNSlices() {
        Program p = rkllm(1);
        List<Step.Npu> steps = npuSteps(p);
        // 2 layers x 4 groups + lm_head
        assertThat(steps).hasSize(9);
        assertThat(steps).allSatisfy(s -> {
            assertThat(s.parallel()).isTrue(); // one worker thread per core issues its submit at once
            assertThat(s.jobs()).hasSize(3).allSatisfy(j -> assertThat(j.cores()).isEqualTo(1));
        });
        // group 0. q: N 256 -> ceil(256/3) = 86 -> 32-aligned 96: slices 96, 96, 64. k and v:
        // N 128 -> ceil(128/3) = 43 -> 64: slices 64, 64 and nothing for core 2
        Step.Npu qkv = steps.get(0);
        assertThat(outC(qkv.jobs().get(0))).containsExactly(96, 64, 64);
        assertThat(outC(qkv.jobs().get(1))).containsExactly(96, 64, 64);
        assertThat(outC(qkv.jobs().get(2))).containsExactly(64);
        // group 1, o: N 256 -> 96, 96, 64
        assertThat(steps.get(1).jobs()).extracting(LlmCompilerTest::outC)
                .containsExactly(List.of(96), List.of(96), List.of(64));
        // group 2, gate and up: N 8320 -> ceil(8320/3) = 2774 -> 2784: slices 2784, 2784, 2752
        assertThat(steps.get(2).jobs()).extracting(LlmCompilerTest::outC)
                .containsExactly(List.of(2784, 2784), List.of(2784, 2784), List.of(2752, 2752));
        // lm_head: N 1000 -> ceil(1000/3) = 334 -> 352: slices 352, 352, 296
        assertThat(steps.get(8).jobs()).extracting(LlmCompilerTest::outC)
                .containsExactly(List.of(352), List.of(352), List.of(296));
        // tasks: per layer 7 + 3 + 6 + 6 (down below) = 22; 2 layers + 3 for lm_head = 47
        assertThat(p.taskCount()).isEqualTo(47);
    }

    @Test
    void rkllmPrefillInOpModeRunsEachMatmulWholeOnTheLeastLoadedCore() {
        // rkllm.prefill_split = op (rkllm-internals.md 2.1: single-core submits, ops not split):
        // each matmul of a group goes whole to the core with the least K x N so far, ties to the
        // lowest index. Group 0: q (65536) -> core 0, k (32768) -> core 1, v (32768) -> core 2.
        // Group 2: gate -> core 0, up -> core 1, nothing for core 2: two jobs.
        ParamTable op = PARAMS.with("rkllm.prefill_split", "op");
        Program p = new LlmCompiler(op, LlmCompiler.Lowering.RKLLM).compile(TINY, 16, false, true);
        List<Step.Npu> steps = npuSteps(p);
        assertThat(steps.get(0).jobs()).extracting(LlmCompilerTest::outC).containsExactly(List.of(256), List.of(128), List.of(128));
        assertThat(steps.get(0).jobs()).extracting(JobPlan::name).containsExactly("L0 group 0 core 0", "L0 group 0 core 1", "L0 group 0 core 2");
        assertThat(steps.get(2).jobs()).extracting(LlmCompilerTest::outC).containsExactly(List.of(8320), List.of(8320));
        // down: whole on core 0, still cut into two K segments
        assertThat(steps.get(3).jobs()).singleElement().satisfies(j -> assertThat(j.perCore().get(0))
                .extracting(t -> t.shape().inC()).containsExactly(8192, 128));
        // the decode step of the same runtime keeps the N split
        Program decode = new LlmCompiler(op, LlmCompiler.Lowering.RKLLM).compile(TINY, 1, false, false);
        assertThat(npuSteps(decode).get(0).jobs()).hasSize(3);
        assertThat(outC(npuSteps(decode).get(0).jobs().get(0))).containsExactly(96, 64, 64);
    }

    @Test
    void rkllmCutsKAbove8192IntoChainedSegmentsThatAccumulate() {
        Program p = rkllm(1);
        // group 3, down: K 8320 -> ceil(8320 / 8192) = 2 segments of 8192 and 128 per N slice
        Step.Npu down = npuSteps(p).get(3);
        for (JobPlan j : down.jobs()) {
            List<TaskPlan> t = j.perCore().get(0);
            assertThat(t).extracting(task -> task.shape().inC()).containsExactly(8192, 128);
            // the second segment adds the first one's partial sums (DPU element-wise input)
            assertThat(t.get(0).post().ewAdd()).isFalse();
            assertThat(t.get(1).post().ewAdd()).isTrue();
            TaskPlan.Dma acc = dma(t.get(1), TaskOp.Operand.EW_INPUT).get(0);
            TaskPlan.Dma first = dma(t.get(0), TaskOp.Operand.OUTPUT).get(0);
            assertThat(List.of(acc.buffer(), acc.offset(), acc.bytes())).isEqualTo(List.of(first.buffer(), first.offset(), first.bytes()));
            // features: segment s reads K columns [8192 s, 8192 s + kk) of the m = 1 row
            assertThat(dma(t.get(1), TaskOp.Operand.FEATURE).get(0).offset()).isEqualTo(8192);
            assertThat(dma(t.get(1), TaskOp.Operand.FEATURE).get(0).bytes()).isEqualTo(128);
        }
        // K <= 8192 is one segment
        assertThat(npuSteps(p).get(1).taskCount()).isEqualTo(3);
    }

    @Test
    void rkllmGroupOutputsDoNotOverlap() {
        // q, k and v (and gate and up) are read together by the CPU after their group, so every
        // (matmul, slice) writes its own range: m * N * 4 B per group, packed from 0
        for (int m : new int[] {1, 16}) {
            Program p = rkllm(m);
            List<Step.Npu> steps = npuSteps(p);
            int[] groupN = {256 + 128 + 128, 256, 2 * 8320, 256};
            for (int g = 0; g < 4; g++) assertPacked(steps.get(g), (long) m * groupN[g] * 4);
            assertPacked(steps.get(8), 1000L * 4); // lm_head: the last token only
        }
    }

    /** The distinct OUTPUT ranges of a step tile [0, total) exactly (K segments rewrite their slice's range). */
    private static void assertPacked(Step.Npu step, long total) {
        TreeSet<long[]> ranges = new TreeSet<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (JobPlan j : step.jobs()) for (List<TaskPlan> core : j.perCore()) for (TaskPlan t : core) {
            TaskPlan.Dma out = dma(t, TaskOp.Operand.OUTPUT).get(0);
            ranges.add(new long[] {out.offset(), out.bytes()});
        }
        long end = 0;
        for (long[] r : ranges) {
            assertThat(r[0]).as(step.name() + ": output range at " + r[0]).isEqualTo(end);
            end = r[0] + r[1];
        }
        assertThat(end).as(step.name() + ": group output bytes").isEqualTo(total);
    }

    @Test
    void rkllmBuffers() {
        Program p = rkllm(1);
        // one weight arena (4059037696 B domains), activations in and out, task array, regcmd
        assertThat(p.buffers()).extracting(BufferPlan::kind).containsExactly(BufferPlan.Kind.WEIGHT, BufferPlan.Kind.INTERNAL,
                BufferPlan.Kind.INTERNAL, BufferPlan.Kind.TASKS, BufferPlan.Kind.REGCMD);
        assertThat(p.buffers().get(0).bytes()).isEqualTo(WEIGHT_BYTES);
        // in: max prompt 512 x max K 8320; out: 512 x max N (vocab 1000, 2 * 8320, 512) 16640 x 4 B
        assertThat(p.buffers().get(1).bytes()).isEqualTo(512L * 8320);
        assertThat(p.buffers().get(2).bytes()).isEqualTo(512L * 16640 * 4);
        // 47 tasks: max(4096, 47 * 40) and 47 * 1024
        assertThat(p.buffers().get(3).bytes()).isEqualTo(4096);
        assertThat(p.buffers().get(4).bytes()).isEqualTo(47L * 1024);
    }

    @Test
    void rocketLlmIsOneJobPerMatmulAndOneSubmitPerGroup() {
        Program p = rocket(PARAMS, 1);
        List<Step.Npu> steps = npuSteps(p);
        assertThat(steps).hasSize(9).allSatisfy(s -> assertThat(s.parallel()).isFalse());
        // one slice per matmul (N whole), K segments chained in the matmul's job
        assertThat(steps.get(0).jobs()).extracting(JobPlan::name).containsExactly("L0 q", "L0 k", "L0 v");
        assertThat(steps.get(0).jobs()).extracting(LlmCompilerTest::outC).containsExactly(List.of(256), List.of(128), List.of(128));
        assertThat(steps.get(2).jobs()).extracting(LlmCompilerTest::outC).containsExactly(List.of(8320), List.of(8320));
        assertThat(steps.get(3).jobs()).singleElement().satisfies(j -> {
            assertThat(j.name()).isEqualTo("L0 down");
            assertThat(j.perCore().get(0)).extracting(t -> t.shape().inC()).containsExactly(8192, 128);
        });
        assertThat(steps.get(8).jobs()).singleElement().satisfies(j -> assertThat(outC(j)).containsExactly(1000));
        // jobs: per layer 3 + 1 + 2 + 1 = 7, x 2 + lm_head = 15; tasks: 3 + 1 + 2 + 2 = 8, x 2 + 1 = 17
        assertThat(p.jobCount()).isEqualTo(15);
        assertThat(p.taskCount()).isEqualTo(17);
        assertThat(steps).allSatisfy(s -> assertThat(s.jobs()).allSatisfy(j -> assertThat(j.cores()).isEqualTo(1)));
    }

    @Test
    void rocketLlmHasPerGroupOutputBosSizedForThisProgramAndNoTaskBuffer() {
        for (int m : new int[] {1, 16}) {
            Program p = rocket(PARAMS, m);
            // weight BO, activations in (m x max K 8320), out group 0..3 (m * N * 4), out lm_head
            // (vocab * 4, the last token), regcmd; rocket takes tasks from the SUBMIT arguments
            assertThat(buffers(p, BufferPlan.Kind.TASKS)).isEmpty();
            assertThat(p.buffers()).extracting(BufferPlan::name).containsExactly("weights bo 0", "activations in",
                    "out group 0", "out group 1", "out group 2", "out group 3", "out lm_head", "regcmd");
            assertThat(p.buffers()).extracting(BufferPlan::bytes).containsExactly(WEIGHT_BYTES, m * 8320L,
                    m * 512L * 4, m * 256L * 4, m * 16640L * 4, m * 256L * 4, 4000L, Math.max(4096, 17L * 1024));
            List<Step.Npu> steps = npuSteps(p);
            for (int g = 0; g < 4; g++) {
                int out = 2 + g;
                assertThat(steps.get(g).jobs()).allSatisfy(j -> {
                    assertThat(j.inBuffers()).containsExactly(1, 0); // activations, the weight BO
                    assertThat(j.outBuffers()).containsExactly(out);
                });
                int[] groupN = {512, 256, 16640, 256};
                assertPacked(steps.get(g), (long) m * groupN[g] * 4);
            }
        }
    }

    @Test
    void weightArenasSumToTheWeightBytesAndNoMatmulStraddlesTwo() {
        for (LlmCompiler.Lowering lowering : LlmCompiler.Lowering.values()) {
            LlmCompiler c = new LlmCompiler(PARAMS, lowering);
            LlmCompiler.WeightLayout w = c.weightLayout(TINY, false);
            // 13.4 MB fits one 3.8 GiB domain and one 256 MiB BO
            assertThat(w.arenaBytes()).containsExactly(WEIGHT_BYTES);
            // 7 matmuls per layer x 2 + lm_head (tied: no second table)
            assertThat(w.placed()).hasSize(15);
            assertWithinArenas(w);
            // w8a8_g128 adds a 2 B scale per 128 weights: 13428736 * 65 / 64 = 13638560
            assertThat(c.weightLayout(TINY, true).arenaBytes().stream().mapToLong(Long::longValue).sum()).isEqualTo(13638560);
        }
    }

    @Test
    void aModelLargerThanTheChunkGetsSeveralArenas() {
        // chunk of 8 MiB = 8388608 B, packed in order: L0 (6586368) + L1 q, k, v, o (196608) =
        // 6782976; L1 gate would reach 8912896 > 8388608 -> arena 1: L1 gate, up, down and the
        // lm_head = 3 * 2129920 + 256000 = 6645760
        checkSeveralArenas(PARAMS.with("rkllm.domain_bytes", 8388608L), LlmCompiler.Lowering.RKLLM, List.of(6782976L, 6645760L));
        checkSeveralArenas(PARAMS.with("rocket_llm.weight_bo_bytes", 8388608L), LlmCompiler.Lowering.ROCKET_LLM, List.of(6782976L, 6645760L));
        // a chunk of 1 MiB is smaller than one FFN matrix (2129920 B): each of those gets an arena
        // of its own size, the attention matrices of a layer share one (196608 B), and the lm_head
        // gets the last: 2 x [196608, 2129920 x 3] + [256000]
        List<Long> expected = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) expected.addAll(List.of(196608L, 2129920L, 2129920L, 2129920L));
        expected.add(256000L);
        checkSeveralArenas(PARAMS.with("rkllm.domain_bytes", 1048576L), LlmCompiler.Lowering.RKLLM, expected);
    }

    private static void checkSeveralArenas(ParamTable t, LlmCompiler.Lowering lowering, List<Long> expected) {
        LlmCompiler c = new LlmCompiler(t, lowering);
        LlmCompiler.WeightLayout w = c.weightLayout(TINY, false);
        assertThat(w.arenaBytes()).containsExactlyElementsOf(expected);
        assertThat(w.arenaBytes().stream().mapToLong(Long::longValue).sum()).isEqualTo(WEIGHT_BYTES);
        assertWithinArenas(w);
        // the program's arenas are its first buffers, and every weight read stays inside one
        Program p = c.compile(TINY, 4, false, true);
        assertThat(buffers(p, BufferPlan.Kind.WEIGHT)).extracting(BufferPlan::bytes).containsExactlyElementsOf(expected);
        for (TaskPlan task : tasks(p)) {
            TaskPlan.Dma wd = dma(task, TaskOp.Operand.WEIGHT).get(0);
            assertThat(wd.buffer()).isLessThan(expected.size());
            assertThat(wd.offset() + wd.bytes()).as(task.label()).isLessThanOrEqualTo(expected.get(wd.buffer()));
        }
        if (lowering == LlmCompiler.Lowering.ROCKET_LLM) {
            // each job lists the weight BO its matmul lives in: L0 q in BO 0, L1 gate in BO 1
            List<JobPlan> jobs = npuSteps(p).stream().flatMap(s -> s.jobs().stream()).toList();
            assertThat(jobs.stream().filter(j -> j.name().equals("L0 q")).findFirst().orElseThrow().inBuffers()).contains(0);
            assertThat(jobs.stream().filter(j -> j.name().equals("L1 gate")).findFirst().orElseThrow().inBuffers()).contains(1);
        }
    }

    private static void assertWithinArenas(LlmCompiler.WeightLayout w) {
        for (LlmCompiler.Placed pl : w.placed()) {
            assertThat(pl.offset() + pl.bytes()).isLessThanOrEqualTo(w.arenaBytes().get(pl.arena()));
        }
    }
}
