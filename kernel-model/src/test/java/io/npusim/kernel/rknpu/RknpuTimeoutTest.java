package io.npusim.kernel.rknpu;

import static io.npusim.kernel.rknpu.RknpuRig.PC_PP;
import static io.npusim.kernel.rknpu.RknpuRig.PC_PP_NB;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.time.Time;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.uapi.Errno;
import io.npusim.uapi.rknpu.JobFlags;
import io.npusim.uapi.rknpu.Submit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hangs, timeouts, aborts and resets (rknpu_job_wait, rknpu_job_abort, rknpu_soft_reset, rknpu_job_timeout_clean). */
class RknpuTimeoutTest {

    private static TaskOp big(RknpuRig.Client c, String label) {
        return c.conv(label, 64, 32, 64, 3); // ~37 us
    }

    private static boolean startsIn(List<TaskRecord> rs, long from, long to) {
        return rs.stream().anyMatch(r -> r.startPs() >= from && r.startPs() < to);
    }

    @Test
    void aHungJobResetsTheWholeNpuAndStallsTheOtherCores() {
        // 2.8: the waiter of a hung job times out (deadline from hardware commit), returns
        // -ETIMEDOUT and goes through rknpu_job_abort: msleep(100), detach, rknpu_soft_reset:
        // soft_reseting = true (rknpu_job_next does nothing), msleep(100), wake every core's wait
        // queue, assert every reset of the node (all three cores), re-attach the IOMMU.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client h = rig.client("hang").withBuffers(8);
        RknpuRig.Client o = rig.client("other1").withBuffers(32);
        RknpuRig.Client q = rig.client("other2").withBuffers(32);
        int hs = h.hangTask();
        int os = o.chain(5, big(o, "O"));
        int qs = q.chain(5, big(q, "Q"));
        RknpuRig.Loop lo = new RknpuRig.Loop(o, o.single(PC_PP, 0x2, 500, os, 5));
        RknpuRig.Loop lq = new RknpuRig.Loop(q, q.single(PC_PP, 0x4, 500, qs, 5));
        long stop = rig.sim.now() + Time.ms(1700);
        lo.stopPs = lq.stopPs = stop;
        lo.start();
        lq.start();
        rig.runFor(Time.ms(5));
        var hung = h.ioctl(h.single(PC_PP, 0x1, 50, hs, 1));
        rig.await(hung);
        assertThat(hung.ret).isEqualTo(-Errno.ETIMEDOUT);
        assertThat(hung.out.taskCounter()).isZero(); // PC_TASK_STATUS: no task of the job completed
        assertThat(hung.latencyPs()).isGreaterThanOrEqualTo(Time.ms(50) + rig.p.abortSleepPs() + rig.p.resetSleepPs());
        assertThat(rig.hungCores).containsExactly(0);
        rig.runUntil(() -> rig.sim.now() >= stop + Time.ms(300), Time.seconds(5));

        // one reset, of every core, and no cascade of further timeouts
        assertThat(rig.dev.softResets()).isEqualTo(1);
        assertThat(rig.dev.timeouts()).isEqualTo(1);
        for (int i = 0; i < 3; i++) assertThat(rig.hw.core(i).resets()).as("core %d", i).isEqualTo(1);
        // the other cores started nothing while the NPU was resetting (the 100 ms before the reset pulse)
        long resetEnd = hung.atPs;
        long resetBegin = resetEnd - rig.p.resetSleepPs();
        assertThat(startsIn(rig.on(1), resetBegin + Time.ms(1), resetEnd - Time.ms(1))).isFalse();
        assertThat(startsIn(rig.on(2), resetBegin + Time.ms(1), resetEnd - Time.ms(1))).isFalse();
        assertThat(startsIn(rig.on(1), resetBegin - Time.ms(50), resetBegin)).isTrue();
        // the reset woke the other clients' waiters: their queued job failed with -EINVAL
        // (rknpu_job_wait: never committed -> "job commit failed"), once, and they carried on
        for (RknpuRig.Loop l : List.of(lo, lq)) {
            assertThat(l.errors()).isEqualTo(1);
            RknpuRig.Loop.Result err = l.results.stream().filter(r -> r.ret() != 0).findFirst().orElseThrow();
            assertThat(err.ret()).isEqualTo(-Errno.EINVAL);
            assertThat(err.endPs()).isBetween(resetBegin, resetEnd + rig.p.abortSleepPs() + Time.ms(1));
        }
        assertThat(startsIn(rig.on(1), resetEnd, stop)).isTrue();
        assertThat(startsIn(rig.on(2), resetEnd, stop)).isTrue();
        assertThat(rig.dev.jobsLost()).isZero();
    }

