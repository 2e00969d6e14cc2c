package io.npusim.cli.cmd;

import io.npusim.system.replay.Replayer;
import io.npusim.system.replay.TraceRecording;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.traces.format.Trace;
import io.npusim.traces.format.TraceReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = io.npusim.cli.Main.Version.class, sortOptions = false, description = {
        "Replay a trace (docs/TRACE_FORMAT.md): a recorded run's UAPI calls against the driver it was recorded on,",
        "its requests lowered by another policy's runtime, or jobs measured on a board.",
        "Same driver and hardware: the recorded summary again, byte for byte. Other hardware: every job re-timed,",
        "each thread's calls issued in their recorded causal order with the recorded CPU work between them."})
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "An npusim trace (from run --record or trace import).")
    Path file;

    @Option(names = "--policy", description = "Replay under this policy (default: the recorded one). Another policy replays the workload level.")
    String policy;

    @Option(names = "--level", description = "uapi, workload or measured (default: uapi when the trace has it and the policy is the recorded one).")
    String level;

    @Option(names = "--npu-mhz", description = "NPU clock in MHz (default: the recorded one).")
    Integer npuMhz;

    @Option(names = "--ddr", description = "DDR preset (default: the recorded one).")
    String ddr;

    @Option(names = "--sram-kb", description = "System SRAM given to the NPU (default: the recorded one).")
    Integer sramKb;

    @Option(names = "--set", description = "Override any configuration key: --set key=value (repeatable), after the recorded ones.")
    List<String> set = new ArrayList<>();

    @Option(names = "--json", description = "Print the summary as JSON on stdout.")
    boolean json;

    @Option(names = "--out", description = "Result folder (default: results/<scenario>-<timestamp>/).")
    Path out;

    @Option(names = "--trace", description = "Timeline detail in trace.json: none, summary or full (default: the recorded run's).")
    String trace;

    @Option(names = "--record", description = "Record the replay itself as a trace.")
    Path record;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        Trace t = new TraceReader().read(file);
        Replayer.Request req = new Replayer.Request(policy == null ? null : Policy.parse(policy), Replayer.parseMode(level), npuMhz, ddr, sramKb, set,
                trace);
        Replayer.Mode mode = Replayer.mode(t, req);
        String scenario = t.header().scenario() != null && t.header().scenario().hasNonNull("name") ? t.header().scenario().get("name").asText()
                : "capture";
        Path dir = io.npusim.cli.out.ResultFolder.resolve(out, scenario + "-replay");
        String target = req.policy() == null ? t.header().policy() : req.policy().key();
        TraceRecording rec = record == null ? null : TraceRecording.to(record);
        Replayer.Outcome[] outcome = new Replayer.Outcome[1];
        RunResult r;
        try {
            r = Outputs.runInto(dir, scenario, target, Replayer.traceLevel(t, req), sink -> {
                outcome[0] = Replayer.replay(t, req, sink, rec, io.npusim.cli.out.Progress.forRun("replay of " + file.getFileName(), quiet));
                return outcome[0].result();
            });
            if (rec != null) rec.finish();
        } catch (RuntimeException e) {
            if (rec != null) rec.abandon();
            throw e;
        }
        Replayer.Outcome o = outcome[0];
        var info = r.runInfo();
        info.put("replay_of", file.toString());
        info.put("replay_mode", mode.key());
        info.put("replay_calls", o.issued());
        info.put("replay_diverged_returns", o.diverged());
        io.npusim.cli.out.ResultFolder.write(dir, r.summary(), List.of(r));
        List<String> notes = new ArrayList<>();
        notes.add(describe(t, req, o));
        if (rec != null) notes.add("replay recorded in " + record);
        Outputs.print(r, json, dir, notes, spec.commandLine().getOut());
        return 0;
    }

    private static String describe(Trace t, Replayer.Request req, Replayer.Outcome o) {
        return switch (o.mode()) {
            case UAPI -> "replayed " + o.issued() + " UAPI calls of " + t.file() + " under " + o.policy().key()
                    + (req.changesHardware() ? " on changed hardware (jobs re-timed, calls in recorded causal order)" : " on the recorded hardware")
                    + "; " + o.diverged() + " returned other values than recorded";
            case WORKLOAD -> "replayed the workload level of " + t.file() + " (" + t.arrivals().size() + " requests) under " + o.policy().key()
                    + ", lowered by its runtimes";
            case MEASURED -> "replayed " + t.jobs().size() + " jobs measured on a board (" + t.header().source() + ") under " + o.policy().key()
                    + " with their measured service times" + (req.npuMhz() != null ? ", scaled to " + req.npuMhz() + " MHz" : "");
        };
    }
}
