package io.npusim.system.validate;

import io.npusim.core.UserError;
import io.npusim.core.trace.TraceSink;
import io.npusim.system.Runner;
import io.npusim.system.board.Board;
import io.npusim.system.result.Num;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.workloads.arrival.Client;
import io.npusim.workloads.arrival.ClientStats;
import io.npusim.workloads.scenario.Arrival;
import io.npusim.workloads.scenario.ClientSpec;
import io.npusim.workloads.scenario.Dist;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.zoo.ModelSpec;
import io.npusim.workloads.zoo.ModelZoo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulates every point of a validation file as the measurement was taken: identical client
 * processes running the model back to back (closed loop, one warm-up inference), on the point's
 * policy, clock, DDR preset, SRAM and core masks; LLM points run one prompt and its answer.
 */
public final class Validator {
    /** One point's outcome; {@code predicted} is null when the point cannot run (with the reason). */
    public record Outcome(ValidationPoint point, Double predicted, Double error, boolean within, String reason) {}

    private final ModelZoo zoo = new ModelZoo();
    private final List<String> sets;

    public Validator() {
        this(List.of());
    }

    /** With configuration overrides ("key=value") applied to every point, for sensitivity studies. */
    public Validator(List<String> sets) {
        this.sets = List.copyOf(sets);
    }

    public List<Outcome> run(List<ValidationPoint> points) {
        Map<String, Double> raw = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (ValidationPoint p : points) {
            try {
                raw.put(p.id(), measure(p));
            } catch (PointFailed e) {
                reasons.put(p.id(), e.getMessage());
            }
        }
        List<Outcome> out = new ArrayList<>();
        for (ValidationPoint p : points) {
            Double v = raw.get(p.id());
            String reason = reasons.get(p.id());
            if (v != null && p.relativeTo() != null) {
                Double ref = raw.get(p.relativeTo());
                if (ref == null || ref == 0) {
                    reason = "reference point " + p.relativeTo() + " has no prediction";
                    v = null;
                } else {
                    v = v / ref;
                }
            }
            if (v == null) {
                out.add(new Outcome(p, null, null, false, reason));
                continue;
            }
            double pred = Num.round(v, 4);
            double err = Num.round((v - p.expected()) / p.expected(), 4);
            out.add(new Outcome(p, pred, err, Math.abs((v - p.expected()) / p.expected()) <= p.tolerance(), null));
        }
        return out;
    }

    static final class PointFailed extends Exception {
        PointFailed(String m) {
            super(m, null, false, false);
        }
    }

    private double measure(ValidationPoint p) throws PointFailed {
        ModelSpec model = zoo.get(p.model());
        Policy policy = Policy.parse(p.policy());
        boolean vision = model.kind() == ModelSpec.Kind.VISION;
        List<ClientSpec> clients = new ArrayList<>();
        int n = p.clientCount();
        for (int i = 0; i < n; i++) {
            int mask = "per-core".equals(p.placement()) ? 1 << (i % 3) : p.mask();
            Arrival arrival = switch (model.kind()) {
                case LLM -> new Arrival.Chat(Dist.of(p.promptTokens()), Dist.of(p.newTokens()), 0.0);
                // A window every millisecond, dropped while the last one runs: windows follow each other
                // back to back, as a closed loop, and a latency never includes a wait in a queue.
                case AUDIO -> new Arrival.Audio(model.whisper().windowS(), AUDIO_PERIOD_S, p.newTokens(), AUDIO_DEADLINE_MS, true);
                case VISION -> new Arrival.ClosedLoop(0.0);
            };
            clients.add(new ClientSpec("c" + i, p.model(), p.dtype(), arrival, mask, "throughput", 1, null,
                    vision ? (p.scope() == null ? "run" : p.scope()) : null, p.input()));
        }
        double duration = switch (model.kind()) {
            case LLM -> llmDuration(model, p);
            case AUDIO -> audioDuration(model, p, policy);
            case VISION -> visionDuration(model, p, policy);
        };
        // The estimate knows the default build at the NPU's rate; a larger input, fp16 on the CPU or
        // a long prompt can take far longer. Too short a run is run again, four times longer.
        while (true) {
            Scenario s = new Scenario("validate " + p.id(), p.source(), duration, 1L, Map.of(), clients);
            RunSpec spec = new RunSpec(s.name(), policy, null, 1L, duration, p.npuMhz(), p.ddr(), p.sramKb(), sets, "none");
            Map<String, TrafficMeter> meters = new LinkedHashMap<>();
            RunResult r;
            try {
                r = Runner.run(spec, s, TraceSink.NONE, b -> prepare(b, meters));
            } catch (UserError e) {
                throw new PointFailed(e.getMessage());
            }
            for (Client c : r.board().clients()) {
                if (c.stats().failure() != null) throw new PointFailed(c.stats().failure());
            }
            if (enough(model.kind(), p, r) || duration >= MAX_SIMULATED_S) return metric(p, r, meters);
            duration = Math.min(MAX_SIMULATED_S, duration * 4);
        }
    }

