package io.npusim.kernel.sched;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.event.Priority;
import io.npusim.core.time.Time;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.drm.DmaResv;
import io.npusim.kernel.sched.SchedRig.MockJob;
import org.junit.jupiter.api.Test;

/** drm_sched_entity_add_dependency_cb and implicit sync (rocket-upstream.md §2.3, §2.4). */
class DependencyTest {
    private static final long US = Time.PS_PER_US;
    private static final long TIMEOUT = Time.ms(500);

    private static long secondJobStart(boolean withDependency, SchedEntity[] out) {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        MockJob j1 = r.submit(0, e, "J1", 100 * US);
        MockJob j2 = r.submit(0, e, "J2", 100 * US, 1, j -> {
            if (withDependency) j.addDependency(j1.finishedFence());
        });
        r.run();
        out[0] = e;
        return j2.runAtPs;
    }

    @Test
    void sameEntityDependencyIsSkippedWithoutACpuRoundTrip() {
        SchedEntity[] e = new SchedEntity[1];
        long with = secondJobStart(true, e);
        assertThat(e[0].sameEntityDepsSkipped()).isEqualTo(1);
        assertThat(e[0].dependencyWaits()).isZero();
        long without = secondJobStart(false, e);
        assertThat(with).isEqualTo(without);
    }

    @Test
    void dependencyOnAnotherEntityOnTheSameSchedulerIsPipelined() {
        SchedRig r = new SchedRig(2, 2, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity producer = r.entity("P", DrmSchedPriority.NORMAL, 0);
        SchedEntity same = r.entity("C", DrmSchedPriority.NORMAL, 0);
        SchedEntity other = r.entity("D", DrmSchedPriority.NORMAL, 1);
        MockJob p1 = r.submit(0, producer, "P1", 100 * US);
        MockJob c1 = r.submit(1 * US, same, "C1", 10 * US, 1, j -> j.addDependency(p1.finishedFence()));
        MockJob d1 = r.submit(1 * US, other, "D1", 10 * US, 1, j -> j.addDependency(p1.finishedFence()));
        r.run();
        // Same scheduler: relaxed to P1's scheduled fence, so C1 runs while P1 is on the hardware.
        assertThat(c1.runAtPs).isGreaterThan(p1.runAtPs).isLessThan(p1.finishedAtPs());
        assertThat(same.pipelinedDeps()).isEqualTo(1);
        // Another scheduler: waits for P1's finished fence.
        assertThat(d1.runAtPs).isGreaterThan(p1.finishedAtPs());
        assertThat(other.dependencyWaits()).isEqualTo(1);
        assertThat(other.pipelinedDeps()).isZero();
    }

    @Test
    void dontPipelineMakesASameSchedulerDependencyWaitForFinished() {
        SchedRig r = new SchedRig(1, 2, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity producer = r.entity("P", DrmSchedPriority.NORMAL, 0);
        SchedEntity same = r.entity("C", DrmSchedPriority.NORMAL, 0);
        MockJob p1 = r.submit(0, producer, "P1", 100 * US, 1, j -> j.setDontPipeline(true));
        MockJob c1 = r.submit(1 * US, same, "C1", 10 * US, 1, j -> j.addDependency(p1.finishedFence()));
        r.run();
        assertThat(c1.runAtPs).isGreaterThan(p1.finishedAtPs());
        assertThat(same.pipelinedDeps()).isZero();
    }

    @Test
    void readerWaitsForTheWriterFenceInTheBosReservation() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        DmaResv in = new DmaResv();
        DmaFence writer = new DmaFence(r.k.fenceContexts().alloc(1), 1, "cpu-writer");
        in.add(writer, DmaResv.Usage.WRITE);
        r.sim.schedule(300 * US, Priority.HARDWARE, (p, a) -> writer.signal(r.sim.now()));
        MockJob j = r.submit(0, e, "R", 10 * US, 1, x -> x.addImplicitDependencies(in, false));
        r.run();
        assertThat(j.dependencies()).containsExactly(writer);
        assertThat(j.runAtPs).isGreaterThan(300 * US);
        assertThat(e.dependencyWaits()).isEqualTo(1);
        assertThat(j.finishedFence().error()).isZero();
    }

    @Test
    void implicitDependencyUsagesFollowDmaResvUsageRw() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        DmaResv bo = new DmaResv();
        DmaFence reader = new DmaFence(r.k.fenceContexts().alloc(1), 1, "reader");
        bo.add(reader, DmaResv.Usage.READ);
        MockJob readJob = r.submit(0, e, "R", 10 * US, 1, x -> x.addImplicitDependencies(bo, false));
        MockJob writeJob = r.submit(0, e, "W", 10 * US, 1, x -> x.addImplicitDependencies(bo, true));
        r.sim.schedule(50 * US, Priority.HARDWARE, (p, a) -> reader.signal(r.sim.now()));
        r.run();
        assertThat(readJob.dependencies()).isEmpty(); // a reader does not wait for readers
        assertThat(writeJob.dependencies()).containsExactly(reader); // a writer does
        assertThat(writeJob.runAtPs).isGreaterThan(50 * US);
    }

    @Test
    void dependenciesKeepTheLaterFenceOfEachContext() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        long ctx = r.k.fenceContexts().alloc(1);
        DmaFence f1 = new DmaFence(ctx, 1, "t");
        DmaFence f2 = new DmaFence(ctx, 2, "t");
        SchedJob j = new SchedJob("J", null);
        j.init(e, 1);
        j.addDependency(f2);
        j.addDependency(f1);
        j.addDependency(null);
        assertThat(j.dependencies()).containsExactly(f2);
    }
}
