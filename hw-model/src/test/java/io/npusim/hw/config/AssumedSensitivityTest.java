package io.npusim.hw.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.account.Part;
import io.npusim.hw.HwRig;
import io.npusim.hw.Rk3588;
import io.npusim.hw.cpu.CpuComplex;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * For every constant whose origin is "assumed" (no public figure), doubles it and measures how far a
 * reference mix moves: a compute-bound conv, a three-core weight stream (contention), a chain of
 * small ping-ponged tasks, a CPU memory copy, with SRAM given to the NPU. The table goes to
 * target/assumed-sensitivity.md (docs/HARDWARE.md quotes it).
 */
class AssumedSensitivityTest {
    /** Summed task time over the cores (busy), NPU energy, and the two CPU jobs' completion times. */
    record Outcome(double makespanPs, double npuEnergyPj, double cpuPs) {}

    /** Constants that only matter in a mode the mix does not use, and why. */
    static final java.util.Map<String, String> MODE_ONLY = java.util.Map.of(
            "clock.npu.boot_mv", "only while the NPU runs at its 200 MHz boot rate",
            "clock.npu.soc_temp_c", "only when clock.npu.thermal_cap_enabled is true",
            "iommu.walks_in_flight", "only if the walker fell behind the port; even one walk in flight at 260 ns covers 15.7 GB/s of 4 KiB pages",
            "sram.gbps", "only when the cores' SRAM traffic exceeds it; three 12 GB/s ports cannot reach 24 GB/s of SRAM from one buffer");

    static Outcome mix(String... sets) {
        // the mix's DDR is pinned (the fitted DDR constants move with every re-fit) and kept light
        // enough that the concurrent memcpy does not saturate it and hide the element-wise stage's
        // own rate behind it
        List<String> all = new ArrayList<>(List.of("sram.npu_kb=512", "ddr.write_cost=2.0", "ddr.efficiency=0.88"));
        all.addAll(List.of(sets));
        HwRig rig = new HwRig(all.toArray(new String[0]));
        List<TaskOp> mixed = new ArrayList<>(List.of(rig.conv(64, 56, 56, 64, 3, Dtype.INT8),
                rig.task(TaskOp.Kind.CONV, Dtype.FP16, 64, 28, 28, 64, 3, false),
                rig.task(TaskOp.Kind.CONV, Dtype.INT16, 64, 28, 28, 64, 3, false),
                rig.task(TaskOp.Kind.CONV, Dtype.INT4, 64, 28, 28, 64, 3, false),
                rig.task(TaskOp.Kind.DEPTHWISE, Dtype.FP16, 64, 28, 28, 64, 5, false),
                rig.task(TaskOp.Kind.ELEMENTWISE, Dtype.INT8, 64, 56, 56, 64, 1, true),
                rig.task(TaskOp.Kind.POOL, Dtype.INT8, 64, 56, 56, 64, 2, false)));
        TaskOp reused = rig.task(TaskOp.Kind.CONV, Dtype.INT8, 96, 32, 32, 96, 1, false); // ~70 pages: fits 128 entries, not 64
        mixed.add(reused);
        mixed.add(reused);
        long rc0 = rig.program(mixed, 128);
        rig.start(0, rc0, 128, mixed.size(), false);
        for (int c = 1; c < 3; c++) {
            List<TaskOp> chain = new ArrayList<>();
            chain.add(rig.matmulM1(2048, 4096));
            for (int i = 0; i < 10; i++) chain.add(rig.conv(32, 10, 10, 32, 1, Dtype.INT8));
            long rc = rig.program(chain, 128);
            int core = c;
            if (c == 2) { // core 2 starts powered off and is powered up on demand
                rig.hw.core(2).setPowered(false);
                rig.hw.powerOnCore(2, () -> rig.start(core, rc, 128, chain.size(), true));
            } else {
                // after core 0's streaming tasks, so their own rates (not DDR sharing) bound them
                rig.sim.schedule(1_000_000_000L, io.npusim.core.event.Priority.USER, (x, y) -> rig.start(core, rc, 128, chain.size(), true), null, 0);
            }
        }
        long[] cpuEnd = {0};
        rig.hw.cpus().run(5, "memcpy", 100_000_000, 64L << 20, null, Part.RUNTIME_CPU, CpuComplex.Kind.USER, () -> cpuEnd[0] = rig.sim.now());
        long[] littleEnd = {0};
        rig.hw.cpus().run(1, "little", 2_000_000_000L, 16L << 20, null, Part.RUNTIME_CPU, CpuComplex.Kind.USER, () -> littleEnd[0] = rig.sim.now());
        rig.sim.run();
        double makespan = 0, energy = 0, busy = 0;
        for (TaskRecord r : rig.records) {
            makespan = Math.max(makespan, r.endPs());
            busy += r.durationPs();
            energy += r.energyPj();
        }
        // static power of the three domains over the run, at the running voltage
        for (int c = 0; c < 3; c++) energy += rig.hw.energy().poweredCore(rig.hw.coreDomain(c).onPs() + (long) makespan, rig.hw.clock().millivolts(), rig.hw.clock().mhz(), true);
        return new Outcome(busy, energy, cpuEnd[0] + littleEnd[0]);
    }