    /** Simulated seconds a point may take before it is reported with what it has. */
    static final double MAX_SIMULATED_S = 4 * 3600;
    /** Requests each client completes before its figures count: after the warm-up for vision, windows for audio. */
    static final int MIN_VISION_REQUESTS = 5;
    static final int MIN_AUDIO_WINDOWS = 3;

    /** Every client got far enough: its prompt and whole answer, or enough inferences or windows. */
    private static boolean enough(ModelSpec.Kind kind, ValidationPoint p, RunResult r) {
        for (Client c : r.board().clients()) {
            ClientStats st = c.stats();
            boolean ok = switch (kind) {
                case LLM -> st.ttftRecorder().count() >= 1 && st.tokens() >= p.newTokens() - 1;
                case AUDIO -> st.requests() >= MIN_AUDIO_WINDOWS;
                case VISION -> st.requests() >= MIN_VISION_REQUESTS;
            };
            if (!ok) return false;
        }
        return true;
    }

    /**
     * A client's NPU traffic read at each completed request (a vision inference, an audio window, a
     * decoded token): the difference between the first and the last reading over the requests in
     * between is the steady state, free of the warm-up and of the request cut off by the run's end.
     */
    private static final class TrafficMeter {
        double firstBytes;
        double lastBytes;
        long completions;
    }

    /** One warm-up inference for vision clients, one prompt for LLM clients; a traffic meter on each. */
    private static void prepare(Board b, Map<String, TrafficMeter> meters) {
        for (Client c : b.clients()) {
            if (c instanceof io.npusim.workloads.arrival.VisionClient v) v.withWarmup(1);
            if (c instanceof io.npusim.workloads.arrival.ChatClient ch) ch.withMaxTurns(1);
            TrafficMeter m = new TrafficMeter();
            meters.put(c.name(), m);
            c.stats().setListener((start, lat, parts) -> {
                double bytes = b.taskLog().client(c.name()).ddrBytes;
                if (m.completions++ == 0) m.firstBytes = bytes;
                m.lastBytes = bytes;
            });
        }
    }

    /** Long enough for a few dozen inferences, estimated from the model's MACs and the clock. */
    private static double visionDuration(ModelSpec m, ValidationPoint p, Policy policy) {
        double perInference = npuSeconds(m, p, policy) + 0.0005;
        return Math.max(0.3, Math.min(60, 30 * perInference * p.clientCount()));
    }

    private static final double AUDIO_PERIOD_S = 0.001;
    private static final double AUDIO_DEADLINE_MS = 3_600_000;

