package io.npusim.kernel.rocket;

import static io.npusim.kernel.rocket.RocketRig.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.rocket.RocketRig.Bo;
import io.npusim.kernel.rocket.RocketRig.Client;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-task and per-job costs of the upstream driver, and the two patches that remove them:
 * TASK_NUMBER(1) with one interrupt and a software re-arm per task (rocket-upstream.md 2.5, 2.6,
 * 5.2), an IOMMU attach and detach per job with a cold IOTLB (2.8, 5.3).
 */
class RocketOverheadTest {

    private static double irqCpuSpeed(RocketRig r) {
        return r.hw.cpus().isBig(r.cost.irqCpu()) ? 1.0 : r.params.fraction("cpu.little_speed");
    }

    @Test
    void eachTaskCostsOneInterruptAndASoftwareReArmFromTheIrqThread() {
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        Bo out = a.buf();
        long irqs = r.k.irqs();
        assertThat(a.submit(a.job("J", a.buf(), out, 100, 100, 100, 100))).isZero();
        assertThat(a.waitFor(out).ret()).isPositive();
        List<TaskRecord> t = r.tasksOf("J");
        assertThat(t).hasSize(4);
        int core = t.get(0).core();
        // rocket_job_hw_submit writes TASK_CON with TASK_NUMBER(1): one hardware start, one DPU
        // interrupt, one hw_submit per task.
        assertThat(r.k.irqs() - irqs).isEqualTo(4);
        assertThat(r.hw.core(core).irqs()).isEqualTo(4);
        assertThat(r.dev.hwSubmits()).isEqualTo(4);
        assertThat(r.hw.core(core).readReg(NpuRegs.PC_TASK_CON) & NpuRegs.TASK_NUMBER_MASK).isEqualTo(1);
        // The next task is written from the threaded handler: hard IRQ, IRQ thread, hw_submit on
        // the IRQ CPU between the end of one task and the start of the next; the three are ftrace
        // wall times measured on that CPU, so they are not rescaled by its speed.
        long path = r.cost.hardIrqPs() + r.cost.irqThreadPs() + r.cost.hwSubmitPs();
        for (int i = 1; i < 4; i++) {
            long gap = t.get(i).startPs() - t.get(i - 1).endPs();
            assertThat(gap).as("gap before task %d", i).isBetween(path, path + US);
            // Each start fetches its commands again: nothing was prefetched across the kernel boundary.
            assertThat(t.get(i).overheadPs()).isEqualTo(t.get(0).overheadPs());
        }
        // Same core for every task of the job.
        assertThat(t.stream().mapToInt(TaskRecord::core).distinct().count()).isEqualTo(1);
    }

    @Test
    void withHardwareTaskChainingAJobCostsOneInterrupt() {
        // rocket.hw_task_chaining models widgetii's TASK_NUMBER(n) patch: the PC follows Mesa's
        // chain pointers in the regcmd tails and interrupts once (rocket-upstream.md 2.6 [3P]).
        RocketRig r = new RocketRig("rocket.hw_task_chaining=true");
        Client a = r.client("A");
        Bo out = a.buf();
        long irqs = r.k.irqs();
        assertThat(a.submit(a.job("J", a.buf(), out, 100, 100, 100, 100))).isZero();
        assertThat(a.waitFor(out).ret()).isPositive();
        List<TaskRecord> t = r.tasksOf("J");
        assertThat(t).hasSize(4);
        int core = t.get(0).core();
        assertThat(r.k.irqs() - irqs).isEqualTo(1);
        assertThat(r.dev.hwSubmits()).isEqualTo(1);
        assertThat(r.hw.core(core).readReg(NpuRegs.PC_TASK_CON) & NpuRegs.TASK_NUMBER_MASK).isEqualTo(4);
        for (int i = 1; i < 4; i++) {
            assertThat(t.get(i).startPs()).isEqualTo(t.get(i - 1).endPs()); // no software in between
            assertThat(t.get(i).overheadPs()).isLessThan(t.get(0).overheadPs()); // ping-pong prefetch
        }
        assertThat(r.job("J").finishedFence().error()).isZero();
    }

    @Test
    void eachJobAttachesTheFilesDomainAndStartsWithAColdIotlb() {
        // rocket_job_run: iommu_attach_group on every job; the IRQ thread detaches after the last
        // task. rk_iommu_attach reprograms DTE_ADDR and zaps the IOTLB (rocket-upstream.md 2.8).
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        Bo in = a.buf();
        Bo out = a.buf();
        assertThat(a.submit(a.job("J0", in, out, 100, 100), a.job("J1", in, out, 100, 100), a.job("J2", in, out, 100, 100))).isZero();
        assertThat(a.waitFor(out).ret()).isPositive();
        int core = r.first("J0").core();
        Iommu mmu = r.hw.iommuFor(core);
        assertThat(r.dev.iommuAttaches()).isEqualTo(3);
        assertThat(mmu.attaches()).isEqualTo(3);
        assertThat(mmu.detaches()).isEqualTo(3);
        assertThat(mmu.attached()).isNull(); // detached between jobs and after the last one
        long coldMisses = r.first("J0").iotlbMisses();
        assertThat(coldMisses).isPositive();
        for (String j : List.of("J0", "J1", "J2")) {
            // The same pages every time, and every job starts cold ...
            assertThat(r.first(j).iotlbMisses()).as("first task of %s", j).isEqualTo(coldMisses);
            assertThat(r.first(j).walkLatencyPs()).isPositive();
            // ... while the second task of a job finds them cached.
            assertThat(r.last(j).iotlbMisses()).as("second task of %s", j).isZero();
        }
    }

    @Test
    void keepingTheDomainAttachedAttachesOnceForConsecutiveJobsOfOneFile() {
        // rocket.keep_iommu_attached models the RK3568 RFC v3 patch and widgetii's attach caching
        // (rocket-upstream.md 2.8): no attach when the file's domain is already there, no detach.
        RocketRig r = new RocketRig("rocket.keep_iommu_attached=true");
        Client a = r.client("A");
        Bo in = a.buf();
        Bo out = a.buf();
        assertThat(a.submit(a.job("J0", in, out, 100, 100), a.job("J1", in, out, 100, 100), a.job("J2", in, out, 100, 100))).isZero();
        assertThat(a.waitFor(out).ret()).isPositive();
        int core = r.first("J0").core();
        Iommu mmu = r.hw.iommuFor(core);
        assertThat(r.dev.iommuAttaches()).isEqualTo(1);
        assertThat(mmu.attaches()).isEqualTo(1);
        assertThat(mmu.attached()).isSameAs(in.gem().domain()); // still attached after the last job
        assertThat(r.first("J0").iotlbMisses()).isPositive();
        assertThat(r.first("J1").iotlbMisses()).isZero();
        assertThat(r.first("J2").iotlbMisses()).isZero();
        // The job-to-job gap is shorter by the attach and the detach.
        RocketRig up = new RocketRig();
        Client b = up.client("A");
        Bo inB = b.buf();
        Bo outB = b.buf();
        assertThat(b.submit(b.job("J0", inB, outB, 100, 100), b.job("J1", inB, outB, 100, 100))).isZero();
        assertThat(b.waitFor(outB).ret()).isPositive();
        long gapUpstream = up.first("J1").startPs() - up.last("J0").endPs();
        long gapKept = r.first("J1").startPs() - r.last("J0").endPs();
        double speed = irqCpuSpeed(r);
        assertThat(gapUpstream - gapKept).isGreaterThanOrEqualTo((long) ((r.cost.iommuAttachPs() + r.cost.iommuDetachPs()) / speed) - US);
    }
}