    @Test
    void theWaitDeadlineRunsFromHardwareCommitAndAJobNeverCommittedFailsWithEinval() {
        // 2.8: rknpu_job_wait keeps waiting (max 3 rounds) while the job was not committed or
        // less than the timeout passed since commit. A job still queued after 3 rounds was never
        // committed: "job commit failed", -EINVAL, and its abort does not reset the NPU.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client l = rig.client("long").withBuffers(64);
        RknpuRig.Client w = rig.client("waiter").withBuffers(8);
        int ls = l.chain(60, l.conv("L", 512, 32, 512, 3)); // ~140 ms on core 0
        int ws = w.chain(1, w.small("W"));
        l.call(l.single(PC_PP_NB, 0x1, 2000, ls, 60));
        // timeout 100 ms: round 1 ends while the job is still queued, so the wait goes on; it gets the
        // core at ~140 ms and succeeds although it waited longer than its timeout
        var ok = w.call(w.single(PC_PP, 0x1, 100, ws, 1));
        assertThat(ok.ret).isZero();
        assertThat(ok.latencyPs()).isGreaterThan(Time.ms(100));
        assertThat(rig.dev.timeouts()).isZero();
        // timeout 30 ms: still queued after 3 x 30 ms -> -EINVAL, no reset, the long job unharmed
        rig.records.clear();
        l.call(l.single(PC_PP_NB, 0x1, 2000, ls, 60));
        var never = w.call(w.single(PC_PP, 0x1, 30, ws, 1));
        assertThat(never.ret).isEqualTo(-Errno.EINVAL);
        assertThat(never.latencyPs()).isGreaterThanOrEqualTo(Time.ms(90)).isLessThan(Time.ms(90) + rig.p.abortSleepPs() + Time.ms(5));
        assertThat(rig.dev.softResets()).isZero();
        rig.runFor(Time.ms(100));
        assertThat(rig.records.stream().filter(r -> r.label().equals("L"))).hasSize(60);
        assertThat(rig.records.stream().filter(r -> r.label().equals("W"))).isEmpty(); // removed from the queue
        assertThat(rig.dev.queuedTasks(0)).isZero();
    }

    @Test
    void aNonblockingSubmitsTimeoutCheckDropsThatCoresQueueWithoutSignallingFences() {
        // 2.8 / 8: rknpu_job_timeout_clean runs at a NONBLOCK submit on the same cores: if the
        // running job's age in microseconds reaches its timeout (given in milliseconds) it soft-
        // resets (synchronously, in the submitting thread) and drops the running job and every job
        // queued on that core: freed only, fences never signalled, task_num not decremented.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client a = rig.client("a").withBuffers(32);
        RknpuRig.Client b = rig.client("b").withBuffers(32);
        int hs = a.hangTask();
        int as = a.chain(2, a.small("A"));
        int bs = b.chain(2, b.small("B"));
        int fo = PC_PP_NB | JobFlags.FENCE_OUT;
        var j1 = a.call(a.single(fo, 0x4, 1000, hs, 1)); // hangs on core 2
        var j2 = a.call(a.single(fo, 0x4, 1000, as, 2));
        var j3 = a.call(a.single(fo, 0x4, 1000, as, 2));
        var other = a.call(a.single(fo, 0x2, 1000, as, 2)); // core 1: unaffected queue
        for (var j : List.of(j1, j2, j3, other)) assertThat(j.ret).isZero();
        rig.runFor(Time.ms(5));
        DmaFence f1 = rig.dev.fenceOf(j1.out.fenceFd());
        DmaFence f2 = rig.dev.fenceOf(j2.out.fenceFd());
        DmaFence f3 = rig.dev.fenceOf(j3.out.fenceFd());
        assertThat(rig.dev.fenceOf(other.out.fenceFd()).isSignaled()).isTrue();
        assertThat(List.of(f1, f2, f3)).noneMatch(DmaFence::isSignaled);
        assertThat(rig.dev.queuedTasks(2)).isEqualTo(5);

        var j5 = b.call(b.single(fo, 0x4, 1000, bs, 2));
        assertThat(j5.ret).isZero();
        assertThat(j5.latencyPs()).isGreaterThanOrEqualTo(rig.p.resetSleepPs()); // the reset ran in the submit
        assertThat(rig.dev.softResets()).isEqualTo(1);
        assertThat(rig.dev.jobsLost()).isEqualTo(3);
        assertThat(rig.dev.lostReports()).hasSize(3).allMatch(s -> s.contains("core 2"));
        rig.runFor(Time.seconds(1));
        assertThat(List.of(f1, f2, f3)).noneMatch(DmaFence::isSignaled);
        assertThat(rig.records.stream().filter(r -> r.label().equals("A") && r.core() == 2)).isEmpty();
        // the new job runs once the reset is over
        DmaFence f5 = rig.dev.fenceOf(j5.out.fenceFd());
        assertThat(f5.isSignaled()).isTrue();
        assertThat(rig.on(2)).extracting(TaskRecord::label).containsExactly("B", "B");
        // task_num leaked: core 2 is idle but still counts the dropped jobs' 5 tasks ...
        assertThat(rig.dev.queueDepth(2)).isZero();
        assertThat(rig.dev.queuedTasks(2)).isEqualTo(5);
        // ... so AUTO (2.3: idle state ignored) prefers busy cores with fewer tasks
        int four = b.chain(4, big(b, "busy"));
        int probe = b.chain(1, b.small("probe"));
        b.call(b.single(PC_PP_NB, 0x1, 1000, four, 4));
        b.call(b.single(PC_PP_NB, 0x2, 1000, four, 4));
        b.call(b.single(PC_PP_NB, 0, 1000, probe, 1));
        rig.runFor(Time.ms(2));
        assertThat(rig.records.stream().filter(r -> r.label().equals("probe")).map(TaskRecord::core)).containsExactly(0);
    }

