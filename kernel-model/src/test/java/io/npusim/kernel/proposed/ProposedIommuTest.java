package io.npusim.kernel.proposed;

import static io.npusim.kernel.proposed.ProposedRig.KIB;
import static io.npusim.kernel.proposed.ProposedRig.MS;
import static io.npusim.kernel.proposed.ProposedRig.PAGE;
import static io.npusim.kernel.proposed.ProposedRig.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.iommu.IommuDomain;
import io.npusim.kernel.proposed.ProposedRig.Bo;
import io.npusim.kernel.proposed.ProposedRig.Client;
import io.npusim.kernel.proposed.ProposedRig.Ctx;
import io.npusim.kernel.proposed.ProposedRig.Ret;
import io.npusim.uapi.Errno;
import io.npusim.uapi.proposed.BoResident;
import io.npusim.uapi.proposed.NpuIoctl;
import org.junit.jupiter.api.Test;

/**
 * Address spaces: each context has its own IOMMU domain (isolation between contexts, even of one
 * file); a buffer is mapped once when it is made resident, not per job; a core keeps the domain
 * of the context it last ran attached while consecutive work shares it
 * (proposed.keep_iommu_attached); proposed.residency=false charges the map and unmap of every
 * resident buffer to every job and leaves the IOTLB cold.
 */
class ProposedIommuTest {

    private static final long BIG = 32L * 1024 * 1024; // 8192 pages

    /** Job overhead (ps) of one job of a context with {@code extraResident} more bytes resident. */
    private static long jobOverhead(ProposedRig r, long extraResident, String name) {
        Client a = r.client("A" + name);
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        if (extraResident > 0) a.resident(ctx, a.bo(extraResident));
        Attribution req = a.track();
        assertThat(ctx.run(ctx.job(name).single(4))).isZero();
        return a.finish(req, Part.JOB_OVERHEAD);
    }

