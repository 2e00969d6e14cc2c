package io.npusim.kernel.proposed;

import static io.npusim.kernel.proposed.ProposedRig.MS;
import static io.npusim.kernel.proposed.ProposedRig.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.proposed.ProposedRig.Client;
import io.npusim.kernel.proposed.ProposedRig.Ctx;
import io.npusim.uapi.proposed.CtxQuery;
import io.npusim.uapi.proposed.NpuIoctl;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Preemption at batch boundaries: when work of a higher class waits and no core is free, a
 * lower-class part is not re-armed at its next interrupt; it goes back to the head of its class
 * queue and resumes later, possibly on another core, where its weights must be fetched into the
 * CBUF again. The hardware offers no finer point: a batch started with TASK_NUMBER(n) runs to its
 * interrupt.
 */
class ProposedPreemptionTest {

    /** A chat-like throughput job on all three cores, and a camera-like latency job arriving 1 ms later. */
    private static final class Scenario {
        final ProposedRig r;
        final Ctx chat;
        final Ctx camera;
        final long chatSeq;
        final long arrivalPs;
        final long cameraDonePs;

        Scenario(String... sets) {
            r = new ProposedRig(sets);
            Client c = r.client("chat");
            Client v = r.client("camera");
            chat = c.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
            camera = v.ctx(NpuIoctl.CLASS_LATENCY, 0);
            // 3 parts of 64 tasks of 100 us: 6.4 ms per core, batches of 16 tasks (1.6 ms)
            chatSeq = chat.submit(chat.job("T").weightReuse().wide(3, 64));
            r.runUntil(r.runUntilTask("T/") + MS);
            arrivalPs = r.now();
            cameraDonePs = camera.waitFor(camera.submit(camera.job("L").single(4))).atPs();
            assertThat(chat.waitFor(chatSeq).ret()).isZero();
        }

        /** Time a batch of the chat job takes on the hardware (16 tasks). */
        long batchPs() {
            TaskRecord t = r.tasks("T/").get(1);
            return 16 * t.durationPs();
        }

        long cameraStartDelayPs() {
            return r.first("L/").startPs() - arrivalPs;
        }
    }

    @Test
    void aLatencyJobStopsAThroughputJobAtItsNextBatchBoundaryAndItResumes() {
        Scenario s = new Scenario();
        ProposedRig r = s.r;
        // one core yields: the camera job needs one
        assertThat(r.dev.preemptions()).isEqualTo(1);
        CtxQuery q = s.chat.query();
        assertThat(q.preemptions()).isEqualTo(1);
        assertThat(q.jobs()).isEqualTo(1);
        assertThat(s.camera.query().preemptions()).isZero();
        // the camera starts within one batch of its arrival, right after a chat task ends
        assertThat(s.cameraStartDelayPs()).isLessThanOrEqualTo(s.batchPs() + 50 * US);
        TaskRecord cam = r.first("L/");
        long boundary = r.tasks("T/").stream().filter(t -> t.core() == cam.core() && t.endPs() <= cam.startPs())
                .mapToLong(TaskRecord::endPs).max().orElseThrow();
        assertThat(cam.startPs() - boundary).isLessThan(100 * US); // interrupt, attach, submit on the IRQ CPU
        // the stopped chat part had done whole batches only
        long doneBefore = r.tasks("T/").stream().filter(t -> t.core() == cam.core() && t.endPs() <= cam.startPs()).count();
        assertThat(doneBefore % 16).isZero();
        assertThat(doneBefore).isEqualTo(16); // arrival 1 ms into the first 1.6 ms batch
        // it resumes once the camera job is done, and every chat task ran exactly once
        List<TaskRecord> chat = r.tasks("T/");
        assertThat(chat).hasSize(3 * 64);
        assertThat(chat.stream().map(TaskRecord::label).distinct().count()).isEqualTo(3 * 64);
        // on the camera's core, the first core free again
        long resumed = chat.stream().filter(t -> t.core() == cam.core() && t.startPs() >= cam.endPs()).count();
        assertThat(resumed).isEqualTo(64 - 16);
        assertThat(r.last("T/").endPs()).isGreaterThan(s.cameraDonePs - MS); // the chat finished later, by about the camera job
    }

