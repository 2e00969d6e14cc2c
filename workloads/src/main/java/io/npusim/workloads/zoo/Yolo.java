package io.npusim.workloads.zoo;

import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.GraphBuilder;
import io.npusim.workloads.graph.Precision;
import io.npusim.workloads.graph.Tensor;
import io.npusim.workloads.graph.Window;

import java.util.ArrayList;
import java.util.List;

/**
 * Ultralytics YOLOv5 (v6.0+ yaml: 6x6/2 stem, C3, SPPF) and YOLOv8 (C2f, SPPF, anchor-free
 * decoupled head with DFL), 640x640 by default (any multiple of 32). Every ultralytics Conv is conv + folded BN + activation;
 * weights are int8 per-channel as the RKNN toolkit exports them.
 */
final class Yolo {
    private Yolo() {
    }

    /** depth_multiple, width_multiple and (v8) max_channels of one model scale. */
    record Scale(double depth, double width, int maxChannels) {
        int channels(int c) {
            return makeDivisible(Math.min(c, maxChannels) * width);
        }

        int repeats(int n) {
            return n > 1 ? Math.max((int) Math.round(n * depth), 1) : n;
        }
    }

    static final Scale V5N = new Scale(0.33, 0.25, Integer.MAX_VALUE);
    static final Scale V5S = new Scale(0.33, 0.50, Integer.MAX_VALUE);
    static final Scale V5M = new Scale(0.67, 0.75, Integer.MAX_VALUE);
    static final Scale V8N = new Scale(0.33, 0.25, 1024);
    static final Scale V8S = new Scale(0.33, 0.50, 1024);
    static final Scale V8M = new Scale(0.67, 0.75, 768);

    /** ultralytics make_divisible(x, 8): round channels up to a multiple of 8. */
    static int makeDivisible(double x) {
        return (int) Math.ceil(x / 8) * 8;
    }

    static final VisionVariant DEFAULT = new VisionVariant(640, 640, VisionVariant.Dtype.INT8);
    private static final int CLASSES = 80;

    /** An input side the neck can join: the stride-32 map upsampled twice must meet the stride-8 and stride-16 maps. */
    private static int stride32(String name, int side) {
        if (side % 32 != 0) {
            throw new io.npusim.core.UserError("input: " + name + " needs sides that are multiples of 32 (its neck joins stride-8, -16 and -32 maps), got " + side);
        }
        return side;
    }

    /** ultralytics Conv: conv (bias after BN folding) + activation. */
    private static Tensor conv(GraphBuilder b, Activation.Kind act, String p, Tensor x, int c2, int k, int s) {
        return b.activation(p + ".act", b.conv(p + ".conv", x, c2, k, s), act);
    }

    /** SPPF(c1, c2, k=5): cv1 to c1/2, three chained 5x5 max pools, concat of all four, cv2. */
    private static Tensor sppf(GraphBuilder b, Activation.Kind act, String p, Tensor x, int c2) {
        int c = x.shape().c() / 2;
        Tensor y0 = conv(b, act, p + ".cv1", x, c, 1, 1);
        Tensor y1 = b.maxPool(p + ".m.0", y0, 5, 1, 2);
        Tensor y2 = b.maxPool(p + ".m.1", y1, 5, 1, 2);
        Tensor y3 = b.maxPool(p + ".m.2", y2, 5, 1, 2);
        return conv(b, act, p + ".cv2", b.concat(p + ".cat", 1, y0, y1, y2, y3), c2, 1, 1);
    }

    // ------------------------------------------------------------------ YOLOv5

    /** yolov5 common.py C3: cv1 and cv2 to c2/2, n Bottlenecks (1x1 then 3x3) on cv1, concat, cv3. */
    private static Tensor c3(GraphBuilder b, Activation.Kind act, String p, Tensor x, int c2, int n, boolean shortcut) {
        int c = c2 / 2;
        Tensor m = conv(b, act, p + ".cv1", x, c, 1, 1);
        for (int i = 0; i < n; i++) {
            String q = p + ".m." + i;
            Tensor y = conv(b, act, q + ".cv2", conv(b, act, q + ".cv1", m, c, 1, 1), c, 3, 1);
            m = shortcut ? b.add(q + ".add", m, y) : y;
        }
        Tensor side = conv(b, act, p + ".cv2", x, c, 1, 1);
        return conv(b, act, p + ".cv3", b.concat(p + ".cat", 1, m, side), c2, 1, 1);
    }

