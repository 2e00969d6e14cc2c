package io.npusim.workloads.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.core.UserError;
import io.npusim.workloads.graph.Conv2d;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.Tensor;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vision models built at other input sizes and in fp16, as a point file's input and dtype ask. */
class VisionVariantTest {

    private static final List<String> VISION = List.of("mobilenet_v1", "mobilenet_v2", "resnet50", "yolov5n", "yolov5s", "yolov5m",
            "yolov5s_relu", "yolov8n", "yolov8s", "yolov8m", "deeplabv3", "ssd_mobilenet_v1");

    private final ModelZoo zoo = new ModelZoo();

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v1", "mobilenet_v2", "resnet50", "yolov5n", "yolov5s", "yolov5m", "yolov5s_relu",
        "yolov8n", "yolov8s", "yolov8m", "deeplabv3", "ssd_mobilenet_v1"})
    void theDefaultVariantIsThePublishedGraphAndTwiceTheSidesCostsAboutFourTimesTheMacs(String name) {
        ModelSpec m = zoo.get(name);
        assertThat(m.graph(null, null)).isSameAs(m.graph());
        assertThat(m.graph(null, "int8")).isSameAs(m.graph());
        Tensor in = m.graph().inputs().get(0);
        int h = in.shape().h();
        int w = in.shape().w();
        Graph big = m.graph(List.of(1, 3, 2 * h, 2 * w), null);
        assertThat(big.inputs().get(0).shape().h()).isEqualTo(2 * h);
        // convolutions scale with the pixels; the fixed-size heads (classifier logits) stay, SAME-padding edges shift a little
        double ratio = (double) big.totalMacs() / m.graph().totalMacs();
        assertThat(ratio).as("%s MACs at twice the sides", name).isBetween(3.4, 4.3);
        assertThat(big.totalParams()).as("weights do not depend on the input size").isEqualTo(m.graph().totalParams());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v1", "resnet50", "yolov5s", "yolov8n", "deeplabv3", "ssd_mobilenet_v1"})
    void fp16KeepsTheLayersAndTheirMacsWithUnquantisedWeights(String name) {
        ModelSpec m = zoo.get(name);
        Graph fp16 = m.graph(null, "fp16");
        assertThat(fp16.totalMacs()).isEqualTo(m.graph().totalMacs());
        assertThat(fp16.ops(Conv2d.class)).hasSameSizeAs(m.graph().ops(Conv2d.class));
        for (Conv2d c : fp16.ops(Conv2d.class)) {
            assertThat(c.weight().dtype()).as(c.name()).isEqualTo(DType.FP16);
            assertThat(c.output().dtype()).as(c.name()).isEqualTo(DType.FP16);
            assertThat(c.weight().quant().perTensor() || c.weight().quant().perAxis()).as("fp16 weights carry no scale").isFalse();
        }
        // an RKNN fp16 export still takes the camera's uint8 image
        assertThat(fp16.inputs().get(0).dtype()).isEqualTo(DType.UINT8);
    }

    /** Any accepted size builds every model: no layer's shape rule is left for the simulation to trip on. */
    @Property(tries = 60)
    void everyAcceptedSizeBuilds(@ForAll("variants") Tuple.Tuple3<String, Integer, Integer> v) {
        ModelSpec m = new ModelZoo().get(v.get1());
        Graph g = m.graph(List.of(1, 3, v.get2(), v.get3()), null);
        assertThat(g.inputs().get(0).shape().h()).isEqualTo(v.get2());
        assertThat(g.inputs().get(0).shape().w()).isEqualTo(v.get3());
        assertThat(g.totalMacs()).isPositive();
    }

    @Provide
    Arbitrary<Tuple.Tuple3<String, Integer, Integer>> variants() {
        Arbitrary<String> model = Arbitraries.of(VISION);
        Arbitrary<Integer> side = Arbitraries.integers().between(VisionVariant.MIN_SIDE, 800);
        return Combinators.combine(model, side, side).as((name, h, w) -> name.startsWith("yolo")
                ? Tuple.of(name, Math.max(32, h / 32 * 32), Math.max(32, w / 32 * 32))
                : Tuple.of(name, h, w));
    }

    @Property(tries = 40)
    void yoloRefusesSidesThatAreNotMultiplesOf32(@ForAll("yolos") String name, @ForAll("offStride") int side) {
        assertThatThrownBy(() -> zoo.get(name).graph(List.of(1, 3, side, 640), null))
                .isInstanceOf(UserError.class).hasMessageStartingWith("input: ").hasMessageContaining("multiples of 32");
    }

    @Provide
    Arbitrary<String> yolos() {
        return Arbitraries.of(VISION.stream().filter(n -> n.startsWith("yolo")).toList());
    }

    @Provide
    Arbitrary<Integer> offStride() {
        return Arbitraries.integers().between(VisionVariant.MIN_SIDE, 2000).filter(s -> s % 32 != 0);
    }

    @org.junit.jupiter.api.Test
    void badShapesAndDatatypesAreUserErrorsNamingTheField() {
        ModelSpec m = zoo.get("resnet50");
        assertThatThrownBy(() -> m.graph(List.of(1, 3, 224), null)).isInstanceOf(UserError.class).hasMessageStartingWith("input: must be [1, 3,");
        assertThatThrownBy(() -> m.graph(List.of(4, 3, 224, 224), null)).hasMessageStartingWith("input: batch must be 1");
        assertThatThrownBy(() -> m.graph(List.of(1, 1, 224, 224), null)).hasMessageStartingWith("input: channels must be 3");
        assertThatThrownBy(() -> m.graph(List.of(1, 3, 31, 224), null)).hasMessageStartingWith("input: height and width must lie in 32..4096");
        assertThatThrownBy(() -> m.graph(List.of(1, 3, 224, 4097), null)).hasMessageStartingWith("input: height and width");
        assertThatThrownBy(() -> m.graph(null, "w8a8")).isInstanceOf(UserError.class).hasMessageStartingWith("dtype: w8a8 is not a vision datatype");
        assertThatThrownBy(() -> zoo.get("qwen2-0.5b").graph(List.of(1, 3, 224, 224), null)).isInstanceOf(UserError.class);
    }
}
