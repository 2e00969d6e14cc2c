package io.npusim.kernel.proposed;

import static io.npusim.kernel.proposed.ProposedRig.MS;
import static io.npusim.kernel.proposed.ProposedRig.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.proposed.ProposedRig.Ctx;
import io.npusim.kernel.proposed.ProposedRig.Ret;
import io.npusim.uapi.Errno;
import io.npusim.uapi.proposed.NpuIoctl;
import org.junit.jupiter.api.Test;

/**
 * The per-core watchdog: a batch that has not interrupted proposed.job_timeout_ms after its start
 * resets its core only (the others keep running) and fails its job with -ECANCELED; the job's
 * fence signals once no part of it is left on a core, so WAIT returning means the hardware is
 * done with the job's buffers.
 */
class ProposedWatchdogTest {

    @Test
    void aHungBatchResetsOnlyItsCoreAfterTheTimeoutAndItsWaitReturnsEcanceled() {
        ProposedRig r = new ProposedRig();
        assertThat(r.p.jobTimeoutPs()).isEqualTo(1000 * MS);
        Ctx bad = r.client("bad").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx good = r.client("good").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long seq = bad.submit(bad.job("H").garbage(0, 2).single(4));
        while (r.hangs.isEmpty()) r.runUntil(r.now() + 100 * US);
        int hungCore = (int) r.hangs.get(0)[0];
        long hungAt = r.hangs.get(0)[1];
        // meanwhile the other cores run other work
        for (int i = 0; i < 5; i++) assertThat(good.run(good.job("G" + i).wide(2, 16))).isZero();
        assertThat(r.tasks("G")).hasSize(5 * 2 * 16).allMatch(t -> t.core() != hungCore);
        assertThat(r.last("G").endPs()).isLessThan(hungAt + 100 * MS);
        // the job fails at the watchdog
        Ret w = bad.waitFor(seq);
        assertThat(w.ret()).isEqualTo(-Errno.ECANCELED);
        long batchStart = r.tasks("H/").get(0).startPs();
        assertThat(w.atPs() - batchStart).isBetween(1000 * MS, 1000 * MS + MS);
        assertThat(r.dev.timeouts()).isEqualTo(1);
        assertThat(r.dev.jobsErrored()).isEqualTo(1);
        for (int c = 0; c < 3; c++) assertThat(r.hw.core(c).resets()).as("core %d", c).isEqualTo(c == hungCore ? 1 : 0);
        assertThat(r.lost).containsExactly(hungCore + ":2"); // the rest of its batch of 4
        assertThat(r.tasks("H/")).hasSize(2);
        assertThat(bad.query().jobs()).isZero();
        // the core comes back after the reset and takes work again
        assertThat(bad.run(bad.job("N").wide(3, 4))).isZero();
        assertThat(r.coresOf("N/")).isEqualTo(3);
        assertThat(bad.query().jobs()).isEqualTo(1);
        // the context is idle again: it can go
        assertThat(bad.destroy()).isZero();
    }

    @Test
    void aFailedJobSignalsOnlyWhenItsOtherPartsHaveLeftTheCores() {
        // Regression: a reset failed the job and signalled its fence at once while its other parts
        // kept running batch after batch on the other cores, so WAIT returned (and CTX_DESTROY
        // could unmap the buffers) with the hardware still using them.
        ProposedRig r = new ProposedRig("proposed.job_timeout_ms=5");
        Ctx ctx = r.client("A").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        // part 0 hangs on its first task; part 1 has 200 tasks of 100 us (13 batches, 20 ms)
        long seq = ctx.submit(ctx.job("J").garbage(0, 0).variant(2, new int[] {4, 200}));
        while (r.dev.timeouts() == 0) r.runUntil(r.now() + 100 * US);
        long resetAt = r.now();
        assertThat(ctx.destroy()).as("its other part is still on a core").isEqualTo(-Errno.EBUSY);
        Ret w = ctx.waitFor(seq);
        assertThat(w.ret()).isEqualTo(-Errno.ECANCELED);
        // the surviving part stopped at its next batch boundary after the reset
        long ran = r.tasks("J/v2/s0/p1/").size();
        assertThat(ran % 16).isZero();
        assertThat(ran).isLessThan(200);
        TaskRecord lastTask = r.last("J/v2/s0/p1/");
        assertThat(lastTask.endPs()).isBetween(resetAt, resetAt + 16 * 110 * US);
        // WAIT returned after the hardware was done with the job
        assertThat(w.atPs()).isGreaterThanOrEqualTo(lastTask.endPs());
        assertThat(r.dev.jobsErrored()).isEqualTo(1);
        assertThat(ctx.destroy()).isZero();
        assertThat(r.dev.timeouts()).isEqualTo(1);
    }

    @Test
    void twoHungPartsOfOneJobFailItOnceWhenBothCoresAreReset() {
        ProposedRig r = new ProposedRig("proposed.job_timeout_ms=5");
        Ctx ctx = r.client("A").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long seq = ctx.submit(ctx.job("J").garbage(0, 0).garbage(2, 0).wide(3, 4));
        Ret w = ctx.waitFor(seq);
        assertThat(w.ret()).isEqualTo(-Errno.ECANCELED);
        assertThat(r.dev.timeouts()).isEqualTo(2);
        assertThat(r.dev.jobsErrored()).isEqualTo(1);
        assertThat(r.tasks("J/v3/s0/p1/")).hasSize(4);
        assertThat(ctx.destroy()).isZero();
    }
}
