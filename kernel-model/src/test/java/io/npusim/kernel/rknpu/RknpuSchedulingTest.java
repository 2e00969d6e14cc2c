package io.npusim.kernel.rknpu;

import static io.npusim.kernel.rknpu.RknpuRig.PC_PP;
import static io.npusim.kernel.rknpu.RknpuRig.PC_PP_NB;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.time.Time;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.uapi.Errno;
import io.npusim.uapi.rknpu.SubcoreTask;
import io.npusim.uapi.rknpu.Submit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Core selection, per-core task ranges, gang start and chunked commits (rknpu_job.c 0.9.8). */
class RknpuSchedulingTest {

    /** A tile of about 37 us at 1 GHz. */
    private static TaskOp big(RknpuRig.Client c, String label) {
        return c.conv(label, 64, 32, 64, 3);
    }

    private static List<String> labels(List<TaskRecord> rs) {
        return rs.stream().map(TaskRecord::label).toList();
    }

    private static List<TaskRecord> labelled(RknpuRig rig, String label) {
        return rig.records.stream().filter(r -> r.label().equals(label)).toList();
    }

    /** subcore_task[] with entries 0..2 holding different ranges (to see which one the kernel used). */
    private static List<SubcoreTask> perCore(int[] starts, int[] counts) {
        return List.of(new SubcoreTask(starts[0], counts[0]), new SubcoreTask(starts[1], counts[1]),
                new SubcoreTask(starts[2], counts[2]), SubcoreTask.NONE, SubcoreTask.NONE);
    }

    @Test
    void autoPicksTheCoreWithTheFewestQueuedPlusRunningTasksTiesToTheLowestIndex() {
        // 2.3 / 8: core_mask 0 -> rknpu_schedule_core_index: smallest task_num (queued + running
        // tasks), strict '>' scan so ties go to the lowest index; the job becomes single-core and
        // runs subcore_task[chosen core].
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client load = rig.client("load").withBuffers(64);
        RknpuRig.Client a = rig.client("auto").withBuffers(64);
        int l0 = load.chain(10, big(load, "L0"));
        int l1 = load.chain(3, big(load, "L1"));
        int l2 = load.chain(5, big(load, "L2"));
        // each AUTO job carries a different range per entry, labelled with the entry index
        int[][] ranges = new int[3][3];
        String[] jobs = {"X", "Y", "Z"};
        int[] sizes = {2, 2, 1};
        for (int j = 0; j < 3; j++) {
            for (int e = 0; e < 3; e++) ranges[j][e] = a.chain(sizes[j], a.small(jobs[j] + e));
        }
        // a loaded system: core 0 holds 10 tasks, core 1 holds 3, core 2 holds 5
        load.call(load.single(PC_PP_NB, 0x1, 1000, l0, 10));
        load.call(load.single(PC_PP_NB, 0x2, 1000, l1, 3));
        load.call(load.single(PC_PP_NB, 0x4, 1000, l2, 5));
        assertThat(new long[] {rig.dev.queuedTasks(0), rig.dev.queuedTasks(1), rig.dev.queuedTasks(2)}).containsExactly(10, 3, 5);
        for (int j = 0; j < 3; j++) {
            int n = sizes[j];
            Submit s = a.submit(PC_PP_NB, 0, 1000, ranges[j][0], n, perCore(ranges[j], new int[] {n, n, n}));
            assertThat(a.call(s).ret).isZero();
        }
        // X: 10/3/5 -> core 1; Y: 10/5/5 -> tie between 1 and 2 -> core 1; Z: 10/7/5 -> core 2
        assertThat(new long[] {rig.dev.queuedTasks(0), rig.dev.queuedTasks(1), rig.dev.queuedTasks(2)}).containsExactly(10, 7, 6);
        rig.runFor(Time.ms(5));
        assertThat(labelled(rig, "X1")).hasSize(2).allMatch(r -> r.core() == 1);
        assertThat(labelled(rig, "Y1")).hasSize(2).allMatch(r -> r.core() == 1);
        assertThat(labelled(rig, "Z2")).hasSize(1).allMatch(r -> r.core() == 2);
        for (String unused : List.of("X0", "X2", "Y0", "Y2", "Z0", "Z1")) assertThat(labelled(rig, unused)).as(unused).isEmpty();
        // FIFO per core: the AUTO jobs ran after the load already queued there
        assertThat(labels(rig.on(1))).containsExactly("L1", "L1", "L1", "X1", "X1", "Y1", "Y1");
        assertThat(new long[] {rig.dev.queuedTasks(0), rig.dev.queuedTasks(1), rig.dev.queuedTasks(2)}).containsExactly(0, 0, 0);
    }

