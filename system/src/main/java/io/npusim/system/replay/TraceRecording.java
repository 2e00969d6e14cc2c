package io.npusim.system.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npusim.kernel.os.SimProcess;
import io.npusim.kernel.os.SimThread;
import io.npusim.system.board.Board;
import io.npusim.system.result.SummaryBuilder;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.traces.format.TraceFormat;
import io.npusim.traces.format.TraceWriter;
import io.npusim.traces.record.UapiRecorder;
import io.npusim.workloads.arrival.Client;
import io.npusim.workloads.scenario.Arrival;
import io.npusim.workloads.scenario.ClientSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code npusim run --record FILE}: one trace file holding both levels. The header says what the
 * run was (spec, resolved scenario, policy, clock); then the processes, threads and clients; then
 * the UAPI-level calls and the workload-level arrivals as they happen; then the end line.
 */
public final class TraceRecording implements Board.Recording {
    private final TraceWriter out;
    private UapiRecorder recorder;
    private boolean closed;

    public TraceRecording(TraceWriter out) {
        this.out = out;
    }

    public static TraceRecording to(Path file) {
        return new TraceRecording(TraceWriter.open(file));
    }

    @Override
    public UapiRecorder open(Board b) {
        recorder = new UapiRecorder(out, header(b), b.kernel());
        return recorder;
    }

    @Override
    public void attach(Board b) {
        for (SimProcess p : b.kernel().processes()) {
            recorder.process(p.pid(), p.name(), p.affinity());
            for (SimThread t : p.threads()) {
                String n = t.name();
                recorder.thread(p.pid(), t.tid(), n.substring(n.indexOf('/') + 1), t.cpu());
            }
        }
        Map<String, ClientSpec> specOf = new LinkedHashMap<>();
        Map<String, Integer> maskOf = new LinkedHashMap<>();
        for (ClientSpec cs : b.scenario().clients()) {
            for (int r = 0; r < cs.count(); r++) {
                String name = cs.count() > 1 ? cs.name() + "-" + r : cs.name();
                specOf.put(name, cs);
                maskOf.put(name, cs.count() > 1 && "per-core".equals(cs.placement()) ? 1 << (r % 3) : cs.mask());
            }
        }
        for (Client c : b.clients()) {
            SimProcess proc = null;
            for (SimProcess p : b.kernel().processes()) if (p.name().equals(c.name())) proc = p;
            SimThread main = proc == null || proc.threads().isEmpty() ? null : proc.threads().get(0);
            ClientSpec cs = specOf.get(c.name());
            String kind = c.stats().kind();
            recorder.client(c.name(), proc == null ? -1 : proc.pid(), main == null ? -1 : main.tid(), kind, c.stats().model(),
                    runtime(b.spec().policy(), kind), maskOf.get(c.name()), cs == null ? null : cs.klass(), cs == null ? null : cs.name());
            c.setRequestListener(recorder.requests());
            if (main != null) c.stats().setObserver(recorder.stats(c.name(), b.view(main)));
        }
        recorder.described();
    }

    /** Writes the pending calls and the end line, and closes the file. */
    public void finish() {
        if (closed) return;
        closed = true;
        if (recorder != null) recorder.finish();
        out.close();
    }

    /** Closes the file without an end line (the run failed): readers will refuse it as truncated. */
    public void abandon() {
        if (closed) return;
        closed = true;
        out.close();
    }

    /** The runtime a policy lowers a kind of client with (Board's choice). */
    static String runtime(Policy p, String kind) {
        boolean llm = "llm".equals(kind);
        return switch (p) {
            case ROCKET -> llm ? "rocket-llm" : "teflon";
            case RKNPU -> llm ? "rkllm" : "rknn";
            case PROPOSED -> "proposed";
        };
    }

    static ObjectNode driver(Policy p) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("name", p.key());
        d.put("version", switch (p) {
            case ROCKET -> "drivers/accel/rocket as in Linux 6.18 (modelled)";
            case RKNPU -> "rknpu 0.9.8 (modelled)";
            case PROPOSED -> "proposed (modelled)";
        });
        return d;
    }

    static ObjectNode header(Board b) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        RunSpec spec = b.spec();
        ObjectNode h = f.objectNode();
        h.put("t", TraceFormat.HEADER);
        h.put("format", TraceFormat.NAME);
        h.put("version", TraceFormat.VERSION);
        h.put("simulator", "npusim " + SummaryBuilder.VERSION);
        h.put("platform", TraceFormat.PLATFORM);
        ArrayNode levels = h.putArray("levels");
        levels.add(TraceFormat.LEVEL_UAPI);
        levels.add(TraceFormat.LEVEL_WORKLOAD);
        h.put("source", "npusim run");
        h.put("policy", spec.policy().key());
        h.put("variant", spec.variant());
        h.set("driver", driver(spec.policy()));
        ObjectNode rt = h.putObject("runtimes");
        rt.put("vision", runtime(spec.policy(), "vision") + " (modelled)");
        rt.put("llm", runtime(spec.policy(), "llm") + " (modelled)");
        h.put("npu_mhz", b.hw().clock().mhz());
        h.put("ddr", b.hw().ddrPreset());
        h.put("duration_ps", b.durationPs());
        h.put("seed", b.seed());
        ObjectNode run = h.putObject("run");
        run.put("scenario", spec.scenario());
        if (spec.seed() == null) run.putNull("seed");
        else run.put("seed", spec.seed());
        if (spec.durationS() == null) run.putNull("duration_s");
        else run.put("duration_s", spec.durationS());
        if (spec.npuMhz() == null) run.putNull("npu_mhz");
        else run.put("npu_mhz", spec.npuMhz());
        run.put("ddr", spec.ddr());
        if (spec.sramKb() == null) run.putNull("sram_kb");
        else run.put("sram_kb", spec.sramKb());
        ArrayNode set = run.putArray("set");
        for (String s : spec.set()) set.add(s);
        run.put("trace", spec.trace());
        h.set("scenario", TraceFormat.scenarios().valueToTree(b.scenario()));
        return h;
    }

    /** Deadlines of the scenario's clients, for the client lines (0: none). */
    static long deadlinePs(ClientSpec cs) {
        if (cs.arrival() instanceof Arrival.Camera c) return io.npusim.core.time.Time.fromMs(c.deadline());
        if (cs.arrival() instanceof Arrival.Audio a) return io.npusim.core.time.Time.fromMs(a.deadline());
        return 0;
    }
}
