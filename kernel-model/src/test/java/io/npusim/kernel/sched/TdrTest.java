package io.npusim.kernel.sched;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.time.Time;
import io.npusim.kernel.sched.SchedRig.MockBackend;
import io.npusim.kernel.sched.SchedRig.MockJob;
import io.npusim.uapi.Errno;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** drm_sched_job_timedout, drm_sched_stop / drm_sched_start (rocket-upstream.md §2.9, §3.5). */
class TdrTest {
    private static final long US = Time.PS_PER_US;
    private static final long MS = Time.PS_PER_MS;
    private static final long TIMEOUT = Time.ms(500);

    @Test
    void hungJobIsCutAfterTheTimeoutAndTheNextJobRuns() {
        SchedRig r = new SchedRig(2, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        SchedEntity f = r.entity("F", DrmSchedPriority.NORMAL, 1);
        MockJob hang = r.submit(0, e, "HANG", -1);
        MockJob next = r.submit(0, e, "NEXT", 100 * US);
        List<MockJob> other = new ArrayList<>();
        for (int i = 0; i < 60; i++) other.add(r.submit(i * 10 * MS, f, "F" + i, MS));
        r.run();

        MockBackend b0 = r.backends.get(0);
        DrmGpuScheduler s0 = r.scheds.get(0);
        assertThat(b0.timedOut).containsExactly(hang);
        long firedAt = b0.timedOutAtPs.get(0);
        // timeoutPs after the job began, plus the timeout work's wake-up on the worker CPU.
        assertThat(hang.beganAtPs()).isEqualTo(hang.runAtPs);
        assertThat(firedAt - hang.beganAtPs()).isBetween(TIMEOUT, TIMEOUT + 20 * US);
        assertThat(b0.resets).isEqualTo(1);
        assertThat(hang.finishedFence().error()).isEqualTo(-Errno.ECANCELED);
        assertThat(hang.finishedAtPs()).isEqualTo(firedAt);
        assertThat(hang.isFreed()).isTrue();
        assertThat(b0.freed).contains(hang);
        // The queued job was untouched and ran after the restart.
        assertThat(next.runAtPs).isGreaterThan(firedAt);
        assertThat(next.finishedFence().error()).isZero();
        assertThat(s0.timeouts()).isEqualTo(1);
        assertThat(s0.jobsCancelled()).isEqualTo(1);
        assertThat(s0.jobsCompleted()).isEqualTo(1);
        assertThat(s0.creditCount()).isZero();
        assertThat(s0.pendingList()).isEmpty();
        assertThat(s0.isSubmitPaused()).isFalse();
        assertThat(s0.score()).isEqualTo(1); // the idle entity
        // The other core kept running during the hang.
        long during = other.stream().filter(j -> j.runAtPs > hang.runAtPs && j.finishedAtPs() < firedAt).count();
        assertThat(during).isGreaterThanOrEqualTo(49);
        assertThat(r.scheds.get(1).jobsCompleted()).isEqualTo(60);
        assertThat(r.scheds.get(1).timeouts()).isZero();
    }

    @Test
    void timerIsReArmedForEachJobAndCancelledWhenItIsFreed() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        // Ten jobs of 400 ms back to back: 4 s in all, each under the 500 ms timeout.
        for (int i = 0; i < 10; i++) r.submit(0, e, "J" + i, 400 * MS);
        r.run();
        assertThat(r.scheds.get(0).timeouts()).isZero();
        assertThat(r.scheds.get(0).jobsCompleted()).isEqualTo(10);
    }

    @Test
    void noHangPutsTheJobBackAndTheTimerIsReArmed() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        DrmGpuScheduler[] s = new DrmGpuScheduler[1];
        List<Long> calls = new ArrayList<>();
        SchedBackend slow = new SchedBackend() {
            long seq;
            final long ctx = r.k.fenceContexts().alloc(1);

            @Override
            public io.npusim.kernel.drm.DmaFence runJob(SchedJob job) {
                io.npusim.kernel.drm.DmaFence hw = new io.npusim.kernel.drm.DmaFence(ctx, ++seq, "slow");
                r.sim.scheduleIn(1200 * MS, io.npusim.core.event.Priority.HARDWARE, (p, a) -> hw.signal(r.sim.now()));
                return hw;
            }

            @Override
            public TimeoutStatus timedOutJob(SchedJob job) {
                calls.add(r.sim.now());
                return TimeoutStatus.NO_HANG;
            }

            @Override
            public void freeJob(SchedJob job) {}
        };
        s[0] = new DrmGpuScheduler(r.k, slow, DrmSchedInitArgs.of("slow", 0, 1, TIMEOUT));
        SchedEntity e = new SchedEntity(r.k, "E", DrmSchedPriority.NORMAL, List.of(s[0]));
        SchedJob j = new SchedJob("J", null);
        r.sim.schedule(0, io.npusim.core.event.Priority.USER, (p, a) -> {
            j.init(e, 1);
            j.arm();
            e.pushJob(j);
        });
        r.run();
        assertThat(calls).hasSize(2); // at ~0.5 s and ~1.0 s; the job ends at 1.2 s
        assertThat(j.finishedFence().error()).isZero();
        assertThat(j.isFreed()).isTrue();
        assertThat(s[0].pendingList()).isEmpty();
    }
}
