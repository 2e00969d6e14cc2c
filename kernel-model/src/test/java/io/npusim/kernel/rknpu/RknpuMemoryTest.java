package io.npusim.kernel.rknpu;

import static io.npusim.kernel.rknpu.RknpuRig.PC_PP;
import static io.npusim.kernel.rknpu.RknpuRig.PC_PP_NB;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.time.Time;
import io.npusim.hw.iommu.IommuDomain;
import io.npusim.hw.mem.MemKind;
import io.npusim.hw.mem.PhysMemory;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.TaskOp;
import io.npusim.uapi.Errno;
import io.npusim.uapi.rknpu.Action;
import io.npusim.uapi.rknpu.ActionCode;
import io.npusim.uapi.rknpu.MemCreate;
import io.npusim.uapi.rknpu.MemDestroy;
import io.npusim.uapi.rknpu.MemFlags;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SRAM (rknpu_mm, TRY_ALLOC_SRAM) and IOMMU domains (rknpu_iommu.c). */
class RknpuMemoryTest {
    private static final int KIB = 1024;
    private static final String WITH_SRAM = "sram.npu_kb=956";

    private static IommuDomain.Extent at(RknpuRig rig, long iova) {
        return rig.hw.iommuFor(0).attached().lookup(iova);
    }

    private static int action(RknpuRig.Client c, ActionCode a) {
        var p = c.call(Action.get(a));
        assertThat(p.ret).isZero();
        return p.out.value();
    }

    @Test
    void sramIsA4KibChunkFirstFitAllocatorOf956Kib() {
        // 3.1: rknpu_mm_create(sram_size, PAGE_SIZE): 239 chunks of 4 KiB = 978944 B when the DT
        // gives the NPU the 956 KB (0xef000) SRAM region; GET_TOTAL/FREE_SRAM_SIZE report it (1.5).
        RknpuRig rig = new RknpuRig(WITH_SRAM);
        RknpuRig.Client c = rig.client("c");
        assertThat(action(c, ActionCode.GET_TOTAL_SRAM_SIZE)).isEqualTo(239 * 4096).isEqualTo(0xef000);
        assertThat(action(c, ActionCode.GET_FREE_SRAM_SIZE)).isEqualTo(0xef000);
    }

    @Test
    void aBufferAskingForMoreSramThanIsFreeGetsWhatIsLeftAsTheIovaPrefix() {
        // 3.1 / rknpu_gem_object_create: real_sram = sram_size (page-rounded) if nonzero and
        // smaller than the buffer, else the whole buffer; capped by the free SRAM; IOVA layout
        // [SRAM part][DDR part], the DDR part still the full size; args->sram_size returns what
        // was obtained. When nothing is left the request silently falls back to DDR.
        RknpuRig rig = new RknpuRig(WITH_SRAM);
        RknpuRig.Client c = rig.client("c");
        int sram = MemFlags.TRY_ALLOC_SRAM | MemFlags.CACHEABLE;

        RknpuRig.Bo a = c.bo(sram, 1024 * KIB, 900 * KIB, 0, false);
        assertThat(a.sramSize()).isEqualTo(900 * KIB);
        assertThat(a.size()).isEqualTo(1024 * KIB);
        IommuDomain.Extent pre = at(rig, a.iova());
        assertThat(pre.region().kind()).isEqualTo(MemKind.SRAM);
        assertThat(pre.region().physBase()).isEqualTo(PhysMemory.SRAM_BASE); // first fit: chunk 0
        assertThat(pre.bytes()).isEqualTo(900 * KIB);
        assertThat(at(rig, a.iova() + 900 * KIB).region().kind()).isEqualTo(MemKind.DDR);
        assertThat(at(rig, a.iova() + 900 * KIB + 1024 * KIB - 1).region().kind()).isEqualTo(MemKind.DDR);
        assertThat(action(c, ActionCode.GET_FREE_SRAM_SIZE)).isEqualTo(0xef000 - 900 * KIB);

        // asks for the whole 512 KiB buffer in SRAM, gets the 56 KiB that are left, as the prefix
        RknpuRig.Bo b = c.bo(sram, 512 * KIB, 0, 0, false);
        assertThat(b.sramSize()).isEqualTo(56 * KIB);
        assertThat(b.size()).isEqualTo(512 * KIB);
        assertThat(at(rig, b.iova()).region().kind()).isEqualTo(MemKind.SRAM);
        assertThat(at(rig, b.iova()).region().physBase()).isEqualTo(PhysMemory.SRAM_BASE + 900 * KIB);
        assertThat(at(rig, b.iova() + 56 * KIB).region().kind()).isEqualTo(MemKind.DDR);
        assertThat(action(c, ActionCode.GET_FREE_SRAM_SIZE)).isZero();

        // nothing left: success, DDR only
        var full = c.call(MemCreate.of(sram, 64 * KIB, 64 * KIB, 0, 0));
        assertThat(full.ret).isZero();
        assertThat(full.out.sramSizeBytes()).isZero();
        assertThat(at(rig, full.out.dmaAddr()).region().kind()).isEqualTo(MemKind.DDR);

        // freeing A gives its chunks back; the next request takes them first-fit from chunk 0
        assertThat(c.call(MemDestroy.of(a.handle(), a.objAddr())).ret).isZero();
        assertThat(action(c, ActionCode.GET_FREE_SRAM_SIZE)).isEqualTo(900 * KIB);
        assertThat(rig.hw.mem().sramInUse()).isEqualTo(56 * KIB);
        // sram_size larger than the buffer -> the whole (page-rounded) buffer
        RknpuRig.Bo d = c.bo(sram, 60 * KIB, 128 * KIB, 0, false);
        assertThat(d.sramSize()).isEqualTo(60 * KIB);
        assertThat(at(rig, d.iova()).region().physBase()).isEqualTo(PhysMemory.SRAM_BASE);
        // sram_size is rounded up to pages
        RknpuRig.Bo e = c.bo(sram, 64 * KIB, 5000, 0, false);
        assertThat(e.sramSize()).isEqualTo(8 * KIB);
        assertThat(rig.dev.sramPeakBytes()).isEqualTo(0xef000);
    }

