package io.npusim.kernel.rocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.rocket.RocketRig.Bo;
import io.npusim.kernel.rocket.RocketRig.Client;
import io.npusim.kernel.sched.DrmGpuScheduler;
import io.npusim.kernel.sched.SchedEntity;
import io.npusim.uapi.rocket.RocketJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Which core runs a job: one drm_sched entity per open file listing all three cores, placed by
 * drm_sched_entity_select_rq / drm_sched_pick_best only when it is idle (rocket-upstream.md 2.2,
 * 2.7, 3.4 and the second reading in 8).
 */
class RocketPlacementTest {

    private static int[] scores(RocketRig r) {
        List<DrmGpuScheduler> s = r.dev.schedulers();
        return new int[] {s.get(0).score(), s.get(1).score(), s.get(2).score()};
    }

    /** Submits {@code n} jobs of two tasks in one SUBMIT; returns the BO the last one writes. */
    private static Bo burst(Client c, String prefix, int n, double taskUs) {
        Bo in = c.buf();
        List<RocketJob> jobs = new ArrayList<>();
        Bo out = null;
        for (int i = 0; i < n; i++) {
            out = c.buf();
            jobs.add(c.job(prefix + i, in, out, taskUs, taskUs));
        }
        assertThat(c.submit(jobs.toArray(RocketJob[]::new))).isZero();
        return out;
    }

    private static boolean overlap(TaskRecord a, TaskRecord b) {
        return a.startPs() < b.endPs() && b.startPs() < a.endPs();
    }

    private static Set<Integer> coresOf(RocketRig r, String client) {
        Set<Integer> s = new TreeSet<>();
        for (TaskRecord t : r.records) if (t.client().equals(client)) s.add(t.core());
        return s;
    }

    private static boolean overlapsAcrossCores(RocketRig r, String client) {
        List<TaskRecord> mine = r.records.stream().filter(t -> t.client().equals(client)).toList();
        for (TaskRecord a : mine) {
            for (TaskRecord b : mine) if (a.core() != b.core() && overlap(a, b)) return true;
        }
        return false;
    }

    @Test
    void oneFileNeverHasJobsOnTwoCoresAtOnceEvenWithTwoCoresIdle() {
        // An entity whose queue is not empty, or whose last job has not finished, stays on its
        // scheduler (drm_sched_entity_select_rq): a SUBMIT burst, and a second SUBMIT made while the
        // first runs, all go to one core (rocket-upstream.md 2.7 "[I] Consequence", 5.1).
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        burst(a, "X", 6, 150);
        Bo last = burst(a, "Y", 4, 150); // submitted while X runs
        assertThat(r.records.size()).isLessThan(12); // X (12 tasks) was still running
        assertThat(a.waitFor(last).ret()).isPositive();
        assertThat(r.records).hasSize(20);
        assertThat(coresOf(r, "A")).containsExactly(0);
        assertThat(overlapsAcrossCores(r, "A")).isFalse();
        SchedEntity e = r.job("X0").entity();
        assertThat(e.moves()).isZero();
        assertThat(r.dev.schedulers().get(1).jobsRun()).isZero();
        assertThat(r.dev.schedulers().get(2).jobsRun()).isZero();
        // FIFO inside the entity: jobs ran in submission order, one at a time.
        for (int i = 1; i < r.records.size(); i++) {
            assertThat(r.records.get(i).startPs()).isGreaterThan(r.records.get(i - 1).endPs());
        }
    }

    @Test
    void withAnEntityPerCoreTheSameFileWouldSpread() {
        // Contrast (rocket.multi_entity, a hypothetical patch): one entity per core per file lets one
        // file's burst run on several cores at once, which upstream never does.
        RocketRig r = new RocketRig("rocket.multi_entity=true");
        Client a = r.client("A");
        Bo last = burst(a, "X", 6, 150);
        assertThat(a.waitFor(last).ret()).isPositive();
        r.runAll();
        assertThat(coresOf(r, "A")).hasSizeGreaterThan(1);
        assertThat(overlapsAcrossCores(r, "A")).isTrue();
    }

