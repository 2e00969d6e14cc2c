package io.npusim.kernel.rocket;

import static io.npusim.kernel.rocket.RocketRig.MS;
import static io.npusim.kernel.rocket.RocketRig.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.rocket.RocketRig.Bo;
import io.npusim.kernel.rocket.RocketRig.Client;
import io.npusim.kernel.rocket.RocketRig.Ret;
import io.npusim.kernel.sched.SchedEntity;
import io.npusim.uapi.rocket.RocketJob;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Implicit sync and the path from one job to the next: same-entity dependencies are dropped, the
 * next job is started by the kernel (IRQ thread, fence callback, workqueue, run_job) without a
 * return to userspace, and PREP_BO waits for writers (rocket-upstream.md 2.3, 2.4, 2.6, 3.3).
 */
class RocketChainTest {

    /**
     * The kernel work between the interrupt of job N's last task and the MMIO that starts job N+1
     * on the same core (rocket-upstream.md 3.3 [I]): hard IRQ, IRQ thread, IOMMU detach, the
     * scheduler's hardware-fence callback, free_job_work and run_job_work on the ordered submit
     * workqueue (run_job_work with its bookkeeping and fence), then rocket_job_run's IOMMU attach
     * and hw_submit. All of it runs on the IRQ CPU.
     */
    private static long interJobKernelRefPs(KernelCosts c) {
        return c.iommuDetachPs() + c.fenceCallbackPs()
                + c.workqueueWakeupPs() // free_job_work
                + c.workqueueWakeupPs() + c.schedTickPs() + c.fencePs() // run_job_work
                + c.iommuAttachPs();
    }

    /** The ftrace-measured part of the path: wall times on the IRQ CPU, not rescaled. */
    private static long measuredWallPs(KernelCosts c) {
        return c.hardIrqPs() + c.irqThreadPs() + c.hwSubmitPs();
    }

    /** Speed of the IRQ CPU relative to the reference A76 (cpu0-3 are A55s). */
    private static double irqCpuSpeed(RocketRig r) {
        return r.hw.cpus().isBig(r.cost.irqCpu()) ? 1.0 : r.params.fraction("cpu.little_speed");
    }

    @Test
    void aChainOfJobsRunsWithoutAReturnToUserspaceAndTheGapsAreKernelCpuWork() {
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        int n = 5;
        List<Bo> bufs = new ArrayList<>();
        for (int i = 0; i <= n; i++) bufs.add(a.buf());
        List<RocketJob> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) jobs.add(a.job("J" + i, bufs.get(i), bufs.get(i + 1), 300)); // conv_i reads conv_{i-1}'s output
        Attribution request = new Attribution(r.nowPs());
        a.thread.setRequest(request);
        long syscalls = r.k.syscalls();
        assertThat(a.submit(jobs.toArray(RocketJob[]::new))).isZero();
        long afterSubmitPs = r.nowPs();
        int irqCpu = r.cost.irqCpu();
        long irqCpuBusy = r.hw.cpus().busyPs(irqCpu);
        Ret done = a.waitFor(bufs.get(n));
        assertThat(done.ret()).isPositive(); // 6.18.0: the jiffies left
        // Two system calls for the whole chain: SUBMIT and the PREP_BO that waited for the last job.
        assertThat(r.k.syscalls() - syscalls).isEqualTo(2);
        assertThat(r.records).hasSize(n);
        assertThat(r.records.get(0).startPs()).isGreaterThan(afterSubmitPs); // SUBMIT returned before the NPU started
        // Each dependency on the previous job's output came from the same entity and was dropped
        // (drm_sched_entity_add_dependency_cb): FIFO order already holds, no callback round trip.
        SchedEntity e = r.job("J0").entity();
        assertThat(e.sameEntityDepsSkipped()).isEqualTo(n - 1);
        assertThat(e.dependencyWaits()).isZero();

