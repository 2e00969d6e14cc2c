package io.npusim.workloads.compile;

import static io.npusim.workloads.compile.CompileFixtures.buffers;
import static io.npusim.workloads.compile.CompileFixtures.fallbackOps;
import static io.npusim.workloads.compile.CompileFixtures.npuSteps;
import static io.npusim.workloads.compile.CompileFixtures.tasks;
import static io.npusim.workloads.compile.CompileFixtures.teflon;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.account.Part;
import io.npusim.hw.npu.TaskOp;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.GraphBuilder;
import io.npusim.workloads.graph.Precision;
import io.npusim.workloads.graph.Tensor;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Mesa/Teflon lowering (rocket-upstream.md 4.1-4.3): only per-tensor int8 convolutions
 * without dilation (with a fused ReLU/ReLU6 and a fused non-constant ADD) run on the NPU;
 * contiguous supported operators form a partition, one SUBMIT each; jobs per operation or per task
 * by the CBUF split; BOs per delegated tensor and per operation (weights, biases, regcmd).
 */
class TeflonCompilerTest {

    @BeforeAll
    static void constants() {
        CompileFixtures.checkHandCalculationConstants();
    }

    private static GraphBuilder builder(String name) {
        return new GraphBuilder(name, Precision.int8PerTensor());
    }

    private static Graph singleConv(GraphBuilder b, int cin, int h, int w, int cout, int k, int dilation) {
        Tensor x = b.input("x", b.precision().activation() == DType.FP16 ? DType.FP16 : DType.UINT8, 1, cin, h, w);
        b.output(b.conv("conv", x, cout, k, 1, k / 2 * dilation, dilation, 1));
        return b.build();
    }

    /** x -> conv1 (3x3) -> 2x2/2 max pool -> conv2 (3x3), 16 channels, 16 x 16 input. */
    static Graph convPoolConv() {
        GraphBuilder b = builder("conv_pool_conv");
        Tensor x = b.input("x", DType.UINT8, 1, 16, 16, 16);
        Tensor p = b.maxPool("pool", b.conv("conv1", x, 16, 3, 1), 2, 2, 0);
        b.output(b.conv("conv2", p, 16, 3, 1));
        return b.build();
    }

    @Test
    void aSmallPointwiseConvIsOneJobWithOneTaskInOneSubmit() {
        TeflonCompiler.Compiled c = teflon().compile(singleConv(builder("pw"), 16, 8, 8, 16, 1, 1));
        Program p = c.program();
        // input conversion, the partition's SUBMIT, output conversion: no CPU fallback
        assertThat(p.steps()).hasSize(3);
        assertThat(p.cpuSteps()).allSatisfy(s -> assertThat(s.part()).isEqualTo(Part.RUNTIME_CPU));
        assertThat(p.npuSteps()).isEqualTo(1);
        assertThat(p.jobCount()).isEqualTo(1);
        assertThat(p.taskCount()).isEqualTo(1);

        // BOs: one per tensor the operation touches (x, y), then the operation's weights, biases
        // and regcmd. Tensor BOs are W*H*ceil(C/16)*2*16 = 8*8*1*32 = 2048 B (twice the data);
        // weights 1*1*align(16,2)*align(max(16,16),32)*2 = 1024 B (rkt_fill_weights); biases
        // 16 * 4 = 64 B; regcmd max(4096, 1 task * 1024).
        assertThat(p.buffers()).extracting(BufferPlan::kind).containsExactly(BufferPlan.Kind.INPUT, BufferPlan.Kind.OUTPUT,
                BufferPlan.Kind.WEIGHT, BufferPlan.Kind.WEIGHT, BufferPlan.Kind.REGCMD);
        assertThat(p.buffers()).extracting(BufferPlan::bytes).containsExactly(2048L, 2048L, 1024L, 64L, 4096L);

        assertThat(c.partitions()).containsExactly(new TeflonCompiler.Partition(1, List.of(0), List.of(1), List.of(4)));
        JobPlan job = npuSteps(p).get(0).jobs().get(0);
        assertThat(job.inBuffers()).containsExactly(0); // weights, biases and regcmd carry no fences
        assertThat(job.outBuffers()).containsExactly(1);
        // the DMA moves the data, 1024 B of features, 256 B of kernel, 64 B of biases
        assertThat(tasks(p).get(0).dma()).containsExactly(
                new TaskPlan.Dma(TaskOp.Operand.FEATURE, 0, 0, 1024),
                new TaskPlan.Dma(TaskOp.Operand.WEIGHT, 2, 0, 256),
                new TaskPlan.Dma(TaskOp.Operand.BIAS, 3, 0, 64),
                new TaskPlan.Dma(TaskOp.Operand.OUTPUT, 1, 0, 1024));
    }

