package io.npusim.workloads.compile;

import static io.npusim.workloads.compile.CompileFixtures.fallbackOps;
import static io.npusim.workloads.compile.CompileFixtures.npuSteps;
import static io.npusim.workloads.compile.CompileFixtures.oneCore;
import static io.npusim.workloads.compile.CompileFixtures.rknn;
import static io.npusim.workloads.compile.CompileFixtures.tasks;
import static io.npusim.workloads.compile.CompileFixtures.teflon;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.npu.TaskOp;
import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.graph.Add;
import io.npusim.workloads.graph.Concat;
import io.npusim.workloads.graph.Conv2d;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.MaxPool;
import io.npusim.workloads.graph.Op;
import io.npusim.workloads.graph.Quant;
import io.npusim.workloads.graph.Resize;
import io.npusim.workloads.graph.Tensor;
import io.npusim.workloads.zoo.ModelZoo;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lowerings of real zoo models against the published counts and the upstream support rules. */
class ZooLoweringTest {
    private final ModelZoo zoo = new ModelZoo();

    @BeforeAll
    static void constants() {
        CompileFixtures.checkHandCalculationConstants();
    }

    @Test
    void mobilenetV1UnderTeflonRunsOnTheNpuExceptThePoolAndTheSoftmax() {
        Graph g = zoo.get("mobilenet_v1").graph();
        TeflonCompiler.Compiled c = teflon().compile(g);
        Program p = c.program();
        // Conv2d_0 + 13 x (depthwise, pointwise), ReLU6 fused: one partition; the 7x7 average pool
        // falls back; the 1x1 logits conv is a second partition; the squeeze (RESHAPE) is metadata
        // and the softmax falls back. Two SUBMITs per invoke.
        assertThat(fallbackOps(p)).containsExactly("AvgPool", "Softmax");
        assertThat(p.npuSteps()).isEqualTo(2);
        List<Step.Npu> submits = npuSteps(p);
        // widgetii's trace of Mesa on MobileNetV1 [3P, rocket-upstream.md 4.3]: "27 operations and
        // 41 tasks"; every weight set but those of Conv2d_12/13_pointwise and the logits fits the
        // CBUF, and those three layers are one task each, so one job per operation
        assertThat(submits.get(0).jobs()).hasSize(27);
        assertThat(submits.get(0).taskCount()).isEqualTo(41);
        assertThat(submits.get(1).jobs()).hasSize(1);
        assertThat(submits.get(1).taskCount()).isEqualTo(1);
        // per invoke 2 SUBMITs, 28 jobs, 42 tasks (one hardware submit each): their count of 10
        // SUBMITs, 140 jobs and 210 hardware submits is five invokes
        assertThat(List.of(5 * p.npuSteps(), 5 * p.jobCount(), 5 * p.taskCount())).containsExactly(10, 140, 210);
        // everything the NPU runs is a convolution
        assertThat(teflon().layers(g).stream().filter(Layer::onNpu)).allSatisfy(l -> assertThat(l.main()).isInstanceOf(Conv2d.class));
        // BOs: the input and 27 layer outputs of partition 1, the pool output and the logits of
        // partition 2 (30), plus weights, biases and regcmd for 28 operations (84)
        assertThat(p.buffers().stream().filter(b -> b.name().startsWith("tensor "))).hasSize(30);
        assertThat(p.buffers()).hasSize(30 + 3 * 28);
    }

    @Test
    void mobilenetV1UnderRknnFallsBackOnlyForTheSoftmax() {
        Program p = rknn().compile(zoo.get("mobilenet_v1").graph(), oneCore());
        assertThat(fallbackOps(p)).containsExactly("Softmax");
        assertThat(tasks(p)).extracting(TaskPlan::kind).contains(TaskOp.Kind.POOL);
    }

    @Test
    void yolov5sAsExportedWithPerChannelWeightsRunsEntirelyOnTheCpuUnderTeflon() {
        // the zoo's YOLOv5s has per-channel int8 weights (the RKNN toolkit's export), which
        // rkt_ml_operation_supported rejects: no convolution is delegated, no BO is created
        Graph g = zoo.get("yolov5s").graph();
        Program p = teflon().compile(g).program();
        assertThat(p.npuSteps()).isZero();
        assertThat(p.buffers()).isEmpty();
        assertThat(fallbackOps(p)).contains("Conv2d", "Concat", "Resize", "MaxPool").hasSize(g.opCount());
    }

    @Test
    void yolov5sWithPerTensorWeightsDelegatesOnlyItsConvolutions() {
        Graph g = perTensor(zoo.get("yolov5s").graph());
        TeflonCompiler.Compiled c = teflon().compile(g);
        Program p = c.program();
        List<String> cpu = fallbackOps(p);
        // concat, nearest resize, SPPF's max pools, the SiLU activations (no NPU path upstream, so
        // they cannot fuse) and the bottleneck adds (their operands come from SiLUs) all fall back
        for (Class<? extends Op> type : List.of(Concat.class, Resize.class, MaxPool.class, Activation.class, Add.class)) {
            int n = g.ops(type).size();
            assertThat(n).isPositive();
            assertThat(Collections.frequency(cpu, type.getSimpleName())).as(type.getSimpleName()).isEqualTo(n);
        }
        assertThat(cpu).doesNotContain("Conv2d");
        // every conv is followed by a SiLU on the CPU, so each is a partition of its own, except the
        // three Detect convs at the end, which run back to back in one: convs - 2 SUBMITs
        int convs = g.ops(Conv2d.class).size();
        assertThat(c.partitions()).hasSize(convs - 2);
        assertThat(npuSteps(p).get(npuSteps(p).size() - 1).jobs()).extracting(JobPlan::name)
                .containsExactly("model.24.m.0", "model.24.m.1", "model.24.m.2");
        assertThat(tasks(p)).allSatisfy(t -> assertThat(t.kind()).isEqualTo(TaskOp.Kind.CONV));
        assertThat(teflon().layers(g).stream().filter(Layer::onNpu)).allSatisfy(l -> assertThat(l.ops()).singleElement().isInstanceOf(Conv2d.class));
    }

    @Test
    void yolov5sUnderRknnRunsEverythingOnTheNpu() {
        Program p = rknn().compile(zoo.get("yolov5s").graph(), oneCore());
        assertThat(fallbackOps(p)).isEmpty();
        // SPPF pools on the PPU, concats as copies, nearest upsampling as a transposed depthwise conv
        assertThat(tasks(p)).extracting(TaskPlan::kind).contains(TaskOp.Kind.POOL, TaskOp.Kind.COPY, TaskOp.Kind.DEPTHWISE);
    }

    /** The same graph with per-tensor weights and biases (a TFLite per-tensor export). */
    static Graph perTensor(Graph g) {
        UnaryOperator<Tensor> requant = t -> !t.quant().perAxis() ? t
                : new Tensor(t.id(), t.name(), t.shape(), t.dtype(), Quant.perTensor(t.role() == Tensor.Role.BIAS), t.role());
        List<Tensor> tensors = g.tensors().stream().map(requant).toList();
        List<Op> ops = g.ops().stream()
                .map(op -> op instanceof Conv2d c
                        ? (Op) new Conv2d(c.name(), c.inputs().stream().map(requant).toList(), c.outputs(), c.window(), c.groups())
                        : op)
                .toList();
        return new Graph(g.name() + "_per_tensor", tensors, ops, g.inputs(), g.outputs());
    }
}
