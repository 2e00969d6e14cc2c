package io.npusim.workloads.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {

    private static Graph small() {
        GraphBuilder b = new GraphBuilder("small", Precision.int8PerTensor());
        Tensor x = b.input("x", DType.UINT8, 1, 3, 32, 32);
        Tensor y = b.relu("relu1", b.conv("conv1", x, 16, 3, 1));
        Tensor z = b.relu("relu2", b.conv("conv2", y, 16, 3, 1));
        Tensor s = b.add("add", y, z);
        b.output(b.maxPool("pool", s, 2, 2, 0));
        return b.build();
    }

    @Test
    void builderInfersShapesAndCountsWork() {
        Graph g = small();
        assertThat(g.opCount()).isEqualTo(6);
        assertThat(g.outputs().get(0).shape()).isEqualTo(Shape.of(1, 16, 16, 16));
        assertThat(g.totalMacs()).isEqualTo(32L * 32 * 16 * 3 * 9 + 32L * 32 * 16 * 16 * 9);
        assertThat(g.totalParams()).isEqualTo(16 * 3 * 9 + 16 + 16 * 16 * 9 + 16);
        assertThat(g.weightBytes()).isEqualTo(16 * 3 * 9 + 16 * 4 + 16 * 16 * 9 + 16 * 4);
    }

    @Test
    void producerAndConsumersFollowTheDataflow() {
        Graph g = small();
        Op relu1 = g.op("relu1").orElseThrow();
        Tensor y = relu1.output();
        assertThat(g.producer(y)).contains(relu1);
        assertThat(g.consumers(y)).extracting(Op::name).containsExactly("conv2", "add");
        assertThat(g.producer(g.inputs().get(0))).isEmpty();
        assertThat(g.indexOf(relu1)).isLessThan(g.indexOf(g.op("add").orElseThrow()));
    }

    @Test
    void outputsGetRoleOutputAndOpsSeeTheSameTensor() {
        Graph g = small();
        Tensor out = g.outputs().get(0);
        assertThat(out.role()).isEqualTo(Tensor.Role.OUTPUT);
        assertThat(g.op("pool").orElseThrow().output()).isEqualTo(out);
        assertThat(g.tensor(out.id())).isEqualTo(out);
    }

    @Test
    void aTiedWeightCountsOnce() {
        GraphBuilder b = new GraphBuilder("tied", Precision.fp16());
        Tensor ids = b.input("ids", DType.INT32, 1);
        Tensor table = b.weight("embed", 100, 8);
        Tensor h = b.gather("gather", table, ids);
        b.output(b.linear("lm_head", h, table));
        Graph g = b.build();
        assertThat(g.totalParams()).isEqualTo(800);
        assertThat(g.ops().stream().mapToLong(Op::params).sum()).isEqualTo(1600);
        assertThat(g.outputs().get(0).shape()).isEqualTo(Shape.of(1, 100));
    }

    @Test
    void readingATensorBeforeItIsProducedIsRejected() {
        Graph g = small();
        List<Op> reversed = new java.util.ArrayList<>(g.ops());
        java.util.Collections.reverse(reversed);
        assertThatThrownBy(() -> new Graph("bad", g.tensors(), reversed, g.inputs(), g.outputs()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before it is produced");
    }

    @Test
    void producingATensorTwiceIsRejected() {
        Graph g = small();
        List<Op> twice = new java.util.ArrayList<>(g.ops());
        Op relu1 = g.op("relu1").orElseThrow();
        twice.add(2, new Activation("relu1_again", relu1.inputs(), relu1.outputs(), Activation.Kind.RELU));
        assertThatThrownBy(() -> new Graph("bad", g.tensors(), twice, g.inputs(), g.outputs()))
                .hasMessageContaining("produced twice");
    }

    @Test
    void duplicateOpNamesAndStrangersAreRejected() {
        GraphBuilder b = new GraphBuilder("dup", Precision.fp16());
        Tensor x = b.input("x", DType.FP16, 4, 4);
        b.relu("r", x);
        assertThatThrownBy(() -> b.relu("r", x)).hasMessageContaining("used twice");

        Graph g = small();
        Tensor stranger = new Tensor(0, "stranger", Shape.of(9), DType.INT8, Quant.NONE, Tensor.Role.INPUT);
        assertThatThrownBy(() -> new Graph("bad", g.tensors(), g.ops(), List.of(stranger), g.outputs()))
                .hasMessageContaining("not in the tensor table");
    }

    @Test
    void anOutputThatIsNeverProducedIsRejected() {
        Graph g = small();
        assertThatThrownBy(() -> new Graph("bad", g.tensors(), g.ops().subList(0, 2), g.inputs(), g.outputs()))
                .hasMessageContaining("never produced");
    }

    @Test
    void splitAndConcatRoundTripChannels() {
        GraphBuilder b = new GraphBuilder("sc", Precision.int8PerChannel());
        Tensor x = b.input("x", DType.INT8, 1, 64, 8, 8);
        List<Tensor> parts = b.split("split", x, 1, 32, 32);
        Tensor y = b.concat("cat", 1, parts.get(1), parts.get(0));
        b.output(y);
        Graph g = b.build();
        assertThat(y.shape()).isEqualTo(Shape.of(1, 64, 8, 8));
        assertThat(g.consumers(x)).hasSize(1);
        assertThat(g.op("cat").orElseThrow().inputs()).containsExactly(parts.get(1), parts.get(0));
    }

    @Test
    void perChannelPrecisionMarksWeightsPerAxisAndBiasesLikewise() {
        GraphBuilder b = new GraphBuilder("q", Precision.int8PerChannel());
        Tensor x = b.input("x", DType.UINT8, 1, 3, 8, 8);
        b.output(b.conv("c", x, 4, 1, 1));
        Conv2d c = b.build().ops(Conv2d.class).get(0);
        assertThat(c.weight().quant().perAxis()).isTrue();
        assertThat(c.bias().orElseThrow().quant().perAxis()).isTrue();
        assertThat(c.bias().orElseThrow().dtype()).isEqualTo(DType.INT32);
        assertThat(c.output().quant().perTensor()).isTrue();
    }
}
