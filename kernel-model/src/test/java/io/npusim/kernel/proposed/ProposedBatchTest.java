package io.npusim.kernel.proposed;

import static io.npusim.kernel.proposed.ProposedRig.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.proposed.ProposedRig.Client;
import io.npusim.kernel.proposed.ProposedRig.Ctx;
import io.npusim.uapi.proposed.NpuIoctl;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hardware task chaining in bounded batches: the driver starts a part's next
 * min(proposed.batch_tasks, left) tasks with TASK_NUMBER(n), the PC follows the chain pointers in
 * the regcmd tails and interrupts once per batch; a segment's parts run side by side on different
 * cores and the next segment waits for all of them (a barrier).
 */
class ProposedBatchTest {

    @Test
    void aPartOfNTasksTakesCeilNOverBatchTasksInterruptsWithTaskNumberTheBatchSize() {
        int n = 40;
        for (int batch : new int[] {16, 1, 7, 40, 64}) {
            ProposedRig r = new ProposedRig("proposed.batch_tasks=" + batch);
            Client a = r.client("A");
            Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
            long irqs = r.k.irqs();
            assertThat(ctx.run(ctx.job("J").single(n))).isZero();
            List<TaskRecord> t = r.tasks("J/");
            assertThat(t).hasSize(n);
            int core = t.get(0).core();
            assertThat(t).allMatch(x -> x.core() == core); // a part stays on its core when nothing preempts it
            int expected = (n + batch - 1) / batch;
            assertThat(r.hw.core(core).irqs()).as("interrupts with batch_tasks=%d", batch).isEqualTo(expected);
            assertThat(r.k.irqs() - irqs).isEqualTo(expected);
            assertThat(r.dev.batches()).isEqualTo(expected);
            for (int i = 0; i < n; i++) {
                int batchStart = i / batch * batch;
                int size = Math.min(batch, n - batchStart);
                assertThat(r.taskNumberOf.get(t.get(i).label())).as("TASK_NUMBER of task %d, batch_tasks=%d", i, batch).isEqualTo(size);
                if (i == batchStart) {
                    if (i > 0) { // the kernel in between: IRQ, bottom half, the next submit
                        assertThat(t.get(i).startPs() - t.get(i - 1).endPs()).as("gap before task %d", i)
                                .isGreaterThanOrEqualTo(r.cost.hardIrqPs() + r.cost.hwSubmitPs());
                    }
                } else { // the PC chains on by itself, with the commands prefetched (ping-pong)
                    assertThat(t.get(i).startPs()).as("task %d", i).isEqualTo(t.get(i - 1).endPs());
                    assertThat(t.get(i).overheadPs()).isLessThan(t.get(batchStart).overheadPs());
                }
            }
        }
    }

    @Test
    void smallerBatchesCostMoreTime() {
        long[] took = new long[2];
        long perBatch = 0;
        int k = 0;
        for (int batch : new int[] {1, 16}) {
            ProposedRig r = new ProposedRig("proposed.batch_tasks=" + batch);
            Client a = r.client("A");
            Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
            assertThat(ctx.run(ctx.job("J").us(20).single(32))).isZero();
            took[k++] = r.last("J/").endPs() - r.first("J/").startPs();
            perBatch = r.cost.hardIrqPs() + r.cost.hwSubmitPs();
        }
        // 31 kernel round trips against 1: at least a hard IRQ and a submit each
        assertThat(took[0] - took[1]).isGreaterThanOrEqualTo(30 * perBatch);
    }

    @Test
    void partsOfASegmentRunSideBySideAndTheNextSegmentWaitsForTheSlowest() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        assertThat(ctx.run(ctx.job("J").variant(3, new int[] {4, 12, 8}, new int[] {6, 6, 6}, new int[] {3}))).isZero();
        // segment 0: three parts on three cores, all started together
        assertThat(r.coresOf("J/v3/s0/")).isEqualTo(3);
        for (int p = 0; p < 3; p++) {
            assertThat(r.first("J/v3/s0/p" + p + "/").startPs()).isLessThan(r.last("J/v3/s0/p0/").endPs());
        }
        // the barrier: nothing of segment 1 starts before the 12-task part ends
        long barrier = r.last("J/v3/s0/p1/").endPs();
        assertThat(r.last("J/v3/s0/").endPs()).isEqualTo(barrier);
        assertThat(r.first("J/v3/s1/").startPs()).isGreaterThanOrEqualTo(barrier);
        assertThat(r.coresOf("J/v3/s1/")).isEqualTo(3);
        // segment 2 has one part: one core; the job ends with it
        assertThat(r.first("J/v3/s2/").startPs()).isGreaterThanOrEqualTo(r.last("J/v3/s1/").endPs());
        assertThat(r.coresOf("J/v3/s2/")).isEqualTo(1);
        assertThat(r.tasks("J/")).hasSize(4 + 12 + 8 + 18 + 3);
        assertThat(ctx.query().jobs()).isEqualTo(1);
    }

    @Test
    void aJobSubmittedBeforeTheCoresArePoweredWaitsForThemInsteadOfTimingOut() {
        // Regression: the driver powers the cores on at probe (power.domain_on_us later), but
        // treated them as idle at once: a job submitted meanwhile was written to an unpowered core,
        // which ignores OP_ENABLE, and failed with -ECANCELED a watchdog period later.
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long onPs = (long) (r.params.nonNegative("power.domain_on_us", "us") * US);
        assertThat(r.now()).isLessThan(onPs);
        long seq = ctx.submit(ctx.job("J").single(4));
        assertThat(ctx.waitFor(seq).ret()).isZero();
        assertThat(r.first("J/").startPs()).isGreaterThanOrEqualTo(onPs);
        assertThat(r.last("J/").endPs()).isLessThan(onPs + 4 * 110 * US + 50 * US);
        assertThat(r.dev.timeouts()).isZero();
    }
}
