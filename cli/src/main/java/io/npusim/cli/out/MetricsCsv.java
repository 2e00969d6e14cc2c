package io.npusim.cli.out;

import io.npusim.system.result.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * metrics.csv: one row per (run, client, metric) with its unit; run-level metrics use the client
 * "-". The same rounded values as summary.json (see docs/METRICS.md for definitions).
 */
public final class MetricsCsv {
    private MetricsCsv() {}

    @SuppressWarnings("unchecked")
    public static String render(List<RunResult> runs) {
        StringBuilder sb = new StringBuilder("policy,variant,client,metric,value,unit\n");
        for (RunResult r : runs) {
            Map<String, Object> s = r.summary();
            String policy = (String) s.get("policy");
            String variant = (String) s.getOrDefault("variant", policy);
            for (Map<String, Object> c : (List<Map<String, Object>>) s.get("clients")) {
                String client = (String) c.get("name");
                row(sb, policy, variant, client, "inferences", c.get("inferences"), "count");
                Map<String, Object> lat = (Map<String, Object>) c.get("latency_ms");
                for (String k : List.of("mean", "p50", "p99", "max")) row(sb, policy, variant, client, "latency_" + k, lat.get(k), "ms");
                row(sb, policy, variant, client, "deadline_misses", c.get("deadline_misses"), "count");
                row(sb, policy, variant, client, "dropped_frames", c.get("dropped_frames"), "count");
                row(sb, policy, variant, client, "fps", c.get("fps"), "1/s");
                if (c.get("ttft_ms") instanceof Map<?, ?> t) {
                    for (String k : List.of("mean", "p50", "p99")) row(sb, policy, variant, client, "ttft_" + k, t.get(k), "ms");
                }
                row(sb, policy, variant, client, "decode_tokens_per_s", c.get("decode_tokens_per_s"), "tokens/s");
                row(sb, policy, variant, client, "ddr_mb_per_inference", c.get("ddr_mb_per_inference"), "MB");
                row(sb, policy, variant, client, "energy_mj_per_inference", c.get("energy_mj_per_inference"), "mJ");
                for (Map.Entry<String, Object> e : ((Map<String, Object>) c.get("breakdown_ms")).entrySet()) {
                    row(sb, policy, variant, client, "breakdown_" + e.getKey(), e.getValue(), "ms");
                }
            }
            Map<String, Object> npu = (Map<String, Object>) s.get("npu");
            List<Object> busy = (List<Object>) npu.get("core_busy_pct");
            for (int i = 0; i < busy.size(); i++) row(sb, policy, variant, "-", "core" + i + "_busy_pct", busy.get(i), "%");
            if (npu.get("driver_load_pct") instanceof List<?> load) {
                for (int i = 0; i < load.size(); i++) row(sb, policy, variant, "-", "core" + i + "_driver_load_pct", load.get(i), "%");
            }
            row(sb, policy, variant, "-", "ddr_gbps_mean", npu.get("ddr_gbps_mean"), "GB/s");
            row(sb, policy, variant, "-", "iotlb_miss_rate", npu.get("iotlb_miss_rate"), "fraction");
            row(sb, policy, variant, "-", "sram_kb_used", npu.get("sram_kb_used"), "KiB");
            row(sb, policy, variant, "-", "npu_energy_mj", npu.get("energy_mj"), "mJ");
            row(sb, policy, variant, "-", "npu_mhz_mean", npu.get("npu_mhz_mean"), "MHz");
            if (npu.get("iommu") instanceof Map<?, ?> mmu) {
                row(sb, policy, variant, "-", "iommu_attaches_per_inference", mmu.get("attaches_per_inference"), "count");
                row(sb, policy, variant, "-", "iotlb_misses_per_inference", mmu.get("iotlb_misses_per_inference"), "count");
            }
            Map<String, Object> k = (Map<String, Object>) s.get("kernel");
            row(sb, policy, variant, "-", "kernel_cpu_ms", k.get("cpu_ms"), "ms");
            for (String key : List.of("ioctls", "irqs", "jobs_submitted", "jobs_completed", "jobs_errored", "jobs_lost")) {
                row(sb, policy, variant, "-", key, k.get(key), "count");
            }
            row(sb, policy, variant, "-", "irqs_per_inference", k.get("irqs_per_inference"), "count");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String policy, String variant, String client, String metric, Object value, String unit) {
        if (value == null) return;
        sb.append(policy).append(',').append(variant).append(',').append(csv(client)).append(',').append(metric).append(',')
                .append(value instanceof Double d ? String.format(Locale.ROOT, "%s", d) : value).append(',').append(unit).append('\n');
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