    @Test
    void theTimeoutCheckComparesMicrosecondsWithMillisecondsAndSkipsAutoSubmits() {
        // 8: ktime_us_delta(now, job->timestamp) >= job->args->timeout: a healthy job with a
        // 1000 ms timeout is "timed out" after 1 ms once another NONBLOCK submit targets its core.
        // The check uses the new job's mask, so an AUTO (0) submit checks nothing; blocking
        // submits never run it.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client a = rig.client("a").withBuffers(128);
        int ls = a.chain(85, a.conv("L", 512, 32, 512, 3)); // ~200 ms, healthy
        int ps = a.chain(1, a.small("P"));
        var longJob = a.call(a.single(PC_PP_NB | JobFlags.FENCE_OUT, 0x1, 1000, ls, 85));
        rig.runFor(Time.ms(2));
        var blocking = a.ioctl(a.single(PC_PP, 0x2, 1000, ps, 1));
        var auto = a.call(a.single(PC_PP_NB, 0, 1000, ps, 1));
        rig.await(blocking);
        assertThat(auto.ret).isZero();
        assertThat(blocking.ret).isZero();
        assertThat(rig.dev.softResets()).isZero();
        var killer = a.call(a.single(PC_PP_NB, 0x1, 1000, ps, 1));
        assertThat(killer.ret).isZero();
        assertThat(killer.latencyPs()).isGreaterThanOrEqualTo(rig.p.resetSleepPs());
        assertThat(rig.dev.softResets()).isEqualTo(1);
        assertThat(rig.dev.jobsLost()).isEqualTo(1);
        assertThat(rig.hw.core(0).lostTasks()).isPositive(); // the reset pulse hit the healthy job
        rig.runFor(Time.ms(300));
        assertThat(rig.dev.fenceOf(longJob.out.fenceFd()).isSignaled()).isFalse();
        assertThat(rig.records.stream().filter(r -> r.label().equals("L")).count()).isLessThan(85);
        assertThat(rig.records.stream().filter(r -> r.label().equals("P") && r.core() == 0)).hasSize(1);
    }

    @Test
    void afterATimeoutTaskCounterIsTheTaskStatusOfThePc() {
        // 2.8: on a failed wait rknpu_job_wait copies PC_TASK_STATUS & 0xfff to task_counter
        // before the abort resets the cores (the reset clears the register).
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("c").withBuffers(16);
        TaskOp t = c.small("ok");
        int s = c.chain(List.of(t, t, t), true); // three good tasks, then a hang
        var p = c.call(c.single(PC_PP, 0x2, 20, s, 4));
        assertThat(p.ret).isEqualTo(-Errno.ETIMEDOUT);
        assertThat(p.out.taskCounter()).isEqualTo(3);
        assertThat(rig.on(1)).hasSize(3);
        assertThat(rig.hungCores).containsExactly(1);
        assertThat(rig.lostTasks[1]).isEqualTo(1); // the reset dropped the hung task
        assertThat(p.latencyPs()).isGreaterThanOrEqualTo(Time.ms(20) + rig.p.abortSleepPs() + rig.p.resetSleepPs());
    }

    @Test
    void aDmaErrorInterruptDoesNotMatchTheMaskSoTheJobTimesOut() {
        // 2.6: the IRQ handler compares fuzz(INT_STATUS) with the last task's int_mask; a DMA
        // read error (bit 12, outside the mask) reads as "invalid irq status": cleared, not
        // completed, so the job times out and the NPU is reset.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("c").withBuffers(16);
        TaskOp bad = new TaskOp("bad", TaskOp.Kind.COPY, io.npusim.hw.npu.Dtype.INT8, TaskOp.Shape.elementwise(16, 1, 1),
                TaskOp.Cbuf.NONE, TaskOp.Post.NONE, List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, 0x10000, 4096),
                new TaskOp.Dma(TaskOp.Operand.OUTPUT, c.data.iova(), 4096)), 0);
        int s = c.chain(List.of(bad));
        var p = c.call(c.single(PC_PP, 0x1, 20, s, 1));
        assertThat(p.ret).isEqualTo(-Errno.ETIMEDOUT);
        assertThat(rig.hw.iommuFor(0).faults()).hasSize(1);
        assertThat(rig.hw.core(0).irqs()).isEqualTo(1);
        assertThat(rig.dev.invalidIrqs()).isEqualTo(1);
        assertThat(rig.dev.softResets()).isEqualTo(1);
        assertThat(rig.records).isEmpty();
    }
}