    @Test
    void aResidentBufferIsMappedOnceAndCostsJobsNothing() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Bo big = a.bo(BIG);
        long iova = a.resident(ctx, big);
        assertThat(((BoResident) a.ioctl(BoResident.of(ctx.id, big.handle())).out()).iova()).isEqualTo(iova);
        assertThat(ctx.run(ctx.job("J0").single(2))).isZero();
        IommuDomain d = r.hw.iommuFor(r.first("J0/").core()).attached();
        long mapped = d.mappedBytes();
        int extents = d.extentCount();
        assertThat(mapped).isEqualTo(ctx.query().residentBytes());
        for (int i = 1; i < 5; i++) assertThat(ctx.run(ctx.job("J" + i).single(2))).isZero();
        assertThat(d.mappedBytes()).isEqualTo(mapped);
        assertThat(d.extentCount()).isEqualTo(extents);
        // the job overhead does not depend on what is resident
        ProposedRig r2 = new ProposedRig();
        long small = jobOverhead(r2, 0, "S");
        long large = jobOverhead(r2, BIG, "L");
        assertThat(Math.abs(large - small)).isLessThan(US);
    }

    @Test
    void withoutResidencyEveryJobMapsAndUnmapsWhatIsResidentAndStartsCold() {
        ProposedRig r = new ProposedRig("proposed.residency=false");
        long small = jobOverhead(r, 0, "S");
        long large = jobOverhead(r, BIG, "L");
        long pages = BIG / PAGE;
        long perJob = pages * (r.cost.iommuMapPagePs() + r.cost.iommuUnmapPagePs());
        double little = r.params.fraction("cpu.little_speed"); // both run on the IRQ CPU
        assertThat(large - small).isBetween(perJob, (long) (perJob / little) + 10 * US);
        // against residency: the per-job difference is about that much
        ProposedRig res = new ProposedRig();
        long resLarge = jobOverhead(res, BIG, "L");
        assertThat(large - resLarge).isGreaterThanOrEqualTo(perJob);
        // the IOTLB: the second job of a context finds its pages cached only with residency
        for (boolean residency : new boolean[] {true, false}) {
            ProposedRig q = new ProposedRig("proposed.residency=" + residency);
            Ctx ctx = q.client("A").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
            assertThat(ctx.run(ctx.job("J0").single(2))).isZero();
            assertThat(ctx.run(ctx.job("J1").single(2))).isZero();
            assertThat(q.first("J0/").iotlbMisses()).isPositive();
            if (residency) assertThat(q.first("J1/").iotlbMisses()).as("warm").isZero();
            else assertThat(q.first("J1/").iotlbMisses()).as("cold").isEqualTo(q.first("J0/").iotlbMisses());
        }
    }

    @Test
    void contextsHaveSeparateDomainsAndAJobAddressingAnotherContextsBufferFaults() {
        ProposedRig r = new ProposedRig("proposed.job_timeout_ms=20");
        Client a = r.client("A");
        Ctx mine = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx other = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0); // same file, another context
        // the same working buffers lie at the same addresses in both; the secret lies beyond
        assertThat(other.dataIova).isEqualTo(mine.dataIova);
        long secret = a.resident(other, a.bo(64 * KIB));
        // its owner reads it
        assertThat(other.run(other.job("B").reading(secret).single(2))).isZero();
        int core = r.first("B/").core();
        IommuDomain otherDomain = r.hw.iommuFor(core).attached();
        // the other context's job with that address: a translation fault in its own domain
        long seq = mine.submit(mine.job("A").reading(secret).single(2));
        Ret wait = mine.waitFor(seq);
        assertThat(wait.ret()).isEqualTo(-Errno.ECANCELED); // the watchdog resets the faulted core
        assertThat(r.tasks("A/")).isEmpty();
        Iommu.Fault f = null;
        for (Iommu m : r.hw.iommus()) if (!m.faults().isEmpty()) f = m.lastFault();
        assertThat(f).isNotNull();
        assertThat(f.iova()).isEqualTo(secret);
        assertThat(f.domainId()).isNotEqualTo(otherDomain.id()).isPositive();
        assertThat(f.write()).isFalse();
        long faults = 0;
        for (int c = 0; c < 3; c++) faults += r.hw.core(c).faults();
        assertThat(faults).isEqualTo(1);
        // the other context is unharmed
        assertThat(other.run(other.job("B2").reading(secret).single(2))).isZero();
        // and two processes' contexts alike: B's job at A's address reads B's own pages
        Client b = r.client("B");
        Ctx theirs = b.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        assertThat(theirs.dataIova).isEqualTo(mine.dataIova);
        assertThat(theirs.run(theirs.job("C").single(2))).isZero();
        assertThat(r.hw.iommuFor(r.first("C/").core()).attached()).isNotSameAs(otherDomain);
    }

    @Test
    void keepingTheDomainAttachedAttachesOnceForConsecutiveWorkOfAContext() {
        for (boolean keep : new boolean[] {true, false}) {
            ProposedRig r = new ProposedRig("proposed.keep_iommu_attached=" + keep);
            Ctx ctx = r.client("A").ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
            // one part of 64 tasks: four batches, one start: one attach either way
            assertThat(ctx.run(ctx.job("J").single(64))).isZero();
            int core = r.first("J/").core();
            Iommu mmu = r.hw.iommuFor(core);
            assertThat(r.dev.batches()).isEqualTo(4);
            assertThat(mmu.attaches()).as("keep=%s, one part", keep).isEqualTo(1);
            // four more jobs on the same core
            for (int i = 0; i < 4; i++) assertThat(ctx.run(ctx.job("K" + i).single(4))).isZero();
            assertThat(r.tasks("K")).allMatch(t -> t.core() == core);
            assertThat(mmu.attaches()).as("keep=%s, five jobs", keep).isEqualTo(keep ? 1 : 5);
            assertThat(r.dev.attaches()).isEqualTo(keep ? 1 : 5);
            assertThat(mmu.attached()).isNotNull(); // the domain stays attached after the job either way
            // each attach zaps the IOTLB: the next job's first task walks again
            if (keep) assertThat(r.first("K1/").iotlbMisses()).isZero();
            else assertThat(r.first("K1/").iotlbMisses()).isPositive();
        }
        // two contexts taking turns on a core attach at every switch even when kept
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx x = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx y = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        for (int i = 0; i < 3; i++) {
            assertThat(x.run(x.job("X" + i).single(2))).isZero();
            assertThat(y.run(y.job("Y" + i).single(2))).isZero();
        }
        assertThat(r.hw.iommuFor(0).attaches()).isEqualTo(6);
    }

    @Test
    void destroyingAContextUnmapsItsBuffersAndDetachesItsDomain() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        assertThat(ctx.run(ctx.job("J").single(2))).isZero();
        int core = r.first("J/").core();
        IommuDomain d = r.hw.iommuFor(core).attached();
        assertThat(d.mappedBytes()).isPositive();
        long t0 = r.now();
        assertThat(ctx.destroy()).isZero();
        assertThat(d.mappedBytes()).isZero();
        assertThat(r.hw.iommuFor(core).attached()).isNull();
        assertThat(r.now() - t0).isGreaterThanOrEqualTo((512 * KIB + 2 * PAGE) / PAGE * r.cost.iommuUnmapPagePs());
        assertThat(r.now() - t0).isLessThan(MS);
    }
}
