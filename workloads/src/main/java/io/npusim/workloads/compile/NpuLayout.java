package io.npusim.workloads.compile;

import io.npusim.hw.npu.Dtype;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Tensor;

/**
 * Sizes of tensors in the NPU's feature layout (NC1HWC2: channels in 16-byte atoms) and the
 * mapping of graph datatypes to MAC-array datatypes.
 */
public final class NpuLayout {
    public static final int ATOM_BYTES = 16;

    private NpuLayout() {}

    public static Dtype dtype(DType d) {
        return switch (d) {
            case FP16, FP32 -> Dtype.FP16;
            case INT16 -> Dtype.INT16;
            case INT4 -> Dtype.INT4;
            default -> Dtype.INT8;
        };
    }

    public static int elemBytes(Dtype d) {
        return Math.max(1, d.bits() / 8);
    }

    /** Channels rounded up to whole 16-byte atoms. */
    public static long paddedChannels(long c, Dtype d) {
        long perAtom = ATOM_BYTES / elemBytes(d);
        return (c + perAtom - 1) / perAtom * perAtom;
    }

    /** Bytes of one row (all of W, all channels) of a feature map. */
    public static long rowBytes(int w, int c, Dtype d) {
        return w * paddedChannels(c, d) * elemBytes(d);
    }

    /** Bytes of a tensor in the NPU layout: rank-4 NCHW feature maps, else dense. */
    public static long bytes(Tensor t, Dtype d) {
        int[] s = t.shape().dims();
        if (s.length == 4) return (long) s[0] * s[2] * rowBytes(s[3], s[1], d);
        return Math.max(1, t.elements() * elemBytes(d));
    }

    public static int h(Tensor t) {
        int[] s = t.shape().dims();
        return s.length == 4 ? s[2] : 1;
    }

    public static int w(Tensor t) {
        int[] s = t.shape().dims();
        return s.length == 4 ? s[3] : (int) Math.max(1, t.elements() / Math.max(1, c(t)));
    }

    public static int c(Tensor t) {
        int[] s = t.shape().dims();
        return s.length == 4 ? s[1] : s.length >= 1 ? s[s.length - 1] : 1;
    }
}
