package io.npusim.kernel.proposed;

import static io.npusim.kernel.proposed.ProposedRig.KIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.iommu.IommuDomain;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.proposed.ProposedRig.Bo;
import io.npusim.kernel.proposed.ProposedRig.Client;
import io.npusim.kernel.proposed.ProposedRig.Ctx;
import io.npusim.uapi.proposed.BoResident;
import io.npusim.uapi.proposed.NpuIoctl;
import org.junit.jupiter.api.Test;

/**
 * SRAM as a visible, kernel-managed resource (sram.npu_kb of it): a request gets what is free
 * now; a request of higher priority (latency contexts rank above the others with
 * proposed.sram_by_class) evicts lower grants to DDR, moving the data and remapping the same IOVA
 * range, so jobs keep working; evicted grants come back when the space frees (a release with 0
 * bytes, or the context's destruction). CTX_QUERY reports what is granted now.
 */
class ProposedSramTest {

    /** SRAM and DDR bytes the task read and wrote. */
    private static double sramOf(ProposedRig r, String job) {
        return r.tasks(job + "/").stream().mapToDouble(TaskRecord::sramBytes).sum();
    }

    private static double ddrOf(ProposedRig r, String job) {
        return r.tasks(job + "/").stream().mapToDouble(TaskRecord::ddrBytes).sum();
    }

    @Test
    void aRequestGetsWhatIsFreeAndJobsReadTheGrantFromSram() {
        ProposedRig r = new ProposedRig("sram.npu_kb=256");
        Client a = r.client("A");
        Ctx t = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Bo kv = a.bo(192 * KIB);
        long iova = a.resident(t, kv);
        assertThat(t.sram(kv, 192 * KIB, 0)).isEqualTo(192 * KIB);
        assertThat(t.query().sramBytes()).isEqualTo(192 * KIB);
        assertThat(r.hw.mem().sramInUse()).isEqualTo(192 * KIB);
        // a second context of the same class and priority gets the 64 KiB left, no more
        Ctx u = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Bo other = a.bo(128 * KIB);
        a.resident(u, other);
        assertThat(u.sram(other, 128 * KIB, 0)).isEqualTo(64 * KIB);
        assertThat(u.query().sramBytes()).isEqualTo(64 * KIB);
        assertThat(t.query().sramBytes()).isEqualTo(192 * KIB);
        assertThat(r.dev.sramEvictions()).isZero();
        assertThat(r.hw.mem().sramInUse()).isEqualTo(256 * KIB);
        // a job reading the buffer reads SRAM: the feature range lies in the grant
        assertThat(t.run(t.job("J").reading(iova).single(2))).isZero();
        assertThat(sramOf(r, "J")).isEqualTo(2 * 1024.0);
        // requests round up to pages; a new request for the buffer replaces the grant
        assertThat(t.sram(kv, 5000, 0)).isEqualTo(8 * KIB);
        assertThat(t.query().sramBytes()).isEqualTo(8 * KIB);
        assertThat(r.hw.mem().sramInUse()).isEqualTo(8 * KIB + 64 * KIB);
        // without SRAM (the stock device tree) every request gets 0
        ProposedRig none = new ProposedRig();
        Client c = none.client("A");
        Ctx n = c.ctx(NpuIoctl.CLASS_LATENCY, 0);
        Bo b = c.bo(64 * KIB);
        c.resident(n, b);
        assertThat(n.sram(b, 64 * KIB, 100)).isZero();
        assertThat(n.query().sramBytes()).isZero();
    }

    @Test
    void aLatencyRequestEvictsAThroughputGrantToDdrAndItIsRestoredOnRelease() {
        ProposedRig r = new ProposedRig("sram.npu_kb=256");
        Client chat = r.client("chat");
        Client cam = r.client("camera");
        Ctx t = chat.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx l = cam.ctx(NpuIoctl.CLASS_LATENCY, 0);
        Bo kv = chat.bo(192 * KIB);
        long kvIova = chat.resident(t, kv);
        Bo act = cam.bo(128 * KIB);
        cam.resident(l, act);
        assertThat(t.sram(kv, 192 * KIB, 0)).isEqualTo(192 * KIB);
        assertThat(t.run(t.job("T0").reading(kvIova).single(2))).isZero();
        assertThat(sramOf(r, "T0")).isPositive();
        // the camera asks for 128 KiB with the same user priority: its class outranks the chat
        assertThat(l.sram(act, 128 * KIB, 0)).isEqualTo(128 * KIB);
        assertThat(r.dev.sramEvictions()).isEqualTo(1);
        assertThat(t.query().sramBytes()).isZero();
        assertThat(l.query().sramBytes()).isEqualTo(128 * KIB);
        assertThat(r.hw.mem().sramInUse()).isEqualTo(128 * KIB);
        // the chat's buffer kept its address; its data now lives in DDR and jobs still read it
        assertThat(((BoResident) chat.ioctl(BoResident.of(t.id, kv.handle())).out()).iova()).isEqualTo(kvIova);
        assertThat(t.run(t.job("T1").reading(kvIova).single(2))).isZero();
        assertThat(sramOf(r, "T1")).isZero();
        assertThat(ddrOf(r, "T1")).isGreaterThan(ddrOf(r, "T0"));
        // the camera releases its grant: the chat's comes back whole
        assertThat(l.sram(act, 0, 0)).isZero();
        assertThat(r.dev.sramRestores()).isEqualTo(1);
        assertThat(t.query().sramBytes()).isEqualTo(192 * KIB);
        assertThat(l.query().sramBytes()).isZero();
        assertThat(r.hw.mem().sramInUse()).isEqualTo(192 * KIB);
        assertThat(t.run(t.job("T2").reading(kvIova).single(2))).isZero();
        assertThat(sramOf(r, "T2")).isEqualTo(sramOf(r, "T0"));
        // again, and this time the camera's context goes away
        assertThat(l.sram(act, 128 * KIB, 0)).isEqualTo(128 * KIB);
        assertThat(t.query().sramBytes()).isZero();
        assertThat(l.destroy()).isZero();
        assertThat(t.query().sramBytes()).isEqualTo(192 * KIB);
        assertThat(r.dev.sramEvictions()).isEqualTo(2);
        assertThat(r.dev.sramRestores()).isEqualTo(2);
        assertThat(r.hw.mem().sramInUse()).isEqualTo(192 * KIB);
        assertThat(r.dev.sramPeakBytes()).isLessThanOrEqualTo(256 * KIB);
    }

