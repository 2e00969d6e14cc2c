package io.npusim.workloads.zoo;

import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.GraphBuilder;
import io.npusim.workloads.graph.Precision;
import io.npusim.workloads.graph.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * ssd_mobilenet_v1_coco from the TF object detection API at 300x300 (by default; other sizes change the map sizes and the anchor count): MobileNetV1 (SAME padding)
 * tapped at Conv2d_11_pointwise (19x19x512) and Conv2d_13_pointwise (10x10x1024), four extra
 * layers (1x1 to depth/2, 3x3 stride 2 to depth; depths 512, 256, 256, 128 -> 5, 3, 2, 1), and
 * a 1x1 convolutional box predictor per map: 3 anchors on the first map, 6 on the others,
 * 4 box codes and 91 classes (90 COCO + background) per anchor, 1917 anchors in all. The graph
 * ends at the raw box encodings and class logits; score conversion and NMS are post-processing.
 */
final class SsdMobileNetV1 {
    private SsdMobileNetV1() {
    }

    static final VisionVariant DEFAULT = new VisionVariant(300, 300, VisionVariant.Dtype.INT8);
    private static final int CLASSES = 91;
    private static final int[] EXTRA_DEPTHS = {512, 256, 256, 128};

    static Graph build(VisionVariant v) {
        GraphBuilder b = new GraphBuilder("ssd_mobilenet_v1", v.precision(Precision.int8PerTensor()));
        Tensor image = b.input("image_tensor", DType.UINT8, 1, 3, v.height(), v.width());
        List<Tensor> taps = Classifiers.mobilenetV1Features(b, image);
        List<Tensor> maps = new ArrayList<>(List.of(taps.get(11), taps.get(13)));
        Tensor x = taps.get(13);
        for (int i = 0; i < EXTRA_DEPTHS.length; i++) {
            int depth = EXTRA_DEPTHS[i];
            String p = "FeatureExtractor/MobilenetV1/Conv2d_13_pointwise_";
            String one = p + "1_Conv2d_" + (i + 2) + "_1x1_" + depth / 2;
            String two = p + "2_Conv2d_" + (i + 2) + "_3x3_s2_" + depth;
            x = b.relu6(one + "/Relu6", b.convSame(one, x, depth / 2, 1, 1, 1));
            x = b.relu6(two + "/Relu6", b.convSame(two, x, depth, 3, 2, 1));
            maps.add(x);
        }
        List<Tensor> boxes = new ArrayList<>();
        List<Tensor> classes = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < maps.size(); i++) {
            Tensor m = maps.get(i);
            int anchors = i == 0 ? 3 : 6; // reduce_boxes_in_lowest_layer
            int n = m.shape().h() * m.shape().w() * anchors;
            total += n;
            String p = "BoxPredictor_" + i;
            boxes.add(predict(b, p + "/BoxEncodingPredictor", m, anchors, 4, n));
            classes.add(predict(b, p + "/ClassPredictor", m, anchors, CLASSES, n));
        }
        Tensor boxEncodings = b.concat("concat", 1, boxes);
        Tensor classLogits = b.concat("concat_1", 1, classes);
        if (v.height() == DEFAULT.height() && v.width() == DEFAULT.width() && total != 1917) {
            throw new IllegalStateException("SSD anchor count " + total + " differs from the published 1917");
        }
        b.output(boxEncodings, classLogits);
        return b.build();
    }

    /** 1x1 conv to anchors x code, NHWC order as TF lays it out, reshaped to [1, H*W*anchors, code]. */
    private static Tensor predict(GraphBuilder b, String p, Tensor m, int anchors, int code, int n) {
        Tensor y = b.convSame(p, m, anchors * code, 1, 1, 1);
        y = b.transpose(p + "/transpose", y, 0, 2, 3, 1);
        return b.reshape(p + "/Reshape", y, 1, n, code);
    }
}
