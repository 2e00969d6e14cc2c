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
        Table t = new Table("policy", "client", "model", "inferences", "fps", "mean ms", "p50 ms", "p99 ms", "max ms", "dropped", "misses");
        for (Map<String, Object> r : runs) {
            for (Map<String, Object> c : (List<Map<String, Object>>) r.get("clients")) {
                Map<String, Object> lat = (Map<String, Object>) c.get("latency_ms");
                t.row(r.getOrDefault("variant", r.get("policy")), c.get("name"), c.get("model"), c.get("inferences"), c.get("fps"),
                        lat.get("mean"), lat.get("p50"), lat.get("p99"), lat.get("max"), c.get("dropped_frames"), c.get("deadline_misses"));
            }
        }
        sb.append(t.render()).append('\n');
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
        Table n = new Table("policy", "core busy %", "driver load %", "NPU MHz", "DDR GB/s", "IOTLB miss", "kernel CPU ms",
                "ioctls", "irqs", "jobs sub/done/err/lost");
        for (Map<String, Object> r : runs) {
            Map<String, Object> npu = (Map<String, Object>) r.get("npu");
            Map<String, Object> k = (Map<String, Object>) r.get("kernel");
            n.row(r.getOrDefault("variant", r.get("policy")), join(npu.get("core_busy_pct")), join(npu.get("driver_load_pct")), npu.get("npu_mhz"),
                    npu.get("ddr_gbps_mean"), npu.get("iotlb_miss_rate"), k.get("cpu_ms"), k.get("ioctls"), k.get("irqs"),
                    k.get("jobs_submitted") + "/" + k.get("jobs_completed") + "/" + k.get("jobs_errored") + "/" + k.get("jobs_lost"));
        }
        sb.append(n.render());
        for (Map<String, Object> r : runs) {
            for (Map<String, Object> c : (List<Map<String, Object>>) r.get("clients")) {
                if (c.get("failure") != null) sb.append("\n").append(r.get("policy")).append(": ").append(c.get("name")).append(": ").append(c.get("failure")).append('\n');
            }
        }
        return sb.toString();
    }

    private static String join(Object list) {
        if (!(list instanceof List<?> l)) return "-";
        StringBuilder sb = new StringBuilder();
        for (Object o : l) sb.append(sb.length() == 0 ? "" : "/").append(o);
        return sb.toString();
    }
}
