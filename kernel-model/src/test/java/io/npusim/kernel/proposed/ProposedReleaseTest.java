package io.npusim.kernel.proposed;

import static io.npusim.kernel.proposed.ProposedRig.KIB;
import static io.npusim.kernel.proposed.ProposedRig.MS;
import static io.npusim.kernel.proposed.ProposedRig.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.iommu.Iommu;
import io.npusim.kernel.proposed.ProposedRig.Client;
import io.npusim.kernel.proposed.ProposedRig.Ctx;
import io.npusim.uapi.proposed.NpuIoctl;
import org.junit.jupiter.api.Test;

/**
 * Closing the device file (or a process dying) with work in flight: what has not reached a core
 * is cancelled, parts on the cores stop at their next batch boundary, and only then are the
 * contexts' buffers unmapped and freed; the other processes' work is not disturbed.
 */
class ProposedReleaseTest {

    @Test
    void closingAFileWithJobsInFlightStopsThemAtABatchBoundaryBeforeFreeingTheirBuffers() {
        // Regression: release unmapped and freed the buffers at once while the cores still ran the
        // file's batches: every core faulted, sat until its watchdog (1 s each, twice), and the
        // DMA went to pages already freed.
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Client other = r.client("B");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx theirs = other.ctx(NpuIoctl.CLASS_BACKGROUND, 0);
        long ddrBefore = r.hw.mem().ddrInUse();
        ctx.submit(ctx.job("J").wide(3, 40)); // 3 batches per core
        ctx.submit(ctx.job("K").wide(3, 40)); // queued behind it
        long waiting = ctx.submit(ctx.job("W").single(4), ctx.point(2)); // waits for K's fence
        assertThat(waiting).isEqualTo(3);
        long bg = theirs.submit(theirs.job("B").single(40)); // queued behind all of it
        r.runUntilTask("J/");
        long closedAt = r.now();
        assertThat(a.close()).isZero();
        long returned = r.now();
        // close returned once the cores had left the file's work: within one batch (1.6 ms)
        assertThat(returned - closedAt).isLessThan(2 * MS);
        assertThat(r.tasks("J/").size() % 16).isZero();
        assertThat(r.tasks("J/")).hasSize(3 * 16);
        assertThat(r.tasks("K/")).isEmpty();
        assertThat(r.tasks("W/")).isEmpty();
        for (Iommu m : r.hw.iommus()) assertThat(m.faults()).isEmpty();
        assertThat(r.dev.timeouts()).isZero();
        assertThat(r.dev.jobsErrored()).isEqualTo(3);
        // the buffers are gone only now
        assertThat(r.hw.mem().ddrInUse()).isLessThan(ddrBefore);
        // the other process's job runs at once, undisturbed
        assertThat(theirs.waitFor(bg).ret()).isZero();
        assertThat(r.first("B/").startPs() - returned).isLessThan(100 * US);
        assertThat(r.tasks("B/")).hasSize(40);
        // and the SRAM and the device are as good as new for the next client
        Client c = r.client("C");
        Ctx next = c.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        assertThat(next.run(next.job("N").wide(3, 4))).isZero();
    }

    @Test
    void closingAFileReleasesItsSramGrantsToTheOthers() {
        ProposedRig r = new ProposedRig("sram.npu_kb=256");
        Client chat = r.client("chat");
        Client cam = r.client("camera");
        Ctx t = chat.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx l = cam.ctx(NpuIoctl.CLASS_LATENCY, 0);
        ProposedRig.Bo kv = chat.bo(192 * KIB);
        chat.resident(t, kv);
        ProposedRig.Bo act = cam.bo(128 * KIB);
        cam.resident(l, act);
        assertThat(t.sram(kv, 192 * KIB, 0)).isEqualTo(192 * KIB);
        assertThat(l.sram(act, 128 * KIB, 0)).isEqualTo(128 * KIB);
        assertThat(t.query().sramBytes()).isZero();
        assertThat(cam.close()).isZero();
        assertThat(t.query().sramBytes()).isEqualTo(192 * KIB);
        assertThat(r.hw.mem().sramInUse()).isEqualTo(192 * KIB);
    }
}