    @Test
    void withoutSramTryAllocSramSilentlyFallsBackToDdr() {
        // 3.1: no rknpu_mm without a 'rockchip,sram' DT region (stock DT): TRY_ALLOC_SRAM is
        // ignored, the buffer is DDR only and sram_size comes back 0.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("c");
        var p = c.call(MemCreate.of(MemFlags.TRY_ALLOC_SRAM, 256 * KIB, 128 * KIB, 0, 0));
        assertThat(p.ret).isZero();
        assertThat(p.out.sramSizeBytes()).isZero();
        assertThat(p.out.sizeBytes()).isEqualTo(256 * KIB);
        assertThat(at(rig, p.out.dmaAddr()).region().kind()).isEqualTo(MemKind.DDR);
        assertThat(at(rig, p.out.dmaAddr()).bytes()).isEqualTo(256 * KIB);
        assertThat(rig.hw.mem().sramInUse()).isZero();
        assertThat(action(c, ActionCode.GET_TOTAL_SRAM_SIZE)).isZero();
    }

    @Test
    void theNpuReadsTheSramPrefixOfABuffer() {
        // 3.1 / 6.6: the SRAM part is mapped at the start of the buffer's IOVA range, so DMA to
        // those addresses hits the on-chip SRAM.
        RknpuRig rig = new RknpuRig(WITH_SRAM);
        RknpuRig.Client c = rig.client("c").withBuffers(8);
        RknpuRig.Bo in = c.bo(MemFlags.TRY_ALLOC_SRAM, 256 * KIB, 128 * KIB, 0, false);
        TaskOp t = new TaskOp("copy", TaskOp.Kind.COPY, Dtype.INT8, TaskOp.Shape.elementwise(16, 1, 1), TaskOp.Cbuf.NONE,
                TaskOp.Post.NONE, List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, in.iova(), 128 * KIB),
                new TaskOp.Dma(TaskOp.Operand.OUTPUT, c.data.iova(), 128 * KIB)), 0);
        int s = c.chain(List.of(t));
        assertThat(c.call(c.single(PC_PP, 0x1, 1000, s, 1)).ret).isZero();
        assertThat(rig.records.get(0).sramBytes()).isCloseTo(128.0 * KIB, org.assertj.core.api.Assertions.within(1.0));
        assertThat(rig.records.get(0).ddrBytes()).isGreaterThanOrEqualTo(128.0 * KIB);
    }

    // ---- IOMMU domains --------------------------------------------------------------------------

    @Test
    void aDomainSwitchWaitsUntilNoJobHoldsTheCurrentDomain() {
        // 3.4: rknpu_iommu_domain_get_and_switch takes a reference when the id is current,
        // otherwise polls until the reference count is 0, then detaches and attaches. Jobs hold
        // the reference from schedule to completion, so a switch drains the whole NPU first.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client a = rig.client("a").withBuffers(64);
        RknpuRig.Client b = rig.client("b");
        int s = a.chain(20, a.conv("A", 64, 32, 64, 3)); // ~750 us
        int s1 = a.chain(2, a.conv("A1", 64, 32, 64, 3));
        a.call(a.single(PC_PP_NB, 0x1, 1000, s, 20));
        a.call(a.single(PC_PP_NB, 0x2, 1000, s, 20));
        var sw = b.ioctl(Action.of(ActionCode.SET_IOMMU_DOMAIN_ID, 1));
        rig.runFor(Time.us(100));
        assertThat(sw.done).isFalse();
        // the current domain is still handed out while the switch waits: this job starts at once
        var more = a.call(a.single(PC_PP_NB, 0x4, 1000, s1, 2));
        assertThat(more.ret).isZero();
        assertThat(more.latencyPs()).isLessThan(Time.us(100));
        rig.await(sw);
        assertThat(sw.ret).isZero();
        long lastEnd = rig.records.stream().mapToLong(r -> r.endPs()).max().orElseThrow();
        assertThat(rig.records).hasSize(42);
        assertThat(sw.atPs).isGreaterThan(lastEnd);
        assertThat(rig.dev.domainSwitches()).isEqualTo(1);
        assertThat(rig.hw.iommuFor(0).attached().id()).isEqualTo(1);
        assertThat(action(b, ActionCode.GET_IOMMU_DOMAIN_ID)).isEqualTo(1);
    }

    @Test
    void jobsOfAnotherDomainRunAfterTheSwitchWithTheirOwnMappings() {
        // 3.4: buffers remember their domain; a submit names its domain; the driver switches the
        // whole NPU between domains, each a separate 4 GiB IOVA space.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client a = rig.client("a").withBuffers(8, 0);
        RknpuRig.Client b = rig.client("b").withBuffers(8, 1);
        assertThat(rig.dev.domainSwitches()).isEqualTo(1); // B's MEM_CREATEs switched to domain 1
        int sa = a.chain(2, a.small("A"));
        int sb = b.chain(2, b.small("B"));
        assertThat(b.call(b.single(PC_PP, 0x1, 1000, sb, 2)).ret).isZero();
        assertThat(a.call(a.single(PC_PP, 0x1, 1000, sa, 2)).ret).isZero();
        assertThat(b.call(b.single(PC_PP, 0x2, 1000, sb, 2)).ret).isZero();
        assertThat(rig.dev.domainSwitches()).isEqualTo(3);
        assertThat(rig.records).hasSize(6);
        assertThat(rig.hw.iommuFor(0).faults()).isEmpty();
        // the same IOVA can be used in both domains: each has its own page table
        assertThat(a.tasks.iova()).isEqualTo(b.tasks.iova());
    }

    @Test
    void aDomainSwitchGivesUpAfterSixSecondsWithEinval() {
        // 3.4 / rknpu_iommu.c: RKNPU_SWITCH_DOMAIN_WAIT_TIME_MS = 6000, then "switch iommu domain
        // time out" and -EINVAL. A hung NONBLOCK job holds its domain reference forever.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client a = rig.client("a").withBuffers(8);
        RknpuRig.Client b = rig.client("b");
        int h = a.hangTask();
        a.call(a.single(PC_PP_NB, 0x1, 1000, h, 1));
        var sw = b.call(Action.of(ActionCode.SET_IOMMU_DOMAIN_ID, 1));
        assertThat(sw.ret).isEqualTo(-Errno.EINVAL);
        assertThat(sw.latencyPs()).isGreaterThanOrEqualTo(Time.ms(6000)).isLessThan(Time.ms(6010));
        assertThat(rig.dev.domainSwitches()).isZero();
        // MEM_CREATE in another domain fails the same way
        var mc = b.call(MemCreate.of(0, 4096, 0, 2, 0));
        assertThat(mc.ret).isEqualTo(-Errno.EINVAL);
        // the current domain stays usable
        assertThat(b.call(MemCreate.of(0, 4096, 0, 0, 0)).ret).isZero();
    }
}