    private static double rel(double a, double b) {
        return a == 0 ? 0 : Math.abs(b - a) / a;
    }

    @Test
    void doublingEachAssumedConstantMovesResultsByAMeasuredAmount() throws IOException {
        ParamTable t = ParamTable.loadResources(Rk3588.HW_RESOURCES);
        Outcome base = mix();
        StringBuilder md = new StringBuilder("| assumed constant | value | x2: NPU busy time | x2: NPU energy | x2: CPU time | x0.5: NPU busy time | x0.5: CPU time |\n|---|---:|---:|---:|---:|---:|---:|\n");
        int checked = 0;
        java.util.Map<String, Double> seen = new java.util.LinkedHashMap<>();
        for (Param p : t.assumed()) {
            double doubled = p.asDouble() * 2;
            String v = p.value() instanceof Long ? Long.toString((long) doubled) : Double.toString(doubled);
            if (p.key().equals("cpu.little_speed")) v = "0.9"; // a fraction: doubling stays below 1
            if (p.key().equals("ddr.efficiency")) v = "1.0";
            Outcome o = mix(p.key() + "=" + v);
            double dm = rel(base.makespanPs(), o.makespanPs());
            double de = rel(base.npuEnergyPj(), o.npuEnergyPj());
            double dc = rel(base.cpuPs(), o.cpuPs());
            double half = p.asDouble() / 2;
            String hv = p.value() instanceof Long ? Long.toString(Math.max(1, (long) half)) : Double.toString(half);
            Outcome h = mix(p.key() + "=" + hv);
            double hm = rel(base.makespanPs(), h.makespanPs());
            double hc = rel(base.cpuPs(), h.cpuPs());
            md.append(String.format(Locale.ROOT, "| `%s` | %s %s | %.2f%% | %.2f%% | %.2f%% | %.2f%% | %.2f%% |%n", p.key(), p.value(), p.unit(),
                    100 * dm, 100 * de, 100 * dc, 100 * hm, 100 * hc));
            if (MODE_ONLY.containsKey(p.key())) {
                md.setLength(md.length() - 1);
                md.append(" ").append(MODE_ONLY.get(p.key())).append(" |\n");
                md.replace(md.lastIndexOf("|"), md.length(), "\n");
            } else {
                seen.put(p.key(), Math.max(Math.max(dm, de), Math.max(dc, Math.max(hm, hc))));
            }
            if (p.key().startsWith("energy.")) {
                assertThat(dm).as("energy coefficient %s must not change timing", p.key()).isZero();
                assertThat(dc).as(p.key()).isZero();
            } else {
                // a doubled assumption moves the mix by a bounded amount; larger moves need a source
                assertThat(dm).as("makespan sensitivity to %s", p.key()).isLessThan(0.5);
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
        Files.writeString(Path.of("target", "assumed-sensitivity.md"), md.toString());
        seen.forEach((k, v) -> assertThat(v).as("the mix must exercise %s", k).isPositive());
        Path out = Path.of("target", "assumed-sensitivity.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }

    @Test
    void theMixIsSensitiveWhereItShouldBe() {
        Outcome base = mix();
        // a doubled IOTLB walk latency slows the streaming cores
        assertThat(mix("iommu.walk_latency_ns=520").makespanPs()).isGreaterThan(base.makespanPs());
        // a doubled setup cost slows the chain of small tasks
        assertThat(mix("npu.task.setup_cycles=1200").makespanPs()).isGreaterThan(base.makespanPs());
        // more MAC energy: more energy, same time
        Outcome e = mix("energy.mac_pj_int8=0.5");
        assertThat(e.npuEnergyPj()).isGreaterThan(base.npuEnergyPj());
        assertThat(e.makespanPs()).isEqualTo(base.makespanPs());
    }
}
