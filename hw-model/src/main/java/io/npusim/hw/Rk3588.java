package io.npusim.hw;

import io.npusim.core.UserError;
import io.npusim.core.event.Simulator;
import io.npusim.core.time.Time;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.clock.NpuClock;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.cpu.CpuComplex;
import io.npusim.hw.ddr.Activity;
import io.npusim.hw.ddr.MemoryFabric;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.mem.PhysMemory;
import io.npusim.hw.npu.NpuCore;
import io.npusim.hw.npu.NpuParams;
import io.npusim.hw.power.EnergyMeter;
import io.npusim.hw.power.PowerDomain;
import java.util.ArrayList;
import java.util.List;

/**
 * The RK3588 hardware of one run, built from the configuration: NPU clock and cores, IOMMU(s) in
 * the chosen topology, DDR/SRAM fabric with its ports, physical memory, CPUs, power domains and
 * the energy meter. Drivers in the kernel model program it through registers and IOMMU calls.
 */
public final class Rk3588 {
    /** How the IOMMU banks are grouped: vendor DT (one instance, shared table) or mainline (one per core). */
    public enum IommuTopology { SHARED, PER_CORE }

    public static final String[] HW_RESOURCES = {"npusim/hw-rk3588.yaml"};
    /** Resolution of the over-time series (utilisation, bandwidth) used by plots. */
    public static final long SERIES_BUCKET_PS = Time.ms(10);

    public static final int PORT_LITTLE = 3;
    public static final int PORT_BIG = 4;
    public static final int PORT_OTHER = 5;

    private final Simulator sim;
    private final ParamTable params;
    private final NpuParams npuParams;
    private final NpuClock clock;
    private final MemoryFabric fabric;
    private final PhysMemory mem;
    private final List<Iommu> iommus = new ArrayList<>();
    private final NpuCore[] cores;
    private final PowerDomain[] coreDomains;
    private final CpuComplex cpus;
    private final EnergyMeter energy;
    private final String ddrPreset;
    private final double ddrPeakGbps;
    private final long iotlbEntries;
    private final IommuTopology topology;

