package io.npusim.system.rknn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.system.Runner;
import io.npusim.system.board.Board;
import io.npusim.system.board.TaskLogTap;
import io.npusim.system.result.RunResult;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vendor runtime on three cores (core mask 0x7): every splittable layer is a multi-core job.
 * By default each job is a blocking submit (flags 0x5, as librknnrt's own error lines print); the
 * what-if rknn.nonblock_chains submits a job NONBLOCK when its successor's mask covers its own.
 * What a kernel engineer checks: which submits block, that a NONBLOCK submit returns at once, that
 * the driver's FIFO plus gang start still runs every job after the previous one ended on all its
 * cores, and what rknpu_job_timeout_clean does to NONBLOCK submitters that share mask 0x7.
 */
class MultiCoreChainTest {
    record Submit(long atPs, long durPs, int flags, int coreMask, int tasks) {}

    /** First and last task instants of one job, over all cores. */
    static final class Span {
        long start = Long.MAX_VALUE, end, cores;
    }

    record Run(List<Submit> submits, Map<Long, Span> jobs, Map<String, Object> summary) {}

    @TempDir
    static Path dir;

    static Run run(String model, int clients, double seconds, String... sets) throws Exception {
        Path yaml = dir.resolve("three-core-" + model + "-" + clients + ".yaml");
        Files.writeString(yaml, """
                name: three-core
                description: clients on core mask 0x7, back to back
                duration_s: %s
                seed: 1
                clients:
                  - name: bench
                    model: %s
                    arrival: {type: closed_loop}
                    core_mask: 0x7
                    scope: run
                    replicas: %d
                """.formatted(seconds, model, clients));
        StringWriter w = new StringWriter();
        TraceRecording rec = new TraceRecording(new TraceWriter("t.jsonl", w));
        RunSpec spec = new RunSpec(yaml.toString(), Policy.RKNPU, null, 1L, seconds, null, null, null, List.of(sets), "none");
        Map<Long, Span> jobs = new TreeMap<>();
        RunResult r = Runner.run(spec, new ScenarioLoader().load(yaml.toString()), TraceSink.NONE, new Board.Options(rec, null), b -> {
            new TaskLogTap(b) {
                @Override
                public void taskDone(TaskRecord t) {
                    Span sp = jobs.computeIfAbsent(t.job(), k -> new Span());
                    sp.start = Math.min(sp.start, t.startPs());
                    sp.end = Math.max(sp.end, t.endPs());
                    sp.cores |= 1L << t.core();
                    super.taskDone(t);
                }
            };
        }, f -> { });
        rec.finish();
        List<Submit> submits = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : w.toString().split("\n")) {
            JsonNode n = json.readTree(line);
            if (!"DRM_IOCTL_RKNPU_SUBMIT".equals(n.path("name").asText())) continue;
            JsonNode a = n.get("arg");
            // a call still in flight when the run ends has no duration (-1)
            submits.add(new Submit(n.path("at_ps").asLong(-1), n.path("dur_ps").asLong(-1), a.get("flags").asInt(),
                    a.get("core_mask").asInt(), a.get("task_number").asInt()));
        }
        return new Run(submits, jobs, r.summary());
    }

    static void inOrderAndMostlyOnThreeCores(Map<Long, Span> jobs) {
        assertThat(jobs).hasSizeGreaterThan(20);
        Span prev = null;
        for (Span s : jobs.values()) {
            if (prev != null) assertThat(s.start).as("a job starts after the previous ended on all its cores").isGreaterThanOrEqualTo(prev.end);
            prev = s;
        }
        // most of them ran on all three cores (one row band each)
        long threeCore = jobs.values().stream().filter(s -> Long.bitCount(s.cores) == 3).count();
        assertThat(threeCore).isGreaterThan(jobs.size() * 3 / 4);
    }

    @SuppressWarnings("unchecked")
    static long kernel(Run r, String key) {
        return ((Number) ((Map<String, Object>) r.summary().get("kernel")).get(key)).longValue();
    }

    @Test
    void byDefaultEverySplitLayerIsABlockingRoundTrip() throws Exception {
        Run r = run("mobilenet_v1", 1, 0.02);
        assertThat(r.submits()).isNotEmpty().allSatisfy(s -> assertThat(s.flags()).isEqualTo(JobFlags.PC | JobFlags.PINGPONG));
        inOrderAndMostlyOnThreeCores(r.jobs());
    }

    @Test
    void theNonblockWhatIfChainsJobsWhoseSuccessorCoversTheirMask() throws Exception {
        Run r = run("mobilenet_v1", 1, 0.02, "rknn.nonblock_chains=true");
        List<Submit> submits = r.submits();
        long nonblock = submits.stream().filter(s -> (s.flags() & JobFlags.NONBLOCK) != 0).count();
        // 28 layers, nearly all split three ways: the chain needs only a few waits per inference
        assertThat(nonblock).isGreaterThan(submits.size() * 3 / 4);
        for (int i = 0; i < submits.size(); i++) {
            Submit s = submits.get(i);
            if ((s.flags() & JobFlags.NONBLOCK) == 0) continue;
            // a NONBLOCK job is always followed by one that cannot start before it ended (the run may
            // end between the two)
            if (i + 1 == submits.size()) break;
            Submit next = submits.get(i + 1);
            assertThat(s.coreMask() & ~next.coreMask()).as("submit %d's mask is covered by the next one's", i).isZero();
            // and its ioctl returns once the job is queued, long before the job ends
            if (s.durPs() >= 0) assertThat(s.durPs()).isLessThan(50_000_000L);
        }
        inOrderAndMostlyOnThreeCores(r.jobs());
    }

    @Test
    void nonblockSubmittersSharingMaskSevenLoseJobsToTheTimeoutClean() throws Exception {
        // three processes on 0x7: a NONBLOCK submit finds another process's job running for more
        // than its timeout read as microseconds (6 ms) and soft-resets, dropping the queued jobs
        Run chained = run("resnet50", 3, 0.3, "rknn.nonblock_chains=true");
        assertThat(kernel(chained, "jobs_lost")).isPositive();
        Run blocking = run("resnet50", 3, 0.3);
        assertThat(kernel(blocking, "jobs_lost")).isZero();
        assertThat(kernel(blocking, "jobs_errored")).isZero();
    }
}
