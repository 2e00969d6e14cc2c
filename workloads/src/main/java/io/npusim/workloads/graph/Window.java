package io.npusim.workloads.graph;

/**
 * Sliding-window geometry shared by convolutions and pools: kernel, stride, explicit padding on
 * each side (asymmetric padding is how TF "SAME" and Keras ZeroPadding2D look after export) and
 * dilation.
 */
public record Window(int kernelH, int kernelW, int strideH, int strideW,
                     int padTop, int padLeft, int padBottom, int padRight,
                     int dilationH, int dilationW) {

    public Window {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1
                || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("bad window " + kernelH + "x" + kernelW + " stride " + strideH + "x" + strideW
                    + " pad " + padTop + "," + padLeft + "," + padBottom + "," + padRight + " dilation " + dilationH + "x" + dilationW);
        }
    }

    /** Square kernel, same padding on all sides, no dilation (PyTorch {@code Conv2d(k, s, p)}). */
    public static Window square(int k, int stride, int pad) {
        return square(k, stride, pad, 1);
    }

    public static Window square(int k, int stride, int pad, int dilation) {
        return new Window(k, k, stride, stride, pad, pad, pad, pad, dilation, dilation);
    }

    /**
     * TensorFlow "SAME" padding: output = ceil(in / stride), extra padding goes bottom/right. This is
     * what the TF-slim MobileNet and the TF object-detection SSD models use.
     */
    public static Window same(int inH, int inW, int k, int stride) {
        int padH = samePadTotal(inH, k, stride);
        int padW = samePadTotal(inW, k, stride);
        return new Window(k, k, stride, stride, padH / 2, padW / 2, padH - padH / 2, padW - padW / 2, 1, 1);
    }

    private static int samePadTotal(int in, int k, int stride) {
        int out = (in + stride - 1) / stride;
        return Math.max((out - 1) * stride + k - in, 0);
    }

    public int outH(int inH) {
        return out(inH, padTop + padBottom, kernelH, strideH, dilationH);
    }

    public int outW(int inW) {
        return out(inW, padLeft + padRight, kernelW, strideW, dilationW);
    }

    private static int out(int in, int pad, int k, int stride, int dilation) {
        int span = dilation * (k - 1) + 1;
        if (in + pad < span) {
            throw new IllegalArgumentException("window of span " + span + " does not fit input " + in + " with padding " + pad);
        }
        return (in + pad - span) / stride + 1;
    }

    public boolean isUnitStride() {
        return strideH == 1 && strideW == 1;
    }
}
