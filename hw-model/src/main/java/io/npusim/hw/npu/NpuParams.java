package io.npusim.hw.npu;

import io.npusim.hw.config.ParamTable;

/** Constants of one NPU core's pipeline, read from the hardware configuration. */
public record NpuParams(
        int cores,
        long macsInt8, long macsFp16, long macsInt16, long macsInt4,
        double macEfficiencyInt8, double macEfficiencyFp16, double pointwiseFactor,
        int featureAtomBytes, int weightAtomKernels,
        long dwMacsInt8, long dwMacsFp16,
        double dpuOutElemsPerCycle, double dpuEwBytesPerCycle, double ppuBytesPerCycle, double convIoGbps,
        int cbufBanks, int cbufBankBytes, int cbufEntryBytes,
        long taskSetupCycles, long taskDrainCycles,
        double pcFetchBytesPerCycle, double portGbps, double ddrWriteCost) {

    public static NpuParams from(ParamTable t) {
        return new NpuParams(
                (int) t.integer("npu.cores", "count"),
                (long) t.positive("npu.macs_per_cycle.int8", "MAC/cycle"),
                (long) t.positive("npu.macs_per_cycle.fp16", "MAC/cycle"),
                (long) t.positive("npu.macs_per_cycle.int16", "MAC/cycle"),
                (long) t.positive("npu.macs_per_cycle.int4", "MAC/cycle"),
                fraction(t, "npu.mac_efficiency.int8"),
                fraction(t, "npu.mac_efficiency.fp16"),
                fraction(t, "npu.mac_efficiency.pointwise_factor"),
                (int) t.positive("npu.atom.feature_bytes", "bytes"),
                (int) t.positive("npu.atom.weight_kernels", "count"),
                (long) t.positive("npu.depthwise_macs_per_cycle.int8", "MAC/cycle"),
                (long) t.positive("npu.depthwise_macs_per_cycle.fp16", "MAC/cycle"),
                t.positive("npu.dpu.output_elems_per_cycle", "elements/cycle"),
                t.positive("npu.dpu.ew_bytes_per_cycle", "bytes/cycle"),
                t.positive("npu.ppu.bytes_per_cycle", "bytes/cycle"),
                t.positive("npu.cna.conv_io_gbps", "GB/s"),
                (int) t.integer("npu.cbuf.banks", "count"),
                (int) t.positive("npu.cbuf.bank_bytes", "bytes"),
                (int) t.positive("npu.cbuf.entry_bytes", "bytes"),
                (long) t.nonNegative("npu.task.setup_cycles", "cycles"),
                (long) t.nonNegative("npu.task.drain_cycles", "cycles"),
                t.positive("npu.pc.fetch_bytes_per_cycle", "bytes/cycle"),
                t.positive("npu.port.gbps", "GB/s"),
                writeCost(t));
    }

    private static double writeCost(ParamTable t) {
        double v = t.positive("ddr.write_cost", "read-bytes/byte");
        if (v < 1) throw new io.npusim.core.UserError("configuration key ddr.write_cost must be at least 1, got " + v);
        return v;
    }

    private static double fraction(ParamTable t, String key) {
        double v = t.positive(key, "fraction");
        if (v > 1) throw new io.npusim.core.UserError("configuration key " + key + " must be in (0, 1], got " + v);
        return v;
    }

    /**
     * Sustained fraction of the MAC array's peak a dense convolution reaches once its operands
     * are on chip (stripe and weight-group switching inside the CNA); INT4 and INT16 use the
     * INT8 and FP16 figures.
     */
    public double macEfficiency(Dtype d) {
        return switch (d) {
            case INT8, INT4 -> macEfficiencyInt8;
            case FP16, INT16 -> macEfficiencyFp16;
        };
    }

    public long macsPerCycle(Dtype d) {
        return switch (d) {
            case INT8 -> macsInt8;
            case FP16 -> macsFp16;
            case INT16 -> macsInt16;
            case INT4 -> macsInt4;
        };
    }

    public long depthwiseMacsPerCycle(Dtype d) {
        return switch (d) {
            case INT8, INT4 -> dwMacsInt8;
            case FP16, INT16 -> dwMacsFp16;
        };
    }

    /** Channels per feature atom (16 bytes): 16 INT8, 8 FP16. */
    public int channelsPerAtom(Dtype d) {
        return Math.max(1, featureAtomBytes * 8 / d.bits());
    }

    public long cbufBytes() {
        return (long) cbufBanks * cbufBankBytes;
    }
}
