package io.npusim.workloads.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.graph.AvgPool;
import io.npusim.workloads.graph.Conv2d;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.MatMul;
import io.npusim.workloads.graph.Shape;
import io.npusim.workloads.graph.Softmax;
import io.npusim.workloads.graph.Tensor;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VisionModelsTest {

    private final ModelZoo zoo = new ModelZoo();

    /** Published figures: torchvision / TF-slim model cards, ultralytics READMEs (GFLOPs / 2) at 640. */
    @ParameterizedTest
    @CsvSource({
        "mobilenet_v1, 4.2, 0.569",
        "mobilenet_v2, 3.5, 0.300",
        "resnet50, 25.6, 4.09",
        "yolov5n, 1.9, 2.25",
        "yolov5s, 7.2, 8.25",
        "yolov5s_relu, 7.2, 8.25",
        "yolov5m, 21.2, 24.5",
        "yolov8n, 3.2, 4.35",
        "yolov8s, 11.2, 14.3",
        "yolov8m, 25.9, 39.45",
    })
    void paramsAndGmacsMatchThePublishedFiguresWithin3Percent(String name, double mparams, double gmacs) {
        ModelSpec spec = zoo.get(name);
        assertThat(spec.params() / 1e6).as("%s params (M)", name).isCloseTo(mparams, within(mparams * 0.03));
        assertThat(spec.gmacs()).as("%s GMACs", name).isCloseTo(gmacs, within(gmacs * 0.03));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v1", "mobilenet_v2", "resnet50", "yolov5n", "yolov5s", "yolov5m", "yolov5s_relu",
        "yolov8n", "yolov8s", "yolov8m", "deeplabv3", "ssd_mobilenet_v1"})
    void everyVisionGraphIsTopologicalWithUint8InputAndSeparateActivations(String name) {
        Graph g = zoo.get(name).graph();
        GraphChecks.assertTopological(g);
        assertThat(g.inputs()).singleElement().satisfies(t -> assertThat(t.dtype().label()).isEqualTo("uint8"));
        // Folded BN leaves conv -> activation as two ops, the way the exported models list them.
        long convsFollowedByActivation = g.ops(Conv2d.class).stream()
                .filter(c -> g.consumers(c.output()).stream().anyMatch(o -> o instanceof Activation)).count();
        assertThat(convsFollowedByActivation).as(name).isGreaterThan(g.ops(Conv2d.class).size() / 2);
    }

    @Test
    void mobilenetV1HasThirteenDepthwiseConvsAndSamePadding() {
        Graph g = zoo.get("mobilenet_v1").graph();
        List<Conv2d> dw = g.ops(Conv2d.class).stream().filter(Conv2d::isDepthwise).toList();
        assertThat(dw).hasSize(13);
        assertThat(g.ops(Conv2d.class)).hasSize(28); // stem + 13 dw + 13 pw + logits
        assertThat(g.op("MobilenetV1/Conv2d_13_pointwise").orElseThrow().output().shape()).isEqualTo(Shape.of(1, 1024, 7, 7));
        assertThat(g.outputs().get(0).shape()).isEqualTo(Shape.of(1, 1001));
        assertThat(g.ops(Conv2d.class).get(0).weight().quant().perTensor()).isTrue();
    }

    @Test
    void mobilenetV2HasSeventeenInvertedResidualsTenWithResidualAdds() {
        Graph g = zoo.get("mobilenet_v2").graph();
        assertThat(g.ops(Conv2d.class).stream().filter(Conv2d::isDepthwise).count()).isEqualTo(17);
        assertThat(g.ops(io.npusim.workloads.graph.Add.class)).hasSize(10);
        assertThat(g.op("features.18.conv").orElseThrow().output().shape()).isEqualTo(Shape.of(1, 1280, 7, 7));
        assertThat(g.ops(MatMul.class)).singleElement().satisfies(fc -> assertThat(fc.n()).isEqualTo(1000));
    }

    @Test
    void resnet50EndsIn2048x7x7BeforeTheGlobalPool() {
        Graph g = zoo.get("resnet50").graph();
        AvgPool pool = g.ops(AvgPool.class).get(0);
        assertThat(pool.global()).isTrue();
        assertThat(pool.input(0).shape()).isEqualTo(Shape.of(1, 2048, 7, 7));
        assertThat(g.ops(Conv2d.class)).hasSize(53); // 1 stem + 16 x 3 + 4 downsample
        assertThat(g.op("maxpool").orElseThrow().output().shape()).isEqualTo(Shape.of(1, 64, 56, 56));
    }

    @Test
    void yolov5sFollowsTheYamlShapes() {
        Graph g = zoo.get("yolov5s").graph();
        assertThat(g.op("model.0.conv").map(o -> ((Conv2d) o).window().kernelH())).contains(6);
        assertThat(g.op("model.0.conv").orElseThrow().output().shape()).isEqualTo(Shape.of(1, 32, 320, 320));
        assertThat(g.op("model.9.cv1.conv").orElseThrow().input(0).shape()).isEqualTo(Shape.of(1, 512, 20, 20));
        assertThat(g.op("model.9.m.0").orElseThrow().opType()).isEqualTo("MaxPool");
        assertThat(g.outputs()).extracting(Tensor::shape)
                .containsExactly(Shape.of(1, 255, 80, 80), Shape.of(1, 255, 40, 40), Shape.of(1, 255, 20, 20));
        // Backbone C3 blocks with shortcut: 1 + 2 + 3 + 1 bottleneck adds at depth 0.33; head C3s have none.
        assertThat(g.ops(io.npusim.workloads.graph.Add.class)).hasSize(7);
        assertThat(g.ops(io.npusim.workloads.graph.Resize.class)).hasSize(2);
    }

    @Test
    void yoloConvWeightsArePerChannelAndOthersPerTensor() {
        for (String name : List.of("yolov5n", "yolov5s_relu", "yolov8m")) {
            assertThat(zoo.get(name).graph().ops(Conv2d.class)).allSatisfy(c -> assertThat(c.weight().quant().perAxis()).isTrue());
        }
        for (String name : List.of("mobilenet_v2", "resnet50", "ssd_mobilenet_v1", "deeplabv3")) {
            assertThat(zoo.get(name).graph().ops(Conv2d.class)).allSatisfy(c -> assertThat(c.weight().quant().perTensor()).isTrue());
        }
    }

    @Test
    void yolov5sReluSwapsEverySiluForReluAndKeepsTheWork() {
        Graph silu = zoo.get("yolov5s").graph();
        Graph relu = zoo.get("yolov5s_relu").graph();
        assertThat(relu.totalMacs()).isEqualTo(silu.totalMacs());
        assertThat(relu.opCount()).isEqualTo(silu.opCount());
        assertThat(relu.ops(Activation.class)).allSatisfy(a -> assertThat(a.kind()).isEqualTo(Activation.Kind.RELU));
        assertThat(silu.ops(Activation.class)).allSatisfy(a -> assertThat(a.kind()).isEqualTo(Activation.Kind.SILU));
    }

    @Test
    void yolov8HeadDecodesInsideTheModelWithDfl() {
        Graph g = zoo.get("yolov8n").graph();
        assertThat(g.outputs()).singleElement().satisfies(t -> assertThat(t.shape()).isEqualTo(Shape.of(1, 84, 8400)));
        Softmax dfl = (Softmax) g.op("model.22.dfl.softmax").orElseThrow();
        assertThat(dfl.input(0).shape()).isEqualTo(Shape.of(1, 16, 4, 8400));
        Conv2d expectation = (Conv2d) g.op("model.22.dfl.conv").orElseThrow();
        assertThat(expectation.cin()).isEqualTo(16);
        assertThat(expectation.cout()).isEqualTo(1);
        assertThat(g.op("model.9.cv1.conv").orElseThrow().input(0).shape()).isEqualTo(Shape.of(1, 256, 20, 20));
        // yolov8m caps width at 768 x 0.75 = 576 channels.
        assertThat(zoo.get("yolov8m").graph().op("model.9.cv2.conv").orElseThrow().output().shape()).isEqualTo(Shape.of(1, 576, 20, 20));
    }

    @Test
    void ssdPredictsOver1917AnchorsWith91Classes() {
        Graph g = zoo.get("ssd_mobilenet_v1").graph();
        assertThat(g.outputs()).extracting(Tensor::shape).containsExactly(Shape.of(1, 1917, 4), Shape.of(1, 1917, 91));
        assertThat(g.op("MobilenetV1/Conv2d_11_pointwise").orElseThrow().output().shape()).isEqualTo(Shape.of(1, 512, 19, 19));
        assertThat(g.op("MobilenetV1/Conv2d_13_pointwise").orElseThrow().output().shape()).isEqualTo(Shape.of(1, 1024, 10, 10));
        assertThat(zoo.get("ssd_mobilenet_v1").params() / 1e6).isCloseTo(6.8, within(0.2));
    }

    @Test
    void deeplabUsesOutputStride16AsppAndAStride4Decoder() {
        Graph g = zoo.get("deeplabv3").graph();
        assertThat(g.op("classifier.aspp.convs.0.conv").orElseThrow().input(0).shape()).isEqualTo(Shape.of(1, 320, 32, 32));
        Conv2d rate18 = (Conv2d) g.op("classifier.aspp.convs.3.conv").orElseThrow();
        assertThat(rate18.window().dilationH()).isEqualTo(18);
        assertThat(g.op("classifier.project.conv").orElseThrow().output().shape()).isEqualTo(Shape.of(1, 48, 128, 128));
        assertThat(g.op("classifier.classifier.0").orElseThrow().input(0).shape()).isEqualTo(Shape.of(1, 304, 128, 128));
        assertThat(g.outputs().get(0).shape()).isEqualTo(Shape.of(1, 21, 513, 513));
        assertThat(g.ops(Conv2d.class).stream().filter(c -> c.window().dilationH() == 2).count()).isEqualTo(3); // 160-stage blocks 2-3 and the 320 block
    }
}
