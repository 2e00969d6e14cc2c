package io.npusim.cli.out;

import io.npusim.core.UserError;
import io.npusim.system.result.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a run's result folder: summary.json (deterministic) and run-info.json (wall clock). */
public final class ResultFolder {
    private ResultFolder() {}

    public static Path resolve(Path out, String scenario) {
        if (out != null) return out;
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        String safe = scenario.replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of("results", safe + "-" + stamp);
    }

    /** The summary document: one run's object, or {"scenario", "runs": [...]} for a comparison. */
    public static Object document(String scenario, List<RunResult> runs, boolean compare) {
        if (!compare) return runs.get(0).summary();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", scenario);
        List<Map<String, Object>> list = new ArrayList<>();
        for (RunResult r : runs) list.add(r.summary());
        doc.put("runs", list);
        return doc;
    }

    /** The Perfetto trace of the runs, written while they run (trace.json). */
    public static io.npusim.traces.perfetto.ChromeTraceWriter openTrace(Path dir, io.npusim.traces.perfetto.TraceLevel level, Map<String, String> meta) {
        try {
            Files.createDirectories(dir);
            return io.npusim.traces.perfetto.ChromeTraceWriter.open(dir.resolve("trace.json"), level, meta);
        } catch (IOException e) {
            throw new UserError("cannot write " + dir.resolve("trace.json") + ": " + e.getMessage());
        }
    }

    public static void closeTrace(io.npusim.traces.perfetto.ChromeTraceWriter w) {
        if (w == null) return;
        try {
            w.close();
        } catch (IOException e) {
            throw new UserError("cannot finish trace.json: " + e.getMessage());
        }
    }

    /** metrics.csv and report.html. */
    public static void writeReport(Path dir, String scenario, List<RunResult> runs) {
        try {
            Files.writeString(dir.resolve("metrics.csv"), MetricsCsv.render(runs), StandardCharsets.UTF_8);
            io.npusim.cli.report.HtmlReport.write(io.npusim.cli.report.ReportBuilder.build(scenario, runs), dir.resolve("report.html"));
        } catch (IOException e) {
            throw new UserError("cannot write the report to " + dir + ": " + e.getMessage());
        }
    }

    public static void write(Path dir, Object summaryDoc, List<RunResult> runs) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.json"), Json.write(summaryDoc), StandardCharsets.UTF_8);
            List<Map<String, Object>> info = new ArrayList<>();
            for (RunResult r : runs) info.add(r.runInfo());
            Files.writeString(dir.resolve("run-info.json"), Json.write(info.size() == 1 ? info.get(0) : info), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write the result folder " + dir + ": " + e.getMessage());
        }
    }
}
