package io.npusim.workloads.compile;

import static io.npusim.workloads.compile.CompileFixtures.buffers;
import static io.npusim.workloads.compile.CompileFixtures.dma;
import static io.npusim.workloads.compile.CompileFixtures.fallbackOps;
import static io.npusim.workloads.compile.CompileFixtures.npuSteps;
import static io.npusim.workloads.compile.CompileFixtures.oneCore;
import static io.npusim.workloads.compile.CompileFixtures.rknn;
import static io.npusim.workloads.compile.CompileFixtures.tasks;
import static io.npusim.workloads.compile.CompileFixtures.threeCores;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.npu.TaskOp;
import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.GraphBuilder;
import io.npusim.workloads.graph.Precision;
import io.npusim.workloads.graph.Tensor;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vendor RKNN lowering: fusion into ConvRelu(Add) layers, consecutive single-core layers
 * chained into one job, CPU fallback only for softmax, norms, gathers and RoPE, buffers packed by
 * lifetime, and the multi-core split of conv/add/concat/ReLU-family layers.
 */
class RknnCompilerTest {

    @BeforeAll
    static void constants() {
        CompileFixtures.checkHandCalculationConstants();
    }

    private static GraphBuilder builder(String name) {
        return new GraphBuilder(name, Precision.int8PerTensor());
    }

    @Test
    void aSmallPointwiseConvIsOneTaskInOneJob() {
        GraphBuilder b = builder("pw");
        Tensor x = b.input("x", DType.UINT8, 1, 16, 8, 8);
        b.output(b.conv("conv", x, 16, 1, 1, 0));
        Program p = rknn().compile(b.build(), oneCore());

        // 8 rows of 8 * 16 = 128 B = 1024 B of input, far below 3 feature banks (98304 B): 1 task;
        // a single-core program is one chained job
        assertThat(p.npuSteps()).isEqualTo(1);
        assertThat(p.jobCount()).isEqualTo(1);
        assertThat(p.taskCount()).isEqualTo(1);
        assertThat(npuSteps(p).get(0).jobs().get(0).cores()).isEqualTo(1);
        assertThat(p.cpuSteps()).isEmpty();

        // buffers: weights, input, output, internal, regcmd, tasks
        assertThat(p.buffers()).extracting(BufferPlan::kind).containsExactly(BufferPlan.Kind.WEIGHT, BufferPlan.Kind.INPUT,
                BufferPlan.Kind.OUTPUT, BufferPlan.Kind.INTERNAL, BufferPlan.Kind.REGCMD, BufferPlan.Kind.TASKS);
        // weights: align(256 B kernel + 64 B bias + 4 * 16 bias room, 256) = 512
        assertThat(p.buffers().get(0).bytes()).isEqualTo(512);
        // input and output: 8 * 8 * 16 = 1024 B in the NC1HWC2 layout
        assertThat(p.buffers().get(1).bytes()).isEqualTo(1024);
        assertThat(p.buffers().get(2).bytes()).isEqualTo(1024);
        // no tensor between layers: the internal buffer is its 256 B minimum
        assertThat(p.buffers().get(3).bytes()).isEqualTo(256);
        // regcmd max(4096, 1 task * 128 entries * 8 B); task array max(4096, 1 * 40 B)
        assertThat(p.buffers().get(4).bytes()).isEqualTo(4096);
        assertThat(p.buffers().get(5).bytes()).isEqualTo(4096);

        TaskPlan t = tasks(p).get(0);
        assertThat(t.dma()).extracting(TaskPlan.Dma::operand).containsExactly(TaskOp.Operand.FEATURE, TaskOp.Operand.WEIGHT,
                TaskOp.Operand.BIAS, TaskOp.Operand.OUTPUT);
        assertThat(dma(t, TaskOp.Operand.FEATURE)).containsExactly(new TaskPlan.Dma(TaskOp.Operand.FEATURE, 1, 0, 1024));
        assertThat(dma(t, TaskOp.Operand.OUTPUT)).containsExactly(new TaskPlan.Dma(TaskOp.Operand.OUTPUT, 2, 0, 1024));
        // the weight block (at least the 256 B kernel) from offset 0, then the 16 * 4 = 64 B of
        // biases, both inside the 512 B weight buffer
        TaskPlan.Dma w = dma(t, TaskOp.Operand.WEIGHT).get(0), bias = dma(t, TaskOp.Operand.BIAS).get(0);
        assertThat(w.buffer()).isZero();
        assertThat(w.offset()).isZero();
        assertThat(w.bytes()).isGreaterThanOrEqualTo(256);
        assertThat(bias.buffer()).isZero();
        assertThat(bias.bytes()).isEqualTo(64);
        assertThat(bias.offset()).isGreaterThanOrEqualTo(256);
        assertThat(bias.offset() + bias.bytes()).isLessThanOrEqualTo(512);
        assertThat(t.macs()).isEqualTo(8L * 8 * 16 * 16);
        assertThat(t.regcmdEntries()).isEqualTo(128);
    }

