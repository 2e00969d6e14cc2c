package io.npusim.system.result;

import io.npusim.core.account.Part;
import io.npusim.core.stats.LatencyRecorder;
import io.npusim.hw.Rk3588;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.iommu.Iotlb;
import io.npusim.system.board.Board;
import io.npusim.system.board.TaskLog;
import io.npusim.workloads.arrival.Client;
import io.npusim.workloads.arrival.ClientStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary of one policy run, as an ordered map (field order is fixed, nothing depends on the
 * wall clock). Field names follow the validation metrics; every metric is defined in
 * docs/METRICS.md.
 */
public final class SummaryBuilder {
    public static final String VERSION = "0.1.0";

    private SummaryBuilder() {}

    public static Map<String, Object> build(Board b) {
        Map<String, Object> s = new LinkedHashMap<>();
        double simS = b.durationPs() / 1e12;
        s.put("scenario", b.scenario().name());
        s.put("policy", b.spec().policy().key());
        if (b.spec().variant() != null) s.put("variant", b.spec().variant()); // compare --variants: the run's label
        s.put("seed", b.seed());
        s.put("simulated_s", Num.round(simS, 6));
        s.put("events", b.sim().events());
        s.put("version", VERSION);
        List<Map<String, Object>> clients = new ArrayList<>();
        double staticMj = staticEnergyMj(b);
        long totalBusy = 0;
        for (Client c : b.clients()) totalBusy += b.taskLog().client(c.name()).busyPs;
        for (Client c : b.clients()) clients.add(client(b, c, simS, staticMj, totalBusy));
        s.put("clients", clients);
        s.put("npu", npu(b, simS));
        s.put("kernel", kernel(b));
        s.put("config", b.params().values());
        return s;
    }

    private static Map<String, Object> client(Board b, Client c, double simS, double staticMj, long totalBusy) {
        ClientStats st = c.stats();
        TaskLog.ClientTotals tt = b.taskLog().client(c.name());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("kind", st.kind());
        m.put("model", st.model());
        long n = st.requests();
        m.put("inferences", n);
        LatencyRecorder l = st.latency();
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("mean", Num.ms(l.meanPs()));
        lat.put("p50", Num.ms(l.percentilePs(50)));
        lat.put("p99", Num.ms(l.percentilePs(99)));
        lat.put("max", Num.ms(l.maxPs()));
        m.put("latency_ms", lat);
        boolean llm = "llm".equals(st.kind());
        if (!llm) {
            m.put("deadline_misses", st.deadlineMisses());
            m.put("dropped_frames", st.dropped());
            m.put("fps", Num.round(n / simS, 3));
        } else {
            LatencyRecorder first = st.ttftRecorder();
            Map<String, Object> ttft = new LinkedHashMap<>();
            ttft.put("mean", Num.ms(first.meanPs()));
            ttft.put("p50", Num.ms(first.percentilePs(50)));
            ttft.put("p99", Num.ms(first.percentilePs(99)));
            m.put("ttft_ms", ttft);
            m.put("prompts", first.count());
            m.put("decode_tokens_per_s", st.decodePs() == 0 ? 0.0 : Num.round(st.tokens() / (st.decodePs() / 1e12), 3));
        }
        if (n > 0) {
            m.put("ddr_mb_per_inference", Num.round(tt.ddrBytes / n / 1e6, 4));
            // dynamic energy of this client's tasks plus its share of static power by busy time
            double energyPj = tt.energyPj;
            double share = totalBusy > 0 ? (double) tt.busyPs / totalBusy : 0;
            double mj = energyPj * 1e-9 + staticMj * share;
            m.put("energy_mj_per_inference", Num.round(mj / n, 4));
        }
        Map<String, Object> bd = new LinkedHashMap<>();
        long[] parts = st.breakdownPs();
        for (Part p : Part.ALL) bd.put(p.key(), n == 0 ? 0.0 : Num.ms(parts[p.ordinal()] / (double) n));
        m.put("breakdown_ms", bd);
        List<Map<String, Object>> profile = profile(b, c.name(), n);
        if (!profile.isEmpty()) m.put("profile", profile);
        if (st.failures() > 0) {
            m.put("failures", st.failures());
            m.put("failure", st.failure());
        }
        return m;
    }

    /** Rows kept per client in the per-layer profile (an LLM has a few hundred). */
    static final int PROFILE_ROWS = 2000;

    /**
     * The per-layer profile of an average request, like the vendor runtime's perf dump: per
     * layer its cores, tasks, NPU cycles, DDR bytes, time and MAC usage as the dump defines it
     * (true MACs over time x clock x MACs per cycle of one core, per-layer-dumps.md 1).
     */
    private static List<Map<String, Object>> profile(Board b, String client, long requests) {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (requests == 0) return rows;
        double mhz = b.hw().clock().mhz();
        long peak = b.hw().npuParams().macsInt8();
        for (TaskLog.LayerTotals lt : b.taskLog().layers()) {
            if (!lt.client.equals(client) || rows.size() >= PROFILE_ROWS) continue;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("layer", lt.layer);
            r.put("kind", lt.kind.toLowerCase());
            List<Integer> cores = new ArrayList<>();
            for (int i = 0; i < 3; i++) if ((lt.coreMask & (1 << i)) != 0) cores.add(i);
            r.put("cores", cores);
            r.put("tasks", Num.round(lt.tasks / (double) requests, 3));
            r.put("cycles", Math.round(lt.cycles / (double) requests));
            r.put("ddr_kb", Num.round(lt.ddrBytes / requests / 1024, 2));
            double us = lt.timePs / (double) requests / 1e6;
            r.put("time_us", Num.round(us, 3));
            double util = us <= 0 ? 0 : lt.macs / (double) requests / (us * 1e-6 * mhz * 1e6 * peak) * 100;
            r.put("mac_usage_pct", Num.round(util, 2));
            rows.add(r);
        }
        return rows;
    }

