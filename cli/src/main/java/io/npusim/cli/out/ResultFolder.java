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
