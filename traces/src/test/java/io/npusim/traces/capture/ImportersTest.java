package io.npusim.traces.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.core.UserError;
import io.npusim.traces.format.Samples;
import io.npusim.traces.format.Trace;
import io.npusim.traces.format.TraceReader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportersTest {
    static List<String> lines(String sample) {
        return Importers.lines(Samples.file(sample));
    }

    @Test
    void rknpuSampleGivesOneJobPerSuccessfulSubmit() {
        Capture c = Importers.parse("rknpu-bpftrace", lines("rknpu-bpftrace.txt"), "s");
        assertThat(c.jobs()).hasSize(49); // 50 submits, one rejected with -EINVAL
        var byThread = c.jobs().stream().collect(Collectors.groupingBy(j -> j.comm() + "-" + j.tid(), Collectors.counting()));
        assertThat(byThread).containsEntry("rknn_benchmark-1893", 40L).containsEntry("yolov5_video-1927", 9L);
        Capture.Job first = c.jobs().get(0);
        assertThat(first.coreMask()).isEqualTo(1);
        assertThat(first.tasks()).isEqualTo(94);
        assertThat(first.serviceNs()).isBetween(1_600_000L, 1_650_000L); // hw_elapse_time as the driver measured it
        assertThat(c.jobs()).filteredOn(j -> j.coreMask() == 7).allSatisfy(j -> assertThat(j.tasks()).isEqualTo(123));
    }

    @Test
    void drmSchedSamplesUnderBothEventNamesGiveTheSameJobs() {
        Capture now = Importers.parse("drm-sched-ftrace", lines("drm-sched-ftrace.txt"), "new");
        Capture old = Importers.parse("drm-sched-ftrace", lines("drm-sched-ftrace-old-names.txt"), "old");
        assertThat(now.jobs()).hasSize(55);
        assertThat(old.jobs()).hasSize(55);
        // batches: one SUBMIT each (from the ioctl events, or from back-to-back queueing without them)
        assertThat(now.jobs().stream().map(Capture.Job::batch).distinct().count()).isEqualTo(13);
        assertThat(old.jobs().stream().map(Capture.Job::batch).distinct().count()).isEqualTo(13);
        assertThat(now.jobs()).allSatisfy(j -> {
            assertThat(j.startNs()).isNotNull();
            assertThat(j.serviceNs()).isEqualTo(j.endNs() - j.startNs());
            assertThat(j.core()).isIn(0, 1);
        });
    }

    @Test
    void importedTracesReadBackAsTheWorkloadLevel(@TempDir Path tmp) {
        for (String[] s : new String[][] {{"rknpu-bpftrace", "rknpu-bpftrace.txt", "1000"}, {"drm-sched-ftrace", "drm-sched-ftrace.txt", "200"}}) {
            Path out = tmp.resolve(s[1] + ".jsonl");
            Importers.importFile(s[0], Samples.file(s[1]), out, null);
            Trace t = new TraceReader().read(out);
            assertThat(t.hasUapi()).isFalse();
            assertThat(t.header().source()).isEqualTo(s[0]);
            assertThat(t.header().npuMhz()).isEqualTo(Long.parseLong(s[2]));
            assertThat(t.jobs()).isNotEmpty();
            assertThat(t.jobs().get(0).submitPs()).isZero();
        }
    }

    @Test
    void anotherPlatformIsRefused() {
        List<String> l = lines("rknpu-bpftrace.txt");
        l.set(1, "# platform: firefly,itx-3568q rockchip,rk3568 ");
        assertThatThrownBy(() -> Importers.parse("rknpu-bpftrace", l, "s")).isInstanceOf(UserError.class)
                .hasMessageContaining("platform 'firefly,itx-3568q rockchip,rk3568'");
    }

    @Test
    void theWrongImporterSaysWhatItExpected() {
        assertThatThrownBy(() -> Importers.parse("rknpu-bpftrace", lines("drm-sched-ftrace.txt"), "x")).isInstanceOf(UserError.class)
                .hasMessageContaining("rknpu-submit.bt");
        assertThatThrownBy(() -> Importers.parse("drm-sched-ftrace", lines("rknpu-bpftrace.txt"), "x")).isInstanceOf(UserError.class)
                .hasMessageContaining("no gpu_scheduler job events");
        assertThatThrownBy(() -> Importers.parse("perf", List.of(), "x")).isInstanceOf(UserError.class).hasMessageContaining("--from");
    }

    @Test
    void aCorruptLineIsNamed() {
        List<String> l = lines("rknpu-bpftrace.txt");
        int i = 0;
        while (!l.get(i).startsWith("SUBMIT")) i++;
        l.set(i, l.get(i).replace("core_mask=0x1", "core_mask=0xq"));
        int line = i + 1;
        assertThatThrownBy(() -> Importers.parse("rknpu-bpftrace", l, "s")).isInstanceOf(UserError.class)
                .hasMessage("s:" + line + ": field 'core_mask' is not a 32-bit hexadecimal number: '0xq'");
    }
}