    /** a = relu6(conv0(x)); b = relu6(conv1(a)); out = relu6(conv2(b)) + a. */
    static Graph residual(Precision precision) {
        GraphBuilder g = new GraphBuilder("residual", precision);
        Tensor x = g.input("x", DType.UINT8, 1, 16, 16, 16);
        Tensor a = g.relu6("act0", g.conv("conv0", x, 16, 3, 1));
        Tensor b = g.relu6("act1", g.conv("conv1", a, 16, 3, 1));
        Tensor c = g.relu6("act2", g.conv("conv2", b, 16, 3, 1));
        g.output(g.add("add", c, a));
        return g.build();
    }

    @Test
    void convRelu6AndResidualAddFuseIntoOneLayer() {
        Graph g = residual(Precision.int8PerTensor());
        List<Layer> layers = rknn().layers(g);
        // conv0+act0 (a has two readers, so the group stops there), conv1+act1, conv2+act2+add
        assertThat(layers).extracting(Layer::typeName).containsExactly("Conv2d+relu6", "Conv2d+relu6", "Conv2d+relu6+Add");
        Layer last = layers.get(2);
        assertThat(last.post().ewAdd()).isTrue();
        assertThat(last.inputs()).extracting(Tensor::name).containsExactly("act1", "act0");
        assertThat(last.output().name()).isEqualTo("add");

        Program p = rknn().compile(g, oneCore());
        // 16 x 16 x 16 maps (4096 B) fit one task each: 3 tasks chained in one job, no CPU work
        assertThat(p.taskCount()).isEqualTo(3);
        assertThat(p.jobCount()).isEqualTo(1);
        assertThat(fallbackOps(p)).isEmpty();
        // the fused layer reads the skip tensor a through the DPU's element-wise input
        TaskPlan fused = tasks(p).get(2);
        TaskPlan.Dma ew = dma(fused, TaskOp.Operand.EW_INPUT).get(0);
        TaskPlan.Dma aOut = dma(tasks(p).get(0), TaskOp.Operand.OUTPUT).get(0);
        assertThat(ew.buffer()).isEqualTo(aOut.buffer());
        assertThat(ew.offset()).isEqualTo(aOut.offset());
        assertThat(ew.bytes()).isEqualTo(4096);
    }

    @Test
    void anAddWithAConstantRunsOnTheNpuAsItsOwnLayer() {
        GraphBuilder b = builder("const_add");
        Tensor x = b.input("x", DType.UINT8, 1, 16, 8, 8);
        Tensor y = b.conv("conv", x, 16, 1, 1, 0);
        b.output(b.add("add", y, b.constant("k", 1, 16, 8, 8)));
        Program p = rknn().compile(b.build(), oneCore());
        // not fused (its other operand is a constant), but the DPU runs it: conv task + add task
        assertThat(rknn().layers(b.build())).extracting(Layer::kind).containsExactly(TaskOp.Kind.CONV, TaskOp.Kind.ELEMENTWISE);
        assertThat(p.taskCount()).isEqualTo(2);
        assertThat(fallbackOps(p)).isEmpty();
    }

