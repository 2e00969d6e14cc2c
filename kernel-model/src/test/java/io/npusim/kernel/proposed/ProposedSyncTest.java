package io.npusim.kernel.proposed;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.kernel.proposed.ProposedRig.Client;
import io.npusim.kernel.proposed.ProposedRig.Ctx;
import io.npusim.uapi.proposed.NpuIoctl;
import org.junit.jupiter.api.Test;

/**
 * Explicit synchronisation: a job waits only for the timeline points it names (resident buffers
 * carry no implicit fences), so two jobs of one context may run at once on two cores;
 * proposed.explicit_sync=false orders every job of a file behind the file's previous job, as
 * implicit sync on shared buffers would.
 */
class ProposedSyncTest {

    @Test
    void twoJobsOfOneContextWithoutFencesRunSideBySide() {
        ProposedRig r = new ProposedRig();
        Ctx ctx = r.client("A").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long a = ctx.submit(ctx.job("J1").single(10));
        long b = ctx.submit(ctx.job("J2").single(10));
        assertThat(b).isEqualTo(a + 1);
        assertThat(ctx.waitFor(b).ret()).isZero();
        assertThat(ctx.waitFor(a).ret()).isZero();
        assertThat(r.first("J1/").core()).isNotEqualTo(r.first("J2/").core());
        assertThat(r.first("J2/").startPs()).isLessThan(r.last("J1/").endPs());
    }

    @Test
    void anInFenceMakesTheSecondJobWaitForTheFirst() {
        ProposedRig r = new ProposedRig();
        Ctx ctx = r.client("A").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long a = ctx.submit(ctx.job("J1").single(10));
        long b = ctx.submit(ctx.job("J2").single(10), ctx.point(a));
        assertThat(ctx.waitFor(b).ret()).isZero();
        assertThat(r.first("J2/").startPs()).isGreaterThanOrEqualTo(r.last("J1/").endPs());
        // across contexts of one file too: a camera post-process after its inference
        Client c = r.client("C");
        Ctx infer = c.ctx(NpuIoctl.CLASS_LATENCY, 0);
        Ctx post = c.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long i = infer.submit(infer.job("I").single(10));
        long p = post.submit(post.job("P").single(2), infer.point(i));
        assertThat(post.waitFor(p).ret()).isZero();
        assertThat(r.first("P/").startPs()).isGreaterThanOrEqualTo(r.last("I/").endPs());
    }

    @Test
    void withoutExplicitSyncTheJobsOfAFileAreOrdered() {
        ProposedRig r = new ProposedRig("proposed.explicit_sync=false");
        Client c = r.client("A");
        Ctx ctx = c.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx other = c.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long a = ctx.submit(ctx.job("J1").single(10));
        long b = ctx.submit(ctx.job("J2").single(10));
        long o = other.submit(other.job("O").single(10));
        assertThat(other.waitFor(o).ret()).isZero();
        assertThat(ctx.waitFor(b).ret()).isZero();
        assertThat(ctx.waitFor(a).ret()).isZero();
        assertThat(r.first("J2/").startPs()).isGreaterThanOrEqualTo(r.last("J1/").endPs());
        assertThat(r.first("O/").startPs()).isGreaterThanOrEqualTo(r.last("J2/").endPs());
        // another process is not ordered behind this file
        Ctx theirs = r.client("B").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long x = ctx.submit(ctx.job("J3").single(10));
        long y = theirs.submit(theirs.job("Y").single(10));
        assertThat(theirs.waitFor(y).ret()).isZero();
        assertThat(ctx.waitFor(x).ret()).isZero();
        assertThat(r.first("Y/").startPs()).isLessThan(r.last("J3/").endPs());
    }
}
