package io.npusim.system.rknn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.npu.NpuObserver;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.system.Runner;
import io.npusim.system.board.Board;
import io.npusim.system.replay.TraceRecording;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.traces.format.TraceWriter;
import io.npusim.uapi.rknpu.JobFlags;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vendor runtime on three cores (core mask 0x7): every splittable layer is a multi-core job,
 * and a job whose successor's mask covers its own is submitted NONBLOCK. What a kernel engineer
 * checks: which submits block, that a NONBLOCK submit returns at once, and that the driver's FIFO
 * plus gang start still runs every job only after the previous one ended on all its cores.
 */
class MultiCoreChainTest {
    record Submit(long atPs, long durPs, int flags, int coreMask, int tasks) {}

    /** First and last task instants of one job, over all cores. */
    static final class Span {
        long start = Long.MAX_VALUE, end, cores;
    }

    static List<Submit> submits = new ArrayList<>();
    static final Map<Long, Span> jobs = new TreeMap<>();

    @BeforeAll
    static void run(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("three-core.yaml");
        Files.writeString(yaml, """
                name: three-core
                description: mobilenet_v1 on core mask 0x7, back to back
                duration_s: 0.02
                seed: 1
                clients:
                  - name: bench
                    model: mobilenet_v1
                    arrival: {type: closed_loop}
                    core_mask: 0x7
                    scope: run
                """);
        StringWriter w = new StringWriter();
        TraceRecording rec = new TraceRecording(new TraceWriter("t.jsonl", w));
        RunSpec spec = new RunSpec(yaml.toString(), Policy.RKNPU, null, 1L, 0.02, null, null, null, List.of(), "none");
        Runner.run(spec, new ScenarioLoader().load(yaml.toString()), TraceSink.NONE, new Board.Options(rec, null), b -> {
            NpuObserver log = b.taskLog();
            NpuObserver spans = new NpuObserver() {
                @Override
                public void taskDone(TaskRecord r) {
                    Span s = jobs.computeIfAbsent(r.job(), k -> new Span());
                    s.start = Math.min(s.start, r.startPs());
                    s.end = Math.max(s.end, r.endPs());
                    s.cores |= 1L << r.core();
                    log.taskDone(r);
                }
            };
            for (int i = 0; i < b.hw().coreCount(); i++) b.hw().core(i).setObserver(spans);
        }, f -> { });
        rec.finish();
        ObjectMapper json = new ObjectMapper();
        for (String line : w.toString().split("\n")) {
            JsonNode n = json.readTree(line);
            if (!"DRM_IOCTL_RKNPU_SUBMIT".equals(n.path("name").asText())) continue;
            JsonNode a = n.get("arg");
            // a call still in flight when the run ends has no duration (-1)
            submits.add(new Submit(n.path("at_ps").asLong(-1), n.path("dur_ps").asLong(-1), a.get("flags").asInt(),
                    a.get("core_mask").asInt(), a.get("task_number").asInt()));
        }
    }

    @Test
    void mostSplitLayersAreChainedWithoutAWaitAndTheLastJobOfARunBlocks() {
        assertThat(submits).isNotEmpty();
        long nonblock = submits.stream().filter(s -> (s.flags() & JobFlags.NONBLOCK) != 0).count();
        // 28 layers, nearly all split three ways: the chain needs only a few waits per inference
        assertThat(nonblock).isGreaterThan(submits.size() * 3 / 4);
        for (int i = 0; i < submits.size(); i++) {
            Submit s = submits.get(i);
            if ((s.flags() & JobFlags.NONBLOCK) == 0) continue;
            // a NONBLOCK job is always followed by one that cannot start before it ended
            assertThat(i + 1).isLessThan(submits.size());
            Submit next = submits.get(i + 1);
            assertThat(s.coreMask() & ~next.coreMask()).as("submit %d's mask is covered by the next one's", i).isZero();
            // and its ioctl returns once the job is queued, long before the job ends
            if (s.durPs() >= 0) assertThat(s.durPs()).isLessThan(50_000_000L);
        }
    }

    @Test
    void theGangStartKeepsTheJobsInOrderOnEveryCore() {
        assertThat(jobs).hasSizeGreaterThan(20);
        Span prev = null;
        for (Span s : jobs.values()) {
            if (prev != null) assertThat(s.start).as("a job starts after the previous ended on all its cores").isGreaterThanOrEqualTo(prev.end);
            prev = s;
        }
        // and most of them did run on all three cores (one row band each)
        long threeCore = jobs.values().stream().filter(s -> Long.bitCount(s.cores) == 3).count();
        assertThat(threeCore).isGreaterThan(jobs.size() * 3 / 4);
    }
}
