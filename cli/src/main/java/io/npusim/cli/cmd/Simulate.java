package io.npusim.cli.cmd;

import io.npusim.cli.out.Json;
import io.npusim.cli.out.ResultFolder;
import io.npusim.cli.out.SummaryText;
import io.npusim.system.Runner;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Shared by run and compare: build specs, run them, print and write the results. */
final class Simulate {
    private Simulate() {}

    static RunSpec spec(String scenario, Policy policy, CommonOptions o) {
        return new RunSpec(scenario, policy, o.model, o.seed, o.duration, o.npuMhz, o.ddr, o.sramKb, o.set, o.trace);
    }

    static int run(String scenarioName, List<Policy> policies, CommonOptions o, boolean compare, PrintWriter out, PrintWriter err) {
        Scenario scenario = new ScenarioLoader().load(scenarioName);
        List<RunResult> results = new ArrayList<>();
        for (Policy p : policies) {
            results.add(Runner.run(spec(scenarioName, p, o), scenario, io.npusim.core.trace.TraceSink.NONE));
        }
        Object doc = ResultFolder.document(scenario.name(), results, compare);
        Path dir = ResultFolder.resolve(o.out, scenario.name());
        ResultFolder.write(dir, doc, results);
        if (o.json) {
            out.print(Json.write(doc));
        } else {
            List<Map<String, Object>> sums = new ArrayList<>();
            for (RunResult r : results) sums.add(r.summary());
            out.print(SummaryText.render(sums));
            out.println();
            out.println("results in " + dir);
        }
        out.flush();
        return 0;
    }
}