    @Test
    void maxPoolRunsOnThePpuInsideTheSameJob() {
        Program p = rknn().compile(TeflonCompilerTest.convPoolConv(), oneCore());
        // conv (1 task), 2x2 max pool on the PPU (4096 B in, 1024 B out: one 3-bank slice, 1 task), conv (1 task)
        assertThat(tasks(p)).extracting(TaskPlan::kind).containsExactly(TaskOp.Kind.CONV, TaskOp.Kind.POOL, TaskOp.Kind.CONV);
        assertThat(tasks(p).get(1).post().pool()).isTrue();
        assertThat(p.npuSteps()).isEqualTo(1);
        assertThat(p.jobCount()).isEqualTo(1);
        assertThat(fallbackOps(p)).isEmpty();
    }

    @Test
    void softmaxFallsBackToTheCpuAndSplitsTheChain() {
        GraphBuilder b = builder("softmax_mid");
        Tensor x = b.input("x", DType.UINT8, 1, 16, 8, 8);
        Tensor s = b.softmax("softmax", b.conv("conv0", x, 16, 1, 1, 0), 1);
        b.output(b.conv("conv1", s, 16, 1, 1, 0));
        Program p = rknn().compile(b.build(), oneCore());
        // job for conv0, softmax on the CPU, job for conv1
        assertThat(p.steps()).hasSize(3);
        assertThat(p.steps().get(0)).isInstanceOf(Step.Npu.class);
        assertThat(p.steps().get(2)).isInstanceOf(Step.Npu.class);
        assertThat(fallbackOps(p)).containsExactly("Softmax");
        assertThat(p.jobCount()).isEqualTo(2);
    }

    @Test
    void internalBuffersAreReusedWhenLifetimesDoNotOverlap() {
        // x -> conv1 -> t1 -> conv2 -> t2 -> conv3 -> t3 -> conv4 -> out, 16 x 16 x 16 maps of 4096 B.
        GraphBuilder b = builder("chain");
        Tensor t = b.input("x", DType.UINT8, 1, 16, 16, 16);
        for (int i = 1; i <= 3; i++) t = b.conv("conv" + i, t, 16, 1, 1, 0);
        b.output(b.conv("conv4", t, 16, 1, 1, 0));
        Program p = rknn().compile(b.build(), new RknnCompiler.Options(0, true));
        // lifetimes in layers: t1 [0, 1], t2 [1, 2], t3 [2, 3]. t1 at 0; t2 at 4096 (t1 still read
        // by layer 1); t3 at layer 2, when t1 is dead, reuses offset 0. Internal buffer: 8192 B,
        // not the 12288 B of all three.
        BufferPlan internal = buffers(p, BufferPlan.Kind.INTERNAL).get(0);
        assertThat(internal.bytes()).isEqualTo(8192);
        assertThat(internal.sram()).isTrue(); // Options.sramInternal asks for SRAM
        List<TaskPlan> tasks = tasks(p);
        TaskPlan.Dma t1 = dma(tasks.get(0), TaskOp.Operand.OUTPUT).get(0);
        TaskPlan.Dma t2 = dma(tasks.get(1), TaskOp.Operand.OUTPUT).get(0);
        TaskPlan.Dma t3 = dma(tasks.get(2), TaskOp.Operand.OUTPUT).get(0);
        assertThat(List.of(t1.buffer(), t2.buffer(), t3.buffer())).containsOnly(internal.id());
        assertThat(t1.offset()).isZero();
        assertThat(t2.offset()).isEqualTo(4096);
        assertThat(t3.offset()).isEqualTo(t1.offset());
        // each layer reads what the previous one wrote
        assertThat(dma(tasks.get(3), TaskOp.Operand.FEATURE).get(0).offset()).isEqualTo(t3.offset());
    }

    @Test
    void aConvWithEnoughTasksIsSplitAcrossThreeCores() {
        GraphBuilder b = builder("tall");
        Tensor x = b.input("x", DType.UINT8, 1, 32, 256, 256);
        b.output(b.conv("conv", x, 32, 3, 1));
        Program p = rknn().compile(b.build(), threeCores());
        // 26 tasks (TilerTest) >= max(3 cores, split_cores_min_tasks 3): one job on mask 0x7 with
        // contiguous row groups of 26*1/3 = 8, 17 - 8 = 9 and 26 - 17 = 9 tasks
        assertThat(p.jobCount()).isEqualTo(1);
        JobPlan job = npuSteps(p).get(0).jobs().get(0);
        assertThat(job.perCore()).extracting(List::size).containsExactly(8, 9, 9);
        // every core loads the weights with its first task, then reuses them
        for (List<TaskPlan> core : job.perCore()) {
            assertThat(dma(core.get(0), TaskOp.Operand.WEIGHT)).hasSize(1);
            assertThat(core.get(0).cbuf().weightReuse()).isFalse();
            assertThat(core.subList(1, core.size())).allSatisfy(t -> assertThat(dma(t, TaskOp.Operand.WEIGHT)).isEmpty());
        }
    }