    /** Long enough for a few windows: the encoder at the vision estimate's rate, each decoder step a few ms. */
    private static double audioDuration(ModelSpec m, ValidationPoint p, Policy policy) {
        int steps = p.newTokens() != null ? p.newTokens() : 65;
        double perWindow = npuSeconds(m, p, policy) + steps * 0.005;
        return Math.max(1, Math.min(120, 5 * perWindow * p.clientCount()));
    }

    /** A rough time for the model's default build on one core at ~25% of its peak, at the point's clock or the policy's default. */
    private static double npuSeconds(ModelSpec m, ValidationPoint p, Policy policy) {
        int mhz = p.npuMhz() != null ? p.npuMhz() : policy == Policy.ROCKET ? 200 : 1000;
        return m.gmacs() / (0.25e3 * mhz / 1000.0);
    }

    /** Long enough for the prompt and the answer, estimated from the weights streamed per token. */
    private static double llmDuration(ModelSpec m, ValidationPoint p) {
        double tokenS = m.params() / 8e9 + 0.02;
        return Math.min(600, 10 + p.promptTokens() * tokenS / 20 + (p.newTokens() + 2) * tokenS * 3);
    }

    private static double metric(ValidationPoint p, RunResult r, Map<String, TrafficMeter> meters) throws PointFailed {
        List<ClientStats> st = new ArrayList<>();
        for (Client c : r.board().clients()) st.add(c.stats());
        long count = 0;
        for (ClientStats s : st) count += s.requests();
        switch (p.metric()) {
            case "latency_ms" -> {
                if (count == 0) throw new PointFailed("no inference completed");
                double sum = 0;
                for (ClientStats s : st) sum += s.latency().sumPs();
                return sum / count / 1e9;
            }
            case "p50_latency_ms", "p99_latency_ms" -> {
                List<Double> all = new ArrayList<>();
                for (ClientStats s : st) all.addAll(s.latencyMsSeries());
                if (all.isEmpty()) throw new PointFailed("no inference completed");
                all.sort(Double::compare);
                double q = p.metric().startsWith("p50") ? 0.50 : 0.99;
                return all.get((int) Math.min(all.size() - 1, Math.ceil(q * all.size()) - 1));
            }
            case "fps_aggregate" -> {
                double total = 0;
                for (ClientStats s : st) {
                    List<Double> starts = s.arrivalSSeries();
                    if (starts.size() < 2) throw new PointFailed("too few inferences to measure throughput");
                    double span = starts.get(starts.size() - 1) - starts.get(0);
                    total += (starts.size() - 1) / span;
                }
                return total;
            }
            case "ttft_ms" -> {
                // the mean over the clients: with several, each one's prompt contends with the others
                double sum = 0;
                for (ClientStats s : st) {
                    if (s.ttftRecorder().count() == 0) throw new PointFailed("no prompt completed");
                    sum += s.ttftRecorder().meanPs() / 1e9;
                }
                return sum / st.size();
            }
            case "decode_tokens_per_s" -> {
                double sum = 0;
                for (ClientStats s : st) {
                    if (s.tokens() == 0) throw new PointFailed("no token decoded");
                    sum += s.tokens() / (s.decodePs() / 1e12);
                }
                return sum / st.size();
            }
            case "ddr_mb_per_inference" -> {
                // the NPU's traffic, as the calibration point's source (the runtime's own per-frame estimate) counts it
                double perRequest = 0;
                for (Client c : r.board().clients()) {
                    TrafficMeter m = meters.get(c.name());
                    if (r.board().taskLog().client(c.name()).tasks == 0) {
                        throw new PointFailed("no NPU task ran: the model ran wholly on the CPU under " + p.policy());
                    }
                    if (m.completions < 2) throw new PointFailed("too few requests completed to measure traffic per request");
                    perRequest += (m.lastBytes - m.firstBytes) / (m.completions - 1);
                }
                return perRequest / r.board().clients().size() / 1e6;
            }
            default -> throw new IllegalStateException("unknown metric " + p.metric());
        }
    }
}
