package io.npusim.cli.report;

import static io.npusim.cli.report.Text.DASH;
import static io.npusim.cli.report.Text.count;
import static io.npusim.cli.report.Text.esc;
import static io.npusim.cli.report.Text.num;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a {@link ReportModel} as one self-contained HTML5 page: inline CSS, inline SVG charts drawn by
 * {@link SvgPlot}, no external resources of any kind, and a few lines of optional JavaScript that only make the
 * profile tables sortable. The same model always gives the same bytes (no clock, no default locale).
 *
 * <p>Sections: header, comparison tables, notes, latency breakdown (bars and table), latency CDFs, per-core
 * utilisation, DDR bandwidth, kernel queue depth, per-layer profile (top {@value #PROFILE_TOP} layers by time per
 * client and run) and the memory report. Values missing from a summary show as "-".
 */
public final class HtmlReport {
    /** Rows of the per-layer profile shown per client and run. */
    public static final int PROFILE_TOP = 40;

    /** The parts of the latency breakdown, in summary order (they sum to the latency). */
    public static final List<String> BREAKDOWN_PARTS = List.of(
            "npu_compute", "memory_wait", "iotlb_walk", "task_overhead", "job_overhead", "queued", "runtime_cpu", "cpu_fallback");

    private static final int SMALL_W = 560;

    private HtmlReport() {}

    /** Renders the model and writes it to {@code file} as UTF-8 (parent folders are created). */
    public static void write(ReportModel m, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, render(m), StandardCharsets.UTF_8);
    }

    /** Renders the model as a complete HTML document. */
    public static String render(ReportModel m) {
        List<Run> runs = m.runs() == null ? List.of() : m.runs();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) names.add(runName(runs.get(i), i));
        String scenario = m.scenario() != null && !m.scenario().isBlank() ? m.scenario() : str(first(runs, "scenario"));
        String title = m.title() != null && !m.title().isBlank() ? m.title() : (scenario == null ? "npusim report" : "npusim report: " + scenario);

        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"npusim\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header(h, m, runs, names, scenario, title);
        nav(h);
        comparison(h, runs, names);
        notes(h, runs, names);
        breakdown(h, runs, names);
        cdf(h, runs, names);
        utilisation(h, runs, names);
        ddr(h, runs, names);
        queues(h, runs, names);
        profile(h, runs, names);
        memory(h, runs, names);
        h.append("<footer><p>Written by npusim. This page is self-contained: it loads nothing from the network, "
                + "and its charts are inline SVG. Values missing from a run's summary show as \u201c-\u201d.</p></footer>\n");
        h.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    // ------------------------------------------------------------------------------------------------ sections

    private static void header(StringBuilder h, ReportModel m, List<Run> runs, List<String> names, String scenario, String title) {
        h.append("<header id=\"top\">\n<h1>").append(esc(title)).append("</h1>\n<dl class=\"meta\">\n");
        dt(h, "Scenario", scenario == null ? DASH : scenario);
        StringBuilder rl = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            if (i > 0) rl.append(", ");
            rl.append(names.get(i));
            Object policy = sum(runs.get(i), "policy");
            if (policy != null && !String.valueOf(policy).equals(names.get(i))) rl.append(" (policy ").append(policy).append(')');
        }
        dt(h, "Runs", runs.isEmpty() ? "none" : rl.toString());
        dt(h, "Seed", distinct(runs, r -> count(sum(r, "seed"))));
        String simulated = distinct(runs, r -> num(sum(r, "simulated_s"), 3));
        dt(h, "Simulated", simulated.equals(DASH) ? DASH : simulated + " s");
        if (m.meta() != null) {
            Map<String, String> meta = m.meta() instanceof LinkedHashMap || m.meta() instanceof SortedMap ? m.meta() : new TreeMap<>(m.meta());
            for (Map.Entry<String, String> e : meta.entrySet()) dt(h, e.getKey(), e.getValue() == null ? DASH : e.getValue());
        }
        h.append("</dl>\n</header>\n");
    }

    private static void nav(StringBuilder h) {
        h.append("<nav class=\"toc\"><b>Contents:</b> ");
        String[][] items = {{"comparison", "Comparison"}, {"notes", "Notes"}, {"breakdown", "Latency breakdown"}, {"cdf", "Latency CDF"},
                {"utilisation", "Core utilisation"}, {"ddr", "DDR bandwidth"}, {"queues", "Queue depth"}, {"profile", "Per-layer profile"},
                {"memory", "Memory"}};
        for (int i = 0; i < items.length; i++) {
            if (i > 0) h.append(" \u00b7 ");
            h.append("<a href=\"#").append(items[i][0]).append("\">").append(items[i][1]).append("</a>");
        }
        h.append("</nav>\n");
    }

    private static void comparison(StringBuilder h, List<Run> runs, List<String> names) {
        h.append("<section id=\"comparison\">\n<h2>Comparison</h2>\n<h3>Clients</h3>\n");
        List<String> clients = clientNames(runs);
        boolean llm = false;
        for (Run r : runs) {
            for (Map<String, Object> c : clientMaps(r)) {
                if (c.get("ttft_ms") != null || c.get("decode_tokens_per_s") != null || "llm".equalsIgnoreCase(str(c.get("kind")))) llm = true;
            }
        }
        String rs = "<th rowspan=\"2\">";
        h.append("<div class=\"scroll\"><table class=\"data\">\n<thead><tr>").append(rs).append("Client</th>").append(rs).append("Run</th>")
                .append(rs).append("Kind</th>").append(rs).append("Model</th>").append(rs).append("Inferences</th>")
                .append("<th colspan=\"3\" class=\"c\">Latency (ms)</th>").append(rs).append("Deadline misses / dropped frames</th>")
                .append(rs).append("FPS</th>");
        if (llm) h.append("<th colspan=\"2\" class=\"c\">TTFT (ms)</th>").append(rs).append("Decode tokens/s</th>");
        h.append(rs).append("DDR MB / inference</th>").append(rs).append("Energy mJ / inference</th></tr>\n<tr><th>p50</th><th>p99</th><th>max</th>");
        if (llm) h.append("<th>p50</th><th>p99</th>");
        h.append("</tr></thead>\n<tbody>\n");
        List<String[]> failures = new ArrayList<>();
        if (clients.isEmpty()) h.append("<tr><td colspan=\"").append(llm ? 15 : 12).append("\">No clients.</td></tr>\n");
        for (String client : clients) {
            boolean firstRow = true;
            for (int i = 0; i < runs.size(); i++) {
                Map<String, Object> c = client(runs.get(i), client);
                if (c == null) continue;
                h.append(firstRow ? "<tr class=\"group\">" : "<tr>");
                firstRow = false;
                td(h, client);
                td(h, names.get(i));
                td(h, str(c.get("kind")));
                td(h, str(c.get("model")));
                tdn(h, count(c.get("inferences")));
                tdn(h, num(at(c, "latency_ms", "p50"), 2));
                tdn(h, num(at(c, "latency_ms", "p99"), 2));
                tdn(h, num(at(c, "latency_ms", "max"), 2));
                String misses = count(c.get("deadline_misses")), dropped = count(c.get("dropped_frames"));
                tdn(h, misses.equals(DASH) && dropped.equals(DASH) ? DASH : misses + " / " + dropped);
                tdn(h, num(c.get("fps"), 2));
                if (llm) {
                    tdn(h, num(at(c, "ttft_ms", "p50"), 2));
                    tdn(h, num(at(c, "ttft_ms", "p99"), 2));
                    tdn(h, num(c.get("decode_tokens_per_s"), 2));
                }
                tdn(h, num(c.get("ddr_mb_per_inference"), 2));
                tdn(h, num(c.get("energy_mj_per_inference"), 3));
                h.append("</tr>\n");
                if (c.get("failure") != null) failures.add(new String[] {names.get(i), client, str(c.get("failure"))});
            }
        }
        h.append("</tbody></table></div>\n");
        if (!failures.isEmpty()) {
            h.append("<p><b>Failures:</b></p>\n<ul class=\"failures\">\n");
            for (String[] f : failures) h.append("<li>").append(esc(f[0])).append(": ").append(esc(f[1])).append(": ").append(esc(f[2])).append("</li>\n");
            h.append("</ul>\n");
        }

        h.append("<h3>NPU and kernel</h3>\n<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th>Run</th><th>Policy</th>")
                .append("<th>NPU busy % per core</th><th>Driver load % per core</th><th>DDR GB/s</th><th>SRAM KiB</th><th>IOTLB miss rate</th>")
                .append("<th>Kernel CPU ms</th><th>ioctls</th><th>IRQs</th><th>Jobs submitted</th><th>Jobs completed</th>")
                .append("<th>Jobs errored</th><th>Jobs lost</th><th>IRQs per inference</th><th>IOMMU attaches per inference</th>")
                .append("<th>IOTLB misses per inference</th><th>NPU MHz (mean)</th></tr></thead>\n<tbody>\n");
        if (runs.isEmpty()) h.append("<tr><td colspan=\"18\">No runs.</td></tr>\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            h.append("<tr>");
            td(h, names.get(i));
            td(h, str(sum(r, "policy")));
            tdn(h, perCore(sum(r, "npu", "core_busy_pct")));
            tdn(h, perCore(sum(r, "npu", "driver_load_pct")));
            tdn(h, num(sum(r, "npu", "ddr_gbps_mean"), 2));
            tdn(h, num(sum(r, "npu", "sram_kb_used"), 1));
            tdn(h, num(sum(r, "npu", "iotlb_miss_rate"), 4));
            tdn(h, num(sum(r, "kernel", "cpu_ms"), 1));
            tdn(h, count(sum(r, "kernel", "ioctls")));
            tdn(h, count(sum(r, "kernel", "irqs")));
            tdn(h, count(sum(r, "kernel", "jobs_submitted")));
            tdn(h, count(sum(r, "kernel", "jobs_completed")));
            tdn(h, count(sum(r, "kernel", "jobs_errored")));
            tdn(h, count(sum(r, "kernel", "jobs_lost")));
            tdn(h, num(sum(r, "kernel", "irqs_per_inference"), 2));
            tdn(h, num(sum(r, "npu", "iommu", "attaches_per_inference"), 3));
            tdn(h, num(sum(r, "npu", "iommu", "iotlb_misses_per_inference"), 0));
            tdn(h, num(sum(r, "npu", "npu_mhz_mean"), 0));
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div>\n</section>\n");
    }

    private static void notes(StringBuilder h, List<Run> runs, List<String> names) {
        h.append("<section id=\"notes\">\n<h2>Notes</h2>\n");
        Map<String, String> notes = new LinkedHashMap<>(); // sentence -> first run that says it
        Set<String> contributing = new LinkedHashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            List<String> ns = runs.get(i).notes();
            if (ns == null) continue;
            for (String n : ns) {
                if (n == null || n.isBlank()) continue;
                contributing.add(names.get(i));
                notes.putIfAbsent(n, names.get(i));
            }
        }
        if (notes.isEmpty()) {
            h.append("<p class=\"muted\">No notes.</p>\n");
        } else {
            h.append("<ul class=\"notes\">\n");
            for (Map.Entry<String, String> e : notes.entrySet()) {
                h.append("<li>");
                if (contributing.size() > 1) h.append("<b>").append(esc(e.getValue())).append(":</b> ");
                h.append(esc(e.getKey())).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("</section>\n");
    }

    private static void breakdown(StringBuilder h, List<Run> runs, List<String> names) {
        h.append("<section id=\"breakdown\">\n<h2>Latency breakdown</h2>\n")
                .append("<p class=\"muted\">Mean milliseconds per inference attributed to each part; the parts sum to the mean latency.</p>\n");
        List<SvgPlot.Bar> bars = new ArrayList<>();
        StringBuilder t = new StringBuilder();
        t.append("<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th>Client</th><th>Run</th>");
        for (String p : BREAKDOWN_PARTS) t.append("<th>").append(esc(p)).append(" ms</th>");
        t.append("<th>Sum ms</th><th>Mean latency ms</th></tr></thead>\n<tbody>\n");
        boolean any = false;
        for (String client : clientNames(runs)) {
            boolean firstRow = true;
            for (int i = 0; i < runs.size(); i++) {
                Map<String, Object> c = client(runs.get(i), client);
                if (c == null) continue;
                any = true;
                double[] v = new double[BREAKDOWN_PARTS.size()];
                double total = 0;
                boolean have = false;
                t.append(firstRow ? "<tr class=\"group\">" : "<tr>");
                firstRow = false;
                td(t, client);
                td(t, names.get(i));
                for (int k = 0; k < v.length; k++) {
                    Object o = at(c, "breakdown_ms", BREAKDOWN_PARTS.get(k));
                    v[k] = Text.toDouble(o);
                    if (Double.isFinite(v[k])) {
                        total += v[k];
                        have = true;
                    }
                    tdn(t, num(o, 3));
                }
                tdn(t, have ? Text.fixed(total, 3) : DASH);
                tdn(t, num(at(c, "latency_ms", "mean"), 3));
                t.append("</tr>\n");
                bars.add(new SvgPlot.Bar(client, names.get(i), v));
            }
        }
        if (!any) t.append("<tr><td colspan=\"").append(BREAKDOWN_PARTS.size() + 4).append("\">No clients.</td></tr>\n");
        t.append("</tbody></table></div>\n");
        figure(h, SvgPlot.stackedBars(new SvgPlot.BarChart("Latency breakdown per client and run", "mean time per inference (ms)",
                BREAKDOWN_PARTS, bars, 900)), "wide");
        h.append(t).append("</section>\n");
    }

    private static void cdf(StringBuilder h, List<Run> runs, List<String> names) {
        h.append("<section id=\"cdf\">\n<h2>Latency CDF</h2>\n");
        List<String> clients = new ArrayList<>();
        for (Run r : runs) {
            if (r.clients() == null) continue;
            for (ClientSeries c : r.clients()) if (c != null && !clients.contains(c.client())) clients.add(c.client());
        }
        for (String n : clientNames(runs)) if (!clients.contains(n)) clients.add(n);
        if (clients.isEmpty()) h.append("<p class=\"muted\">No latency data.</p>\n");
        h.append("<div class=\"grid\">\n");
        for (String client : clients) {
            List<SvgPlot.Line> lines = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                if (runs.get(i).clients() == null) continue;
                for (ClientSeries c : runs.get(i).clients()) {
                    if (c == null || !java.util.Objects.equals(c.client(), client) || c.latencyCdf() == null) continue;
                    double[][] p = c.latencyCdf();
                    double[] x = new double[p.length], y = new double[p.length];
                    for (int k = 0; k < p.length; k++) {
                        boolean ok = p[k] != null && p[k].length >= 2;
                        x[k] = ok ? p[k][0] : Double.NaN;
                        y[k] = ok ? p[k][1] : Double.NaN;
                    }
                    lines.add(new SvgPlot.Line(names.get(i), x, y, i));
                }
            }
            figure(h, SvgPlot.lines(SvgPlot.LineChart.of("Latency CDF: " + client, "latency (ms)", "cumulative fraction", lines)
                    .withY(0.0, 1.0).withSize(SMALL_W, 200)), null);
        }
        h.append("</div>\n</section>\n");
    }

    private static void utilisation(StringBuilder h, List<Run> runs, List<String> names) {
        h.append("<section id=\"utilisation\">\n<h2>NPU core utilisation over time</h2>\n")
                .append("<p class=\"muted\">Busy percent of each core per time bucket (a core reserved but idle counts as idle).</p>\n")
                .append("<div class=\"grid\">\n");
        if (runs.isEmpty()) h.append("<p class=\"muted\">No runs.</p>\n");
        for (int i = 0; i < runs.size(); i++) {
            List<SvgPlot.Line> lines = new ArrayList<>();
            List<Series> cores = runs.get(i).coreUtilisation();
            if (cores != null) {
                for (int k = 0; k < cores.size(); k++) {
                    Series s = cores.get(k);
                    if (s != null) lines.add(new SvgPlot.Line(s.name() != null ? s.name() : "core " + k, s.x(), s.y(), k));
                }
            }
            figure(h, SvgPlot.lines(SvgPlot.LineChart.of("Core utilisation: " + names.get(i), "time (s)", "busy (%)", lines)
                    .withY(0.0, 100.0).withSize(SMALL_W, 180)), null);
        }
        h.append("</div>\n</section>\n");
    }

    private static void ddr(StringBuilder h, List<Run> runs, List<String> names) {
        h.append("<section id=\"ddr\">\n<h2>DDR bandwidth over time</h2>\n");
        List<SvgPlot.Line> lines = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Series s = runs.get(i).ddrBandwidth();
            if (s != null) lines.add(new SvgPlot.Line(names.get(i), s.x(), s.y(), i));
        }
        figure(h, SvgPlot.lines(SvgPlot.LineChart.of("DDR bandwidth", "time (s)", "bandwidth (GB/s)", lines).withSize(820, 240)), "wide");
        h.append("</section>\n");
    }

    private static void queues(StringBuilder h, List<Run> runs, List<String> names) {
        h.append("<section id=\"queues\">\n<h2>Kernel queue depth over time</h2>\n<div class=\"grid\">\n");
        if (runs.isEmpty()) h.append("<p class=\"muted\">No runs.</p>\n");
        for (int i = 0; i < runs.size(); i++) {
            List<SvgPlot.Line> lines = new ArrayList<>();
            List<Series> qs = runs.get(i).queueDepth();
            if (qs != null) {
                for (int k = 0; k < qs.size(); k++) {
                    Series s = qs.get(k);
                    if (s != null) lines.add(new SvgPlot.Line(s.name() != null ? s.name() : "queue " + k, s.x(), s.y(), k));
                }
            }
            figure(h, SvgPlot.lines(SvgPlot.LineChart.of("Queue depth: " + names.get(i), "time (s)", "queue depth (jobs)", lines)
                    .withSize(SMALL_W, 180)), null);
        }
        h.append("</div>\n</section>\n");
    }

    private static void profile(StringBuilder h, List<Run> runs, List<String> names) {
        h.append("<section id=\"profile\">\n<h2>Per-layer profile</h2>\n<p class=\"muted\">One inference of each client; the ")
                .append(PROFILE_TOP).append(" layers that take the longest, slowest first. Click a column heading to sort.</p>\n");
        boolean any = false;
        for (int i = 0; i < runs.size(); i++) {
            List<LayerRow> rows = runs.get(i).profile();
            if (rows == null || rows.isEmpty()) continue;
            any = true;
            h.append("<details open>\n<summary>").append(esc(names.get(i))).append("</summary>\n");
            Map<String, List<LayerRow>> byClient = new LinkedHashMap<>();
            for (LayerRow r : rows) if (r != null) byClient.computeIfAbsent(r.client() == null ? DASH : r.client(), k -> new ArrayList<>()).add(r);
            for (Map.Entry<String, List<LayerRow>> e : byClient.entrySet()) {
                List<LayerRow> all = new ArrayList<>(e.getValue());
                double totalMs = 0;
                for (LayerRow r : all) if (Double.isFinite(r.timeMs())) totalMs += r.timeMs();
                all.sort(Comparator.comparingDouble((LayerRow r) -> Double.isFinite(r.timeMs()) ? -r.timeMs() : Double.POSITIVE_INFINITY));
                List<LayerRow> top = all.subList(0, Math.min(PROFILE_TOP, all.size()));
                h.append("<h3>").append(esc(names.get(i))).append(" \u2014 ").append(esc(e.getKey())).append(": ").append(all.size())
                        .append(all.size() == 1 ? " layer, " : " layers, ").append(Text.fixed(totalMs, 3)).append(" ms</h3>\n");
                h.append("<div class=\"scroll\"><table class=\"data sortable\">\n<thead><tr><th>#</th><th>Layer</th><th>Op</th><th>Core</th>")
                        .append("<th>Cycles</th><th>DDR MB</th><th>MAC util %</th><th>Time ms</th><th>Share %</th></tr></thead>\n<tbody>\n");
                for (int k = 0; k < top.size(); k++) {
                    LayerRow r = top.get(k);
                    h.append("<tr>");
                    tdn(h, String.valueOf(k + 1));
                    td(h, r.layer());
                    td(h, r.op());
                    td(h, r.core());
                    tdn(h, String.valueOf(r.cycles()));
                    tdn(h, Text.fixed(r.ddrMb(), 3));
                    tdn(h, Text.fixed(r.macUtilPct(), 1));
                    tdn(h, Text.fixed(r.timeMs(), 4));
                    tdn(h, totalMs > 0 && Double.isFinite(r.timeMs()) ? Text.fixed(100 * r.timeMs() / totalMs, 1) : DASH);
                    h.append("</tr>\n");
                }
                h.append("</tbody></table></div>\n");
                int cut = all.size() - top.size();
                if (cut > 0) {
                    double cutMs = 0;
                    for (LayerRow r : all.subList(top.size(), all.size())) if (Double.isFinite(r.timeMs())) cutMs += r.timeMs();
                    h.append("<p class=\"cut\">").append(cut).append(cut == 1 ? " more layer" : " more layers").append(" not shown (")
                            .append(Text.fixed(cutMs, 3)).append(" ms").append(totalMs > 0 ? ", " + Text.fixed(100 * cutMs / totalMs, 1) + "% of the time" : "")
                            .append(").</p>\n");
                }
            }
            h.append("</details>\n");
        }
        if (!any) h.append("<p class=\"muted\">No profile.</p>\n");
        h.append("</section>\n");
    }

    private static void memory(StringBuilder h, List<Run> runs, List<String> names) {
        h.append("<section id=\"memory\">\n<h2>Memory</h2>\n");
        boolean any = false;
        for (int i = 0; i < runs.size(); i++) {
            List<MemoryRow> rows = runs.get(i).memory();
            if (rows == null || rows.isEmpty()) continue;
            any = true;
            h.append("<h3>").append(esc(names.get(i))).append("</h3>\n<div class=\"scroll\"><table class=\"data\">\n")
                    .append("<thead><tr><th>Client</th><th>What</th><th>Bytes</th><th>Size</th><th>Note</th></tr></thead>\n<tbody>\n");
            String prev = null;
            for (MemoryRow r : rows) {
                if (r == null) continue;
                boolean group = prev != null && !java.util.Objects.equals(prev, r.client());
                prev = r.client();
                h.append(group ? "<tr class=\"group\">" : "<tr>");
                td(h, r.client());
                td(h, r.what());
                tdn(h, Text.bytes(r.bytes()));
                tdn(h, Text.humanBytes(r.bytes()));
                h.append("<td class=\"wrap\">").append(esc(r.note() == null || r.note().isBlank() ? DASH : r.note())).append("</td>");
                h.append("</tr>\n");
            }
            h.append("</tbody></table></div>\n");
        }
        if (!any) h.append("<p class=\"muted\">No memory report.</p>\n");
        h.append("</section>\n");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void figure(StringBuilder h, String svg, String cls) {
        h.append(cls == null ? "<figure>\n" : "<figure class=\"" + cls + "\">\n").append(svg).append("</figure>\n");
    }

    private static void dt(StringBuilder h, String k, String v) {
        h.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>\n");
    }

    private static void td(StringBuilder h, String v) {
        h.append("<td>").append(esc(v == null || v.isBlank() ? DASH : v)).append("</td>");
    }

    private static void tdn(StringBuilder h, String v) {
        h.append("<td class=\"n\">").append(esc(v == null || v.isBlank() ? DASH : v)).append("</td>");
    }

    private static String runName(Run r, int i) {
        if (r.name() != null && !r.name().isBlank()) return r.name();
        Object p = sum(r, "policy");
        return p != null ? String.valueOf(p) : "run " + (i + 1);
    }

    private static String perCore(Object list) {
        if (!(list instanceof List<?> l) || l.isEmpty()) return DASH;
        StringBuilder sb = new StringBuilder();
        for (Object o : l) sb.append(sb.length() == 0 ? "" : " / ").append(num(o, 1));
        return sb.toString();
    }

    private static String distinct(List<Run> runs, java.util.function.Function<Run, String> f) {
        Set<String> s = new LinkedHashSet<>();
        for (Run r : runs) s.add(f.apply(r));
        if (s.isEmpty()) return DASH;
        return String.join(", ", s);
    }

    private static Object first(List<Run> runs, String key) {
        for (Run r : runs) {
            Object o = sum(r, key);
            if (o != null) return o;
        }
        return null;
    }

    private static Object sum(Run r, String... path) {
        return at(r.summary(), path);
    }

    /** Walks nested maps; null when any step is missing. */
    static Object at(Map<String, ?> m, String... path) {
        Object o = m;
        for (String p : path) {
            if (!(o instanceof Map<?, ?> mm)) return null;
            o = mm.get(p);
        }
        return o;
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> clientMaps(Run r) {
        Object o = sum(r, "clients");
        List<Map<String, Object>> out = new ArrayList<>();
        if (o instanceof List<?> l) for (Object c : l) if (c instanceof Map<?, ?> cm) out.add((Map<String, Object>) cm);
        return out;
    }

    private static Map<String, Object> client(Run r, String name) {
        for (Map<String, Object> c : clientMaps(r)) if (java.util.Objects.equals(str(c.get("name")), name)) return c;
        return null;
    }

    private static List<String> clientNames(List<Run> runs) {
        List<String> out = new ArrayList<>();
        for (Run r : runs) {
            for (Map<String, Object> c : clientMaps(r)) {
                String n = str(c.get("name"));
                if (n != null && !out.contains(n)) out.add(n);
            }
        }
        return out;
    }

    private static final String CSS = """
            :root { color-scheme: light; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; font-size: 14px;
                   color: #1a1a1a; background: #fff; margin: 0 auto; padding: 16px 24px 40px; max-width: 1240px; line-height: 1.4; }
            h1 { font-size: 22px; margin: 4px 0 8px; }
            h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 3px; border-bottom: 2px solid #0072B2; }
            h3 { font-size: 15px; margin: 16px 0 6px; }
            dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 8px; }
            dl.meta dt { font-weight: 600; color: #444; }
            dl.meta dd { margin: 0; word-break: break-word; }
            nav.toc { font-size: 13px; padding: 6px 0; border-top: 1px solid #ddd; border-bottom: 1px solid #ddd; }
            nav.toc a { color: #0060a0; text-decoration: none; }
            .muted { color: #555; font-size: 13px; }
            .cut { color: #555; font-size: 12px; margin: 2px 0 12px; font-style: italic; }
            .scroll { overflow-x: auto; }
            table.data { border-collapse: collapse; font-size: 12.5px; margin: 4px 0 10px; }
            table.data th, table.data td { border: 1px solid #d0d0d0; padding: 3px 7px; vertical-align: top; }
            table.data td { white-space: nowrap; }
            table.data td.wrap { white-space: normal; min-width: 12em; }
            table.data th { background: #f0f3f7; text-align: left; font-weight: 600; }
            table.data th.c { text-align: center; }
            table.data td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            table.data tr.group td { border-top: 2px solid #888; }
            table.data tbody tr:nth-child(even) td { background: #fafafa; }
            table.sortable th { cursor: pointer; }
            ul.notes li, ul.failures li { margin: 2px 0; }
            figure { margin: 6px 0 12px; }
            figure svg { max-width: 100%; height: auto; display: block; }
            .grid { display: flex; flex-wrap: wrap; gap: 8px 24px; }
            .grid figure { flex: 0 1 560px; }
            details > summary { font-weight: 600; cursor: pointer; margin: 8px 0; }
            footer { margin-top: 32px; color: #666; font-size: 12px; border-top: 1px solid #ddd; }
            @media print {
              body { max-width: none; padding: 0; font-size: 11px; }
              nav.toc, footer { display: none; }
              h2 { break-after: avoid; page-break-after: avoid; }
              h3 { break-after: avoid; page-break-after: avoid; }
              figure, tr { break-inside: avoid; page-break-inside: avoid; }
              .scroll { overflow: visible; }
              table.data { font-size: 9.5px; }
              * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            }
            """;

    /** Optional: click a heading of a sortable table to sort by that column (numbers numerically). */
    private static final String SCRIPT = """
            (function () {
              var heads = document.querySelectorAll('table.sortable th');
              Array.prototype.forEach.call(heads, function (th) {
                th.addEventListener('click', function () {
                  var table = th.closest('table'), body = table.tBodies[0];
                  var col = Array.prototype.indexOf.call(th.parentNode.children, th);
                  var asc = th.getAttribute('data-dir') !== 'asc';
                  th.setAttribute('data-dir', asc ? 'asc' : 'desc');
                  var rows = Array.prototype.slice.call(body.rows);
                  rows.sort(function (r1, r2) {
                    var a = r1.cells[col].textContent, b = r2.cells[col].textContent;
                    var x = parseFloat(a), y = parseFloat(b);
                    var d = (isNaN(x) || isNaN(y)) ? a.localeCompare(b) : x - y;
                    return asc ? d : -d;
                  });
                  rows.forEach(function (r) { body.appendChild(r); });
                });
              });
            })();
            """;
}
