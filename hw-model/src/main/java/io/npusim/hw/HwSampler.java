package io.npusim.hw;

import io.npusim.core.event.EventHandler;
import io.npusim.core.event.Priority;
import io.npusim.core.event.Simulator;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.iommu.Iotlb;

/**
 * Samples hardware counters at a fixed interval into the trace: DDR and SRAM bandwidth over the
 * last interval, IOTLB misses per core, tasks run per core. Runs only when tracing is on, so a
 * run without a trace pays nothing.
 */
public final class HwSampler {
    private final Simulator sim;
    private final Rk3588 hw;
    private final TraceSink trace;
    private final long intervalPs;
    private final int ddrTrack;
    private final int iommuTrack;
    private final int[] coreTrack = new int[3];
    private double lastDdr;
    private double lastSram;
    private final long[] lastMisses = new long[3];
    private final long[] lastTasks = new long[3];
    private final EventHandler tick = (p, a) -> sample();

    public HwSampler(Simulator sim, Rk3588 hw, TraceSink trace, long intervalPs) {
        this.sim = sim;
        this.hw = hw;
        this.trace = trace;
        this.intervalPs = intervalPs;
        this.ddrTrack = trace.enabled() ? trace.track("DDR", "bandwidth") : 0;
        this.iommuTrack = trace.enabled() ? trace.track("IOMMU", "IOTLB") : 0;
        for (int i = 0; i < 3; i++) coreTrack[i] = trace.enabled() ? trace.track("NPU core " + i, "tasks") : 0;
    }

    public void start() {
        if (!trace.enabled()) return;
        sim.schedule(sim.now(), Priority.STATS, tick);
    }

    private void sample() {
        long now = sim.now();
        hw.fabric().sync();
        double ddr = hw.fabric().ddrBytesTotal();
        double sram = hw.fabric().sramBytesTotal();
        double seconds = intervalPs / 1e12;
        trace.counter(ddrTrack, "DDR bandwidth", now, "GB/s", round((ddr - lastDdr) / seconds / 1e9));
        trace.counter(ddrTrack, "SRAM bandwidth", now, "GB/s", round((sram - lastSram) / seconds / 1e9));
        lastDdr = ddr;
        lastSram = sram;
        for (int c = 0; c < 3; c++) {
            Iommu m = hw.iommuFor(c);
            Iotlb t = m.iotlb(c);
            long misses = t.misses();
            trace.counter(iommuTrack, "IOTLB misses core " + c, now, "misses", misses - lastMisses[c]);
            lastMisses[c] = misses;
            long tasks = hw.core(c).tasksRun();
            trace.counter(coreTrack[c], "tasks per interval", now, "tasks", tasks - lastTasks[c]);
            lastTasks[c] = tasks;
        }
        sim.scheduleIn(intervalPs, Priority.STATS, tick);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
