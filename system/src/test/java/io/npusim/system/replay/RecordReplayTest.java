package io.npusim.system.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.npusim.core.UserError;
import io.npusim.core.trace.TraceSink;
import io.npusim.system.Runner;
import io.npusim.system.board.Board;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.traces.capture.Importers;
import io.npusim.traces.format.Trace;
import io.npusim.traces.format.TraceReader;
import io.npusim.traces.format.TraceWriter;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordReplayTest {
    static final ObjectMapper JSON = new ObjectMapper();

    record Recorded(RunResult run, Trace trace, String text) {}

    static String json(Map<String, Object> summary) {
        try {
            return JSON.writeValueAsString(summary);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Trace read(String text) {
        return new TraceReader().read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.jsonl");
    }

    static RunSpec spec(String scenario, Policy p, double durationS) {
        return RunSpec.of(scenario, p).withDuration(durationS);
    }

    static Recorded record(String scenario, Policy p, double durationS) {
        StringWriter w = new StringWriter();
        TraceRecording rec = new TraceRecording(new TraceWriter("t.jsonl", w));
        RunResult r = Runner.run(spec(scenario, p, durationS), new ScenarioLoader().load(scenario), TraceSink.NONE, new Board.Options(rec, null),
                b -> { }, f -> { });
        rec.finish();
        return new Recorded(r, read(w.toString()), w.toString());
    }

    static Replayer.Outcome replay(Trace t, Replayer.Request r) {
        return Replayer.replay(t, r, TraceSink.NONE, null, f -> { });
    }

    @Test
    void recordingDoesNotChangeTheRun() {
        RunResult plain = Runner.run(spec("camera-and-chat", Policy.ROCKET, 0.3), new ScenarioLoader().load("camera-and-chat"), TraceSink.NONE);
        Recorded rec = record("camera-and-chat", Policy.ROCKET, 0.3);
        assertThat(json(rec.run().summary())).isEqualTo(json(plain.summary()));
        assertThat(rec.trace().calls()).isNotEmpty();
    }

    /** The recorded metrics: the whole summary (clients, npu, kernel, config, event count) comes back byte for byte. */
    @ParameterizedTest
    @CsvSource({"vision-single,rknpu", "camera-and-chat,rocket", "llm-chat,rknpu", "multi-camera,rknpu", "contention-pinned,rocket"})
    void replayOnTheRecordedDriverAndHardwareGivesTheRecordedSummary(String scenario, String policy) {
        Recorded rec = record(scenario, Policy.parse(policy), 0.25);
        Replayer.Outcome o = replay(rec.trace(), Replayer.Request.same());
        assertThat(o.mode()).isEqualTo(Replayer.Mode.UAPI);
        assertThat(o.diverged()).isZero();
        assertThat(o.issued()).isEqualTo(rec.trace().calls().size());
        assertThat(json(o.result().summary())).isEqualTo(json(rec.run().summary()));
    }

    @Test
    void aWindowTakenUpLateKeepsItsQueueingTime() throws Exception {
        io.npusim.workloads.scenario.Scenario s;
        try (var in = RecordReplayTest.class.getResourceAsStream("/audio-backlog.yaml")) {
            s = new ScenarioLoader().parse(in, "audio-backlog.yaml");
        }
        StringWriter w = new StringWriter();
        TraceRecording rec = new TraceRecording(new TraceWriter("t.jsonl", w));
        RunResult r = Runner.run(RunSpec.of("audio-backlog.yaml", Policy.RKNPU).withDuration(1.0), s, TraceSink.NONE, new Board.Options(rec, null),
                b -> { }, f -> { });
        rec.finish();
        @SuppressWarnings("unchecked")
        Map<String, Object> parts = (Map<String, Object>) client(r.summary()).get("breakdown_ms");
        assertThat(((Number) parts.get("queued")).doubleValue()).isPositive();
        Replayer.Outcome o = replay(read(w.toString()), Replayer.Request.same());
        assertThat(json(o.result().summary())).isEqualTo(json(r.summary()));
    }

    @Test
    void aReplayRecordsTheTraceItReplayed() {
        Recorded rec = record("llm-chat", Policy.RKNPU, 0.2);
        StringWriter w = new StringWriter();
        TraceRecording again = new TraceRecording(new TraceWriter("again.jsonl", w));
        Replayer.replay(rec.trace(), Replayer.Request.same(), TraceSink.NONE, again, f -> { });
        again.finish();
        assertThat(w.toString()).isEqualTo(rec.text());
    }

    @Test
    void otherHardwareRetimesEveryJobInCausalOrder() {
        Recorded rec = record("vision-single", Policy.RKNPU, 0.3);
        Replayer.Outcome slow = replay(rec.trace(), new Replayer.Request(null, null, 500, null, null, List.of(), "none"));
        assertThat(slow.mode()).isEqualTo(Replayer.Mode.UAPI);
        assertThat(slow.diverged()).isZero();
        Map<String, Object> a = client(rec.run().summary()), b = client(slow.result().summary());
        assertThat(((Number) b.get("inferences")).longValue()).isLessThan(((Number) a.get("inferences")).longValue());
        assertThat(mean(b)).isGreaterThan(mean(a) * 1.3);
        // the same clock given explicitly is the recorded hardware: the same summary
        Replayer.Outcome same = replay(rec.trace(), new Replayer.Request(null, null, 1000, null, null, List.of(), "none"));
        assertThat(json(same.result().summary())).isEqualTo(json(rec.run().summary()));
    }

    @Test
    void anotherDriverReplaysTheRequestsLoweredByItsRuntimes() {
        Recorded rec = record("camera-and-chat", Policy.RKNPU, 0.4);
        Replayer.Outcome o = replay(rec.trace(), new Replayer.Request(Policy.ROCKET, null, null, null, null, List.of(), "none"));
        assertThat(o.mode()).isEqualTo(Replayer.Mode.WORKLOAD);
        Map<String, Object> s = o.result().summary();
        assertThat(s.get("policy")).isEqualTo("rocket");
        Map<String, Object> cam = client(s), recCam = client(rec.run().summary());
        long offered = rec.trace().arrivals().stream().filter(x -> x.client().equals(cam.get("name"))).count();
        // the same frames arrive under rocket; what the driver makes of them differs
        assertThat(((Number) cam.get("inferences")).longValue() + ((Number) cam.get("dropped_frames")).longValue()).isBetween(offered - 1, offered);
        assertThat(mean(cam)).isNotEqualTo(mean(recCam));
        assertThat(kernel(s).get("ioctls")).isNotEqualTo(kernel(rec.run().summary()).get("ioctls"));
        // the UAPI level cannot drive another driver
        try {
            replay(rec.trace(), new Replayer.Request(Policy.ROCKET, Replayer.Mode.UAPI, null, null, null, List.of(), "none"));
            throw new AssertionError("expected a UserError");
        } catch (UserError e) {
            assertThat(e.getMessage()).contains("cannot drive rocket");
        }
    }

    @Test
    void theWorkloadLevelOnTheRecordedDriverIsTheRecordedRun() {
        Recorded rec = record("camera-and-chat", Policy.RKNPU, 0.3);
        Replayer.Outcome o = replay(rec.trace(), new Replayer.Request(null, Replayer.Mode.WORKLOAD, null, null, null, List.of(), "none"));
        assertThat(o.mode()).isEqualTo(Replayer.Mode.WORKLOAD);
        assertThat(json(o.result().summary())).isEqualTo(json(rec.run().summary()));
    }

    @Test
    void measuredJobsKeepTheirServiceTimeAndScaleByTheClockRatio(@TempDir Path tmp) {
        Path out = tmp.resolve("rknpu.jsonl");
        Importers.importFile("rknpu-bpftrace", Path.of("..", "traces", "samples", "rknpu-bpftrace.txt"), out, null);
        Trace t = new TraceReader().read(out);
        Replayer.Outcome at1000 = replay(t, Replayer.Request.same());
        Replayer.Outcome at500 = replay(t, new Replayer.Request(null, null, 500, null, null, List.of(), "none"));
        assertThat(at1000.mode()).isEqualTo(Replayer.Mode.MEASURED);
        Map<String, Object> bench = client(at1000.result().summary());
        assertThat(bench.get("name")).isEqualTo("rknn_benchmark-1893");
        assertThat(bench.get("inferences")).isEqualTo(40L);
        double p50 = p50(bench); // measured hw_elapse_time about 1.63 ms, plus the submit's own path
        assertThat(p50).isBetween(1.62, 1.70);
        assertThat(p50(client(at500.result().summary())) / p50).isBetween(1.9, 2.05);

        Path rocket = tmp.resolve("rocket.jsonl");
        Importers.importFile("drm-sched-ftrace", Path.of("..", "traces", "samples", "drm-sched-ftrace.txt"), rocket, null);
        Replayer.Outcome r = replay(new TraceReader().read(rocket), Replayer.Request.same());
        assertThat(r.policy()).isEqualTo(Policy.ROCKET);
        assertThat(kernel(r.result().summary()).get("jobs_completed")).isEqualTo(55L);
    }

    @Test
    void corruptValuesFailCleanlyWhenReadOrReplayed() {
        Recorded rec = record("vision-single", Policy.ROCKET, 0.05);
        List<String> lines = rec.text().lines().toList();
        Random rnd = new Random(42);
        for (int k = 0; k < 25; k++) {
            List<String> l = new ArrayList<>(lines);
            int i = 1 + rnd.nextInt(l.size() - 2);
            char[] c = l.get(i).toCharArray();
            for (int f = 0; f < 3; f++) {
                int at = rnd.nextInt(c.length);
                if (Character.isDigit(c[at])) c[at] = (char) ('0' + rnd.nextInt(10));
            }
            l.set(i, new String(c));
            String text = String.join("\n", l) + "\n";
            try {
                Trace t = read(text);
                replay(t, Replayer.Request.same());
            } catch (UserError e) {
                assertThat(e.getMessage()).startsWith("t.jsonl").doesNotContain("\n");
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> client(Map<String, Object> summary) {
        return ((List<Map<String, Object>>) summary.get("clients")).get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> kernel(Map<String, Object> summary) {
        return (Map<String, Object>) summary.get("kernel");
    }

    @SuppressWarnings("unchecked")
    static double mean(Map<String, Object> client) {
        return ((Number) ((Map<String, Object>) client.get("latency_ms")).get("mean")).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static double p50(Map<String, Object> client) {
        return ((Number) ((Map<String, Object>) client.get("latency_ms")).get("p50")).doubleValue();
    }
}