    /**
     * models/yolov5{n,s,m}.yaml, layer by layer; the Detect layer is its three 1x1 convs to
     * 3 anchors x (80 classes + 5), which is where the RKNN export cuts the model.
     */
    static Graph yolov5(String name, Scale s, Activation.Kind act, VisionVariant v) {
        GraphBuilder b = new GraphBuilder(name, v.precision(Precision.int8PerChannel()));
        Tensor x = b.input("images", DType.UINT8, 1, 3, stride32(name, v.height()), stride32(name, v.width()));
        Tensor l0 = b.activation("model.0.act", b.conv("model.0.conv", x, s.channels(64), 6, 2, 2), act);
        Tensor l1 = conv(b, act, "model.1", l0, s.channels(128), 3, 2);
        Tensor l2 = c3(b, act, "model.2", l1, s.channels(128), s.repeats(3), true);
        Tensor l3 = conv(b, act, "model.3", l2, s.channels(256), 3, 2);
        Tensor l4 = c3(b, act, "model.4", l3, s.channels(256), s.repeats(6), true);
        Tensor l5 = conv(b, act, "model.5", l4, s.channels(512), 3, 2);
        Tensor l6 = c3(b, act, "model.6", l5, s.channels(512), s.repeats(9), true);
        Tensor l7 = conv(b, act, "model.7", l6, s.channels(1024), 3, 2);
        Tensor l8 = c3(b, act, "model.8", l7, s.channels(1024), s.repeats(3), true);
        Tensor l9 = sppf(b, act, "model.9", l8, s.channels(1024));
        Tensor l10 = conv(b, act, "model.10", l9, s.channels(512), 1, 1);
        Tensor l11 = b.upsampleNearest("model.11", l10, 2);
        Tensor l12 = b.concat("model.12", 1, l11, l6);
        Tensor l13 = c3(b, act, "model.13", l12, s.channels(512), s.repeats(3), false);
        Tensor l14 = conv(b, act, "model.14", l13, s.channels(256), 1, 1);
        Tensor l15 = b.upsampleNearest("model.15", l14, 2);
        Tensor l16 = b.concat("model.16", 1, l15, l4);
        Tensor l17 = c3(b, act, "model.17", l16, s.channels(256), s.repeats(3), false);
        Tensor l18 = conv(b, act, "model.18", l17, s.channels(256), 3, 2);
        Tensor l19 = b.concat("model.19", 1, l18, l14);
        Tensor l20 = c3(b, act, "model.20", l19, s.channels(512), s.repeats(3), false);
        Tensor l21 = conv(b, act, "model.21", l20, s.channels(512), 3, 2);
        Tensor l22 = b.concat("model.22", 1, l21, l10);
        Tensor l23 = c3(b, act, "model.23", l22, s.channels(1024), s.repeats(3), false);
        Tensor[] levels = {l17, l20, l23};
        for (int i = 0; i < 3; i++) {
            b.output(b.conv("model.24.m." + i, levels[i], 3 * (CLASSES + 5), 1, 1, 0));
        }
        return b.build();
    }

    // ------------------------------------------------------------------ YOLOv8

    /** ultralytics C2f: cv1 to 2c, chunk in two, n Bottlenecks (3x3, 3x3) on the last chunk, concat all, cv2. */
    private static Tensor c2f(GraphBuilder b, String p, Tensor x, int c2, int n, boolean shortcut) {
        Activation.Kind act = Activation.Kind.SILU;
        int c = c2 / 2;
        List<Tensor> ys = new ArrayList<>(b.split(p + ".split", conv(b, act, p + ".cv1", x, 2 * c, 1, 1), 1, c, c));
        for (int i = 0; i < n; i++) {
            String q = p + ".m." + i;
            Tensor last = ys.get(ys.size() - 1);
            Tensor y = conv(b, act, q + ".cv2", conv(b, act, q + ".cv1", last, c, 3, 1), c, 3, 1);
            ys.add(shortcut ? b.add(q + ".add", last, y) : y);
        }
        return conv(b, act, p + ".cv2", b.concat(p + ".cat", 1, ys), c2, 1, 1);
    }

    /**
     * models/v8/yolov8.yaml at scale n, s or m, with the Detect head as ultralytics exports it:
     * per level a box branch (two 3x3 Conv, 1x1 to 4 x 16 DFL bins) and a class branch (two 3x3
     * Conv, 1x1 to 80), then the in-model decode: DFL softmax and 1x1 expectation conv, distance
     * to box (anchor - lt, anchor + rb, centre and size), stride scaling, class sigmoid.
     */
    static Graph yolov8(String name, Scale s, VisionVariant v) {
        Activation.Kind act = Activation.Kind.SILU;
        GraphBuilder b = new GraphBuilder(name, v.precision(Precision.int8PerChannel()));
        Tensor x = b.input("images", DType.UINT8, 1, 3, stride32(name, v.height()), stride32(name, v.width()));
        Tensor l0 = conv(b, act, "model.0", x, s.channels(64), 3, 2);
        Tensor l1 = conv(b, act, "model.1", l0, s.channels(128), 3, 2);
        Tensor l2 = c2f(b, "model.2", l1, s.channels(128), s.repeats(3), true);
        Tensor l3 = conv(b, act, "model.3", l2, s.channels(256), 3, 2);
        Tensor l4 = c2f(b, "model.4", l3, s.channels(256), s.repeats(6), true);
        Tensor l5 = conv(b, act, "model.5", l4, s.channels(512), 3, 2);
        Tensor l6 = c2f(b, "model.6", l5, s.channels(512), s.repeats(6), true);
        Tensor l7 = conv(b, act, "model.7", l6, s.channels(1024), 3, 2);
        Tensor l8 = c2f(b, "model.8", l7, s.channels(1024), s.repeats(3), true);
        Tensor l9 = sppf(b, act, "model.9", l8, s.channels(1024));
        Tensor l10 = b.upsampleNearest("model.10", l9, 2);
        Tensor l11 = b.concat("model.11", 1, l10, l6);
        Tensor l12 = c2f(b, "model.12", l11, s.channels(512), s.repeats(3), false);
        Tensor l13 = b.upsampleNearest("model.13", l12, 2);
        Tensor l14 = b.concat("model.14", 1, l13, l4);
        Tensor l15 = c2f(b, "model.15", l14, s.channels(256), s.repeats(3), false);
        Tensor l16 = conv(b, act, "model.16", l15, s.channels(256), 3, 2);
        Tensor l17 = b.concat("model.17", 1, l16, l12);
        Tensor l18 = c2f(b, "model.18", l17, s.channels(512), s.repeats(3), false);
        Tensor l19 = conv(b, act, "model.19", l18, s.channels(512), 3, 2);
        Tensor l20 = b.concat("model.20", 1, l19, l9);
        Tensor l21 = c2f(b, "model.21", l20, s.channels(1024), s.repeats(3), false);
        b.output(detectV8(b, List.of(l15, l18, l21)));
        return b.build();
    }