    @Test
    void autoCountsTasksNotTimeAndOnAnIdleBoardAlwaysStartsOnCoreZero() {
        // 2.3 / 6.1: the choice is made at submit time from task counts only: one long task counts
        // less than two short ones; an idle board (all zero) ties to core 0.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("c").withBuffers(64);
        int longOne = c.chain(1, c.conv("long", 256, 32, 256, 3)); // ~600 us
        int shortTwo = c.chain(2, big(c, "short")); // ~75 us
        int probe = c.chain(1, c.small("probe"));
        // idle board: sequential blocking AUTO jobs all land on core 0
        for (int i = 0; i < 3; i++) assertThat(c.call(c.single(PC_PP, 0, 1000, probe, 1)).ret).isZero();
        assertThat(rig.records).extracting(TaskRecord::core).containsExactly(0, 0, 0);
        rig.records.clear();
        c.call(c.single(PC_PP_NB, 0x1, 1000, longOne, 1));
        c.call(c.single(PC_PP_NB, 0x2, 1000, shortTwo, 2));
        c.call(c.single(PC_PP_NB, 0x4, 1000, shortTwo, 2));
        // core 0: 1 task (600 us left), cores 1/2: 2 tasks (75 us left): AUTO picks core 0
        c.call(c.single(PC_PP_NB, 0, 1000, probe, 1));
        rig.runFor(Time.ms(3));
        TaskRecord p = labelled(rig, "probe").get(0);
        assertThat(p.core()).isEqualTo(0);
        assertThat(p.startPs()).isGreaterThanOrEqualTo(labelled(rig, "long").get(0).endPs());
    }

    @Test
    void subcoreTaskEntriesIForOneOrTwoCoresAndIPlusTwoForThree() {
        // 2.3 table: use_core_num 1 or 2 -> subcore_task[i]; 3 -> subcore_task[i + 2]; the
        // top-level task_start/task_number are not used on RK3588 (three IRQs).
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("c").withBuffers(128);
        int top = c.chain(4, c.small("top"));
        int[] e = new int[5];
        for (int i = 0; i < 5; i++) e[i] = c.chain(i + 1, c.small("e" + i)); // entry i: i + 1 tasks
        List<SubcoreTask> sub = List.of(new SubcoreTask(e[0], 1), new SubcoreTask(e[1], 2), new SubcoreTask(e[2], 3),
                new SubcoreTask(e[3], 4), new SubcoreTask(e[4], 5));

        assertThat(c.call(c.submit(PC_PP, 0x4, 1000, top, 4, sub)).ret).isZero();
        assertThat(labels(rig.on(2))).containsExactly("e2", "e2", "e2");
        rig.records.clear();

        var two = c.call(c.submit(PC_PP, 0x3, 1000, top, 4, sub));
        assertThat(two.ret).isZero();
        assertThat(labels(rig.on(0))).containsExactly("e0");
        assertThat(labels(rig.on(1))).containsExactly("e1", "e1");
        assertThat(rig.on(2)).isEmpty();
        assertThat(two.out.taskCounter()).isEqualTo(4); // success: task_counter = args->task_number
        rig.records.clear();

        assertThat(c.call(c.submit(PC_PP, 0x7, 1000, top, 4, sub)).ret).isZero();
        assertThat(labels(rig.on(0))).containsOnly("e2").hasSize(3);
        assertThat(labels(rig.on(1))).containsOnly("e3").hasSize(4);
        assertThat(labels(rig.on(2))).containsOnly("e4").hasSize(5);
        assertThat(labelled(rig, "top")).isEmpty();
    }

