package io.npusim.kernel.rocket;

import static io.npusim.kernel.rocket.RocketRig.MS;
import static io.npusim.kernel.rocket.RocketRig.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.rocket.RocketRig.Bo;
import io.npusim.kernel.rocket.RocketRig.Client;
import io.npusim.kernel.rocket.RocketRig.Ret;
import io.npusim.uapi.Errno;
import io.npusim.uapi.rocket.PrepBo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 500 ms job timeout and the per-core reset (rocket_job_timedout, rocket_reset; drm_sched TDR;
 * rocket-upstream.md 2.7, 2.9, 3.5, 5.10).
 */
class RocketTimeoutTest {
    private static final long TIMEOUT = 500 * MS;

    @Test
    void aHungJobIsCutAt500MsOnlyItsCoreIsResetAndOtherCoresKeepRunning() {
        RocketRig r = new RocketRig();
        Client h = r.client("H");
        Client b = r.client("B");
        Bo hungOut = h.buf();
        Bo nextOut = h.buf();
        // The first task of H's first job is undecodable: the core hangs without an interrupt.
        // H's second job sits behind it in the same entity.
        assertThat(h.submit(h.job("HANG", h.buf(), hungOut, 100, -1, 100), h.job("NEXT", h.buf(), nextOut, 100))).isZero();
        Ret[] hPrep = new Ret[1];
        h.ioctlAsync(PrepBo.of(hungOut.handle(), RocketRig.FOREVER), (ret, out) -> hPrep[0] = new Ret(ret, out, r.nowPs()));
        // Another file keeps the other cores busy with 10 ms jobs for 600 ms.
        List<String> bJobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Bo out = b.buf();
            assertThat(b.submit(b.job("B" + i, b.buf(), out, 10_000))).isZero();
            assertThat(b.waitFor(out).ret()).isPositive();
            bJobs.add("B" + i);
        }
        r.runAll();

        assertThat(r.hangs).hasSize(1);
        int core = (int) r.hangs.get(0)[0];
        long hungAt = r.hangs.get(0)[1];
        RocketJob bad = r.hungJobs.get(0);
        assertThat(r.job("HANG")).isSameAs(bad); // its first task ran before the hang
        // TDR: armed when the job began on the hardware (drm_sched_job_begin, just before run_job)
        // and never re-armed by its tasks; it fires 500 ms later (plus the timeout work's wake-up).
        assertThat(bad.beganAtPs()).isLessThan(r.first("HANG").startPs());
        assertThat(hungAt - bad.beganAtPs()).isLessThan(TIMEOUT);
        long cut = bad.finishedFence().signaledAtPs();
        assertThat(cut - bad.beganAtPs()).isBetween(TIMEOUT, TIMEOUT + 50 * US);
        // drm_sched_stop + drm_sched_start(sched, 0): a job without a hardware fence completes with
        // -ECANCELED; its remaining task is not resubmitted.
        assertThat(bad.finishedFence().error()).isEqualTo(-Errno.ECANCELED);
        assertThat(r.tasksOf("HANG")).hasSize(1);
        assertThat(r.lost).containsExactly(core + ":1");
        assertThat(r.dev.timeouts()).isEqualTo(1);
        assertThat(r.dev.schedulers().get(core).jobsCancelled()).isEqualTo(1);
        // Only that core was reset (srst_a/srst_h of one core).
        for (int i = 0; i < 3; i++) assertThat(r.hw.core(i).resets()).as("core %d resets", i).isEqualTo(i == core ? 1 : 0);
        // The other cores kept running the other file's jobs all along.
        long during = bJobs.stream().map(r::first).filter(t -> t.startPs() > hungAt && t.endPs() < cut).count();
        assertThat(during).isGreaterThanOrEqualTo(40);
        assertThat(bJobs.stream().map(r::first).mapToInt(TaskRecord::core)).doesNotContain(core);
        assertThat(bJobs.stream().map(r::job).allMatch(j -> j.finishedFence().error() == 0)).isTrue();
        // The job queued behind the bad one runs once the scheduler restarts, on the reset core.
        assertThat(r.first("NEXT").core()).isEqualTo(core);
        assertThat(r.first("NEXT").startPs()).isGreaterThan(cut);
        assertThat(r.job("NEXT").finishedFence().error()).isZero();
        // PREP_BO only waits: the cancelled job's output looks ready and no error reaches userspace
        // (the UAPI has no way to report it, rocket-upstream.md 1.1).
        assertThat(hPrep[0].ret()).isPositive();
        assertThat(hPrep[0].atPs()).isGreaterThanOrEqualTo(cut);
    }

    @Test
    void theTimeoutCoversTheWholeJobNotEachTask() {
        // 500 ms per job, all of its tasks (rocket-upstream.md 2.9 [I]): three 200 ms tasks in one
        // job are cut during the third; the same tasks as three jobs all complete.
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        Bo out = a.buf();
        assertThat(a.submit(a.job("LONG", a.buf(), out, 200_000, 200_000, 200_000))).isZero();
        assertThat(a.waitFor(out).ret()).isPositive();
        RocketJob j = r.job("LONG");
        assertThat(r.tasksOf("LONG")).hasSize(2);
        assertThat(r.lost).containsExactly("0:1");
        assertThat(j.finishedFence().error()).isEqualTo(-Errno.ECANCELED);
        assertThat(j.finishedFence().signaledAtPs() - j.beganAtPs()).isBetween(TIMEOUT, TIMEOUT + 50 * US);
        assertThat(r.records.get(0).durationPs()).isBetween(195 * MS, 215 * MS);

        RocketRig s = new RocketRig();
        Client c = s.client("A");
        Bo o = c.buf();
        assertThat(c.submit(c.job("S0", c.buf(), o, 200_000), c.job("S1", c.buf(), o, 200_000), c.job("S2", c.buf(), o, 200_000))).isZero();
        assertThat(c.waitFor(o).ret()).isPositive();
        assertThat(s.records).hasSize(3);
        assertThat(s.dev.timeouts()).isZero();
    }
}
