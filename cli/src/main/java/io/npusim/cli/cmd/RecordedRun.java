package io.npusim.cli.cmd;

import io.npusim.system.Runner;
import io.npusim.system.board.Board;
import io.npusim.system.result.RunResult;
import io.npusim.system.replay.TraceRecording;
import io.npusim.system.spec.Policy;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code npusim run SCENARIO --record FILE}: the run, with its trace written beside it. */
final class RecordedRun {
    private RecordedRun() {}

    static int run(String scenarioName, Policy policy, CommonOptions o, Path file, PrintWriter out) {
        Scenario scenario = new ScenarioLoader().load(scenarioName);
        Path dir = io.npusim.cli.out.ResultFolder.resolve(o.out, scenario.name());
        TraceRecording rec = TraceRecording.to(file);
        RunResult r;
        try {
            r = Outputs.runInto(dir, scenario.name(), policy.key(), o.trace, sink -> Runner.run(Simulate.spec(scenarioName, policy, o), scenario,
                    sink, new Board.Options(rec, null), b -> { }, io.npusim.cli.out.Progress.forRun(scenario.name() + " under " + policy.key(), o.quiet)));
            rec.finish();
        } catch (RuntimeException e) {
            rec.abandon();
            throw e;
        }
        Outputs.print(r, o.json, dir, List.of("trace recorded in " + file + " (UAPI and workload levels; see docs/TRACE_FORMAT.md)"), out);
        return 0;
    }
}
