package io.npusim.cli.cmd;

import io.npusim.cli.out.Json;
import io.npusim.cli.out.ResultFolder;
import io.npusim.cli.out.SummaryText;
import io.npusim.system.Runner;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.system.spec.Variant;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import io.npusim.core.trace.TraceSink;
import io.npusim.traces.perfetto.ChromeTraceWriter;
import io.npusim.traces.perfetto.ProcessSuffix;
import io.npusim.traces.perfetto.TraceLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared by run and compare: build specs, run them, print and write the results. */
final class Simulate {
    private Simulate() {}

    static TraceLevel traceLevel(String s) {
        try {
            return TraceLevel.parse(s);
        } catch (IllegalArgumentException e) {
            throw new io.npusim.core.UserError("--trace must be none, summary or full, got '" + s + "'");
        }
    }

    static RunSpec spec(String scenario, Policy policy, CommonOptions o) {
        return new RunSpec(scenario, policy, o.model, o.seed, o.duration, o.npuMhz, o.ddr, o.sramKb, o.set, o.trace);
    }

    /** What a run or comparison produced: the result folder and one result per policy. */
    record Outcome(Scenario scenario, Path dir, List<RunResult> results) {}

    /** Runs the scenario under each policy and writes the result folder (summary, metrics, trace, report). */
    static Outcome execute(String scenarioName, List<Policy> policies, CommonOptions o, boolean compare) {
        return execute(scenarioName, policies.stream().map(Variant::of).toList(), false, o, compare);
    }

    /**
     * Same for policy variants ({@code compare --variants}); when {@code labelled}, each run carries
     * its variant label (summary.json "variant", tables, metrics.csv, report, trace process names).
     */
    static Outcome execute(String scenarioName, List<Variant> variants, boolean labelled, CommonOptions o, boolean compare) {
        Scenario scenario = new ScenarioLoader().load(scenarioName);
        TraceLevel level = traceLevel(o.trace);
        Path dir = ResultFolder.resolve(o.out, scenario.name());
        List<RunResult> results = new ArrayList<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("scenario", scenario.name());
        meta.put("policies", String.join(",", variants.stream().map(Variant::label).toList()));
        meta.put("version", io.npusim.system.result.SummaryBuilder.VERSION);
        ChromeTraceWriter trace = level == TraceLevel.NONE ? null : ResultFolder.openTrace(dir, level, meta);
        try {
            for (Variant v : variants) {
                TraceSink sink = trace == null ? TraceSink.NONE : compare ? new ProcessSuffix(trace, " [" + v.label() + "]") : trace;
                var bar = io.npusim.cli.out.Progress.forRun(scenario.name() + " under " + v.label(), o.quiet);
                RunSpec spec = spec(scenarioName, v.policy(), o);
                results.add(Runner.run(labelled ? spec.withVariant(v) : spec, scenario, sink, b -> { }, bar));
            }
        } finally {
            ResultFolder.closeTrace(trace);
        }
        Object doc = ResultFolder.document(scenario.name(), results, compare);
        ResultFolder.write(dir, doc, results);
        ResultFolder.writeReport(dir, scenario.name(), results);
        return new Outcome(scenario, dir, results);
    }

    static int run(String scenarioName, List<Policy> policies, CommonOptions o, boolean compare, PrintWriter out, PrintWriter err) {
        return print(execute(scenarioName, policies, o, compare), o, compare, out);
    }

    /** compare --variants: every variant side by side, each labelled. */
    static int runVariants(String scenarioName, List<Variant> variants, CommonOptions o, PrintWriter out, PrintWriter err) {
        return print(execute(scenarioName, variants, true, o, true), o, true, out);
    }

    private static int print(Outcome outcome, CommonOptions o, boolean compare, PrintWriter out) {
        Scenario scenario = outcome.scenario();
        Path dir = outcome.dir();
        List<RunResult> results = outcome.results();
        Object doc = ResultFolder.document(scenario.name(), results, compare);
        if (o.json) {
            out.print(Json.write(doc));
        } else {
            List<Map<String, Object>> sums = new ArrayList<>();
            for (RunResult r : results) sums.add(r.summary());
            out.print(SummaryText.render(sums));
            List<String> notes = io.npusim.cli.report.ReportBuilder.Notes.compare(sums);
            if (!notes.isEmpty()) {
                out.println();
                for (String n : notes) out.println("- " + n);
            }
            out.println();
            out.println("results in " + dir);
        }
        out.flush();
        return 0;
    }
}
