package io.npusim.traces.perfetto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npusim.core.trace.TraceArgs;
import io.npusim.core.trace.TraceSink.FlowPhase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChromeTraceWriterTest {
    private static final long US = 1_000_000L; // ps

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("scenario", "yolo-3core");
        m.put("seed", "42");
        m.put("version", "0.1.0");
        return m;
    }

    private static byte[] write(TraceLevel level, long cap, Consumer<ChromeTraceWriter> calls) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChromeTraceWriter w = new ChromeTraceWriter(out, level, meta(), cap)) {
            calls.accept(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A small stack: a client submitting a job, a kernel queue, a core running two nested tasks. */
    private static void synthetic(ChromeTraceWriter w) {
        int client = w.track("userspace", "app");
        int queue = w.track("kernel", "queue 0");
        int core = w.track("NPU core 0", "tasks");
        int dma = w.track("NPU core 0", "dma");
        assertThat(w.track("kernel", "queue 0")).isEqualTo(queue);

        w.slice(client, "uapi", "submit", 0, 3 * US, TraceArgs.of("job", 7L, "tasks", 2));
        w.flow(client, "job", "job 7", 7, 1 * US, FlowPhase.START);
        w.asyncBegin(queue, "job", "job 7", 7, 1 * US, TraceArgs.of("priority", "high"));
        w.counter(queue, "queue depth", 1 * US, "jobs", 1);
        w.slice(core, "npu", "job 7", 5 * US, 10 * US, TraceArgs.EMPTY);
        w.flow(core, "job", "job 7", 7, 5 * US, FlowPhase.STEP);
        w.slice(core, "npu", "task 0", 5 * US, 4 * US, TraceArgs.of("cycles", 4000L, "busy", true));
        w.slice(core, "npu", "task 1", 9 * US, 6 * US, TraceArgs.of("util", 0.75));
        w.slice(dma, "dma", "read", 5 * US + 1, 2 * US, null);
        w.instant(core, "irq", "irq", 15 * US, TraceArgs.of("status", 0x1L));
        w.counter(core, "ddr", 5 * US, "read_GBps", 3.1);
        w.counter(core, "ddr", 5 * US, "write_GBps", 1.2);
        w.asyncEnd(queue, "job", "job 7", 7, 15 * US);
        w.counter(queue, "queue depth", 15 * US, "jobs", 0);
        w.slice(client, "uapi", "wait", 3 * US, 13 * US, TraceArgs.EMPTY);
        w.flow(client, "job", "job 7", 7, 15 * US + 500_000, FlowPhase.END);
    }

    @Test
    void syntheticTraceRoundTripsThroughTheValidatorWithoutProblems() {
        byte[] json = write(TraceLevel.FULL, ChromeTraceWriter.DEFAULT_MAX_EVENTS, ChromeTraceWriterTest::synthetic);
        TraceValidator v = TraceValidator.validate(json);

        assertThat(v.problems()).isEmpty();
        assertThat(v.processNames()).containsExactly(
                Map.entry(1, "userspace"), Map.entry(2, "kernel"), Map.entry(3, "NPU core 0"));
        assertThat(v.threadNames().get(3)).containsExactly(Map.entry(1, "tasks"), Map.entry(2, "dma"));
        assertThat(v.countsByPhase()).containsExactly(
                Map.entry("C", 4L), Map.entry("M", 14L), Map.entry("X", 6L), Map.entry("b", 1L),
                Map.entry("e", 1L), Map.entry("f", 1L), Map.entry("i", 1L), Map.entry("s", 1L),
                Map.entry("t", 1L));
        assertThat(v.totalSlicePs(3, "npu")).isEqualTo(20 * US);
        assertThat(v.totalSliceUs(3, "npu")).isEqualTo(20.0);
        assertThat(v.totalSlicePs(3, null)).isEqualTo(22 * US);
        assertThat(v.totalSliceUsByPid("uapi")).containsExactly(
                Map.entry(1, 16.0), Map.entry(3, 0.0));
        assertThat(v.pidOf("kernel")).contains(2);
        assertThat(v.displayTimeUnit()).contains("ns");
        assertThat(v.otherData()).containsExactly(
                Map.entry("scenario", "yolo-3core"), Map.entry("seed", "42"), Map.entry("version", "0.1.0"),
                Map.entry("trace_level", "full"), Map.entry("events_written", "30"),
                Map.entry("events_dropped", "0"), Map.entry("dropped", "nothing dropped (cap 1000000 events)"));
    }

    @Test
    void outputParsesAsJsonWithTraceEventsAndTypedFields() throws IOException {
        byte[] json = write(TraceLevel.FULL, 100, ChromeTraceWriterTest::synthetic);
        JsonNode root = MAPPER.readTree(json);
        assertThat(root.has("traceEvents")).isTrue();
        assertThat(root.get("traceEvents").isArray()).isTrue();
        assertThat(root.get("displayTimeUnit").asText()).isEqualTo("ns");

        List<JsonNode> events = new ArrayList<>();
        root.get("traceEvents").forEach(events::add);
        JsonNode first = events.get(0);
        assertThat(first.toString()).isEqualTo(
                "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"userspace\"}}");
        assertThat(events.get(1).toString()).isEqualTo(
                "{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":1,\"tid\":1,\"args\":{\"sort_index\":1}}");

        JsonNode submit = find(events, "X", "submit");
        assertThat(submit.get("args").get("job").isIntegralNumber()).isTrue();
        assertThat(submit.get("args").get("tasks").asInt()).isEqualTo(2);
        JsonNode task0 = find(events, "X", "task 0");
        assertThat(task0.get("args").get("busy").isBoolean()).isTrue();
        assertThat(task0.get("pid").asInt()).isEqualTo(3);
        assertThat(task0.get("tid").asInt()).isEqualTo(1);
        assertThat(find(events, "X", "task 1").get("args").get("util").isDouble()).isTrue();
        assertThat(find(events, "b", "job 7").get("args").get("priority").isTextual()).isTrue();
        assertThat(find(events, "b", "job 7").get("id").asText()).isEqualTo("0x7");
        assertThat(find(events, "X", "read").has("args")).isFalse();
        assertThat(find(events, "i", "irq").get("s").asText()).isEqualTo("t");
        assertThat(find(events, "f", "job 7").get("bp").asText()).isEqualTo("e");
        assertThat(find(events, "s", "job 7").has("bp")).isFalse();
        JsonNode ddr = find(events, "C", "ddr");
        assertThat(ddr.get("args").toString()).isEqualTo("{\"read_GBps\":3.1}");
        assertThat(ddr.get("pid").asInt()).isEqualTo(3);

        // one event per line, so traces diff and grep well
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"traceEvents\":[\n{\"ph\":\"M\"");
        assertThat(text.lines().filter(l -> l.startsWith("{\"ph\":")).count()).isEqualTo(events.size());
    }

    private static JsonNode find(List<JsonNode> events, String ph, String name) {
        return events.stream()
                .filter(e -> e.get("ph").asText().equals(ph) && e.get("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + ph + " event " + name));
    }

    @Test
    void overlappingSlicesOnOneTrackAreReported() {
        byte[] json = write(TraceLevel.FULL, 100, w -> {
            int t = w.track("NPU core 1", "tasks");
            int other = w.track("NPU core 1", "dma");
            w.slice(t, "npu", "a", 0, 10 * US, TraceArgs.EMPTY);
            w.slice(t, "npu", "b", 5 * US, 10 * US, TraceArgs.EMPTY); // partial overlap with a
            w.slice(t, "npu", "c", 20 * US, 1, TraceArgs.EMPTY);
            w.slice(t, "npu", "d", 20 * US + 1, 1, TraceArgs.EMPTY); // touches c: fine
            w.slice(other, "dma", "e", 5 * US, 10 * US, TraceArgs.EMPTY); // another track: fine
        });
        TraceValidator v = TraceValidator.validate(json);
        assertThat(v.problems()).containsExactly(
                "pid 1 tid 1: slice 'b' (event #7) [5, 15) us partially overlaps 'a' (event #6) [0, 10) us"
                        + " (slices on one track must nest)");
    }

    @Test
    void capDropsSlicesAndInstantsButKeepsCountersAndSaysWhatWasDropped() {
        byte[] json = write(TraceLevel.FULL, 10, w -> {
            int t = w.track("NPU core 0", "tasks"); // 4 metadata events
            for (int i = 0; i < 20; i++) {
                w.slice(t, "npu", "task " + i, i * US, US / 2, TraceArgs.EMPTY);
                w.counter(t, "util", i * US, "pct", i * 5);
                if (i % 4 == 0) w.instant(t, "irq", "irq", i * US, TraceArgs.EMPTY);
            }
            int late = w.track("IOMMU", "walks"); // metadata after the cap is still written
            w.counter(late, "tlb", 0, "hit_rate", 0.5);
            w.asyncBegin(late, "walk", "walk", 1, 0, TraceArgs.EMPTY);
            assertThat(w.eventsDropped()).isEqualTo(22);
            assertThat(w.droppedByPhase()).containsExactly(
                    Map.entry("X", 17L), Map.entry("i", 4L), Map.entry("b", 1L));
        });
        TraceValidator v = TraceValidator.validate(json);
        assertThat(v.problems()).isEmpty();
        assertThat(v.count("C")).isEqualTo(21);
        assertThat(v.count("M")).isEqualTo(8);
        assertThat(v.count("X")).isEqualTo(3); // 4 M + X, C, i, X, C, X: 10 written, then the cap
        assertThat(v.count("i")).isEqualTo(1);
        assertThat(v.count("b")).isZero();
        assertThat(v.otherData()).containsEntry("events_written", "33").containsEntry("events_dropped", "22");
        assertThat(v.otherData().get("dropped"))
                .isEqualTo("17 slices, 4 instants, 1 async begin dropped past the 10-event cap; counters kept");
    }

    @Test
    void defaultCapIsOneMillionEvents() {
        ChromeTraceWriter w = new ChromeTraceWriter(new ByteArrayOutputStream(), TraceLevel.FULL, Map.of());
        assertThat(w.maxEvents()).isEqualTo(1_000_000L);
    }

    @Test
    void summaryLevelKeepsOnlyMetadataAndCounters() {
        byte[] json = write(TraceLevel.SUMMARY, 1_000, ChromeTraceWriterTest::synthetic);
        TraceValidator v = TraceValidator.validate(json);
        assertThat(v.problems()).isEmpty();
        assertThat(v.countsByPhase()).containsOnlyKeys("M", "C");
        assertThat(v.count("C")).isEqualTo(4);
        assertThat(v.otherData()).containsEntry("trace_level", "summary").containsEntry("events_dropped", "0");
    }

    @Test
    void noneLevelWritesNothingAtAll(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChromeTraceWriter w = new ChromeTraceWriter(out, TraceLevel.NONE, meta())) {
            assertThat(w.enabled()).isFalse();
            synthetic(w);
        }
        assertThat(out.size()).isZero();

        Path file = dir.resolve("trace.json");
        try (ChromeTraceWriter w = ChromeTraceWriter.open(file, TraceLevel.NONE, meta())) {
            synthetic(w);
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void sameCallSequenceGivesIdenticalBytes(@TempDir Path dir) throws IOException {
        Consumer<ChromeTraceWriter> calls = w -> {
            synthetic(w);
            int t = w.track("DDR", "bus");
            for (int i = 0; i < 500; i++) {
                w.counter(t, "bw", i * 1_234_567L, "GBps", Math.sqrt(i) / 3);
                w.slice(t, "ddr", "burst", i * 1_234_567L, 777_777, TraceArgs.of("x", i / 7.0, "n", (long) i));
            }
        };
        byte[] a = write(TraceLevel.FULL, 600, calls);
        byte[] b = write(TraceLevel.FULL, 600, calls);
        assertThat(a).isEqualTo(b);

        Path file = dir.resolve("trace.json");
        try (ChromeTraceWriter w = ChromeTraceWriter.open(file, TraceLevel.FULL, meta(), 600)) {
            calls.accept(w);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(a);
    }

    @Test
    void timestampsAndDurationsAreExactToThePicosecond() {
        long[][] cases = {
            {1, 1}, // ts, dur in ps
            {1_000_000, 0},
            {1_500_000, 999_999},
            {123_456_789_012_345L, 10},
            {9_000_000_000_000_000L, 1_000_001},
        };
        byte[] json = write(TraceLevel.FULL, 100, w -> {
            int t = w.track("p", "t");
            for (int i = 0; i < cases.length; i++) {
                int track = w.track("p", "t" + i);
                w.slice(track, "c", "s" + i, cases[i][0], cases[i][1], TraceArgs.EMPTY);
            }
            w.instant(t, "c", "origin", 0, TraceArgs.EMPTY);
        });
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"name\":\"s0\",\"pid\":1,\"tid\":2,\"ts\":0.000001,\"dur\":0.000001}");
        assertThat(text).contains("\"ts\":1,\"dur\":0}");
        assertThat(text).contains("\"ts\":1.5,\"dur\":0.999999}");
        assertThat(text).contains("\"ts\":123456789.012345,\"dur\":0.00001}");
        assertThat(text).contains("\"ts\":9000000000,\"dur\":1.000001}");
        assertThat(text).contains("\"name\":\"origin\",\"pid\":1,\"tid\":1,\"ts\":0,");

        TraceValidator v = TraceValidator.validate(json);
        assertThat(v.problems()).isEmpty();
        long sum = 0;
        for (long[] c : cases) sum += c[1];
        assertThat(v.totalSlicePs(1, "c")).isEqualTo(sum);
    }

    @Test
    void trackIdsAreDenseAndPidsTidsFollowDeclarationOrder() throws IOException {
        byte[] json = write(TraceLevel.FULL, 100, w -> {
            assertThat(w.track("b", "x")).isEqualTo(0);
            assertThat(w.track("a", "x")).isEqualTo(1);
            assertThat(w.track("b", "y")).isEqualTo(2);
            assertThat(w.track("b", "x")).isEqualTo(0);
            w.instant(2, "c", "here", 0, TraceArgs.EMPTY);
        });
        JsonNode ev = MAPPER.readTree(json).get("traceEvents");
        List<String> meta = new ArrayList<>();
        ev.forEach(e -> {
            if (e.get("ph").asText().equals("M")) {
                meta.add(e.get("name").asText() + " " + e.get("pid") + "/" + e.get("tid") + " " + e.get("args").elements().next());
            }
        });
        assertThat(meta).containsExactly(
                "process_name 1/1 \"b\"", "process_sort_index 1/1 1", "thread_name 1/1 \"x\"", "thread_sort_index 1/1 1",
                "process_name 2/1 \"a\"", "process_sort_index 2/1 2", "thread_name 2/1 \"x\"", "thread_sort_index 2/1 1",
                "thread_name 1/2 \"y\"", "thread_sort_index 1/2 2");
        JsonNode here = ev.get(ev.size() - 1);
        assertThat(here.get("pid").asInt()).isEqualTo(1);
        assertThat(here.get("tid").asInt()).isEqualTo(2);
    }

    @Test
    void misuseFailsWithOneLine() {
        ChromeTraceWriter w = new ChromeTraceWriter(new ByteArrayOutputStream(), TraceLevel.FULL, Map.of());
        int t = w.track("p", "t");
        assertThatThrownBy(() -> w.slice(t + 1, "c", "n", 0, 1, TraceArgs.EMPTY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown trace track 1");
        assertThatThrownBy(() -> w.slice(t, "c", "n", 0, -1, TraceArgs.EMPTY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> w.counter(t, "c", 0, "s", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> new ChromeTraceWriter(
                        new ByteArrayOutputStream(), TraceLevel.FULL, Map.of("events_written", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> TraceLevel.parse("verbose"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(
                        "unknown trace level 'verbose' (expected none, summary or full)");
        assertThat(TraceLevel.parse(" Summary ")).isEqualTo(TraceLevel.SUMMARY);
    }
}