    @Test
    void withoutSramByClassTheClassesCompeteOnPriorityAlone() {
        ProposedRig r = new ProposedRig("sram.npu_kb=256", "proposed.sram_by_class=false");
        Client chat = r.client("chat");
        Client cam = r.client("camera");
        Ctx t = chat.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx l = cam.ctx(NpuIoctl.CLASS_LATENCY, 0);
        Bo kv = chat.bo(192 * KIB);
        chat.resident(t, kv);
        Bo act = cam.bo(128 * KIB);
        cam.resident(l, act);
        assertThat(t.sram(kv, 192 * KIB, 0)).isEqualTo(192 * KIB);
        assertThat(l.sram(act, 128 * KIB, 0)).isEqualTo(64 * KIB); // what is free
        assertThat(r.dev.sramEvictions()).isZero();
        // a higher user priority still evicts
        assertThat(l.sram(act, 128 * KIB, 1)).isEqualTo(128 * KIB);
        assertThat(r.dev.sramEvictions()).isEqualTo(1);
        assertThat(t.query().sramBytes()).isZero();
    }

    @Test
    void evictingAPartialGrantRemapsOnlyItsOwnBuffer() {
        // Regression: the remap walked extents from the buffer's start with an end that moved
        // along with it, so evicting a grant whose buffer was split SRAM + DDR also unmapped the
        // buffers resident after it; and the SRAM regions it replaced were never freed.
        ProposedRig r = new ProposedRig("sram.npu_kb=256", "proposed.job_timeout_ms=20");
        Client chat = r.client("chat");
        Client cam = r.client("camera");
        Ctx t = chat.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx l = cam.ctx(NpuIoctl.CLASS_LATENCY, 0);
        Bo weights = chat.bo(512 * KIB);
        long wIova = chat.resident(t, weights);
        Bo next = chat.bo(64 * KIB);
        long nextIova = chat.resident(t, next);
        assertThat(nextIova).isEqualTo(wIova + 512 * KIB); // adjacent
        assertThat(t.sram(weights, 512 * KIB, 0)).isEqualTo(256 * KIB); // partial: what there is
        assertThat(t.run(t.job("T0").reading(nextIova).single(1))).isZero();
        IommuDomain d = r.hw.iommuFor(r.first("T0/").core()).attached();
        long mapped = d.mappedBytes();
        Bo act = cam.bo(128 * KIB);
        cam.resident(l, act);
        assertThat(l.sram(act, 128 * KIB, 0)).isEqualTo(128 * KIB);
        assertThat(t.query().sramBytes()).isZero();
        assertThat(d.mappedBytes()).isEqualTo(mapped);
        assertThat(d.lookup(nextIova)).isNotNull();
        assertThat(t.run(t.job("T1").reading(nextIova).single(1))).isZero();
        assertThat(t.run(t.job("T2").reading(wIova + 300 * KIB).single(1))).isZero();
        assertThat(r.hw.mem().sramInUse()).isEqualTo(128 * KIB);
        // released: the partial grant comes back, 256 KiB of it, and the rest stays in DDR
        assertThat(l.sram(act, 0, 0)).isZero();
        assertThat(t.query().sramBytes()).isEqualTo(256 * KIB);
        assertThat(d.mappedBytes()).isEqualTo(mapped);
        assertThat(r.hw.mem().sramInUse()).isEqualTo(256 * KIB);
        assertThat(t.run(t.job("T3").reading(nextIova).single(1))).isZero();
        assertThat(t.run(t.job("T4").reading(wIova).single(1))).isZero();
        assertThat(sramOf(r, "T4")).isPositive();
        assertThat(r.dev.timeouts()).isZero();
    }
}