    @Test
    void masks0x5And0x6PassValidationButAreNeverStarted() {
        // 2.4 / 8: rknpu_job_commit has no case for 0x5 or 0x6 ("Unknown core mask"): both cores
        // dequeue the job and stay reserved, nothing is written to the hardware, the waiter times
        // out. rknpu_job_wait then finds no last_task ("job commit failed") and returns -EINVAL
        // after one round (hw_commit_time was set at dequeue); rknpu_job_abort detaches the job
        // without a soft reset (the error is not -ETIMEDOUT).
        for (int mask : new int[] {0x5, 0x6}) {
            RknpuRig rig = new RknpuRig();
            RknpuRig.Client c = rig.client("c").withBuffers(16);
            int s = c.chain(2, c.small("t"));
            List<SubcoreTask> sub = List.of(new SubcoreTask(s, 2), new SubcoreTask(s, 2), new SubcoreTask(s, 2),
                    new SubcoreTask(s, 2), new SubcoreTask(s, 2));
            var p = c.ioctl(c.submit(PC_PP, mask, 20, s, 2, sub));
            rig.runFor(Time.ms(10));
            for (int i = 0; i < 3; i++) {
                boolean in = (mask & (1 << i)) != 0;
                assertThat(rig.dev.queueDepth(i)).as("mask 0x%x core %d", mask, i).isEqualTo(in ? 1 : 0);
                assertThat(rig.dev.queuedTasks(i)).isEqualTo(in ? 2 : 0);
            }
            rig.await(p);
            assertThat(p.ret).as("mask 0x%x", mask).isEqualTo(-Errno.EINVAL);
            assertThat(p.latencyPs()).isGreaterThanOrEqualTo(Time.ms(20)).isLessThan(Time.ms(40) + rig.p.abortSleepPs());
            assertThat(rig.records).isEmpty();
            assertThat(rig.dev.softResets()).isZero();
            for (int i = 0; i < 3; i++) {
                assertThat(rig.hw.core(i).irqs()).isZero();
                assertThat(rig.dev.queueDepth(i)).isZero();
                assertThat(rig.dev.queuedTasks(i)).isZero();
            }
        }
    }

    @Test
    void aJobOfMoreThan4095TasksIsCommittedInChunksFromTheIrq() {
        // 2.5/2.7: PC TASK_NUMBER has 12 bits; max_submit_number = 4095; rknpu_job_done
        // re-commits the next chunk from IRQ context until ceil(n / 4095) chunks ran.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("c").withBuffers(5000);
        int s = c.chain(5000, c.small("t"));
        var p = c.ioctl(c.single(PC_PP, 0x1, 5000, s, 5000));
        rig.runUntil(() -> !rig.records.isEmpty(), Time.ms(5));
        int con = rig.hw.core(0).readReg(NpuRegs.PC_TASK_CON);
        assertThat(con & NpuRegs.TASK_NUMBER_MASK).isEqualTo(4095);
        assertThat(con & NpuRegs.TASK_PP_EN).isNotZero();       // RKNPU_JOB_PINGPONG -> bit 12
        assertThat(con & NpuRegs.TASK_COUNT_CLEAR).isNotZero(); // bit 13 always
        rig.await(p);
        assertThat(p.ret).isZero();
        assertThat(p.out.taskCounter()).isEqualTo(5000);
        assertThat(rig.on(0)).hasSize(5000);
        assertThat(rig.hw.core(0).irqs()).isEqualTo(2);
        assertThat(rig.hw.core(0).readReg(NpuRegs.PC_TASK_CON) & NpuRegs.TASK_NUMBER_MASK).isEqualTo(5000 - 4095);
        // the second chunk starts from the task after the first chunk (task_start + 4095)
        long firstEnd = rig.on(0).get(4094).endPs();
        assertThat(rig.on(0).get(4095).startPs()).isGreaterThanOrEqualTo(firstEnd);
        // hw_elapse_time covers both chunks
        long span = rig.on(0).get(4999).endPs() - rig.on(0).get(0).startPs();
        assertThat(p.out.hwElapseTimeNs() * 1000).isGreaterThanOrEqualTo(span);
    }

