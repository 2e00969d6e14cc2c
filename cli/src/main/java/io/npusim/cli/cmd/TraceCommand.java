package io.npusim.cli.cmd;

import io.npusim.traces.capture.Capture;
import io.npusim.traces.capture.Importers;
import io.npusim.traces.format.Trace;
import io.npusim.traces.format.TraceReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "trace", mixinStandardHelpOptions = true, versionProvider = io.npusim.cli.Main.Version.class, description = "Work with npusim traces (docs/TRACE_FORMAT.md): import board captures, check and describe traces.",
        subcommands = {TraceCommand.Import.class, TraceCommand.Info.class})
public final class TraceCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "import", sortOptions = false, description = {
            "Turn a real-board capture (scripts/capture/) into the workload level of an npusim trace:",
            "one client per submitting thread, one job per NPU job with its measured service time."})
    static final class Import implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--from", required = true, description = "rknpu-bpftrace (rknpu-submit.bt output) or drm-sched-ftrace (trace-cmd report of capture-rocket.sh).")
        String from;

        @Parameters(index = "0", paramLabel = "FILE", description = "The capture's text output.")
        Path file;

        @Option(names = "--out", description = "The trace to write (default: FILE.npusim.jsonl).")
        Path out;

        @Option(names = "--npu-mhz", description = "The NPU clock during the capture (default: the capture's metadata, else 1000 for rknpu, 200 for rocket).")
        Integer npuMhz;

        @Override
        public Integer call() {
            Path o = out != null ? out : Importers.defaultOut(file);
            Capture c = Importers.importFile(from, file, o, npuMhz);
            TreeMap<String, Integer> perClient = new TreeMap<>();
            for (Capture.Job j : c.jobs()) perClient.merge(j.comm() + "-" + j.tid(), 1, Integer::sum);
            PrintWriter w = spec.commandLine().getOut();
            w.println("imported " + c.jobs().size() + " jobs of " + perClient.size() + " threads from " + file + " (" + from + ") into " + o);
            for (var e : perClient.entrySet()) w.println("  " + e.getKey() + ": " + e.getValue() + " jobs");
            w.println("replay it with: npusim replay " + o + " [--policy rknpu|rocket] [--npu-mhz MHZ]");
            w.flush();
            return 0;
        }
    }

    @Command(name = "info", description = "Check a trace and describe it (one line per problem, exit 2).")
    static final class Info implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            Trace t = new TraceReader().read(file);
            PrintWriter w = spec.commandLine().getOut();
            var h = t.header();
            w.println(file + ": npusim trace version " + h.version() + ", platform " + h.platform() + ", " + t.lines() + " lines");
            w.println("  source " + h.source() + ", policy " + h.policy() + (h.variant() != null ? " (" + h.variant() + ")" : "")
                    + (h.npuMhz() != null ? ", NPU at " + h.npuMhz() + " MHz" : "") + ", " + h.durationPs() / 1e12 + " s");
            w.println("  levels " + String.join(", ", h.levels()) + "; " + t.processes().size() + " processes, " + t.threads().size() + " threads, "
                    + t.clients().size() + " clients");
            TreeMap<String, Integer> kinds = new TreeMap<>();
            for (Trace.Call c : t.calls()) kinds.merge(c.type(), 1, Integer::sum);
            long pending = t.calls().stream().filter(Trace.Call::pending).count();
            if (!kinds.isEmpty()) w.println("  calls " + kinds + (pending > 0 ? ", " + pending + " pending at the end" : ""));
            if (!t.arrivals().isEmpty()) w.println("  " + t.arrivals().size() + " requests (workload level)");
            if (!t.jobs().isEmpty()) w.println("  " + t.jobs().size() + " jobs with measured service times");
            w.flush();
            return 0;
        }
    }
}