    private static Tensor detectV8(GraphBuilder b, List<Tensor> levels) {
        Activation.Kind act = Activation.Kind.SILU;
        int regMax = 16;
        int ch0 = levels.get(0).shape().c();
        int c2 = Math.max(Math.max(16, ch0 / 4), regMax * 4);
        int c3 = Math.max(ch0, Math.min(CLASSES, 100));
        int no = CLASSES + 4 * regMax;
        List<Tensor> flat = new ArrayList<>();
        int anchors = 0;
        for (int i = 0; i < levels.size(); i++) {
            Tensor x = levels.get(i);
            String p = "model.22";
            Tensor box = conv(b, act, p + ".cv2." + i + ".0", x, c2, 3, 1);
            box = conv(b, act, p + ".cv2." + i + ".1", box, c2, 3, 1);
            box = b.conv(p + ".cv2." + i + ".2", box, 4 * regMax, 1, 1, 0);
            Tensor cls = conv(b, act, p + ".cv3." + i + ".0", x, c3, 3, 1);
            cls = conv(b, act, p + ".cv3." + i + ".1", cls, c3, 3, 1);
            cls = b.conv(p + ".cv3." + i + ".2", cls, CLASSES, 1, 1, 0);
            Tensor cat = b.concat(p + ".cat." + i, 1, box, cls);
            int hw = x.shape().h() * x.shape().w();
            anchors += hw;
            flat.add(b.reshape(p + ".view." + i, cat, 1, no, hw));
        }
        String p = "model.22";
        Tensor all = b.concat(p + ".cat", 2, flat);
        List<Tensor> parts = b.split(p + ".split", all, 1, 4 * regMax, CLASSES);
        // DFL: softmax over the 16 bins of each side, then a fixed 1x1 conv with weights 0..15 takes the expectation.
        Tensor bins = b.reshape(p + ".dfl.view", parts.get(0), 1, 4, regMax, anchors);
        bins = b.transpose(p + ".dfl.transpose", bins, 0, 2, 1, 3);
        bins = b.softmax(p + ".dfl.softmax", bins, 1);
        Tensor dist = b.conv(p + ".dfl.conv", bins, 1, Window.square(1, 1, 0), 1, false);
        dist = b.reshape(p + ".dfl.view_out", dist, 1, 4, anchors);
        // dist2bbox(xywh=True): lt, rb = chunk(2); x1y1 = anchor - lt; x2y2 = anchor + rb; centre = (x1y1 + x2y2) / 2; wh = x2y2 - x1y1.
        List<Tensor> ltrb = b.split(p + ".dist2bbox.chunk", dist, 1, 2, 2);
        Tensor anchorPoints = b.constant(p + ".anchors", 1, 2, anchors);
        Tensor x1y1 = b.sub(p + ".dist2bbox.sub", anchorPoints, ltrb.get(0));
        Tensor x2y2 = b.add(p + ".dist2bbox.add", anchorPoints, ltrb.get(1));
        Tensor centre = b.div(p + ".dist2bbox.div", b.add(p + ".dist2bbox.add_xy", x1y1, x2y2), b.constant(p + ".two", 1));
        Tensor wh = b.sub(p + ".dist2bbox.sub_wh", x2y2, x1y1);
        Tensor dbox = b.mul(p + ".strides.mul", b.concat(p + ".dist2bbox.cat", 1, centre, wh), b.constant(p + ".strides", 1, anchors));
        Tensor scores = b.sigmoid(p + ".cls.sigmoid", parts.get(1));
        return b.concat(p + ".out", 1, dbox, scores);
    }
}
