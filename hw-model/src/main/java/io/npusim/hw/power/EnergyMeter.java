package io.npusim.hw.power;

import io.npusim.hw.config.ParamTable;

/**
 * Energy estimate of the NPU subsystem: dynamic MAC energy (scaled with V^2 from the reference
 * 850 mV), DDR and SRAM access energy per byte, and static plus idle-clock power of each
 * powered core domain over time. All coefficients are marked assumed in the configuration.
 */
public final class EnergyMeter {
    private static final double REF_MV = 850.0;
    private final double macPjInt8;
    private final double macPjFp16;
    private final double ddrPjPerByte;
    private final double sramPjPerByte;
    private final double staticMw;
    private final double idleDynMw;

    private double macPj;
    private double ddrPj;
    private double sramPj;
    private double staticPj;

    public EnergyMeter(ParamTable t) {
        macPjInt8 = t.nonNegative("energy.mac_pj_int8", "pJ/MAC");
        macPjFp16 = t.nonNegative("energy.mac_pj_fp16", "pJ/MAC");
        ddrPjPerByte = t.nonNegative("energy.ddr_pj_per_byte", "pJ/byte");
        sramPjPerByte = t.nonNegative("energy.sram_pj_per_byte", "pJ/byte");
        staticMw = t.nonNegative("energy.core_static_mw", "mW");
        idleDynMw = t.nonNegative("energy.core_idle_dynamic_mw", "mW");
    }

    /** Dynamic energy of a task's MACs at {@code mv}; returns the picojoules charged. */
    public double macs(long padded, boolean fp16, long mv) {
        double v = mv / REF_MV;
        double pj = padded * (fp16 ? macPjFp16 : macPjInt8) * v * v;
        macPj += pj;
        return pj;
    }

    public double ddrBytes(double bytes) {
        double pj = bytes * ddrPjPerByte;
        ddrPj += pj;
        return pj;
    }

    public double sramBytes(double bytes) {
        double pj = bytes * sramPjPerByte;
        sramPj += pj;
        return pj;
    }

    /** Static and idle-clock energy of one powered core for {@code ps} at {@code mv} and {@code mhz}. */
    public double poweredCore(long ps, long mv, long mhz, boolean clocked) {
        double v = mv / REF_MV;
        double mw = staticMw * v + (clocked ? idleDynMw * v * v * mhz / 1000.0 : 0);
        double pj = mw * 1e-3 * ps; // mW x ps = 1e-3 pJ
        staticPj += pj;
        return pj;
    }

    public double macMj() {
        return macPj * 1e-9;
    }

    public double ddrMj() {
        return ddrPj * 1e-9;
    }

    public double sramMj() {
        return sramPj * 1e-9;
    }

    public double staticMj() {
        return staticPj * 1e-9;
    }

    public double totalMj() {
        return (macPj + ddrPj + sramPj + staticPj) * 1e-9;
    }
}