    @Test
    void residentWeightsGiveOneJobHoldingAllTasksOfTheOperation() {
        // TilerTest: 32 -> 32 3x3 on 256 x 256 is 7 tasks with the weights resident (2 banks)
        Program p = teflon().compile(singleConv(builder("tall"), 32, 256, 256, 32, 3, 1)).program();
        assertThat(p.jobCount()).isEqualTo(1);
        assertThat(npuSteps(p).get(0).jobs().get(0).taskCount()).isEqualTo(7);
    }

    @Test
    void streamedWeightsGiveOneJobPerTask() {
        // TilerTest: 256 -> 256 3x3 on 64 x 32 needs 19 weight banks -> 3 tasks without reuse ->
        // "Spread tasks among cores": 3 jobs of one task, all in the one SUBMIT, all with the
        // operation's input and output BOs, all fetching from the operation's one regcmd BO
        TeflonCompiler.Compiled c = teflon().compile(singleConv(builder("wide"), 256, 64, 32, 256, 3, 1));
        Program p = c.program();
        assertThat(p.npuSteps()).isEqualTo(1);
        List<JobPlan> jobs = npuSteps(p).get(0).jobs();
        assertThat(jobs).hasSize(3).allSatisfy(j -> {
            assertThat(j.taskCount()).isEqualTo(1);
            assertThat(j.inBuffers()).containsExactly(0);
            assertThat(j.outBuffers()).containsExactly(1);
        });
        int regcmd = buffers(p, BufferPlan.Kind.REGCMD).get(0).id();
        assertThat(c.partitions().get(0).regcmdOfJob()).containsExactly(regcmd, regcmd, regcmd);
    }

    @Test
    void convRelu6AndResidualAddFuseIntoOneOperation() {
        Graph g = RknnCompilerTest.residual(Precision.int8PerTensor());
        List<Layer> layers = teflon().layers(g);
        assertThat(layers).extracting(Layer::typeName).containsExactly("Conv2d+relu6", "Conv2d+relu6", "Conv2d+relu6+Add");
        assertThat(layers).allSatisfy(l -> assertThat(l.onNpu()).isTrue());

        TeflonCompiler.Compiled c = teflon().compile(g);
        Program p = c.program();
        assertThat(fallbackOps(p)).isEmpty();
        assertThat(p.npuSteps()).isEqualTo(1);
        // one operation per layer, each a single task with resident weights -> 3 jobs
        assertThat(p.jobCount()).isEqualTo(3);
        // BOs only for x, act0, act1 and the output: the conv outputs before their ReLU6 and the
        // ReLU6 output feeding the fused add never exist as tensors. 4 + 3 operations * 3 = 13.
        List<BufferPlan> tensorBos = p.buffers().stream().filter(b -> b.name().startsWith("tensor ")).toList();
        assertThat(tensorBos).extracting(BufferPlan::name).containsExactly("tensor x", "tensor act0", "tensor act1", "tensor add");
        assertThat(p.buffers()).hasSize(13);
        // the fused job lists its input and the add tensor as in_bo_handles
        JobPlan fused = npuSteps(p).get(0).jobs().get(2);
        assertThat(fused.inBuffers()).containsExactly(idOf(p, "tensor act1"), idOf(p, "tensor act0"));
        assertThat(fused.outBuffers()).containsExactly(idOf(p, "tensor add"));
        assertThat(c.partitions().get(0).cpuInputs()).containsExactly(idOf(p, "tensor x"));
        assertThat(c.partitions().get(0).cpuOutputs()).containsExactly(idOf(p, "tensor add"));
    }

    private static int idOf(Program p, String name) {
        return p.buffers().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow().id();
    }

    @Test
    void anAddWithAConstantIsNotFusedAndFallsBackToTheCpu() {
        GraphBuilder b = builder("const_add");
        Tensor x = b.input("x", DType.UINT8, 1, 16, 8, 8);
        Tensor y = b.conv("conv", x, 16, 1, 1, 0);
        b.output(b.add("add", y, b.constant("k", 1, 16, 8, 8)));
        TeflonCompiler.Compiled c = teflon().compile(b.build());
        Program p = c.program();
        // [input conversion, SUBMIT(conv), output conversion of y, ADD on the CPU]
        assertThat(p.steps()).extracting(Step::name).containsExactly("teflon input conversion", "partition 1",
                "teflon output conversion", "add");
        assertThat(fallbackOps(p)).containsExactly("Add");
        // y leaves the partition because a CPU operator reads it
        assertThat(c.partitions().get(0).cpuOutputs()).containsExactly(idOf(p, "tensor conv"));
    }

