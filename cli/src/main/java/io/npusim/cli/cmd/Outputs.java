package io.npusim.cli.cmd;

import io.npusim.cli.out.Json;
import io.npusim.cli.out.ResultFolder;
import io.npusim.cli.out.SummaryText;
import io.npusim.core.trace.TraceSink;
import io.npusim.system.result.RunResult;
import io.npusim.traces.perfetto.ChromeTraceWriter;
import io.npusim.traces.perfetto.TraceLevel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One run outside {@link Simulate} (recorded runs, replays): its result folder and its printout. */
final class Outputs {
    private Outputs() {}

    /** Runs {@code body} with the Perfetto sink of the result folder open, then writes the folder. */
    static RunResult runInto(Path dir, String scenario, String policy, String traceLevel, Function<TraceSink, RunResult> body) {
        TraceLevel level = Simulate.traceLevel(traceLevel);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("scenario", scenario);
        meta.put("policies", policy);
        meta.put("version", io.npusim.system.result.SummaryBuilder.VERSION);
        ChromeTraceWriter trace = level == TraceLevel.NONE ? null : ResultFolder.openTrace(dir, level, meta);
        RunResult r;
        try {
            r = body.apply(trace == null ? TraceSink.NONE : trace);
        } finally {
            ResultFolder.closeTrace(trace);
        }
        Object doc = ResultFolder.document(scenario, List.of(r), false);
        ResultFolder.write(dir, doc, List.of(r));
        ResultFolder.writeReport(dir, scenario, List.of(r));
        return r;
    }

    /** The summary as JSON (exactly summary.json) or as the terminal table, then {@code notes}. */
    static void print(RunResult r, boolean json, Path dir, List<String> notes, PrintWriter out) {
        if (json) {
            out.print(Json.write(r.summary()));
        } else {
            out.print(SummaryText.render(List.of(r.summary())));
            out.println();
            for (String n : notes) out.println(n);
            out.println("results in " + dir);
        }
        out.flush();
    }
}