    public Rk3588(Simulator sim, ParamTable t, IommuTopology topology, TraceSink trace) {
        this.sim = sim;
        this.params = t;
        this.topology = topology;
        this.npuParams = NpuParams.from(t);
        if (npuParams.cores() != 3) throw new UserError("npu.cores must be 3 on RK3588, got " + npuParams.cores());
        this.clock = new NpuClock(t);
        this.ddrPreset = t.text("ddr.preset");
        List<String> presets = t.children("ddr.presets");
        if (!presets.contains(ddrPreset)) {
            throw new UserError("ddr.preset: unknown DDR preset '" + ddrPreset + "'; valid: " + String.join(", ", presets));
        }
        this.ddrPeakGbps = t.positive("ddr.presets." + ddrPreset + ".peak_gbps", "GB/s");
        double eff = t.fraction("ddr.efficiency");
        if (eff <= 0) throw new UserError("ddr.efficiency must be positive, got " + eff);
        double gbpsToBytesPerPs = 1e9 / 1e12;
        double ddrCap = ddrPeakGbps * eff * gbpsToBytesPerPs;
        double sramCap = t.positive("sram.gbps", "GB/s") * gbpsToBytesPerPs;
        double port = npuParams.portGbps() * gbpsToBytesPerPs;
        String[] portNames = {"npu0", "npu1", "npu2", "cpu-little", "cpu-big", "other-ip"};
        double[] limits = {port, port, port, t.positive("ddr.cpu_little_gbps", "GB/s") * gbpsToBytesPerPs,
                t.positive("ddr.cpu_big_gbps", "GB/s") * gbpsToBytesPerPs, Double.POSITIVE_INFINITY};
        boolean[] exclusive = {true, true, true, false, false, false};
        this.fabric = new MemoryFabric(sim, ddrCap, sramCap, portNames, limits, exclusive, SERIES_BUCKET_PS);

        long sramKb = t.integer("sram.npu_kb", "KiB");
        long sramMax = t.integer("sram.max_kb", "KiB");
        if (sramKb < 0 || sramKb > sramMax) throw new UserError("sram.npu_kb must lie in [0, " + sramMax + "], got " + sramKb);
        long granule = t.integer("sram.granule_bytes", "bytes");
        long sramBytes = sramKb * 1024 / granule * granule;
        long ddrBytesCap = t.integer("ddr.capacity_gib", "GiB") << 30;
        this.mem = new PhysMemory(ddrBytesCap, sramBytes);

        this.iotlbEntries = t.integer("iommu.iotlb_entries", "entries");
        if (iotlbEntries <= 0) throw new UserError("iommu.iotlb_entries must be positive, got " + iotlbEntries);
        if (topology == IommuTopology.SHARED) {
            // vendor DT: one instance, banks fdab9000 + fdaba000 (core 0), fdaca000, fdada000
            iommus.add(new Iommu("rknpu_mmu", new int[] {0, 1, 2}, 2, iotlbEntries, 4));
        } else {
            iommus.add(new Iommu("rknn_mmu_0", new int[] {0}, 2, iotlbEntries, 2));
            iommus.add(new Iommu("rknn_mmu_1", new int[] {1}, 2, iotlbEntries, 1));
            iommus.add(new Iommu("rknn_mmu_2", new int[] {2}, 2, iotlbEntries, 1));
        }
        this.energy = new EnergyMeter(t);
        long ddrLat = Time.fromNs(t.positive("ddr.latency_ns", "ns"));
        long walkLat = Time.fromNs(t.positive("iommu.walk_latency_ns", "ns"));
        int walks = (int) t.integer("iommu.walks_in_flight", "count");
        if (walks <= 0) throw new UserError("iommu.walks_in_flight must be positive, got " + walks);
        this.cores = new NpuCore[3];
        this.coreDomains = new PowerDomain[3];
        long onLatency = Time.fromUs(t.nonNegative("power.domain_on_us", "us"));
        String[] pd = {"PD_NPUTOP", "PD_NPU1", "PD_NPU2"};
        for (int i = 0; i < 3; i++) {
            cores[i] = new NpuCore(i, sim, npuParams, clock, fabric, i, iommuFor(i), energy, trace, ddrLat, walkLat, walks,
                    t.nonNegative("iommu.walk_bytes", "bytes"));
            coreDomains[i] = new PowerDomain(pd[i], sim, onLatency, false);
            cores[i].setPowered(false);
        }
        this.cpus = new CpuComplex(sim, fabric, (int) t.integer("cpu.little_cores", "count"),
                (int) t.integer("cpu.big_cores", "count"), t.fraction("cpu.little_speed"), PORT_LITTLE, PORT_BIG,
                SERIES_BUCKET_PS);
        double bg = t.nonNegative("ddr.background_gbps", "GB/s") * gbpsToBytesPerPs;
        if (bg > 0) fabric.start(Activity.background("other-ip", PORT_OTHER, bg));
    }

    public Iommu iommuFor(int core) {
        for (Iommu m : iommus) if (m.serves(core)) return m;
        throw new IllegalArgumentException("no IOMMU serves core " + core);
    }

    /** Powers a core's domain on (if needed) and runs {@code then} once the core can run. */
    public void powerOnCore(int core, Runnable then) {
        coreDomains[core].powerOn(() -> {
            cores[core].setPowered(true);
            then.run();
        });
    }

    public void powerOffCore(int core) {
        coreDomains[core].powerOff();
        cores[core].setPowered(false);
    }

    /** Integrates static energy of powered domains up to now (call before reading energy). */
    public double staticEnergyMj(long fromPs) {
        return energy.staticMj();
    }

    public Simulator sim() {
        return sim;
    }

    public ParamTable params() {
        return params;
    }

    public NpuParams npuParams() {
        return npuParams;
    }

    public NpuClock clock() {
        return clock;
    }

    public MemoryFabric fabric() {
        return fabric;
    }

    public PhysMemory mem() {
        return mem;
    }

    public List<Iommu> iommus() {
        return List.copyOf(iommus);
    }

    public NpuCore core(int i) {
        return cores[i];
    }

    public int coreCount() {
        return cores.length;
    }

    public PowerDomain coreDomain(int i) {
        return coreDomains[i];
    }

    public CpuComplex cpus() {
        return cpus;
    }

    public EnergyMeter energy() {
        return energy;
    }

    public String ddrPreset() {
        return ddrPreset;
    }

    public double ddrPeakGbps() {
        return ddrPeakGbps;
    }

    public IommuTopology topology() {
        return topology;
    }
}