        // Back to back on one core; each gap is exactly the kernel path, run on the IRQ CPU.
        double speed = irqCpuSpeed(r);
        long path = (long) (interJobKernelRefPs(r.cost) / speed) + measuredWallPs(r.cost);
        long slack = (long) (r.cost.workqueueWakeupPs() / speed) + US; // the re-queued run_job_work shares the CPU
        long gaps = 0;
        for (int i = 1; i < n; i++) {
            TaskRecord prev = r.last("J" + (i - 1));
            TaskRecord next = r.first("J" + i);
            assertThat(next.core()).isEqualTo(prev.core());
            long gap = next.startPs() - prev.endPs();
            assertThat(gap).as("gap before J%d", i).isBetween(path, path + slack);
            gaps += gap;
        }
        assertThat(path).isGreaterThan(60 * US); // 20 us measured on the IRQ CPU + ~23 us of A76 work on an A55
        // The gaps were CPU time on the IRQ CPU, not idle time ...
        assertThat(r.hw.cpus().busyPs(irqCpu) - irqCpuBusy).isGreaterThanOrEqualTo(gaps);
        // ... and the request's latency breakdown shows them as kernel overhead (job + task
        // overhead), or as queued while the next job waits on the free_job work hop.
        long[] parts = request.finish(r.nowPs());
        long kernelSide = parts[Part.JOB_OVERHEAD.ordinal()] + parts[Part.TASK_OVERHEAD.ordinal()] + parts[Part.QUEUED.ordinal()];
        assertThat(kernelSide).isGreaterThanOrEqualTo(gaps);
        assertThat(parts[Part.JOB_OVERHEAD.ordinal()]).isGreaterThan((n - 1) * (long) ((r.cost.iommuAttachPs() + r.cost.iommuDetachPs()) / speed));
        assertThat(parts[Part.NPU_COMPUTE.ordinal()]).isGreaterThan(n * 290 * US);
    }

    @Test
    void aJobReadingAnEarlierJobsOutputStartsAfterIt() {
        // The in BO's write fence is an implicit dependency (drm_sched_job_add_implicit_dependencies
        // with write=false waits for writers, rocket-upstream.md 2.4). Same file: FIFO in the entity.
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        Bo x = a.buf();
        Bo y = a.buf();
        assertThat(a.submit(a.job("W", a.buf(), x, 1000, 1000), a.job("R", x, y, 100))).isZero();
        assertThat(a.waitFor(y).ret()).isPositive();
        assertThat(r.first("R").startPs()).isGreaterThan(r.last("W").endPs());
        assertThat(r.first("R").startPs()).isGreaterThan(r.job("W").finishedFence().signaledAtPs());
    }

    @Test
    void theImplicitDependencyIsRealWhenTheJobsAreOnDifferentEntities() {
        // Contrast with rocket.multi_entity (hypothetical: one entity per core per file): the reader
        // sits in another entity on another core, so the dependency on the writer's finished fence
        // is waited for (a dependency on another scheduler waits for "finished", rocket-upstream.md
        // 2.4), while an unrelated job of the same SUBMIT runs alongside the writer.
        RocketRig r = new RocketRig("rocket.multi_entity=true");
        Client a = r.client("A");
        Bo x = a.buf();
        Bo y = a.buf();
        Bo z = a.buf();
        assertThat(a.submit(a.job("W", a.buf(), x, 1000, 1000), a.job("R", x, y, 100), a.job("U", a.buf(), z, 500))).isZero();
        assertThat(a.waitFor(y).ret()).isPositive();
        assertThat(a.waitFor(z).ret()).isPositive();
        assertThat(r.first("R").core()).isNotEqualTo(r.first("W").core());
        assertThat(r.first("R").startPs()).isGreaterThan(r.job("W").finishedFence().signaledAtPs());
        assertThat(r.job("R").entity().dependencyWaits()).isEqualTo(1);
        assertThat(r.first("U").startPs()).isLessThan(r.last("W").endPs());
    }

    @Test
    void prepBoOnAnOutputWaitsForTheLatestJobThatWritesIt() {
        // PREP_BO waits for the BO's WRITE fences (rocket-upstream.md 1.3, 2.4); the out BO carries
        // the finished fence of the last job that writes it (dma_resv_add_fence replaces the older
        // fence of the same context).
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        Bo out = a.buf();
        assertThat(a.submit(a.job("J0", a.buf(), out, 800), a.job("J1", a.buf(), out, 800, 800))).isZero();
        assertThat(out.gem().resv().size()).isEqualTo(1);
        long syscalls = r.k.syscalls();
        Ret ret = a.waitFor(out);
        assertThat(ret.ret()).isPositive();
        assertThat(r.k.syscalls() - syscalls).isEqualTo(1);
        long j1Done = r.job("J1").finishedFence().signaledAtPs();
        assertThat(ret.atPs()).isGreaterThan(j1Done);
        assertThat(ret.atPs()).isGreaterThan(r.last("J1").endPs());
        // The waiter is woken by the fence, not by polling: back within the wake-up, sync and
        // return path after the fence signalled.
        assertThat(ret.atPs() - j1Done).isLessThan(50 * US);
        assertThat(r.nowPs()).isLessThan(10 * MS);
    }
}
