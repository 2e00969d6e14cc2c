package io.npusim.kernel.sched;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.event.Priority;
import io.npusim.core.time.Time;
import io.npusim.kernel.sched.SchedRig.MockJob;
import org.junit.jupiter.api.Test;

/** drm_sched_entity_flush / _fini / _kill (sched_entity.c), as a file close does it. */
class EntityTeardownTest {
    private static final long US = Time.PS_PER_US;
    private static final long TIMEOUT = Time.ms(500);

    @Test
    void destroyWaitsUntilTheQueueIsDrainedThenLeavesTheRunQueue() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        MockJob j1 = r.submit(0, e, "J1", 100 * US);
        MockJob j2 = r.submit(0, e, "J2", 100 * US);
        long[] destroyedAt = {-1};
        r.sim.schedule(1 * US, Priority.USER, (p, a) -> e.destroy(() -> destroyedAt[0] = r.sim.now()));
        r.run();
        // Idle once the last job was popped (it may still run): J2's start.
        assertThat(destroyedAt[0]).isEqualTo(j2.runAtPs);
        assertThat(j1.finishedFence().error()).isZero();
        assertThat(j2.finishedFence().error()).isZero();
        assertThat(e.isOnRunQueue()).isFalse();
        assertThat(r.scheds.get(0).score()).isZero();
    }

    @Test
    void finiKillsQueuedJobsAfterThePreviousOneFinished() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        MockJob j1 = r.submit(0, e, "J1", 100 * US);
        MockJob j2 = r.submit(0, e, "J2", 100 * US);
        MockJob j3 = r.submit(0, e, "J3", 100 * US);
        r.sim.schedule(50 * US, Priority.USER, (p, a) -> e.fini());
        r.run();
        assertThat(r.runLog).containsExactly("J1@0");
        assertThat(j1.finishedFence().error()).isZero();
        assertThat(j2.finishedFence().error()).isEqualTo(-DrmGpuScheduler.ESRCH);
        assertThat(j3.finishedFence().error()).isEqualTo(-DrmGpuScheduler.ESRCH);
        assertThat(j2.finishedAtPs()).isGreaterThanOrEqualTo(j1.finishedAtPs());
        assertThat(j3.isFreed()).isTrue();
        DrmGpuScheduler s = r.scheds.get(0);
        assertThat(s.jobsKilled()).isEqualTo(2);
        assertThat(s.queuedJobs()).isZero();
        // As in the kernel, the +1 of each killed job's push is never given back.
        assertThat(s.score()).isEqualTo(2);
    }
}