    @Test
    void aSmallSplittableLayerIsCutIntoOneRowBandPerCore() {
        GraphBuilder b = builder("small");
        Tensor x = b.input("x", DType.UINT8, 1, 64, 28, 28);
        b.output(b.conv("pw", x, 64, 1, 1, 0));
        // one core: the 50 KiB input fits the three data banks, one task
        assertThat(tasks(rknn().compile(b.build(), oneCore()))).hasSize(1);
        // three cores: the vendor runtime gives every core a third of every split layer
        // (per-layer-dumps 9.7, WorkLoad 33.3/33.3/33.3), so the layer is cut into row bands of
        // ceil(28 / 3) = 10, 10 and 8 output rows, one per core, each loading the weights itself
        Program p = rknn().compile(b.build(), threeCores());
        assertThat(p.jobCount()).isEqualTo(1);
        JobPlan job = npuSteps(p).get(0).jobs().get(0);
        assertThat(job.perCore()).extracting(List::size).containsExactly(1, 1, 1);
        assertThat(job.perCore()).extracting(c -> c.get(0).shape().outH()).containsExactly(10, 10, 8);
        for (List<TaskPlan> core : job.perCore()) assertThat(dma(core.get(0), TaskOp.Operand.WEIGHT)).hasSize(1);
    }

    @Test
    void aSplitLayerWhoseWeightsOutweighItsInputIsCutByOutputChannels() {
        GraphBuilder b = builder("wide");
        Tensor x = b.input("x", DType.UINT8, 1, 512, 7, 7);
        b.output(b.conv("pw", x, 512, 1, 1, 0));
        // 256 KiB of weights against 25 KiB of input: row bands would make every core read all the
        // weights for a third of the rows; output-channel passes let each read a third of them
        Program p = rknn().compile(b.build(), threeCores());
        JobPlan job = npuSteps(p).get(0).jobs().get(0);
        assertThat(job.perCore()).extracting(List::size).containsExactly(1, 1, 1);
        for (List<TaskPlan> core : job.perCore()) {
            TaskPlan t = core.get(0);
            assertThat(t.shape().outH()).isEqualTo(7); // every core computes all rows ...
            assertThat(t.shape().outC()).isLessThanOrEqualTo(192); // ... of a third of the channels (rounded to 32)
        }
        assertThat(job.perCore().stream().mapToInt(c -> c.get(0).shape().outC()).sum()).isEqualTo(512);
        // the three weight reads add up to the layer's weights (kernel and biases) once, not three times
        long kernelAndBias = 512L * 512 + 4L * 512;
        assertThat(job.perCore().stream().mapToLong(c -> dma(c.get(0), TaskOp.Operand.WEIGHT).get(0).bytes()).sum())
                .isEqualTo(kernelAndBias);
    }

    @Test
    void aConvWithAnActivationOutsideTheReluFamilyStaysOnOneCore() {
        GraphBuilder b = builder("tall_silu");
        Tensor x = b.input("x", DType.UINT8, 1, 32, 256, 256);
        b.output(b.activation("act", b.conv("conv", x, 32, 3, 1), Activation.Kind.SILU));
        Program p = rknn().compile(b.build(), threeCores());
        // SiLU fuses (LUT) but makes the layer non-splittable: 26 tasks in one single-core job
        assertThat(rknn().layers(b.build())).singleElement().satisfies(l -> assertThat(l.splittable()).isFalse());
        assertThat(p.jobCount()).isEqualTo(1);
        assertThat(npuSteps(p).get(0).jobs().get(0).cores()).isEqualTo(1);
        assertThat(p.taskCount()).isEqualTo(26);
    }
}