    @Test
    void anAddWhoseOperandsNoConvolutionProducesRunsOnTheCpu() {
        GraphBuilder b = builder("input_add");
        Tensor x = b.input("x", DType.UINT8, 1, 16, 8, 8);
        Tensor z = b.input("z", DType.UINT8, 1, 16, 8, 8);
        b.output(b.add("add", x, z));
        Program p = teflon().compile(b.build()).program();
        // nothing to fuse it into: no NPU path upstream, and no BO at all
        assertThat(p.npuSteps()).isZero();
        assertThat(fallbackOps(p)).containsExactly("Add");
        assertThat(p.buffers()).isEmpty();
    }

    @Test
    void aMaxPoolFallsBackToTheCpuAndSplitsTheGraphIntoTwoSubmits() {
        TeflonCompiler.Compiled c = teflon().compile(convPoolConv());
        Program p = c.program();
        assertThat(p.steps()).extracting(Step::name).containsExactly(
                "teflon input conversion", "partition 1", "teflon output conversion",
                "pool",
                "teflon input conversion", "partition 2", "teflon output conversion");
        assertThat(fallbackOps(p)).containsExactly("MaxPool");
        assertThat(p.npuSteps()).isEqualTo(2);
        assertThat(c.partitions()).hasSize(2);
        TeflonCompiler.Partition first = c.partitions().get(0), second = c.partitions().get(1);
        assertThat(first.step()).isEqualTo(1);
        assertThat(second.step()).isEqualTo(5);
        assertThat(first.cpuInputs()).containsExactly(idOf(p, "tensor x"));
        assertThat(first.cpuOutputs()).containsExactly(idOf(p, "tensor conv1"));
        assertThat(second.cpuInputs()).containsExactly(idOf(p, "tensor pool"));
        assertThat(second.cpuOutputs()).containsExactly(idOf(p, "tensor conv2"));
    }

    @Test
    void perAxisQuantisedConvolutionsFallBackToTheCpu() {
        // rkt_ml_operation_supported: per-axis quantisation is not implemented
        Program p = teflon().compile(singleConv(new GraphBuilder("per_axis", Precision.int8PerChannel()), 16, 8, 8, 16, 1, 1)).program();
        assertThat(p.npuSteps()).isZero();
        assertThat(fallbackOps(p)).containsExactly("Conv2d");
        assertThat(p.buffers()).isEmpty();
        // the vendor runtime runs the same graph on the NPU
        assertThat(CompileFixtures.rknn().compile(singleConv(new GraphBuilder("per_axis", Precision.int8PerChannel()), 16, 8, 8, 16, 1, 1),
                CompileFixtures.oneCore()).taskCount()).isEqualTo(1);
    }

    @Test
    void dilatedConvolutionsFallBackToTheCpuAndSplitThePartition() {
        GraphBuilder b = builder("dilated");
        Tensor x = b.input("x", DType.UINT8, 1, 16, 16, 16);
        Tensor y = b.conv("conv0", x, 16, 3, 1);
        y = b.conv("dilated", y, 16, 3, 1, 2, 2, 1); // 3x3, dilation 2, padding 2: still 16 x 16
        b.output(b.conv("conv2", y, 16, 3, 1));
        TeflonCompiler.Compiled c = teflon().compile(b.build());
        assertThat(fallbackOps(c.program())).containsExactly("Conv2d");
        assertThat(c.partitions()).hasSize(2);
        assertThat(c.program().cpuSteps().stream().filter(s -> s.part() == Part.CPU_FALLBACK).map(Step.Cpu::name)).containsExactly("dilated");
    }

    @Test
    void floatConvolutionsFallBackToTheCpu() {
        // the upstream path is 8-bit quantised only
        Program p = teflon().compile(singleConv(new GraphBuilder("fp16", Precision.fp16()), 16, 8, 8, 16, 1, 1)).program();
        assertThat(p.npuSteps()).isZero();
        assertThat(fallbackOps(p)).containsExactly("Conv2d");
    }

    @Test
    void anActivationThatFollowsNoConvolutionRunsOnTheCpu() {
        GraphBuilder b = builder("lone_relu");
        Tensor x = b.input("x", DType.UINT8, 1, 16, 8, 8);
        b.output(b.conv("conv", b.relu6("relu6", x), 16, 1, 1, 0));
        TeflonCompiler.Compiled c = teflon().compile(b.build());
        assertThat(fallbackOps(c.program())).containsExactly("Activation");
        assertThat(c.partitions()).hasSize(1);
        assertThat(c.partitions().get(0).cpuInputs()).containsExactly(idOf(c.program(), "tensor relu6"));
    }
}
