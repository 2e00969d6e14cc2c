package io.npusim.system.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npusim.core.UserError;
import io.npusim.core.trace.TraceSink;
import io.npusim.system.Runner;
import io.npusim.system.board.Board;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.traces.format.Trace;
import io.npusim.workloads.arrival.ChatClient;
import io.npusim.workloads.arrival.Client;
import io.npusim.workloads.arrival.VisionClient;
import io.npusim.workloads.scenario.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * {@code npusim replay}: runs a trace again, in one of three ways.
 * <ul>
 *   <li><b>uapi</b>: the trace's UAPI level against the driver it was recorded on, the calls
 *       issued causally (see {@link UapiReplay}); with the recorded hardware this reproduces
 *       the recorded run, with other hardware it re-times every job;</li>
 *   <li><b>workload</b>: the trace's requests (arrivals, prompt and answer lengths) lowered by
 *       another policy's runtimes (or by the same one, when asked): the scenario's clients with
 *       the recorded arrivals instead of drawn ones;</li>
 *   <li><b>measured</b>: jobs known only from a board capture, replayed with their measured
 *       service times (see {@link MeasuredJobs}).</li>
 * </ul>
 */
public final class Replayer {
    public enum Mode {
        UAPI, WORKLOAD, MEASURED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What to change: the policy (null: the recorded one), the level (null: the finest the policy
     * allows), hardware overrides on top of the recorded ones, the Perfetto trace level (null: the
     * recorded run's, since writing trace.json samples the hardware, which adds events).
     */
    public record Request(Policy policy, Mode mode, Integer npuMhz, String ddr, Integer sramKb, List<String> set, String trace) {
        public Request {
            set = set == null ? List.of() : List.copyOf(set);
        }

        public static Request same() {
            return new Request(null, null, null, null, null, List.of(), null);
        }

        public boolean changesHardware() {
            return npuMhz != null || ddr != null || sramKb != null || !set.isEmpty();
        }
    }

    /** A replay's result, how it ran, and how many calls returned something else than recorded. */
    public record Outcome(RunResult result, Mode mode, Policy policy, long issued, long diverged) {}

    private Replayer() {}

    /** The mode a request resolves to for a trace. */
    public static Mode mode(Trace t, Request r) {
        Policy recorded = recordedPolicy(t);
        Policy target = r.policy() == null ? recorded : r.policy();
        if (!t.jobs().isEmpty() && t.header().scenario() == null) {
            if (r.mode() != null && r.mode() != Mode.MEASURED) {
                throw new UserError(t.file() + " holds jobs measured on a board: it replays in measured mode only");
            }
            return Mode.MEASURED;
        }
        if (r.mode() == Mode.MEASURED) throw new UserError(t.file() + " holds no measured jobs; replay it at the uapi or workload level");
        if (r.mode() == Mode.WORKLOAD) return Mode.WORKLOAD;
        if (target != recorded) {
            if (r.mode() == Mode.UAPI) {
                throw new UserError("the UAPI level of " + t.file() + " holds " + recorded.key() + " ioctls; it cannot drive " + target.key()
                        + " (replay it at the workload level: drop --level uapi)");
            }
            return Mode.WORKLOAD;
        }
        if (!t.hasUapi()) {
            if (r.mode() == Mode.UAPI) throw new UserError(t.file() + " has no UAPI level; replay it at the workload level");
            return Mode.WORKLOAD;
        }
        return Mode.UAPI;
    }

    /** The Perfetto trace level a replay uses: the requested one, else the recorded run's, else none. */
    public static String traceLevel(Trace t, Request r) {
        if (r.trace() != null) return r.trace();
        ObjectNode run = t.header().run();
        return run != null && run.hasNonNull("trace") && run.get("trace").isTextual() ? run.get("trace").asText() : "none";
    }

    static Policy recordedPolicy(Trace t) {
        try {
            return Policy.parse(t.header().policy());
        } catch (UserError e) {
            throw new UserError(t.file() + ":1: header: " + e.getMessage());
        }
    }

    /** Replays {@code t}; {@code recording}, when given, records the replay itself (a trace of the replay). */
    public static Outcome replay(Trace t, Request r, TraceSink sink, Board.Recording recording, DoubleConsumer progress) {
        Mode mode = mode(t, r);
        Policy target = r.policy() == null ? recordedPolicy(t) : r.policy();
        return switch (mode) {
            case UAPI -> uapi(t, r, target, sink, recording, progress);
            case WORKLOAD -> workload(t, r, target, sink, recording, progress);
            case MEASURED -> measured(t, r, target, sink, recording, progress);
        };
    }

    private static RunSpec spec(Trace t, Request r, Policy policy, String variant) {
        ObjectNode run = t.header().run();
        Long seed = longOrNull(run, "seed");
        Double dur = run.hasNonNull("duration_s") ? run.get("duration_s").asDouble() : null;
        Integer mhz = r.npuMhz() != null ? r.npuMhz() : intOrNull(run, "npu_mhz");
        String ddr = r.ddr() != null ? r.ddr() : (run.hasNonNull("ddr") ? run.get("ddr").asText() : null);
        Integer sram = r.sramKb() != null ? r.sramKb() : intOrNull(run, "sram_kb");
        List<String> set = new ArrayList<>();
        JsonNode s = run.get("set");
        if (s != null && s.isArray()) for (JsonNode x : s) set.add(x.asText());
        set.addAll(r.set());
        String scenario = run.hasNonNull("scenario") ? run.get("scenario").asText() : "trace";
        return new RunSpec(scenario, policy, null, seed, dur, mhz, ddr, sram, set, traceLevel(t, r), variant);
    }

    private static Long longOrNull(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw new IllegalArgumentException("header: run." + f + " must be an integer");
        return v.asLong();
    }

    private static Integer intOrNull(JsonNode n, String f) {
        Long v = longOrNull(n, f);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) throw new IllegalArgumentException("header: run." + f + " is out of range");
        return v == null ? null : v.intValue();
    }

