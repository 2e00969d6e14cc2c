package io.npusim.cli.report;

import io.npusim.core.account.Part;
import io.npusim.core.stats.BucketSeries;
import io.npusim.hw.Rk3588;
import io.npusim.system.board.Board;
import io.npusim.system.board.TaskLog;
import io.npusim.system.result.RunResult;
import io.npusim.workloads.arrival.ChatClient;
import io.npusim.workloads.arrival.Client;
import io.npusim.workloads.arrival.VisionClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the report model from finished runs: series, profiles, memory, notes. */
public final class ReportBuilder {
    private ReportBuilder() {}

    public static ReportModel build(String scenario, List<RunResult> results) {
        List<Map<String, Object>> sums = new ArrayList<>();
        for (RunResult r : results) sums.add(r.summary());
        List<String> cross = Notes.compare(sums);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) runs.add(run(results.get(i), i == 0 ? cross : List.of()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("version", String.valueOf(results.get(0).summary().get("version")));
        meta.put("seed", String.valueOf(results.get(0).summary().get("seed")));
        return new ReportModel(scenario, "npusim: " + scenario, runs, meta);
    }

    @SuppressWarnings("unchecked")
    private static Run run(RunResult r, List<String> cross) {
        Board b = r.board();
        Rk3588 hw = b.hw();
        String name = (String) r.summary().getOrDefault("variant", r.summary().get("policy"));
        List<ClientSeries> clients = new ArrayList<>();
        for (Client c : b.clients()) {
            double[][] cdf = c.stats().latency().cdf();
            for (double[] p : cdf) p[0] = p[0] / 1e9;
            clients.add(new ClientSeries(c.name(), cdf));
        }
        List<Series> util = new ArrayList<>();
        for (int i = 0; i < hw.coreCount(); i++) util.add(percent("core " + i, hw.core(i).busySeries(), b.durationPs()));
        BucketSeries ddr = hw.fabric().ddrSeries();
        double[] dx = xs(ddr.buckets(), ddr.bucketPs());
        double[] dy = new double[ddr.buckets()];
        for (int i = 0; i < dy.length; i++) dy[i] = ddr.sum(i) / (ddr.bucketPs() / 1e12) / 1e9;
        List<Series> depth = new ArrayList<>();
        {
            for (int i = 0; i < 3; i++) {
                double[] y = b.driver().queueDepthSeries(i);
                depth.add(new Series("core " + i + " queue", xs(y.length, io.npusim.core.time.Time.ms(10)), y));
            }
        }
        List<LayerRow> profile = new ArrayList<>();
        Map<String, Long> requests = new LinkedHashMap<>();
        for (Client c : b.clients()) requests.put(c.name(), Math.max(1, c.stats().requests()));
        for (TaskLog.LayerTotals lt : b.taskLog().layers()) {
            long n = requests.getOrDefault(lt.client, 1L);
            double util100 = lt.cycles == 0 ? 0 : 100.0 * lt.macs / (lt.cycles * (double) hw.npuParams().macsInt8());
            profile.add(new LayerRow(lt.client, lt.layer, lt.kind, cores(lt.coreMask), lt.cycles / n, lt.ddrBytes / n / 1e6,
                    Math.min(100, util100), lt.timePs / (double) n / 1e9));
        }
        List<MemoryRow> memory = new ArrayList<>();
        for (Client c : b.clients()) {
            if (c instanceof VisionClient v) {
                memory.add(new MemoryRow(c.name(), "driver buffers", v.runtime().allocatedBytes(), v.runtime().program().buffers().size() + " buffers"));
            } else if (c instanceof ChatClient ch) {
                memory.add(new MemoryRow(c.name(), "driver buffers (weights, activations, tasks)", ch.runtime().allocatedBytes(), ""));
                memory.add(new MemoryRow(c.name(), "KV cache in host memory at 4096 positions", ch.runtime().kvCacheBytes(4096), ""));
            }
            if (c.stats().failure() != null) memory.add(new MemoryRow(c.name(), "does not run", 0, c.stats().failure()));
        }
        if (b.driver().sramPeakBytes() > 0) memory.add(new MemoryRow("-", "system SRAM held (peak)", b.driver().sramPeakBytes(), ""));
        List<String> notes = new ArrayList<>(cross);
        notes.addAll(Notes.of(r));
        return new Run(name, r.summary(), clients, util, new Series("DDR " + name, dx, dy), depth, profile, memory, notes);
    }

    private static String cores(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) if ((mask & (1 << i)) != 0) sb.append(sb.length() == 0 ? "" : "+").append(i);
        return sb.toString();
    }

    private static Series percent(String name, BucketSeries s, long durationPs) {
        double[] y = new double[s.buckets()];
        for (int i = 0; i < y.length; i++) y[i] = 100.0 * s.sum(i) / s.bucketPs();
        return new Series(name, xs(y.length, s.bucketPs()), y);
    }

