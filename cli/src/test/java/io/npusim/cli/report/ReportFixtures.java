package io.npusim.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Report models for the tests: a realistic three-run comparison and a bare run with almost nothing filled in. */
final class ReportFixtures {
    static final String ODD_CLIENT = "cam<&>\"1\"";

    private ReportFixtures() {}

    static ReportModel sample(int seriesPoints) {
        List<Run> runs = new ArrayList<>();
        String[] names = {"rocket", "rknpu", "rocket+hw_task_chaining"};
        for (int i = 0; i < names.length; i++) runs.add(run(names[i], i, seriesPoints));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("version", "0.1.0");
        meta.put("config hash", "ab12<cd>");
        return new ReportModel("mixed-vision-llm", "npusim: mixed vision + LLM", runs, meta);
    }

    static Run run(String name, int idx, int points) {
        Random rnd = new Random(42 + idx);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("scenario", "mixed-vision-llm");
        s.put("policy", name.contains("+") ? name.substring(0, name.indexOf('+')) : name);
        s.put("seed", 7L);
        s.put("simulated_s", 10.0);
        List<Object> clients = new ArrayList<>();
        clients.add(client(ODD_CLIENT, "vision", "yolov5s", 30.0 + idx * 4, false));
        clients.add(client("chat", "llm", "qwen2-0.5b", 120.0 - idx * 10, true));
        s.put("clients", clients);
        Map<String, Object> npu = new LinkedHashMap<>();
        npu.put("core_busy_pct", List.of(61.2 - idx, 40.5, 12.0 + idx));
        if (idx == 1) npu.put("driver_load_pct", List.of(70.0, 55.5, 20.0));
        npu.put("ddr_gbps_mean", 5.43 + idx);
        npu.put("iotlb_miss_rate", 0.0123);
        npu.put("sram_kb_used", idx == 1 ? 956.0 : 0.0);
        s.put("npu", npu);
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("cpu_ms", 123.4);
        k.put("ioctls", 4567);
        k.put("irqs", 8910L);
        k.put("jobs_submitted", 300);
        k.put("jobs_completed", 299);
        k.put("jobs_errored", 0);
        k.put("jobs_lost", 1);
        s.put("kernel", k);

        List<ClientSeries> cdfs = new ArrayList<>();
        for (String c : List.of(ODD_CLIENT, "chat")) {
            int n = Math.max(2, points / 10);
            double[][] cdf = new double[n][];
            double lat = 20 + idx * 3;
            for (int i = 0; i < n; i++) {
                lat += rnd.nextDouble() * 0.2;
                cdf[i] = new double[] {lat, (i + 1) / (double) n};
            }
            cdfs.add(new ClientSeries(c, cdf));
        }
        List<Series> cores = new ArrayList<>();
        for (int c = 0; c < 3; c++) cores.add(wave("core " + c, points, 100, rnd));
        Series ddr = wave("ddr", points, 12, rnd);
        List<Series> queues = List.of(wave("rocket-sched<0>", points, 6, rnd), wave("queue 1", points, 3, rnd));
        List<LayerRow> profile = new ArrayList<>();
        for (int l = 0; l < 55; l++) {
            profile.add(new LayerRow(ODD_CLIENT, "conv_" + l, "conv2d", "core" + (l % 3), 10000L + l * 37, 0.5 + l * 0.01, 55.5, 0.05 + (l * 7 % 11) * 0.01));
        }
        for (int l = 0; l < 12; l++) profile.add(new LayerRow("chat", "block" + l + ".attn", "matmul", "core0", 99999L, 12.5, 30.0, 1.5 + l * 0.1));
        List<MemoryRow> memory = List.of(
                new MemoryRow(ODD_CLIENT, "weights", 7_340_032L, "shared <RO>"),
                new MemoryRow(ODD_CLIENT, "activations", 1_500_000L, ""),
                new MemoryRow("chat", "kv cache", 268_435_456L, "fp16"));
        List<String> notes = idx == 0 ? List.of("rknpu halves p99 latency of " + ODD_CLIENT + " & chat", "rocket uses 2.1x the kernel CPU time") : List.of();
        return new Run(name, s, cdfs, cores, ddr, queues, profile, memory, notes);
    }

    static Map<String, Object> client(String name, String kind, String model, double p50, boolean llm) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("kind", kind);
        c.put("model", model);
        c.put("inferences", 300);
        c.put("latency_ms", Map.of("mean", p50 * 1.05, "p50", p50, "p99", p50 * 1.6, "max", p50 * 2.2));
        c.put("deadline_misses", 3);
        c.put("dropped_frames", 1);
        c.put("fps", 29.97);
        if (llm) {
            c.put("ttft_ms", Map.of("mean", 210.0, "p50", 200.0, "p99", 350.5));
            c.put("decode_tokens_per_s", 14.2);
        }
        c.put("ddr_mb_per_inference", 45.6);
        c.put("energy_mj_per_inference", 12.345);
        Map<String, Object> b = new LinkedHashMap<>();
        double[] parts = {0.55, 0.15, 0.02, 0.03, 0.04, 0.12, 0.06, 0.03};
        String[] keys = {"npu_compute", "memory_wait", "iotlb_walk", "task_overhead", "job_overhead", "queued", "runtime_cpu", "cpu_fallback"};
        for (int i = 0; i < keys.length; i++) b.put(keys[i], p50 * 1.05 * parts[i]);
        c.put("breakdown_ms", b);
        return c;
    }

    static Series wave(String name, int n, double amp, Random rnd) {
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * 10.0 / n;
            y[i] = Math.max(0, amp * (0.5 + 0.4 * Math.sin(i / 50.0)) + rnd.nextGaussian() * amp * 0.02);
        }
        return new Series(name, x, y);
    }

    /** A run whose summary has a name per client and nothing else; no series, no profile, no memory. */
    static ReportModel bare() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("clients", List.of(Map.of("name", "lonely")));
        Run r = new Run("bare", s, null, null, null, null, null, null, null);
        return new ReportModel(null, null, List.of(r), null);
    }
}