    @Test
    void multiCoreJobsStartOnAllTheirCoresAtOnce() {
        // 2.4: rknpu_job_next pops the head job when the core has none; only the last
        // participating core to pop it commits it, then to every core back to back. A core that
        // reached it earlier sits reserved and idle, and jobs behind it wait (head-of-line).
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client b = rig.client("busy").withBuffers(64);
        RknpuRig.Client g = rig.client("gang").withBuffers(64);
        RknpuRig.Client q = rig.client("queued").withBuffers(64);
        int bs = b.chain(5, big(b, "B"));
        int g0 = g.chain(2, g.small("G0"));
        int g1 = g.chain(6, g.small("G1"));
        int qs = q.chain(1, q.small("Q"));
        b.call(b.single(PC_PP_NB, 0x2, 1000, bs, 5));            // core 1 busy for ~185 us
        var gang = g.ioctl(g.submit(PC_PP, 0x3, 1000, g0, 8, perCore(new int[] {g0, g1, 0}, new int[] {2, 6, 0})));
        rig.runFor(Time.us(40));
        var behind = q.ioctl(q.single(PC_PP, 0x1, 1000, qs, 1)); // queued behind the reserved gang job
        rig.runFor(Time.us(40));
        assertThat(rig.dev.queueDepth(0)).isEqualTo(2);     // gang job reserved + Q queued
        assertThat(rig.on(0)).isEmpty();                    // ... and core 0 idle meanwhile
        assertThat(rig.hw.core(0).isBusy()).isFalse();
        rig.await(gang);
        rig.await(behind);
        assertThat(gang.ret).isZero();
        assertThat(behind.ret).isZero();
        long bEnd = labelled(rig, "B").get(4).endPs();
        TaskRecord first0 = labelled(rig, "G0").get(0);
        TaskRecord first1 = labelled(rig, "G1").get(0);
        assertThat(first0.startPs()).isEqualTo(first1.startPs()).isGreaterThanOrEqualTo(bEnd);
        // completion is the last core's interrupt
        long gEnd = labelled(rig, "G1").get(5).endPs();
        assertThat(gang.atPs).isGreaterThan(gEnd);
        // Q ran on core 0 only after the gang job's part there
        assertThat(labelled(rig, "Q").get(0).startPs()).isGreaterThanOrEqualTo(labelled(rig, "G0").get(1).endPs());
        assertThat(rig.on(2)).isEmpty();
    }

    @Test
    void aBlockingSubmitReturnsOneInterruptAndOneWakeUpAfterItsLastTask() {
        // the hard IRQ is an ftrace wall time on the IRQ CPU (CPU0, an A55) and is charged as such;
        // the wake-up of the blocked submitter is paid on the submitter's own CPU (an A76 here)
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("c").withBuffers(64);
        int t = c.chain(1, c.small("T"));
        var s = c.ioctl(c.single(PC_PP, 0x1, 1000, t, 1));
        rig.await(s);
        assertThat(s.ret).isZero();
        long end = labelled(rig, "T").get(0).endPs();
        var cost = rig.k.cost();
        long floor = cost.hardIrqPs() + (long) (cost.wakeUpPs() / rig.hw.cpus().speed(c.thread.cpu()));
        assertThat(rig.hw.cpus().isBig(c.thread.cpu())).isTrue();
        assertThat(s.atPs - end).isBetween(floor, floor + Time.us(3));
    }

    @Test
    void theLoadFigureCountsACoreReservedForAGangJobAsBusy() {
        // 2.4/2.9: busy_time counts from dequeue (hw_recoder_time), so a core reserved by a
        // multi-core job waiting for its other core shows as busy in "rknpu load" although its
        // hardware is idle (DESIGN.md: the summary reports both).
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client l = rig.client("long").withBuffers(256);
        RknpuRig.Client g = rig.client("gang").withBuffers(16);
        int ls = l.chain(250, l.conv("L", 512, 32, 512, 3)); // ~590 ms on core 1
        int gs = g.chain(1, g.small("G"));
        l.call(l.single(PC_PP_NB, 0x2, 5000, ls, 250));
        g.call(g.submit(PC_PP_NB, 0x3, 5000, gs, 2, perCore(new int[] {gs, gs, 0}, new int[] {1, 1, 0})));
        rig.runUntil(() -> rig.dev.driverLoadPct()[1] > 0, Time.seconds(2));
        double[] load = rig.dev.driverLoadPct();
        assertThat(load[1]).isGreaterThan(50);
        assertThat(load[0]).isGreaterThan(50);                             // reserved, counted busy
        assertThat(rig.hw.core(0).busyPs()).isLessThan(Time.ms(1));       // ... but its hardware idled
        assertThat(load[2]).isZero();
    }
}
