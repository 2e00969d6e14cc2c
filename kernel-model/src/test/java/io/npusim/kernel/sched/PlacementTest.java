package io.npusim.kernel.sched;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.event.Priority;
import io.npusim.core.time.Time;
import io.npusim.kernel.sched.SchedRig.MockJob;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** drm_sched_entity_select_rq and drm_sched_pick_best (rocket-upstream.md §2.7, §3.4, §8). */
class PlacementTest {
    private static final long US = Time.PS_PER_US;
    private static final long MS = Time.PS_PER_MS;
    private static final long TIMEOUT = Time.ms(500);

    @Test
    void entityWithQueuedJobsStaysOnItsScheduler() {
        SchedRig r = new SchedRig(3, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL);
        MockJob j1 = r.submit(0, e, "J1", 100 * US);
        MockJob j2 = r.submit(0, e, "J2", 100 * US);
        MockJob j3 = r.submit(0, e, "J3", 100 * US);
        int[][] scoresAtPush = new int[1][];
        r.sim.schedule(0, Priority.ARRIVAL, (p, a) -> scoresAtPush[0] = r.scores());
        r.run();
        // J1 placed on 0 (all scores 0): +1 job, +1 entity joins; J2, J3: +1 each, no move
        // although schedulers 1 and 2 have score 0.
        assertThat(scoresAtPush[0]).containsExactly(4, 0, 0);
        assertThat(List.of(j1.schedIndex(), j2.schedIndex(), j3.schedIndex())).containsOnly(0);
        assertThat(e.moves()).isZero();
    }

    @Test
    void entityWithAnUnfinishedJobStaysOnItsScheduler() {
        SchedRig r = new SchedRig(3, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL);
        MockJob k1 = r.submit(0, e, "K1", 100 * US);
        int[][] before = new int[1][];
        boolean[] queueEmpty = new boolean[1];
        r.sim.schedule(50 * US, Priority.STATS, (p, a) -> {
            before[0] = r.scores();
            queueEmpty[0] = e.queueDepth() == 0 && !e.lastScheduled().isSignaled();
        });
        MockJob k2 = r.submit(60 * US, e, "K2", 100 * US);
        r.run();
        assertThat(before[0]).containsExactly(2, 0, 0);
        assertThat(queueEmpty[0]).isTrue(); // K1 popped and running: only last_scheduled holds it
        assertThat(k1.schedIndex()).isZero();
        assertThat(k2.schedIndex()).isZero();
        assertThat(k2.runAtPs).isGreaterThan(k1.finishedAtPs());
    }

    @Test
    void twoIdleEntitiesSpreadOverTwoSchedulers() {
        SchedRig r = new SchedRig(3, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e1 = r.entity("E1", DrmSchedPriority.NORMAL);
        SchedEntity e2 = r.entity("E2", DrmSchedPriority.NORMAL);
        MockJob a = r.submit(0, e1, "A", 100 * US);
        MockJob b = r.submit(0, e2, "B", 100 * US);
        r.run();
        assertThat(a.schedIndex()).isZero();
        assertThat(b.schedIndex()).isEqualTo(1);
        // They ran in parallel.
        assertThat(b.runAtPs).isLessThan(a.finishedAtPs());
        // Both idle entities still count where they last ran.
        assertThat(r.scores()).containsExactly(1, 1, 0);
    }

    @Test
    void idleEntityIsReplacedByScoreAndStillCountsOnItsOldScheduler() {
        SchedRig r = new SchedRig(3, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL);
        List<MockJob> js = new ArrayList<>();
        List<int[]> scoresAfter = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            js.add(r.submit(i * MS, e, "J" + i, 10 * US));
            r.sim.schedule(i * MS + MS / 2, Priority.STATS, (p, a) -> scoresAfter.add(r.scores()));
        }
        r.run();
        List<Integer> where = new ArrayList<>();
        for (MockJob j : js) where.add(j.schedIndex());
        // One client submitting one job at a time alternates between cores 0 and 1, never 2.
        assertThat(where).containsExactly(0, 1, 0, 1, 0, 1);
        assertThat(scoresAfter.get(0)).containsExactly(1, 0, 0); // idle entity counts on 0
        assertThat(scoresAfter.get(1)).containsExactly(0, 1, 0); // left 0 (-1), joined 1 (+1)
        assertThat(scoresAfter.get(2)).containsExactly(1, 0, 0);
        assertThat(e.moves()).isEqualTo(5);
        assertThat(r.scheds.get(2).jobsRun()).isZero();
    }

    @Test
    void pickBestSkipsSchedulersThatAreNotReadyAndTiesToTheLowestIndex() {
        SchedRig r = new SchedRig(3, 1, TIMEOUT, SchedPolicy.FIFO);
        assertThat(DrmGpuScheduler.pickBest(r.scheds)).isSameAs(r.scheds.get(0));
        r.scheds.get(0).setReady(false);
        assertThat(DrmGpuScheduler.pickBest(r.scheds)).isSameAs(r.scheds.get(1));
        r.scheds.get(1).setReady(false);
        r.scheds.get(2).setReady(false);
        assertThat(DrmGpuScheduler.pickBest(r.scheds)).isNull();
    }

    @Test
    void queueDepthIsReportedOnPushAndPop() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        List<Integer> depths = new ArrayList<>();
        r.scheds.get(0).setQueueDepthListener((s, ent, d, q, t) -> depths.add(d));
        for (int i = 0; i < 3; i++) r.submit(0, e, "J" + i, 100 * US);
        r.run();
        assertThat(depths).containsExactly(1, 2, 3, 2, 1, 0);
        assertThat(e.depthOverTime().max()).isEqualTo(3.0);
        assertThat(r.scheds.get(0).queuedOverTime().mean(r.sim.now())).isGreaterThan(0.5);
    }
}