    private static Outcome uapi(Trace t, Request r, Policy p, TraceSink sink, Board.Recording recording, DoubleConsumer progress) {
        Scenario scenario = Scenarios.of(t);
        RunSpec spec;
        try {
            spec = spec(t, r, p, t.header().variant());
        } catch (IllegalArgumentException e) {
            throw new UserError(t.file() + ":1: " + e.getMessage());
        }
        UapiReplay replay = new UapiReplay(t);
        RunResult res = run(t, spec, scenario, sink, new Board.Options(recording, replay), b -> check(t, b), progress, replay::line);
        return new Outcome(res, Mode.UAPI, p, replay.issued(), replay.diverged());
    }

    private static void check(Trace t, Board b) {
        if (b.durationPs() != t.header().durationPs()) {
            throw new UserError(t.file() + ":1: header: duration_ps " + t.header().durationPs() + " does not match the recorded run ("
                    + b.durationPs() + " ps)");
        }
    }

    private static Outcome workload(Trace t, Request r, Policy p, TraceSink sink, Board.Recording recording, DoubleConsumer progress) {
        Scenario scenario = Scenarios.of(t);
        if (scenario == null) throw new UserError(t.file() + ": no scenario in the header: the workload level cannot be lowered again");
        RunSpec spec;
        try {
            spec = spec(t, r, p, p == recordedPolicy(t) ? t.header().variant() : null);
        } catch (IllegalArgumentException e) {
            throw new UserError(t.file() + ":1: " + e.getMessage());
        }
        Map<String, List<Trace.Arrival>> arrivals = new HashMap<>();
        for (Trace.Arrival a : t.arrivals()) arrivals.computeIfAbsent(a.client(), k -> new ArrayList<>()).add(a);
        Consumer<Board> scripts = b -> {
            check(t, b);
            for (Client c : b.clients()) {
                List<Trace.Arrival> l = arrivals.getOrDefault(c.name(), List.of());
                if (c instanceof VisionClient v) {
                    long[] at = new long[l.size()];
                    for (int i = 0; i < at.length; i++) at[i] = l.get(i).atPs();
                    v.withArrivals(at);
                } else if (c instanceof ChatClient ch) {
                    int[][] turns = new int[l.size()][];
                    for (int i = 0; i < turns.length; i++) {
                        Trace.Arrival a = l.get(i);
                        if (a.promptTokens() < 1 || a.answerTokens() < 1) {
                            throw new UserError(t.file() + ":" + a.line() + ": a chat turn needs positive prompt and answer tokens");
                        }
                        turns[i] = new int[] {a.promptTokens(), a.answerTokens()};
                    }
                    ch.withTurns(turns);
                }
            }
        };
        RunResult res = run(t, spec, scenario, sink, new Board.Options(recording, null), scripts, progress, () -> 0);
        return new Outcome(res, Mode.WORKLOAD, p, 0, 0);
    }

    private static Outcome measured(Trace t, Request r, Policy p, TraceSink sink, Board.Recording recording, DoubleConsumer progress) {
        long captureMhz = t.header().npuMhz() != null ? t.header().npuMhz() : (recordedPolicy(t) == Policy.ROCKET ? 200 : 1000);
        double durS = t.header().durationPs() / 1e12;
        Scenario scenario = new Scenario("capture " + fileName(t.file()), "jobs measured on a board (" + t.header().source() + ")", durS,
                t.header().seed(), Map.of(), List.of());
        int mhz = r.npuMhz() != null ? r.npuMhz() : (int) captureMhz;
        RunSpec spec = new RunSpec(scenario.name(), p, null, t.header().seed(), durS, mhz, r.ddr(), r.sramKb(), r.set(), traceLevel(t, r), null);
        RunResult res = run(t, spec, scenario, sink, new Board.Options(recording, new MeasuredJobs(t, p, captureMhz)), b -> { }, progress,
                () -> 0);
        return new Outcome(res, Mode.MEASURED, p, t.jobs().size(), 0);
    }

    private static String fileName(String f) {
        int slash = Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\'));
        return slash >= 0 ? f.substring(slash + 1) : f;
    }

    private static RunResult run(Trace t, RunSpec spec, Scenario scenario, TraceSink sink, Board.Options options, Consumer<Board> prepare,
                                 DoubleConsumer progress, java.util.function.IntSupplier line) {
        try {
            return Runner.run(spec, scenario, sink, options, prepare, progress);
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            int l = line.getAsInt();
            throw new UserError(t.file() + (l > 0 ? ":" + l : "") + ": the replay failed" + (l > 0 ? " after the call on this line" : "")
                    + ": " + e);
        }
    }

    /** The level names as the CLI takes them. */
    public static Mode parseMode(String s) {
        if (s == null) return null;
        for (Mode m : Mode.values()) if (m.key().equals(s.trim().toLowerCase(Locale.ROOT))) return m;
        throw new UserError("--level must be uapi, workload or measured, got '" + s + "'");
    }
}