    private static double[] xs(int n, long bucketPs) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (i + 0.5) * bucketPs / 1e12;
        return x;
    }

    /** Plain sentences naming the largest effects in a run and the largest differences between runs. */
    public static final class Notes {
        private Notes() {}

        /** Per client: the runs with the best and worst p99 and the breakdown part that differs most. */
        @SuppressWarnings("unchecked")
        public static List<String> compare(List<Map<String, Object>> runs) {
            List<String> out = new ArrayList<>();
            if (runs.size() < 2) return out;
            Map<String, List<Map<String, Object>>> byClient = new LinkedHashMap<>();
            Map<Map<String, Object>, String> runOf = new java.util.IdentityHashMap<>();
            for (Map<String, Object> r : runs) {
                String name = (String) r.getOrDefault("variant", r.get("policy"));
                for (Map<String, Object> c : (List<Map<String, Object>>) r.get("clients")) {
                    byClient.computeIfAbsent((String) c.get("name"), k -> new ArrayList<>()).add(c);
                    runOf.put(c, name);
                }
            }
            for (Map.Entry<String, List<Map<String, Object>>> e : byClient.entrySet()) {
                List<Map<String, Object>> cs = e.getValue();
                if (cs.size() < 2) continue;
                Map<String, Object> best = null, worst = null;
                for (Map<String, Object> c : cs) {
                    if (((Number) c.get("inferences")).longValue() == 0) continue;
                    double p = p99(c);
                    if (best == null || p < p99(best)) best = c;
                    if (worst == null || p > p99(worst)) worst = c;
                }
                if (best == null || best == worst) continue;
                Map<String, Object> bb = (Map<String, Object>) best.get("breakdown_ms"), wb = (Map<String, Object>) worst.get("breakdown_ms");
                String part = null;
                double diff = 0;
                for (String k : wb.keySet()) {
                    double d = ((Number) wb.get(k)).doubleValue() - ((Number) bb.get(k)).doubleValue();
                    if (d > diff) {
                        diff = d;
                        part = k;
                    }
                }
                String unit = "llm".equals(worst.get("kind")) ? "token" : "inference";
                out.add(String.format("%s: p99 %.1f ms under %s against %.1f ms under %s; the largest difference is %s, %+.2f ms per %s",
                        e.getKey(), p99(worst), runOf.get(worst), p99(best), runOf.get(best), part == null ? "-" : part.replace('_', ' '), diff, unit));
                if (worst.get("decode_tokens_per_s") instanceof Number w && best.get("decode_tokens_per_s") instanceof Number bt) {
                    out.add(String.format("%s: %.1f decode tokens/s under %s, %.1f under %s", e.getKey(), w.doubleValue(), runOf.get(worst),
                            bt.doubleValue(), runOf.get(best)));
                }
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        private static double p99(Map<String, Object> c) {
            return ((Number) ((Map<String, Object>) c.get("latency_ms")).get("p99")).doubleValue();
        }

        @SuppressWarnings("unchecked")
        static List<String> of(RunResult r) {
            List<String> notes = new ArrayList<>();
            String policy = (String) r.summary().getOrDefault("variant", r.summary().get("policy"));
            for (Map<String, Object> c : (List<Map<String, Object>>) r.summary().get("clients")) {
                Map<String, Object> bd = (Map<String, Object>) c.get("breakdown_ms");
                String top = null;
                double topV = -1, sum = 0;
                for (Map.Entry<String, Object> e : bd.entrySet()) {
                    double v = ((Number) e.getValue()).doubleValue();
                    sum += v;
                    if (v > topV) {
                        topV = v;
                        top = e.getKey();
                    }
                }
                if (sum > 0 && top != null) {
                    notes.add(String.format("%s: %s spends most of its %.2f ms per %s in %s (%.0f%%)", policy, c.get("name"), sum,
                            "llm".equals(c.get("kind")) ? "token" : "inference", top.replace('_', ' '), 100 * topV / sum));
                }
                double queued = ((Number) bd.get(Part.QUEUED.key())).doubleValue();
                if (queued > 0.1 * sum && sum > 0) {
                    notes.add(String.format("%s: %s waited %.2f ms per request in kernel queues behind other jobs", policy, c.get("name"), queued));
                }
                Object dropped = c.get("dropped_frames");
                if (dropped instanceof Number d && d.longValue() > 0) notes.add(String.format("%s: %s dropped %d frames", policy, c.get("name"), d.longValue()));
                if (c.get("failure") != null) notes.add(policy + ": " + c.get("name") + " could not run: " + c.get("failure"));
            }
            return notes;
        }
    }
}
