package io.npusim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCliTest {
    static CliTest.Out cli(String... args) {
        return CliTest.cli(args);
    }

    @Test
    void recordThenReplayPrintsTheSameSummary(@TempDir Path tmp) throws Exception {
        Path trace = tmp.resolve("t.jsonl");
        CliTest.Out plain = cli("run", "vision-single", "--policy", "rknpu", "--duration", "0.2", "--json", "--trace", "none", "--out",
                tmp.resolve("plain").toString());
        CliTest.Out rec = cli("run", "vision-single", "--policy", "rknpu", "--duration", "0.2", "--json", "--trace", "none", "--record",
                trace.toString(), "--out", tmp.resolve("rec").toString());
        CliTest.Out rep = cli("replay", trace.toString(), "--json", "--out", tmp.resolve("rep").toString());
        assertThat(rec.code()).isZero();
        assertThat(rep.code()).as(rep.err()).isZero();
        assertThat(rec.out()).isEqualTo(plain.out());
        assertThat(rep.out()).isEqualTo(rec.out());
        assertThat(Files.readString(tmp.resolve("rep/summary.json"))).isEqualTo(Files.readString(tmp.resolve("rec/summary.json")));
        assertThat(Files.readString(tmp.resolve("rep/run-info.json"))).contains("\"replay_mode\" : \"uapi\"").contains("\"replay_diverged_returns\" : 0");

        CliTest.Out slow = cli("replay", trace.toString(), "--npu-mhz", "600", "--out", tmp.resolve("slow").toString());
        assertThat(slow.code()).isZero();
        assertThat(slow.out()).contains("on changed hardware").contains("600");
        CliTest.Out other = cli("replay", trace.toString(), "--policy", "rocket", "--out", tmp.resolve("other").toString());
        assertThat(other.code()).isZero();
        assertThat(other.out()).contains("workload level").contains("rocket");
    }

    @Test
    void aBrokenTraceIsOneLineAndExitCode2(@TempDir Path tmp) throws Exception {
        Path trace = tmp.resolve("t.jsonl");
        assertThat(cli("run", "vision-single", "--duration", "0.05", "--trace", "none", "--record", trace.toString(), "--out",
                tmp.resolve("r").toString()).code()).isZero();
        List<String> lines = Files.readAllLines(trace);
        Files.write(tmp.resolve("cut.jsonl"), lines.subList(0, lines.size() / 2));
        Files.writeString(tmp.resolve("v9.jsonl"), String.join("\n", lines).replaceFirst("\"version\":1", "\"version\":9") + "\n");
        Files.writeString(tmp.resolve("rk3568.jsonl"), String.join("\n", lines).replaceFirst("\"platform\":\"rk3588\"", "\"platform\":\"rk3568\"") + "\n");
        for (String[] c : new String[][] {{"cut.jsonl", "truncated after line " + lines.size() / 2}, {"v9.jsonl", "version 9 is newer"},
                {"rk3568.jsonl", "platform 'rk3568'"}, {"missing.jsonl", "does not exist"}}) {
            CliTest.Out o = cli("replay", tmp.resolve(c[0]).toString(), "--out", tmp.resolve("o").toString());
            assertThat(o.code()).isEqualTo(2);
            assertThat(o.err().strip()).contains(c[1]).doesNotContain("\n").doesNotContain("at io.npusim");
        }
    }

    @Test
    void importsASampleCaptureAndReplaysIt(@TempDir Path tmp) {
        Path out = tmp.resolve("cap.jsonl");
        CliTest.Out imp = cli("trace", "import", "--from", "rknpu-bpftrace", Path.of("..", "traces", "samples", "rknpu-bpftrace.txt").toString(),
                "--out", out.toString());
        assertThat(imp.code()).as(imp.err()).isZero();
        assertThat(imp.out()).contains("imported 49 jobs of 2 threads");
        CliTest.Out info = cli("trace", "info", out.toString());
        assertThat(info.out()).contains("49 jobs with measured service times");
        CliTest.Out rep = cli("replay", out.toString(), "--policy", "rocket", "--out", tmp.resolve("r").toString());
        assertThat(rep.code()).as(rep.err()).isZero();
        assertThat(rep.out()).contains("measured on a board").contains("rocket");
        CliTest.Out bad = cli("trace", "import", "--from", "drm-sched-ftrace", Path.of("..", "traces", "samples", "rknpu-bpftrace.txt").toString(),
                "--out", tmp.resolve("x.jsonl").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("no gpu_scheduler job events");
    }
}
