package io.npusim.workloads.zoo;

import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.GraphBuilder;
import io.npusim.workloads.graph.Precision;
import io.npusim.workloads.graph.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * ImageNet classifiers (224x224 by default; global pooling takes any size), BatchNorm folded into conv biases as every deployment export
 * does, activations as separate ops, int8 per-tensor (TFLite style).
 */
final class Classifiers {
    private Classifiers() {
    }

    // ------------------------------------------------------------------ MobileNetV1 (TF-slim)

    /** Depth of the 13 separable layers of TF-slim mobilenet_v1 (_CONV_DEFS), stride in {@link #V1_STRIDES}. */
    private static final int[] V1_DEPTHS = {64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
    private static final int[] V1_STRIDES = {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1};

    /**
     * TF-slim mobilenet_v1 (depth multiplier 1.0) with SAME padding: Conv2d_0 3x3/2 to 32, then 13
     * depthwise 3x3 + pointwise 1x1 pairs, ReLU6 after each. Returns the outputs of Conv2d_0 and of
     * every Conv2d_i_pointwise (index i), which SSD taps at 11 and 13.
     */
    static List<Tensor> mobilenetV1Features(GraphBuilder b, Tensor image) {
        List<Tensor> taps = new ArrayList<>();
        Tensor x = b.relu6("MobilenetV1/Conv2d_0/Relu6", b.convSame("MobilenetV1/Conv2d_0", image, 32, 3, 2, 1));
        taps.add(x);
        for (int i = 0; i < V1_DEPTHS.length; i++) {
            String p = "MobilenetV1/Conv2d_" + (i + 1);
            x = b.relu6(p + "_depthwise/Relu6", b.depthwiseSame(p + "_depthwise", x, 3, V1_STRIDES[i]));
            x = b.relu6(p + "_pointwise/Relu6", b.convSame(p + "_pointwise", x, V1_DEPTHS[i], 1, 1, 1));
            taps.add(x);
        }
        return taps;
    }

    /** mobilenet_v1_1.0_224: features, 7x7 average pool, 1x1 conv logits over 1001 classes (TF's background + 1000), softmax. */
    static final VisionVariant DEFAULT = new VisionVariant(224, 224, VisionVariant.Dtype.INT8);

    static Graph mobilenetV1(VisionVariant v) {
        GraphBuilder b = new GraphBuilder("mobilenet_v1", v.precision(Precision.int8PerTensor()));
        Tensor image = b.input("input", DType.UINT8, 1, 3, v.height(), v.width());
        Tensor x = mobilenetV1Features(b, image).get(13);
        x = b.globalAvgPool("MobilenetV1/Logits/AvgPool_1a", x);
        x = b.conv("MobilenetV1/Logits/Conv2d_1c_1x1", x, 1001, 1, 1, 0);
        x = b.reshape("MobilenetV1/Logits/SpatialSqueeze", x, 1, 1001);
        b.output(b.softmax("MobilenetV1/Predictions/Softmax", x, -1));
        return b.build();
    }

    // ------------------------------------------------------------------ MobileNetV2 (torchvision)

    /** torchvision inverted_residual_setting: t (expansion), c (channels), n (repeats), s (first stride). */
    static final int[][] V2_SETTING = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };

    /** torchvision mobilenet_v2: features (stem, 17 inverted residuals, 1x1 to 1280), mean pool, Linear(1280, 1000). */
    static Graph mobilenetV2(VisionVariant v) {
        GraphBuilder b = new GraphBuilder("mobilenet_v2", v.precision(Precision.int8PerTensor()));
        Tensor x = b.input("input", DType.UINT8, 1, 3, v.height(), v.width());
        x = b.relu6("features.0.act", b.conv("features.0.conv", x, 32, 3, 2, 1));
        int idx = 1;
        for (int[] s : V2_SETTING) {
            for (int i = 0; i < s[2]; i++) {
                x = invertedResidual(b, "features." + idx++, x, s[1], i == 0 ? s[3] : 1, s[0]);
            }
        }
        x = b.relu6("features.18.act", b.conv("features.18.conv", x, 1280, 1, 1, 0));
        x = b.globalAvgPool("avgpool", x);
        x = b.reshape("flatten", x, 1, 1280);
        b.output(b.linear("classifier.1", x, 1000, true));
        return b.build();
    }

    /** torchvision InvertedResidual: 1x1 expand + ReLU6 (if t != 1), 3x3 depthwise + ReLU6, 1x1 linear projection, residual when shapes allow. */
    private static Tensor invertedResidual(GraphBuilder b, String p, Tensor x, int oup, int stride, int t) {
        int inp = x.shape().c();
        Tensor y = x;
        if (t != 1) {
            y = b.relu6(p + ".expand.act", b.conv(p + ".expand", y, inp * t, 1, 1, 0));
        }
        y = b.relu6(p + ".dw.act", b.depthwise(p + ".dw", y, 3, stride, 1, 1));
        y = b.conv(p + ".project", y, oup, 1, 1, 0);
        return stride == 1 && inp == oup ? b.add(p + ".add", x, y) : y;
    }

    // ------------------------------------------------------------------ ResNet-50 (torchvision v1.5)

    /** torchvision resnet50: 7x7/2 stem, 3x3/2 max pool, [3, 4, 6, 3] bottlenecks (stride on the 3x3), global pool, fc 1000. */
    static Graph resnet50(VisionVariant v) {
        GraphBuilder b = new GraphBuilder("resnet50", v.precision(Precision.int8PerTensor()));
        Tensor x = b.input("input", DType.UINT8, 1, 3, v.height(), v.width());
        x = b.relu("relu", b.conv("conv1", x, 64, 7, 2, 3));
        x = b.maxPool("maxpool", x, 3, 2, 1);
        int[] blocks = {3, 4, 6, 3};
        int[] widths = {64, 128, 256, 512};
        for (int layer = 0; layer < 4; layer++) {
            for (int i = 0; i < blocks[layer]; i++) {
                int stride = i == 0 && layer > 0 ? 2 : 1;
                x = bottleneck(b, "layer" + (layer + 1) + "." + i, x, widths[layer], stride);
            }
        }
        x = b.globalAvgPool("avgpool", x);
        x = b.reshape("flatten", x, 1, 2048);
        b.output(b.linear("fc", x, 1000, true));
        return b.build();
    }

    private static Tensor bottleneck(GraphBuilder b, String p, Tensor x, int width, int stride) {
        int out = width * 4;
        Tensor y = b.relu(p + ".relu1", b.conv(p + ".conv1", x, width, 1, 1, 0));
        y = b.relu(p + ".relu2", b.conv(p + ".conv2", y, width, 3, stride, 1));
        y = b.conv(p + ".conv3", y, out, 1, 1, 0);
        Tensor shortcut = x.shape().c() != out || stride != 1 ? b.conv(p + ".downsample.0", x, out, 1, stride, 0) : x;
        return b.relu(p + ".relu3", b.add(p + ".add", y, shortcut));
    }
}
