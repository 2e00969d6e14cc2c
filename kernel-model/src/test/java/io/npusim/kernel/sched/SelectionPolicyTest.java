package io.npusim.kernel.sched;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.time.Time;
import io.npusim.kernel.sched.SchedRig.MockJob;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entity selection: FIFO, RR, priorities, credits (rocket-upstream.md §3.2). */
class SelectionPolicyTest {
    private static final long US = Time.PS_PER_US;
    private static final long TIMEOUT = Time.ms(500);

    /** A has three jobs at t=0, B one at 50 µs; one scheduler, credit_limit 1. */
    private static List<String> twoEntities(SchedPolicy policy) {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, policy);
        SchedEntity a = r.entity("A", DrmSchedPriority.NORMAL, 0);
        SchedEntity b = r.entity("B", DrmSchedPriority.NORMAL, 0);
        r.submit(0, a, "A1", 100 * US);
        r.submit(0, a, "A2", 100 * US);
        r.submit(0, a, "A3", 100 * US);
        r.submit(50 * US, b, "B1", 100 * US);
        r.run();
        assertThat(r.backends.get(0).maxInFlight).isEqualTo(1);
        return r.runLog;
    }

    @Test
    void fifoRunsJobsInOrderOfTheirHeadJobsSubmitTime() {
        assertThat(twoEntities(SchedPolicy.FIFO)).containsExactly("A1@0", "A2@0", "A3@0", "B1@0");
    }

    @Test
    void roundRobinAlternatesBetweenReadyEntities() {
        assertThat(twoEntities(SchedPolicy.RR)).containsExactly("A1@0", "B1@0", "A2@0", "A3@0");
    }

    @Test
    void higherPriorityEntityRunsFirst() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity low = r.entity("L", DrmSchedPriority.LOW, 0);
        SchedEntity high = r.entity("H", DrmSchedPriority.HIGH, 0);
        SchedEntity kern = r.entity("K", DrmSchedPriority.KERNEL, 0);
        r.submit(0, low, "L1", 100 * US);
        r.submit(0, low, "L2", 100 * US);
        r.submit(0, low, "L3", 100 * US);
        r.submit(50 * US, high, "H1", 100 * US);
        r.submit(60 * US, kern, "K1", 100 * US);
        r.run();
        assertThat(r.runLog).containsExactly("L1@0", "K1@0", "H1@0", "L2@0", "L3@0");
    }

    @Test
    void oneJobInFlightWithCreditLimitOne() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity a = r.entity("A", DrmSchedPriority.NORMAL, 0);
        SchedEntity b = r.entity("B", DrmSchedPriority.NORMAL, 0);
        for (int i = 0; i < 5; i++) {
            r.submit(i * 10 * US, a, "A" + i, 70 * US);
            r.submit(i * 10 * US + 5 * US, b, "B" + i, 30 * US);
        }
        r.run();
        assertThat(r.backends.get(0).maxInFlight).isEqualTo(1);
        MockJob prev = null;
        for (String s : r.runLog) {
            MockJob j = r.jobs.stream().filter(x -> (x.label() + "@0").equals(s)).findFirst().orElseThrow();
            if (prev != null) assertThat(j.runAtPs).isGreaterThan(prev.finishedAtPs());
            prev = j;
        }
        // Global FIFO by submit time (rocket: every entity NORMAL, §3.2).
        assertThat(r.runLog).containsExactly("A0@0", "B0@0", "A1@0", "B1@0", "A2@0", "B2@0", "A3@0", "B3@0", "A4@0", "B4@0");
        DrmGpuScheduler s = r.scheds.get(0);
        assertThat(s.jobsRun()).isEqualTo(10);
        assertThat(s.jobsCompleted()).isEqualTo(10);
        assertThat(s.jobsFreed()).isEqualTo(10);
        assertThat(s.creditCount()).isZero();
        // Both entities stay on the run queue when idle: score 2.
        assertThat(s.score()).isEqualTo(2);
    }

    @Test
    void jobThatDoesNotFitTheFreeCreditsIsNotOvertaken() {
        SchedRig r = new SchedRig(1, 2, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e0 = r.entity("E0", DrmSchedPriority.NORMAL, 0);
        SchedEntity e1 = r.entity("E1", DrmSchedPriority.NORMAL, 0);
        SchedEntity e2 = r.entity("E2", DrmSchedPriority.NORMAL, 0);
        MockJob x = r.submit(0, e0, "X", 200 * US, 1, null);
        MockJob big = r.submit(30 * US, e1, "Big", 100 * US, 2, null);
        MockJob small = r.submit(40 * US, e2, "Small", 100 * US, 1, null);
        r.run();
        assertThat(r.runLog).containsExactly("X@0", "Big@0", "Small@0");
        assertThat(big.runAtPs).isGreaterThan(x.finishedAtPs());
        // One credit was free all the time X ran, yet Small waited behind Big.
        assertThat(small.runAtPs).isGreaterThan(big.finishedAtPs());
    }

    @Test
    void lowerPriorityQueueIsNotVisitedWhileAHigherOneWaitsForCredits() {
        SchedRig r = new SchedRig(1, 2, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity n = r.entity("N", DrmSchedPriority.NORMAL, 0);
        SchedEntity h = r.entity("H", DrmSchedPriority.HIGH, 0);
        SchedEntity l = r.entity("L", DrmSchedPriority.LOW, 0);
        MockJob x = r.submit(0, n, "X", 200 * US, 1, null);
        // After X started (the first run work ends ~12 us in, on the A55 IRQ CPU).
        MockJob big = r.submit(30 * US, h, "HBig", 100 * US, 2, null);
        MockJob low = r.submit(40 * US, l, "L1", 100 * US, 1, null);
        r.run();
        assertThat(r.runLog).containsExactly("X@0", "HBig@0", "L1@0");
        assertThat(big.runAtPs).isGreaterThan(x.finishedAtPs());
        assertThat(low.runAtPs).isGreaterThan(big.finishedAtPs());
    }

    @Test
    void oversizedJobIsTruncatedToTheCreditLimit() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        MockJob j = r.submit(0, e, "J", 10 * US, 3, null);
        r.run();
        assertThat(j.credits()).isEqualTo(1);
        assertThat(r.scheds.get(0).creditTruncations()).isEqualTo(1);
        assertThat(r.scheds.get(0).jobsCompleted()).isEqualTo(1);
    }

    @Test
    void fairPolicyAtEqualPriorityInterleavesInPairs() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FAIR);
        SchedEntity a = r.entity("A", DrmSchedPriority.NORMAL, 0);
        SchedEntity b = r.entity("B", DrmSchedPriority.NORMAL, 0);
        for (int i = 1; i <= 4; i++) r.submit(0, a, "A" + i, 100 * US);
        for (int i = 1; i <= 4; i++) r.submit(0, b, "B" + i, 100 * US);
        r.run();
        // B joins 1 ns ahead of A (equal average job times favour the newcomer); the vruntime of
        // an entity grows at its second pop, after its first job's GPU time was accounted.
        assertThat(r.runLog).containsExactly("B1@0", "B2@0", "A1@0", "A2@0", "B3@0", "A3@0", "B4@0", "A4@0");
        assertThat(r.scheds.get(0).avgJobUs()).isBetween(100L, 101L);
        assertThat(a.avgJobUs()).isBetween(100L, 101L);
    }

    @Test
    void fairPolicyGivesHighPriorityMostOfTheTime() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FAIR);
        SchedEntity h = r.entity("H", DrmSchedPriority.HIGH, 0);
        SchedEntity l = r.entity("L", DrmSchedPriority.LOW, 0);
        for (int i = 1; i <= 8; i++) r.submit(0, h, "H" + i, 100 * US);
        for (int i = 1; i <= 8; i++) r.submit(0, l, "L" + i, 100 * US);
        r.run();
        // L joins behind H by (1 + avg + sched avg) µs << 7; after one accounted job its
        // vruntime grows 32x faster than H's (shift 7 vs 2).
        assertThat(r.runLog).containsExactly("H1@0", "H2@0", "L1@0", "L2@0", "H3@0", "H4@0", "H5@0", "H6@0", "H7@0",
                "H8@0", "L3@0", "L4@0", "L5@0", "L6@0", "L7@0", "L8@0");
    }

    @Test
    void fairPolicyHasOneRunQueueForAllPriorities() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FAIR);
        SchedEntity n = r.entity("N", DrmSchedPriority.NORMAL, 0);
        SchedEntity k = r.entity("K", DrmSchedPriority.KERNEL, 0);
        r.submit(0, n, "N1", 100 * US);
        r.submit(0, n, "N2", 100 * US);
        r.submit(50 * US, k, "K1", 100 * US);
        r.run();
        // K joins while N2 is the head: higher priority goes 2 ns ahead of the head's vruntime.
        assertThat(r.runLog).containsExactly("N1@0", "K1@0", "N2@0");
        assertThat(k.currentSched().rqFor(DrmSchedPriority.KERNEL)).isSameAs(n.currentSched().rqFor(DrmSchedPriority.NORMAL));
    }
}
