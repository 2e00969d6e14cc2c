package io.npusim.hw.iommu;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.HwRig;
import io.npusim.hw.Rk3588;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import org.junit.jupiter.api.Test;

class IommuTest {
    @Test
    void iotlbIsAnLruOverPageRuns() {
        Iotlb t = new Iotlb(8);
        assertThat(t.access(0, 4)).isEqualTo(4); // cold
        assertThat(t.access(0, 4)).isZero(); // warm
        assertThat(t.access(2, 4)).isEqualTo(2); // pages 4, 5 new
        assertThat(t.access(100, 16)).isEqualTo(16); // larger than the TLB: evicts everything
        assertThat(t.cachedPages()).isEqualTo(8);
        assertThat(t.access(0, 4)).isEqualTo(4);
        assertThat(t.access(110, 6)).isEqualTo(2); // 110..111 were evicted, 112..115 still cached
        t.zapAll();
        assertThat(t.cachedPages()).isZero();
        assertThat(t.access(112, 1)).isEqualTo(1);
        t.zapPage(112);
        assertThat(t.access(112, 1)).isEqualTo(1);
        assertThat(t.hits() + t.misses()).isEqualTo(4 + 4 + 4 + 16 + 4 + 6 + 1 + 1);
    }

    @Test
    void aWorkingSetLargerThanTheIotlbCostsWalksAndZapCacheMakesTheNextTaskCold() {
        HwRig rig = new HwRig("iommu.iotlb_entries=64");
        TaskOp small = rig.conv(32, 20, 20, 32, 3, Dtype.INT8); // a few pages
        long rc = rig.program(java.util.List.of(small), 128);
        TaskRecord cold = rerun(rig, rc);
        TaskRecord warm = rerun(rig, rc);
        assertThat(cold.iotlbMisses()).isPositive();
        assertThat(warm.iotlbMisses()).isZero();
        assertThat(warm.walkLatencyPs()).isZero();
        rig.hw.iommuFor(0).zapCache();
        TaskRecord again = rerun(rig, rc);
        assertThat(again.iotlbMisses()).isEqualTo(cold.iotlbMisses());
        assertThat(again.walkLatencyPs()).isPositive();

        TaskOp big = rig.matmulM1(1024, 1024); // 1 MiB of weights = 256 pages, four times the IOTLB
        TaskRecord b1 = rig.runAlone(0, big);
        TaskRecord b2 = rig.runAlone(0, big);
        assertThat(b1.iotlbMisses()).isGreaterThanOrEqualTo(256);
        assertThat(b2.iotlbMisses()).isGreaterThanOrEqualTo(256 - 64);
    }

    private static TaskRecord rerun(HwRig rig, long rc) {
        int before = rig.records.size();
        rig.start(0, rc, 128, 1, false);
        rig.sim.run();
        return rig.records.get(before);
    }

    @Test
    void attachingAnotherDomainFlushesEveryBankAndReattachingTheSameIsANoOp() {
        HwRig rig = new HwRig(Rk3588.IommuTopology.SHARED);
        Iommu m = rig.hw.iommuFor(0);
        assertThat(m.banks()).isEqualTo(4);
        assertThat(rig.hw.iommuFor(2)).isSameAs(m);
        IommuDomain d = m.attached();
        long attaches = m.attaches();
        assertThat(m.attach(d)).isFalse();
        assertThat(m.attaches()).isEqualTo(attaches);
        IommuDomain other = new IommuDomain(9, "other");
        long zaps = m.zapCacheCommands();
        assertThat(m.attach(other)).isTrue();
        assertThat(m.zapCacheCommands() - zaps).isEqualTo(4); // one per bank
        HwRig mainline = new HwRig(Rk3588.IommuTopology.PER_CORE);
        assertThat(mainline.hw.iommus()).hasSize(3);
        assertThat(mainline.hw.iommuFor(1)).isNotSameAs(mainline.hw.iommuFor(2));
    }

    @Test
    void domainsMapPagesInA4GiBSpaceAndCountTheirTables() {
        IommuDomain d = new IommuDomain(1, "d");
        io.npusim.hw.mem.PhysMemory mem = new io.npusim.hw.mem.PhysMemory(1L << 30, 0);
        var r = mem.allocDdr("a", 1, 8L << 20);
        assertThat(d.map(0x40_0000L, r, 0, r.bytes())).isTrue();
        assertThat(d.map(0x40_0000L + 4096, r, 0, 4096)).isFalse(); // overlap
        assertThat(d.map(IommuDomain.APERTURE - 4096, r, 0, 8192)).isFalse(); // past 4 GiB
        assertThat(d.tablePages()).isEqualTo(1 + 2); // directory + two 4 MiB tables
        assertThat(d.lookup(0x40_0000L + 100).region()).isSameAs(r);
        assertThat(d.lookup(0x3f_ffffL)).isNull();
        assertThat(d.unmap(0x40_0000L)).isEqualTo(8L << 20);
        assertThat(d.tablePages()).isEqualTo(1);
    }
}
