package io.npusim.system;

import io.npusim.core.trace.TraceSink;
import io.npusim.system.board.Board;
import io.npusim.system.result.RunResult;
import io.npusim.system.result.SummaryBuilder;
import io.npusim.system.spec.RunSpec;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code RunResult run(RunSpec)}: the one entry point the CLI, sweeps and any adapter call. */
public final class Runner {
    private Runner() {}

    public static RunResult run(RunSpec spec) {
        return run(spec, new ScenarioLoader().load(spec.scenario()), TraceSink.NONE);
    }

    public static RunResult run(RunSpec spec, Scenario scenario, TraceSink trace) {
        return run(spec, scenario, trace, b -> { });
    }

    /** Same, with a hook that adjusts the board before it runs (benchmark warm-up, turn limits). */
    public static RunResult run(RunSpec spec, Scenario scenario, TraceSink trace, java.util.function.Consumer<Board> prepare) {
        return run(spec, scenario, trace, prepare, f -> { });
    }

    /** Same, reporting the fraction of simulated time done as the run goes (a progress bar). */
    public static RunResult run(RunSpec spec, Scenario scenario, TraceSink trace, java.util.function.Consumer<Board> prepare,
                                java.util.function.DoubleConsumer progress) {
        return run(spec, scenario, trace, Board.Options.NONE, prepare, progress);
    }

    /** Same, on a board given options (a recorder at the UAPI boundary, clients from a trace). */
    public static RunResult run(RunSpec spec, Scenario scenario, TraceSink trace, Board.Options options,
                                java.util.function.Consumer<Board> prepare, java.util.function.DoubleConsumer progress) {
        long t0 = System.nanoTime();
        Board board = new Board(spec, scenario, trace, options);
        prepare.accept(board);
        board.run(progress);
        long t1 = System.nanoTime();
        Map<String, Object> summary = SummaryBuilder.build(board);
        double wallS = (t1 - t0) / 1e9;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("scenario", board.scenario().name());
        info.put("policy", spec.policy().key());
        info.put("wall_s", wallS);
        info.put("events", board.sim().events());
        info.put("events_per_s", wallS > 0 ? board.sim().events() / wallS : 0);
        info.put("simulated_s_per_wall_s", wallS > 0 ? board.durationPs() / 1e12 / wallS : 0);
        info.put("peak_heap_mb", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e6);
        info.put("java", System.getProperty("java.version"));
        info.put("host_cpus", Runtime.getRuntime().availableProcessors());
        return new RunResult(summary, info, board);
    }
}
