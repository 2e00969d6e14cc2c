package io.npusim.hw.npu;

/**
 * Cycles of one task on one core, from its geometry. The MAC array processes input channels in
 * feature atoms and output channels in weight atoms, so channel counts round up (a 3-channel
 * stem pays for 16, a 16-kernel layer for 32); the DPU writes a fixed number of output elements
 * per cycle, which bounds cheap 1x1 layers; depthwise convolution cannot use the channel
 * reduction of the array and runs at its own, much lower rate; a convolution cannot stream its
 * input and output features faster than the feature DMA allows, a rate in bytes per second that
 * does not follow the NPU clock (data movement scales with the DDR clock, per-layer-dumps 9.3),
 * which bounds thin layers; a 1x1 convolution sustains a smaller share of the MAC array than a
 * larger kernel (per-layer-dumps 9.5); DPU/PPU-only and data-movement
 * tasks are bounded by their stage's bytes per cycle. The fixed setup and drain of the pipeline
 * are added by the core, not here.
 */
public final class TaskTiming {
    /** Cycles of the pipeline (the largest of MAC array, DPU and feature I/O), the MACs it was padded to. */
    public record Cost(long cycles, long macCycles, long dpuCycles, long paddedMacs) {
        public double macUtilisation(long macs, long macsPerCycle) {
            return cycles == 0 ? 0 : macs / ((double) cycles * macsPerCycle);
        }
    }

    private TaskTiming() {}

    /** Cost of {@code op} with the NPU clock at {@code khz} (the feature I/O bound is in bytes per second). */
    public static Cost cost(TaskOp op, NpuParams p, long khz) {
        TaskOp.Shape s = op.shape();
        Dtype dt = op.dtype();
        switch (op.kind()) {
            case CONV -> {
                int cinG = s.inC() / s.groups();
                int coutG = s.outC() / s.groups();
                long cinPad = roundUp(cinG, p.channelsPerAtom(dt));
                long coutPad = roundUp(coutG, p.weightAtomKernels());
                long padded = s.outPixels() * s.kH() * s.kW() * cinPad * coutPad * s.groups();
                double eff = p.macEfficiency(dt) * (s.kH() * s.kW() == 1 ? p.pointwiseFactor() : 1.0);
                long mac = (long) Math.ceil(padded / (p.macsPerCycle(dt) * eff));
                long dpu = (long) Math.ceil(s.outPixels() * coutPad * s.groups() / p.dpuOutElemsPerCycle());
                long io = featureIo(op, p, khz);
                return new Cost(Math.max(Math.max(mac, dpu), io), mac, Math.max(dpu, io), padded);
            }
            case DEPTHWISE -> {
                long cPad = roundUp(s.outC(), p.channelsPerAtom(dt));
                long padded = s.outPixels() * s.kH() * s.kW() * cPad;
                long mac = ceilDiv(padded, p.depthwiseMacsPerCycle(dt));
                long dpu = (long) Math.ceil(s.outPixels() * roundUp(s.outC(), p.weightAtomKernels()) / p.dpuOutElemsPerCycle());
                long io = featureIo(op, p, khz);
                return new Cost(Math.max(Math.max(mac, dpu), io), mac, Math.max(dpu, io), padded);
            }
            case ELEMENTWISE, LUT, COPY -> {
                long c = (long) Math.ceil((op.readBytes() + op.writeBytes()) / p.dpuEwBytesPerCycle());
                return new Cost(c, 0, c, 0);
            }
            case POOL -> {
                long c = (long) Math.ceil(op.readBytes() / p.ppuBytesPerCycle());
                return new Cost(c, 0, c, 0);
            }
            default -> throw new IllegalStateException("unknown task kind " + op.kind());
        }
    }

    /** Cycles to stream the task's feature input, element-wise input and output through the CNA/DPU. */
    private static long featureIo(TaskOp op, NpuParams p, long khz) {
        long bytes = 0;
        for (TaskOp.Dma d : op.dma()) {
            if (d.operand() == TaskOp.Operand.FEATURE || d.operand() == TaskOp.Operand.EW_INPUT || d.operand() == TaskOp.Operand.OUTPUT) {
                bytes += d.bytes();
            }
        }
        // GB/s at khz kHz: bytes per cycle = gbps * 1e9 / (khz * 1e3)
        return (long) Math.ceil(bytes * (double) khz / (p.convIoGbps() * 1e6));
    }

    static long roundUp(long v, long atom) {
        return (v + atom - 1) / atom * atom;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
