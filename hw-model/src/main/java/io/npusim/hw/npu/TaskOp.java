package io.npusim.hw.npu;

import java.util.List;

/**
 * What one task's register commands program: the operation of the CNA/CORE/DPU/PPU pipeline on
 * one tile, its CBUF split, and the DMA ranges its engines read and write. Compilers (userspace)
 * build it from their tiling; the hardware times it from these fields alone.
 *
 * @param label operation name for traces and profiles (e.g. "conv2d_3 tile 2/5")
 * @param macs true multiply-accumulates of this tile (no padding)
 */
public record TaskOp(String label, Kind kind, Dtype dtype, Shape shape, Cbuf cbuf, Post post, List<Dma> dma, long macs) {
    public enum Kind {
        /** Convolution on the MAC array; also matmul and fully connected as 1x1 convolutions. */
        CONV,
        /** Depthwise convolution (one input channel per output channel). */
        DEPTHWISE,
        /** DPU element-wise operation (add, mul) with requantisation, no convolution. */
        ELEMENTWISE,
        /** DPU lookup-table activation alone (sigmoid, SiLU, ...). */
        LUT,
        /** PPU pooling (min, max, average). */
        POOL,
        /** Data movement through the DMA engines (concat, copy, resize, layout conversion). */
        COPY
    }

    /** Operand of a DMA range. */
    public enum Operand { FEATURE, WEIGHT, BIAS, EW_INPUT, LUT_TABLE, OUTPUT }

    /** Geometry of the tile, in output terms; matmul (M x K x N) is outH=1, outW=M, inC=K, outC=N, 1x1. */
    public record Shape(int inC, int inH, int inW, int outC, int outH, int outW, int kH, int kW,
                        int strideH, int strideW, int groups) {
        public Shape {
            if (inC <= 0 || inH <= 0 || inW <= 0 || outC <= 0 || outH <= 0 || outW <= 0 || kH <= 0 || kW <= 0
                    || strideH <= 0 || strideW <= 0 || groups <= 0) {
                throw new IllegalArgumentException("bad task shape " + inC + "x" + inH + "x" + inW + " -> " + outC + "x" + outH + "x" + outW);
            }
        }

        public static Shape matmul(int m, int k, int n) {
            return new Shape(k, 1, m, n, 1, m, 1, 1, 1, 1, 1);
        }

        public static Shape elementwise(int c, int h, int w) {
            return new Shape(c, h, w, c, h, w, 1, 1, 1, 1, 1);
        }

        public long outPixels() {
            return (long) outH * outW;
        }
    }

    /** CNA_CBUF_CON0: banks given to feature data and weights; weights kept from the previous task. */
    public record Cbuf(int dataBanks, int weightBanks, boolean weightReuse) {
        public static final Cbuf NONE = new Cbuf(0, 0, false);
    }

    /** DPU/PPU stages after the MAC array. */
    public record Post(boolean bias, boolean ewAdd, Activation activation, boolean pool) {
        public static final Post NONE = new Post(false, false, Activation.NONE, false);
        public static final Post BIAS_RELU = new Post(true, false, Activation.RELU, false);
    }

    public enum Activation { NONE, RELU, CLIP, LUT }

    /** One DMA range: {@code bytes} at NPU address {@code iova}. */
    public record Dma(Operand operand, long iova, long bytes) {
        public boolean write() {
            return operand == Operand.OUTPUT;
        }
    }

    public TaskOp {
        dma = List.copyOf(dma);
        if (macs < 0) throw new IllegalArgumentException("negative MACs");
    }

    public long readBytes() {
        long s = 0;
        for (Dma d : dma) if (!d.write()) s += d.bytes();
        return s;
    }

    public long writeBytes() {
        long s = 0;
        for (Dma d : dma) if (d.write()) s += d.bytes();
        return s;
    }

    /** The completion interrupt bit pair this task raises: PPU when it pools last, else DPU. */
    public int doneBits() {
        return kind == Kind.POOL || post.pool() ? IrqBits.PPU_BOTH : IrqBits.DPU_BOTH;
    }
}
