package io.npusim.hw.ddr;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.HwRig;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryFabricTest {
    private static double gbps(TaskRecord r) {
        return r.ddrBytes() / (r.durationPs() - r.overheadPs() - r.walkLatencyPs()) * 1e12 / 1e9;
    }

    @Test
    void twoStreamingCoresShareDdrAndNeverExceedThePreset() {
        HwRig alone = new HwRig("ddr.background_gbps=0");
        TaskRecord a = alone.runAlone(0, alone.matmulM1(4096, 4096));
        double aloneGbps = gbps(a);

        // three cores streaming at once: together they want 36 GB/s of a 27 GB/s DDR
        HwRig rig = new HwRig("ddr.background_gbps=0");
        for (int c = 0; c < 3; c++) {
            long rc = rig.program(List.of(rig.matmulM1(4096, 4096)), 128);
            rig.start(c, rc, 128, 1, false);
        }
        rig.sim.run();
        assertThat(rig.records).hasSize(3);
        double sum = 0;
        for (TaskRecord r : rig.records) {
            assertThat(gbps(r)).isLessThan(aloneGbps * 0.95);
            sum += gbps(r);
        }
        // lpddr4x-4224 peak x ddr.efficiency; a matmul moves almost only reads, so writes cost little
        double effective = 33.8 * rig.hw.params().fraction("ddr.efficiency");
        assertThat(sum).isLessThanOrEqualTo(effective * 1.001);
        assertThat(sum).isGreaterThan(effective * 0.95);
        // alone, a core is limited by its port, not by DDR
        assertThat(aloneGbps).isBetween(11.0, 12.01);
        assertThat(rig.hw.fabric().peakDdrBytesPerPs() * 1000).isLessThanOrEqualTo(effective * 1.001);
    }

    @Test
    void backgroundCpuTrafficSlowsNpuDma() {
        HwRig quiet = new HwRig("ddr.background_gbps=0");
        TaskRecord q = quiet.runAlone(0, quiet.matmulM1(4096, 4096));
        HwRig busy = new HwRig("ddr.background_gbps=0");
        // two cores streaming keep DDR nearly full; the CPU copy on top takes its share
        for (int c = 1; c < 3; c++) {
            long rc = busy.program(List.of(busy.matmulM1(4096, 8192)), 128);
            busy.start(c, rc, 128, 1, false);
        }
        boolean[] cpuDone = {false};
        busy.hw.cpus().run(5, "memcpy", 1, 200L << 20, null, io.npusim.core.account.Part.RUNTIME_CPU,
                io.npusim.hw.cpu.CpuComplex.Kind.USER, () -> cpuDone[0] = true);
        long rc = busy.program(List.of(busy.matmulM1(4096, 4096)), 128);
        busy.start(0, rc, 128, 1, false);
        busy.sim.run();
        TaskRecord b = busy.records.stream().filter(r -> r.core() == 0).findFirst().orElseThrow();
        assertThat(cpuDone[0]).isTrue();
        assertThat(b.durationPs()).isGreaterThan((long) (q.durationPs() * 1.3));
        assertThat(b.memStallPs()).isGreaterThan(q.memStallPs());
    }

    @Test
    void progressiveFillingGivesSmallDemandsAllTheyAsk() {
        HwRig rig = new HwRig("ddr.background_gbps=5");
        TaskRecord r = rig.runAlone(0, rig.matmulM1(4096, 4096));
        // 5 GB/s of background fits next to one core's 12 GB/s port: the core is not slowed
        assertThat(gbps(r)).isBetween(11.0, 12.01);
        assertThat(r.ddrBytes()).isGreaterThan(4096.0 * 4096);
        assertThat(TaskOp.Kind.values()).isNotEmpty();
    }
}
