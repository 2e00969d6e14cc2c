package io.npusim.cli.out;

import java.util.List;
import java.util.Map;

/** The terminal view of one or several policy summaries (same figures as the JSON). */
public final class SummaryText {
    private SummaryText() {}

    @SuppressWarnings("unchecked")
    public static String render(List<Map<String, Object>> runs) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> first = runs.get(0);
        sb.append("scenario ").append(first.get("scenario")).append(", ").append(first.get("simulated_s")).append(" simulated s, seed ")
                .append(first.get("seed")).append('\n').append('\n');
        Map<String, Object> base = run(runs, "rocket"), ref = run(runs, "rknpu");
        boolean gap = base != null && ref != null && runs.size() > 2;
        boolean llm = false;
        for (Map<String, Object> r : runs) for (Map<String, Object> c : (List<Map<String, Object>>) r.get("clients")) llm |= c.get("ttft_ms") != null;
        List<String> head = new java.util.ArrayList<>(List.of("policy", "client", "model", "inferences", "fps", "mean ms", "p50 ms", "p99 ms", "max ms", "dropped", "misses"));
        if (llm) head.addAll(List.of("ttft p50 ms", "ttft p99 ms", "tokens/s"));
        if (gap) head.add("gap closed");
        Table t = new Table(head.toArray(new String[0]));
        for (Map<String, Object> r : runs) {
            for (Map<String, Object> c : (List<Map<String, Object>>) r.get("clients")) {
                Map<String, Object> lat = (Map<String, Object>) c.get("latency_ms");
                List<Object> row = new java.util.ArrayList<>(java.util.Arrays.asList(r.getOrDefault("variant", r.get("policy")), c.get("name"), c.get("model"),
                        c.get("inferences"), c.get("fps"), lat.get("mean"), lat.get("p50"), lat.get("p99"), lat.get("max"), c.get("dropped_frames"),
                        c.get("deadline_misses")));
                if (llm) {
                    Map<String, Object> ttft = (Map<String, Object>) c.get("ttft_ms");
                    row.add(ttft == null ? null : ttft.get("p50"));
                    row.add(ttft == null ? null : ttft.get("p99"));
                    row.add(c.get("decode_tokens_per_s"));
                }
                if (gap) row.add(gapClosed(base, ref, c));
                t.row(row.toArray());
            }
        }
        sb.append(t.render());
        if (gap) sb.append("gap closed: share of the rocket-to-rknpu difference in mean latency this run removes (100% matches rknpu)\n");
        sb.append('\n');
        Table b = new Table("policy", "client", "npu_compute", "memory_wait", "iotlb_walk", "task_overhead", "job_overhead",
                "queued", "runtime_cpu", "cpu_fallback");
        for (Map<String, Object> r : runs) {
            for (Map<String, Object> c : (List<Map<String, Object>>) r.get("clients")) {
                Map<String, Object> bd = (Map<String, Object>) c.get("breakdown_ms");
                b.row(r.getOrDefault("variant", r.get("policy")), c.get("name"), bd.get("npu_compute"), bd.get("memory_wait"), bd.get("iotlb_walk"),
                        bd.get("task_overhead"), bd.get("job_overhead"), bd.get("queued"), bd.get("runtime_cpu"), bd.get("cpu_fallback"));
            }
        }
        sb.append("latency breakdown, ms per inference (parts sum to the mean latency)\n").append(b.render()).append('\n');
        Table n = new Table("policy", "core busy %", "driver load %", "NPU MHz", "DDR GB/s", "SRAM KiB", "IOTLB miss", "kernel CPU ms",
                "ioctls/s", "irqs/s", "jobs sub/done/err/lost");
        for (Map<String, Object> r : runs) {
            Map<String, Object> npu = (Map<String, Object>) r.get("npu");
            Map<String, Object> k = (Map<String, Object>) r.get("kernel");
            double simS = ((Number) r.get("simulated_s")).doubleValue();
            n.row(r.getOrDefault("variant", r.get("policy")), join(npu.get("core_busy_pct")), join(npu.get("driver_load_pct")), npu.get("npu_mhz"),
                    npu.get("ddr_gbps_mean"), npu.get("sram_kb_used"), npu.get("iotlb_miss_rate"), k.get("cpu_ms"), perSecond(k.get("ioctls"), simS),
                    perSecond(k.get("irqs"), simS),
                    k.get("jobs_submitted") + "/" + k.get("jobs_completed") + "/" + k.get("jobs_errored") + "/" + k.get("jobs_lost"));
        }
        sb.append(n.render());
        if (runs.size() > 1 || runs.get(0).containsKey("variant")) {
            Table v = new Table("policy", "irqs", "IOMMU attaches", "IOTLB misses", "ioctls", "NPU MHz mean", "clock changes");
            for (Map<String, Object> r : runs) {
                Map<String, Object> npu = (Map<String, Object>) r.get("npu");
                Map<String, Object> k = (Map<String, Object>) r.get("kernel");
                Map<String, Object> mmu = (Map<String, Object>) npu.get("iommu");
                long inf = inferences(r);
                v.row(r.getOrDefault("variant", r.get("policy")), k.get("irqs_per_inference"), mmu.get("attaches_per_inference"),
                        mmu.get("iotlb_misses_per_inference"), perInference(k.get("ioctls"), inf), npu.get("npu_mhz_mean"), npu.get("clock_changes"));
            }
            sb.append('\n').append("per inference (counts over all clients' inferences)\n").append(v.render());
        }
        for (Map<String, Object> r : runs) {
            for (Map<String, Object> c : (List<Map<String, Object>>) r.get("clients")) {
                if (c.get("failure") != null) sb.append("\n").append(r.getOrDefault("variant", r.get("policy"))).append(": ").append(c.get("name")).append(": ").append(c.get("failure")).append('\n');
            }
        }
        return sb.toString();
    }

    /** The run labelled {@code name} (its variant label, or its policy when it has none). */
    private static Map<String, Object> run(List<Map<String, Object>> runs, String name) {
        for (Map<String, Object> r : runs) if (name.equals(r.getOrDefault("variant", r.get("policy")))) return r;
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Double meanMs(Map<String, Object> run, String client) {
        for (Map<String, Object> c : (List<Map<String, Object>>) run.get("clients")) {
            if (client.equals(c.get("name")) && ((Number) c.get("inferences")).longValue() > 0) {
                return ((Number) ((Map<String, Object>) c.get("latency_ms")).get("mean")).doubleValue();
            }
        }
        return null;
    }

    /** (rocket - this) / (rocket - rknpu) of the client's mean latency, as a percentage. */
    @SuppressWarnings("unchecked")
    static String gapClosed(Map<String, Object> base, Map<String, Object> ref, Map<String, Object> client) {
        String name = (String) client.get("name");
        Double b = meanMs(base, name), r = meanMs(ref, name);
        if (b == null || r == null || ((Number) client.get("inferences")).longValue() == 0) return null;
        double x = ((Number) ((Map<String, Object>) client.get("latency_ms")).get("mean")).doubleValue();
        if (Math.abs(b - r) < 1e-9) return null;
        return String.format(java.util.Locale.ROOT, "%.0f%%", 100 * (b - x) / (b - r));
    }

    @SuppressWarnings("unchecked")
    private static long inferences(Map<String, Object> run) {
        long n = 0;
        for (Map<String, Object> c : (List<Map<String, Object>>) run.get("clients")) n += ((Number) c.get("inferences")).longValue();
        return n;
    }

    private static Object perSecond(Object count, double seconds) {
        if (!(count instanceof Number c) || seconds <= 0) return null;
        return Math.round(c.doubleValue() / seconds * 10) / 10.0;
    }

    private static Object perInference(Object count, long n) {
        if (!(count instanceof Number c) || n == 0) return null;
        return Math.round(c.doubleValue() / n * 100) / 100.0;
    }

    private static String join(Object list) {
        if (!(list instanceof List<?> l)) return "-";
        StringBuilder sb = new StringBuilder();
        for (Object o : l) sb.append(sb.length() == 0 ? "" : "/").append(o);
        return sb.toString();
    }
}