    @Test
    void twoFilesSpreadOverTwoCoresAndThreeOverThree() {
        // Multi-core parallelism comes only from several files (rocket-upstream.md 2.7): each idle
        // entity goes to the lowest-score core, ties to the lowest index.
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        Client b = r.client("B");
        Bo inA = a.buf(), outA = a.buf(), inB = b.buf(), outB = b.buf();
        RocketJob ja = a.job("A0", inA, outA, 500, 500);
        RocketJob jb = b.job("B0", inB, outB, 500, 500);
        int[] rets = {1, 1};
        a.ioctlAsync(a.submitOf(ja), (ret, out) -> rets[0] = ret);
        b.ioctlAsync(b.submitOf(jb), (ret, out) -> rets[1] = ret);
        assertThat(a.waitFor(outA).ret()).isPositive();
        assertThat(b.waitFor(outB).ret()).isPositive();
        assertThat(rets).containsExactly(0, 0);
        // Both SUBMITs arrive at the same instant: the first to arm takes core 0, the other core 1.
        assertThat(coresOf(r, "A")).hasSize(1);
        assertThat(coresOf(r, "B")).hasSize(1);
        Set<Integer> both = new TreeSet<>(coresOf(r, "A"));
        both.addAll(coresOf(r, "B"));
        assertThat(both).containsExactly(0, 1);
        assertThat(overlap(r.first("A0"), r.first("B0"))).isTrue();
        assertThat(r.dev.schedulers().get(2).jobsRun()).isZero();
        // A third file, arriving while both are idle, takes the core nobody counts on.
        Client c = r.client("C");
        Bo outC = c.buf();
        assertThat(c.submit(c.job("C0", c.buf(), outC, 100))).isZero();
        assertThat(c.waitFor(outC).ret()).isPositive();
        assertThat(coresOf(r, "C")).containsExactly(2);
    }

    @Test
    void anIdleEntityIsRePlacedByScoreWhichStillCountsItOnItsOldCore() {
        // drm_sched_pick_best: lowest score wins, ties to the lowest index. Score +1 per pushed job
        // and when the entity joins a run queue; -1 when a job completes and when the entity leaves.
        // An idle entity is not removed from its run queue, so it keeps counting on its last core
        // (rocket-upstream.md 8). One file submitting one job at a time therefore hops 0, 1, 0, 1
        // and never uses core 2.
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        List<Integer> where = new ArrayList<>();
        List<int[]> idleScores = new ArrayList<>();
        int[][] runningScores = new int[1][];
        for (int i = 0; i < 4; i++) {
            Bo out = a.buf();
            assertThat(a.submit(a.job("J" + i, a.buf(), out, 200))).isZero();
            if (i == 1) runningScores[0] = scores(r);
            assertThat(a.waitFor(out).ret()).isPositive();
            where.add(r.first("J" + i).core());
            idleScores.add(scores(r));
        }
        assertThat(where).containsExactly(0, 1, 0, 1);
        assertThat(idleScores.get(0)).containsExactly(1, 0, 0); // the idle entity counts on core 0
        // J1: core 0 scores 1 (the idle entity itself), so core 1 wins; the move gives core 0 its
        // -1 (entity leaves), core 1 +1 for the entity joining and +1 for the job.
        assertThat(runningScores[0]).containsExactly(0, 2, 0);
        assertThat(idleScores.get(1)).containsExactly(0, 1, 0);
        assertThat(idleScores.get(2)).containsExactly(1, 0, 0);
        assertThat(idleScores.get(3)).containsExactly(0, 1, 0);
        assertThat(r.job("J3").entity().moves()).isEqualTo(3);
        assertThat(r.dev.schedulers().get(2).jobsRun()).isZero();
    }

    @Test
    void idleEntitiesOfOtherFilesStillRepelNewWork() {
        // Idle entities stay on their run queues' lists, so the score of a core counts files that
        // ran there last even when they are idle now (rocket-upstream.md 8).
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        Client b = r.client("B");
        Bo outA = a.buf(), outB = b.buf();
        assertThat(a.submit(a.job("A0", a.buf(), outA, 100))).isZero();
        assertThat(a.waitFor(outA).ret()).isPositive();
        assertThat(b.submit(b.job("B0", b.buf(), outB, 100))).isZero();
        assertThat(b.waitFor(outB).ret()).isPositive();
        // A is idle on 0, so B went to 1.
        assertThat(r.first("A0").core()).isZero();
        assertThat(r.first("B0").core()).isEqualTo(1);
        assertThat(scores(r)).containsExactly(1, 1, 0);
        // A again: core 0 counts A itself, core 1 counts idle B: core 2 (score 0) wins.
        assertThat(a.submit(a.job("A1", a.buf(), outA, 100))).isZero();
        assertThat(a.waitFor(outA).ret()).isPositive();
        assertThat(r.first("A1").core()).isEqualTo(2);
        assertThat(scores(r)).containsExactly(0, 1, 1);
        // B again: core 0 is now empty, so B leaves core 1 for it.
        assertThat(b.submit(b.job("B1", b.buf(), outB, 100))).isZero();
        assertThat(b.waitFor(outB).ret()).isPositive();
        assertThat(r.first("B1").core()).isZero();
        assertThat(scores(r)).containsExactly(1, 0, 1);
    }
}