    private static Map<String, Object> npu(Board b, double simS) {
        Rk3588 hw = b.hw();
        Map<String, Object> m = new LinkedHashMap<>();
        List<Double> busy = new ArrayList<>();
        for (int i = 0; i < hw.coreCount(); i++) busy.add(Num.round(100.0 * hw.core(i).busyPs() / b.durationPs(), 2));
        m.put("core_busy_pct", busy);
        double[] driverLoad = b.driver().driverLoadPct();
        if (driverLoad != null) {
            List<Double> load = new ArrayList<>();
            for (double v : driverLoad) load.add(Num.round(v, 2));
            m.put("driver_load_pct", load);
        }
        m.put("npu_mhz", hw.clock().mhz());
        m.put("npu_mhz_mean", Num.round(hw.clock().meanMhz(b.durationPs()), 1));
        m.put("clock_changes", hw.clock().changes());
        m.put("ddr_preset", hw.ddrPreset());
        m.put("ddr_gbps_mean", Num.round(hw.fabric().ddrBytesTotal() / simS / 1e9, 3));
        long hits = 0, misses = 0;
        for (Iommu mmu : hw.iommus()) {
            for (int c : mmu.cores()) {
                Iotlb t = mmu.iotlb(c);
                hits += t.hits();
                misses += t.misses();
            }
        }
        m.put("iotlb_miss_rate", Num.round(hits + misses == 0 ? 0 : misses / (double) (hits + misses), 4));
        m.put("sram_kb_used", Num.round(b.driver().sramPeakBytes() / 1024.0, 1));
        long tasks = 0;
        for (int i = 0; i < hw.coreCount(); i++) tasks += hw.core(i).tasksRun();
        m.put("tasks", tasks);
        List<Map<String, Object>> cores = new ArrayList<>();
        for (int i = 0; i < hw.coreCount(); i++) {
            var c = hw.core(i);
            Map<String, Object> cm = new LinkedHashMap<>();
            double d = b.durationPs();
            cm.put("core", i);
            cm.put("busy_pct", Num.round(100.0 * c.busyPs() / d, 2));
            cm.put("compute_pct", Num.round(100.0 * c.computePs() / d, 2));
            cm.put("memory_stall_pct", Num.round(100.0 * c.memStallPs() / d, 2));
            cm.put("walk_stall_pct", Num.round(100.0 * (c.walkStallPs() + c.walkLatencyPs()) / d, 2));
            cm.put("setup_pct", Num.round(100.0 * c.setupPs() / d, 2));
            cm.put("tasks", c.tasksRun());
            cm.put("interrupts", c.irqs());
            cm.put("ddr_mb", Num.round(c.ddrBytes() / 1e6, 3));
            cm.put("sram_mb", Num.round(c.sramBytes() / 1e6, 3));
            cm.put("iotlb_misses", c.iotlbMisses());
            cm.put("resets", c.resets());
            cm.put("lost_tasks", c.lostTasks());
            cm.put("faults", c.faults());
            cores.add(cm);
        }
        m.put("cores", cores);
        Map<String, Object> mmu = new LinkedHashMap<>();
        long attaches = 0, zaps = 0, zapLines = 0;
        for (Iommu x : hw.iommus()) {
            attaches += x.attaches();
            zaps += x.zapCacheCommands();
            zapLines += x.zapLineCommands();
        }
        mmu.put("attaches", attaches);
        mmu.put("zap_cache", zaps);
        mmu.put("zap_one_line", zapLines);
        mmu.put("iotlb_hits", hits);
        mmu.put("iotlb_misses", misses);
        long n = requests(b);
        if (n > 0) {
            mmu.put("attaches_per_inference", Num.round(attaches / (double) n, 3));
            mmu.put("iotlb_misses_per_inference", Num.round(misses / (double) n, 1));
        }
        m.put("iommu", mmu);
        m.put("energy_mj", Num.round(hw.energy().totalMj() + staticEnergyMj(b), 3));
        return m;
    }

    private static Map<String, Object> kernel(Board b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu_ms", Num.round(b.kernel().cpuPs() / 1e9, 3));
        m.put("ioctls", b.kernel().ioctls());
        m.put("irqs", b.kernel().irqs());
        long n = requests(b);
        if (n > 0) m.put("irqs_per_inference", Num.round(b.kernel().irqs() / (double) n, 3));
        m.put("jobs_submitted", b.driver().jobsSubmitted());
        m.put("jobs_completed", b.driver().jobsCompleted());
        m.put("jobs_errored", b.driver().jobsErrored());
        m.put("jobs_lost", b.driver().jobsLost());
        return m;
    }

    /** Requests completed by all clients (the denominator of the run-level per-inference figures). */
    private static long requests(Board b) {
        long n = 0;
        for (Client c : b.clients()) n += c.stats().requests();
        return n;
    }

    /** Static and idle-clock energy of the powered core domains over the run. */
    static double staticEnergyMj(Board b) {
        Rk3588 hw = b.hw();
        double pj = 0;
        long mv = hw.clock().millivolts();
        long mhz = hw.clock().mhz();
        io.npusim.hw.config.ParamTable t = b.params();
        double v = mv / 850.0;
        double mw = t.num("energy.core_static_mw", "mW") * v + t.num("energy.core_idle_dynamic_mw", "mW") * v * v * mhz / 1000.0;
        for (int i = 0; i < hw.coreCount(); i++) pj += mw * 1e-3 * hw.coreDomain(i).onPs();
        return pj * 1e-9;
    }
}