    @Test
    void withoutPreemptionTheLatencyJobWaitsForAWholeThroughputPart() {
        Scenario on = new Scenario();
        Scenario off = new Scenario("proposed.preemption=false");
        assertThat(off.r.dev.preemptions()).isZero();
        assertThat(off.chat.query().preemptions()).isZero();
        // the camera waits until the first chat part ends: 6.4 ms after the chat started
        assertThat(off.r.first("L/").startPs()).isGreaterThanOrEqualTo(off.r.tasks("T/").stream()
                .filter(t -> t.label().endsWith("/t63")).mapToLong(TaskRecord::endPs).min().orElseThrow());
        long latencyOn = on.cameraDonePs - on.arrivalPs;
        long latencyOff = off.cameraDonePs - off.arrivalPs;
        // the rest of a 6.4 ms part (5.4 ms) against at most the rest of one 1.6 ms batch (0.6 ms)
        assertThat(latencyOff - latencyOn).isGreaterThan(4 * MS);
        assertThat(on.cameraStartDelayPs()).isLessThan(MS);
        assertThat(off.cameraStartDelayPs()).isGreaterThan(5 * MS);
    }

    @Test
    void aResumedPartFetchesItsCbufWeightsAgain() {
        // NpuCore: a task with CNA weight reuse finds another job's weights in the CBUF after a
        // preemption and reloads its weight banks from DDR (hw-model rule).
        Scenario s = new Scenario();
        ProposedRig r = s.r;
        long bank = (long) r.hw.npuParams().cbufBankBytes();
        assertThat(r.cbufReloads()).isEqualTo(s.chat.query().preemptions());
        double reloadBytes = 0;
        for (int c = 0; c < 3; c++) reloadBytes += r.hw.core(c).cbufReloadBytes();
        assertThat(reloadBytes).isEqualTo(6.0 * bank); // the 6 weight banks of the conv
        // the reload is the first chat task on the camera's core after it, and it moves 6 banks more DDR
        TaskRecord cam = r.first("L/");
        TaskRecord resumedFirst = r.tasks("T/").stream().filter(t -> t.core() == cam.core() && t.startPs() >= cam.endPs())
                .min((a, b) -> Long.compare(a.startPs(), b.startPs())).orElseThrow();
        TaskRecord steady = r.tasks("T/").get(5);
        assertThat(resumedFirst.ddrBytes() - steady.ddrBytes()).isCloseTo(6.0 * bank, org.assertj.core.api.Assertions.within(4096.0));
        // without the camera job nothing is reloaded: each part keeps its weights
        ProposedRig alone = new ProposedRig();
        Ctx chat = alone.client("chat").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        assertThat(chat.run(chat.job("T").weightReuse().wide(3, 64))).isZero();
        assertThat(alone.cbufReloads()).isZero();
        // nor with preemption off (the camera job runs between two jobs, not inside one part)
        Scenario off = new Scenario("proposed.preemption=false");
        assertThat(off.r.cbufReloads()).isZero();
    }

    @Test
    void noPreemptionWhileACoreIsFree() {
        ProposedRig r = new ProposedRig();
        Ctx chat = r.client("chat").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx camera = r.client("camera").ctx(NpuIoctl.CLASS_LATENCY, 0);
        long seq = chat.submit(chat.job("T").wide(2, 64)); // two cores
        r.runUntil(r.runUntilTask("T/") + MS);
        long arrival = r.now();
        assertThat(camera.run(camera.job("L").single(4))).isZero();
        assertThat(r.first("L/").startPs() - arrival).isLessThan(50 * US); // the third core, at once
        assertThat(chat.waitFor(seq).ret()).isZero();
        assertThat(r.dev.preemptions()).isZero();
    }

    @Test
    void throughputWorkPreemptsBackgroundWorkToo() {
        ProposedRig r = new ProposedRig();
        Ctx bg = r.client("indexer").ctx(NpuIoctl.CLASS_BACKGROUND, 0);
        Ctx chat = r.client("chat").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long seq = bg.submit(bg.job("B").wide(3, 64));
        r.runUntil(r.runUntilTask("B/") + MS);
        // the throughput job sees the background cores as free: it takes its 3-core variant and
        // each of its parts displaces a background part at that part's next batch boundary
        assertThat(chat.run(chat.job("T").everyWidth(12))).isZero();
        assertThat(r.tasks("T/v3/")).hasSize(12);
        assertThat(bg.query().preemptions()).isEqualTo(3);
        assertThat(bg.waitFor(seq).ret()).isZero();
        assertThat(r.tasks("B/")).hasSize(3 * 64);
        // a latency job is not preempted by anything
        Ctx cam = r.client("camera").ctx(NpuIoctl.CLASS_LATENCY, 0);
        long l = cam.submit(cam.job("L").wide(3, 40));
        long t = chat.submit(chat.job("T2").single(4));
        assertThat(cam.waitFor(l).ret()).isZero();
        assertThat(chat.waitFor(t).ret()).isZero();
        assertThat(cam.query().preemptions()).isZero();
        assertThat(r.first("T2/").startPs()).isGreaterThanOrEqualTo(r.tasks("L/").stream()
                .filter(x -> x.label().endsWith("/t39")).mapToLong(TaskRecord::endPs).min().orElseThrow());
    }
}
