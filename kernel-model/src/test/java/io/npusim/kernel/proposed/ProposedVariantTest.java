package io.npusim.kernel.proposed;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.proposed.ProposedRig.Ctx;
import io.npusim.uapi.proposed.NpuIoctl;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The per-job choice among the 1-, 2- and 3-core variants userspace compiled: a context with a
 * deadline keeps the narrowest variant whose last run (ready to done) took at most
 * deadline x proposed.deadline_margin, trying unknown widths narrowest first; other contexts take
 * the widest variant that fits the cores not held by higher-class work; with
 * proposed.variant_choice=false every job takes its widest variant.
 */
class ProposedVariantTest {

    /** The width of the variant each job ran, from its task labels (name/v<cores>/...). */
    private static int widthRun(ProposedRig r, String job) {
        List<Integer> ws = r.tasks(job + "/").stream().map(TaskRecord::label).map(l -> l.split("/")[1])
                .map(v -> Integer.parseInt(v.substring(1))).distinct().collect(Collectors.toList());
        assertThat(ws).as("variants run by %s", job).hasSize(1);
        return ws.get(0);
    }

    private static List<Integer> runSequence(ProposedRig r, Ctx ctx, int jobs, int tasks) {
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            assertThat(ctx.run(ctx.job("J" + i).everyWidth(tasks))).isZero();
            widths.add(widthRun(r, "J" + i));
        }
        return widths;
    }

    @Test
    void aDeadlineContextKeepsTheNarrowestVariantThatFits() {
        // 12 tasks of 100 us: 1.2 ms on one core, well inside 0.7 x 10 ms
        ProposedRig r = new ProposedRig();
        Ctx cam = r.client("camera").ctx(NpuIoctl.CLASS_LATENCY, 10_000_000);
        assertThat(runSequence(r, cam, 4, 12)).containsExactly(1, 1, 1, 1);
    }

    @Test
    void aDeadlineContextWidensWhenItsVariantMissesTheMarginAndKeepsTheOneThatFits() {
        // 24 tasks: 2.4 ms on one core, 1.2 ms on two, 0.8 ms on three; deadline 2 ms, margin 1.4 ms
        ProposedRig r = new ProposedRig();
        Ctx cam = r.client("camera").ctx(NpuIoctl.CLASS_LATENCY, 2_000_000);
        assertThat(runSequence(r, cam, 4, 24)).containsExactly(1, 2, 2, 2);
    }

    @Test
    void aDeadlineNoVariantMeetsGetsTheWidest() {
        // deadline 1 ms, margin 0.7 ms: 1 core misses, 2 cores miss, 3 cores (0.8 ms) miss too
        ProposedRig r = new ProposedRig();
        Ctx cam = r.client("camera").ctx(NpuIoctl.CLASS_LATENCY, 1_000_000);
        assertThat(runSequence(r, cam, 5, 24)).containsExactly(1, 2, 3, 3, 3);
    }

    @Test
    void theMarginIsASwitch() {
        // 1.2 ms on one core against a 1.5 ms deadline: inside with margin 1.0, outside with 0.7
        ProposedRig tight = new ProposedRig();
        Ctx a = tight.client("camera").ctx(NpuIoctl.CLASS_LATENCY, 1_500_000);
        assertThat(runSequence(tight, a, 3, 12)).containsExactly(1, 2, 2);
        ProposedRig loose = new ProposedRig("proposed.deadline_margin=1.0");
        Ctx b = loose.client("camera").ctx(NpuIoctl.CLASS_LATENCY, 1_500_000);
        assertThat(runSequence(loose, b, 3, 12)).containsExactly(1, 1, 1);
    }

    @Test
    void aThroughputContextTakesTheWidestVariantThatFitsTheFreeCores() {
        ProposedRig r = new ProposedRig();
        Ctx chat = r.client("chat").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx cam = r.client("camera").ctx(NpuIoctl.CLASS_LATENCY, 0);
        // all cores free: three
        assertThat(chat.run(chat.job("T0").everyWidth(12))).isZero();
        assertThat(widthRun(r, "T0")).isEqualTo(3);
        // a latency job holds one core: two
        long l = cam.submit(cam.job("L").single(40));
        r.runUntilTask("L/");
        assertThat(chat.run(chat.job("T1").everyWidth(12))).isZero();
        assertThat(widthRun(r, "T1")).isEqualTo(2);
        assertThat(r.coresOf("T1/")).isEqualTo(2);
        assertThat(r.tasks("T1/").stream().mapToInt(TaskRecord::core)).doesNotContain(r.first("L/").core());
        assertThat(cam.waitFor(l).ret()).isZero();
        // a latency job on two cores: one
        long l2 = cam.submit(cam.job("L2").wide(2, 40));
        r.runUntilTask("L2/");
        assertThat(chat.run(chat.job("T2").everyWidth(12))).isZero();
        assertThat(widthRun(r, "T2")).isEqualTo(1);
        assertThat(cam.waitFor(l2).ret()).isZero();
        // work of its own class counts as busy too
        Ctx chat2 = r.client("chat2").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long t = chat2.submit(chat2.job("U").single(40));
        r.runUntilTask("U/");
        assertThat(chat.run(chat.job("T3").everyWidth(12))).isZero();
        assertThat(widthRun(r, "T3")).isEqualTo(2);
        assertThat(chat2.waitFor(t).ret()).isZero();
    }

    @Test
    void withVariantChoiceOffEveryJobTakesItsWidestVariant() {
        ProposedRig r = new ProposedRig("proposed.variant_choice=false");
        Ctx cam = r.client("camera").ctx(NpuIoctl.CLASS_LATENCY, 10_000_000);
        assertThat(runSequence(r, cam, 2, 12)).containsExactly(3, 3);
        // even when a core is taken: the parts then queue for the cores there are
        Ctx chat = r.client("chat").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long l = cam.submit(cam.job("L").single(40));
        r.runUntilTask("L/");
        assertThat(chat.run(chat.job("T").everyWidth(12))).isZero();
        assertThat(widthRun(r, "T")).isEqualTo(3);
        assertThat(cam.waitFor(l).ret()).isZero();
        // a job with one variant runs it whatever the switch
        ProposedRig on = new ProposedRig();
        Ctx c = on.client("camera").ctx(NpuIoctl.CLASS_LATENCY, 10_000_000);
        assertThat(c.run(c.job("W").wide(2, 6))).isZero();
        assertThat(widthRun(on, "W")).isEqualTo(2);
    }
}
