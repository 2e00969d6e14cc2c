package io.npusim.workloads.zoo;

import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.GraphBuilder;
import io.npusim.workloads.graph.Precision;
import io.npusim.workloads.graph.Tensor;
import io.npusim.workloads.graph.Window;

/**
 * DeepLabV3+ with a MobileNetV2 backbone at output stride 16, 21 VOC classes, 513x513 input, as
 * defined in VainF/DeepLabV3Plus-Pytorch ({@code deeplabv3plus_mobilenet}): the backbone's last
 * stride-2 stage becomes stride 1 with dilation 2, the final 1x1-to-1280 conv is dropped, ASPP
 * (1x1, three 3x3 at rates 6/12/18, image pooling; 256 channels each) and a decoder that fuses the
 * stride-4 features (24 channels projected to 48). Other input sizes keep the same layers; the
 * output is resized back to the input's size.
 *
 * <p>That code's quirks are kept because they change shapes: the stem conv has no padding
 * (513 -> 256) and each inverted residual pads its input explicitly before the expansion conv.
 */
final class DeepLabV3Plus {
    private DeepLabV3Plus() {
    }

    static final VisionVariant DEFAULT = new VisionVariant(513, 513, VisionVariant.Dtype.INT8);
    private static final int CLASSES = 21;
    private static final int OUTPUT_STRIDE = 16;

    static Graph build(VisionVariant v) {
        GraphBuilder b = new GraphBuilder("deeplabv3", v.precision(Precision.int8PerTensor()));
        Tensor image = b.input("input", DType.UINT8, 1, 3, v.height(), v.width());
        Tensor x = b.relu6("backbone.features.0.act", b.conv("backbone.features.0.conv", image, 32, 3, 2, 0));
        int currentStride = 2;
        int dilation = 1;
        int idx = 1;
        Tensor lowLevel = null;
        for (int[] s : Classifiers.V2_SETTING) {
            int previousDilation = dilation;
            int stride;
            if (currentStride == OUTPUT_STRIDE) {
                stride = 1;
                dilation *= s[3];
            } else {
                stride = s[3];
                currentStride *= s[3];
            }
            for (int i = 0; i < s[2]; i++) {
                x = i == 0
                        ? invertedResidual(b, "backbone.features." + idx, x, s[1], stride, previousDilation, s[0])
                        : invertedResidual(b, "backbone.features." + idx, x, s[1], 1, dilation, s[0]);
                idx++;
                if (idx == 4) {
                    lowLevel = x; // features[0:4]: stride 4, 24 channels
                }
            }
        }
        Tensor aspp = aspp(b, "classifier.aspp", x, new int[] {6, 12, 18});
        Tensor low = b.relu("classifier.project.act", b.conv("classifier.project.conv", lowLevel, 48, 1, 1, 0));
        Tensor up = b.resizeBilinear("classifier.upsample", aspp, low.shape().h(), low.shape().w());
        Tensor y = b.concat("classifier.cat", 1, low, up);
        y = b.relu("classifier.classifier.act", b.conv("classifier.classifier.0", y, 256, 3, 1, 1));
        y = b.conv("classifier.classifier.3", y, CLASSES, 1, 1, 0);
        b.output(b.resizeBilinear("upsample", y, v.height(), v.width()));
        return b.build();
    }

    /** VainF InvertedResidual: F.pad by the dilated 3x3's fixed padding, then expand, unpadded depthwise, project. */
    private static Tensor invertedResidual(GraphBuilder b, String p, Tensor x, int oup, int stride, int dilation, int t) {
        int inp = x.shape().c();
        int pad = dilation; // fixed_padding(3, dilation): (3 + 2(d-1) - 1) / 2 on every side
        Tensor y = b.pad(p + ".pad", x, new int[] {0, 0, pad, pad}, new int[] {0, 0, pad, pad});
        if (t != 1) {
            y = b.relu6(p + ".expand.act", b.conv(p + ".expand", y, inp * t, 1, 1, 0));
        }
        y = b.relu6(p + ".dw.act", b.conv(p + ".dw", y, y.shape().c(), Window.square(3, stride, 0, dilation), y.shape().c(), true));
        y = b.conv(p + ".project", y, oup, 1, 1, 0);
        return stride == 1 && inp == oup ? b.add(p + ".add", x, y) : y;
    }

    private static Tensor aspp(GraphBuilder b, String p, Tensor x, int[] rates) {
        int c = 256;
        Tensor[] branches = new Tensor[5];
        branches[0] = b.relu(p + ".convs.0.act", b.conv(p + ".convs.0.conv", x, c, 1, 1, 0));
        for (int i = 0; i < 3; i++) {
            String q = p + ".convs." + (i + 1);
            branches[i + 1] = b.relu(q + ".act", b.conv(q + ".conv", x, c, 3, 1, rates[i], rates[i], 1));
        }
        String q = p + ".convs.4";
        Tensor pooled = b.globalAvgPool(q + ".pool", x);
        pooled = b.relu(q + ".act", b.conv(q + ".conv", pooled, c, 1, 1, 0));
        branches[4] = b.resizeBilinear(q + ".upsample", pooled, x.shape().h(), x.shape().w());
        Tensor cat = b.concat(p + ".cat", 1, branches);
        return b.relu(p + ".project.act", b.conv(p + ".project.conv", cat, c, 1, 1, 0));
    }
}
