package io.npusim.uapi.rknpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.CodecChecks;
import io.npusim.uapi.codec.IoctlNumber;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RknpuUapiTest {
    static final List<Codec<?>> ALL = List.of(Action.CODEC, Submit.CODEC, MemCreate.CODEC,
            MemMap.CODEC, MemDestroy.CODEC, MemSync.CODEC, RknpuTask.CODEC, SubcoreTask.CODEC);

    @Test
    void structSizesMatchRknpuIoctlH() {
        assertThat(Action.CODEC.size()).isEqualTo(Action.SIZE).isEqualTo(8);
        assertThat(Submit.CODEC.size()).isEqualTo(Submit.SIZE).isEqualTo(104);
        // 0.9.8: 2 x u32 + 4 x u64 + s32 + u32 = 8 + 32 + 8, no tail padding.
        assertThat(MemCreate.CODEC.size()).isEqualTo(MemCreate.SIZE).isEqualTo(48);
        assertThat(MemMap.CODEC.size()).isEqualTo(MemMap.SIZE).isEqualTo(16);
        assertThat(MemDestroy.CODEC.size()).isEqualTo(MemDestroy.SIZE).isEqualTo(16);
        assertThat(MemSync.CODEC.size()).isEqualTo(MemSync.SIZE).isEqualTo(32);
        assertThat(RknpuTask.CODEC.size()).isEqualTo(RknpuTask.SIZE).isEqualTo(40);
        assertThat(SubcoreTask.CODEC.size()).isEqualTo(SubcoreTask.SIZE).isEqualTo(8);
    }

    @Test
    void requestNumbersAreDrmIowrFromCommandBase() {
        assertThat(Action.REQUEST).isEqualTo(0xc0086440L);
        assertThat(Submit.REQUEST).isEqualTo(0xc0686441L);
        assertThat(MemCreate.REQUEST).isEqualTo(0xc0306442L);
        assertThat(MemMap.REQUEST).isEqualTo(0xc0106443L);
        assertThat(MemDestroy.REQUEST).isEqualTo(0xc0106444L);
        assertThat(MemSync.REQUEST).isEqualTo(0xc0206445L);
        long[] requests = {Action.REQUEST, Submit.REQUEST, MemCreate.REQUEST, MemMap.REQUEST,
                MemDestroy.REQUEST, MemSync.REQUEST};
        for (int nr = 0; nr < requests.length; nr++) {
            assertThat(IoctlNumber.nr(requests[nr])).isEqualTo(IoctlNumber.DRM_COMMAND_BASE + nr);
            assertThat(IoctlNumber.type(requests[nr])).isEqualTo('d');
            assertThat(IoctlNumber.dir(requests[nr])).isEqualTo(3);
        }
    }

    @Test
    void instancesReportTheirRequestAndName() {
        List<RknpuIoctl> all = List.of(Action.get(ActionCode.GET_FREQ), sampleSubmit(),
                MemCreate.of(0, 4096, 0, 0, 0), MemMap.of(1), MemDestroy.of(1, 2),
                MemSync.of(SyncFlags.TO_DEVICE, 2, 0, 64));
        assertThat(all).extracting(RknpuIoctl::name).containsExactly("DRM_IOCTL_RKNPU_ACTION",
                "DRM_IOCTL_RKNPU_SUBMIT", "DRM_IOCTL_RKNPU_MEM_CREATE", "DRM_IOCTL_RKNPU_MEM_MAP",
                "DRM_IOCTL_RKNPU_MEM_DESTROY", "DRM_IOCTL_RKNPU_MEM_SYNC");
        for (RknpuIoctl i : all) {
            assertThat(Codecs.forRequest(i.request())).isPresent();
        }
        assertThat(Codecs.all()).hasSize(6);
        // Misc-device flavour: _IOWR('r', nr, struct).
        assertThat(sampleSubmit().miscRequest()).isEqualTo(0xc0687201L);
        assertThat(Action.get(ActionCode.GET_FREQ).miscRequest()).isEqualTo(0xc0087200L);
    }

    @Test
    void submitFieldOffsetsMatchTheHeader() {
        Submit s = new Submit(0x11, 0x22, 0x33, 0x44, 0x55, -6, 0x0777_0000_0000_0077L, 0x88,
                0x99, 0x0AAA_0000_0000_00AAL, -0xBBL, 0xCC, -13,
                List.of(new SubcoreTask(101, 102), new SubcoreTask(103, 104),
                        new SubcoreTask(105, 106), new SubcoreTask(107, 108),
                        new SubcoreTask(109, 110)));
        ByteBuffer b = ByteBuffer.wrap(Submit.CODEC.toBytes(s)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0x11);
        assertThat(b.getInt(4)).isEqualTo(0x22);
        assertThat(b.getInt(8)).isEqualTo(0x33);
        assertThat(b.getInt(12)).isEqualTo(0x44);
        assertThat(b.getInt(16)).isEqualTo(0x55);
        assertThat(b.getInt(20)).isEqualTo(-6);
        assertThat(b.getLong(24)).isEqualTo(0x0777_0000_0000_0077L);
        assertThat(b.getInt(32)).isEqualTo(0x88);
        assertThat(b.getInt(36)).isEqualTo(0x99);
        assertThat(b.getLong(40)).isEqualTo(0x0AAA_0000_0000_00AAL);
        assertThat(b.getLong(48)).isEqualTo(-0xBBL);
        assertThat(b.getInt(56)).isEqualTo(0xCC);
        assertThat(b.getInt(60)).isEqualTo(-13);
        for (int i = 0; i < 5; i++) {
            assertThat(b.getInt(64 + 8 * i)).isEqualTo(101 + 2 * i);
            assertThat(b.getInt(68 + 8 * i)).isEqualTo(102 + 2 * i);
        }
        assertThat(Submit.OFFSET_SUBCORE_TASK + 5 * SubcoreTask.SIZE).isEqualTo(Submit.SIZE);
    }

    @Test
    void otherFieldOffsets() {
        MemCreate m = new MemCreate(1, 2, 3, 4, 5, 6, -7, 8);
        ByteBuffer b = ByteBuffer.wrap(MemCreate.CODEC.toBytes(m)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new long[] {b.getInt(0), b.getInt(4), b.getLong(8), b.getLong(16),
                b.getLong(24), b.getLong(32), b.getInt(40), b.getInt(44)})
                .containsExactly(1, 2, 3, 4, 5, 6, -7, 8);

        RknpuTask t = new RknpuTask(1, 2, 3, 4, 5, 6, 7, 8, 0x0123_4567_89AB_CDEFL);
        b = ByteBuffer.wrap(RknpuTask.CODEC.toBytes(t)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) assertThat(b.getInt(4 * i)).isEqualTo(i + 1);
        assertThat(b.getLong(32)).isEqualTo(0x0123_4567_89AB_CDEFL);

        MemSync s = new MemSync(1, 2, 3, 4, 5);
        b = ByteBuffer.wrap(MemSync.CODEC.toBytes(s)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new long[] {b.getInt(0), b.getInt(4), b.getLong(8), b.getLong(16),
                b.getLong(24)}).containsExactly(1, 2, 3, 4, 5);

        b = ByteBuffer.wrap(MemMap.CODEC.toBytes(new MemMap(1, 2, 3))).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new long[] {b.getInt(0), b.getInt(4), b.getLong(8)}).containsExactly(1, 2, 3);
        b = ByteBuffer.wrap(MemDestroy.CODEC.toBytes(new MemDestroy(1, 2, 3)))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new long[] {b.getInt(0), b.getInt(4), b.getLong(8)}).containsExactly(1, 2, 3);
        b = ByteBuffer.wrap(Action.CODEC.toBytes(new Action(1, 2))).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new long[] {b.getInt(0), b.getInt(4)}).containsExactly(1, 2);
    }

    @Test
    void flagValuesMatchTheHeader() {
        assertThat(new int[] {JobFlags.SLAVE, JobFlags.PC, JobFlags.BLOCK, JobFlags.NONBLOCK,
                JobFlags.PINGPONG, JobFlags.FENCE_IN, JobFlags.FENCE_OUT, JobFlags.MASK})
                .containsExactly(0, 1, 0, 2, 4, 8, 16, 0x1f);
        assertThat(new int[] {MemFlags.CONTIGUOUS, MemFlags.NON_CONTIGUOUS,
                MemFlags.NON_CACHEABLE, MemFlags.CACHEABLE, MemFlags.WRITE_COMBINE,
                MemFlags.KERNEL_MAPPING, MemFlags.IOMMU, MemFlags.ZEROING, MemFlags.SECURE,
                MemFlags.DMA32, MemFlags.TRY_ALLOC_SRAM, MemFlags.TRY_ALLOC_NBUF,
                MemFlags.IOMMU_LIMIT_IOVA_ALIGNMENT, MemFlags.MASK})
                .containsExactly(0, 1, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 0x7ff);
        assertThat(new int[] {SyncFlags.TO_DEVICE, SyncFlags.FROM_DEVICE, SyncFlags.MASK})
                .containsExactly(1, 2, 3);
        assertThat(new int[] {CoreMask.AUTO, CoreMask.CORE0, CoreMask.CORE1, CoreMask.CORE2,
                CoreMask.CORE0_1, CoreMask.CORE0_1_2, CoreMask.ofCore(2)})
                .containsExactly(0, 1, 2, 4, 3, 7, 4);
        assertThatThrownBy(() -> CoreMask.ofCore(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void irqBitsFollowRegistersXml() {
        int[] bits = {NpuIrqBits.CNA_FEATURE_0, NpuIrqBits.CNA_FEATURE_1, NpuIrqBits.CNA_WEIGHT_0,
                NpuIrqBits.CNA_WEIGHT_1, NpuIrqBits.CNA_CSC_0, NpuIrqBits.CNA_CSC_1,
                NpuIrqBits.CORE_0, NpuIrqBits.CORE_1, NpuIrqBits.DPU_0, NpuIrqBits.DPU_1,
                NpuIrqBits.PPU_0, NpuIrqBits.PPU_1, NpuIrqBits.DMA_READ_ERROR,
                NpuIrqBits.DMA_WRITE_ERROR};
        for (int i = 0; i < bits.length; i++) assertThat(bits[i]).isEqualTo(1 << i);
        assertThat(NpuIrqBits.CLEAR_ALL).isEqualTo(0x1ffff);
    }

    @Test
    void actionCodesAreTheWholeEnum() {
        assertThat(ActionCode.values()).hasSize(26);
        for (ActionCode c : ActionCode.values()) {
            assertThat(ActionCode.fromCode(c.code())).contains(c);
        }
        assertThat(ActionCode.GET_DRV_VERSION.code()).isEqualTo(1);
        assertThat(ActionCode.SET_PROC_NICE.code()).isEqualTo(19);
        assertThat(ActionCode.POWER_OFF.code()).isEqualTo(21);
        assertThat(ActionCode.SET_IOMMU_DOMAIN_ID.code()).isEqualTo(25);
        assertThat(ActionCode.GET_FREE_SRAM_SIZE.cName()).isEqualTo("RKNPU_GET_FREE_SRAM_SIZE");
        assertThat(ActionCode.fromCode(26)).isEmpty();
        assertThat(ActionCode.fromCode(-1)).isEmpty();
        assertThat(new Action(25, 0).code()).contains(ActionCode.SET_IOMMU_DOMAIN_ID);
    }

    @Test
    void outFieldCopies() {
        Submit s = sampleSubmit().withTaskCounter(12).withHwElapseTimeNs(3_000_000L).withFenceFd(9);
        assertThat(s.taskCounter()).isEqualTo(12);
        assertThat(s.hwElapseTimeNs()).isEqualTo(3_000_000L);
        assertThat(s.fenceFd()).isEqualTo(9);
        assertThat(s.taskObjAddr()).isEqualTo(sampleSubmit().taskObjAddr());
        MemCreate m = MemCreate.of(MemFlags.KERNEL_MAPPING, 100, 0, 0, 0)
                .withResult(3, 4096, 0xFFFF_FF80_1234_0000L, 0x1000_0000L, 0);
        assertThat(m.handle()).isEqualTo(3);
        assertThat(m.sizeBytes()).isEqualTo(4096);
        assertThat(m.flags()).isEqualTo(MemFlags.KERNEL_MAPPING);
        assertThat(MemMap.of(3).withOffset(0x10_0000L).offset()).isEqualTo(0x10_0000L);
        assertThat(Action.get(ActionCode.GET_FREQ).withValue(1_000_000_000).value())
                .isEqualTo(1_000_000_000);
        assertThat(new RknpuTask(0, 0, 0, 0x300, 0, 0, 0, 0, 0).withIntStatus(0x100).intStatus())
                .isEqualTo(0x100);
    }

    @Test
    void submitNeedsExactlyFiveSubcoreTasks() {
        assertThatThrownBy(() -> Submit.of(JobFlags.PC, 1000, 0, 1, 0, 1, 0, 0, 0, -1,
                List.of(SubcoreTask.NONE))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyStructRejectsTruncatedInput() {
        ALL.forEach(CodecChecks::rejectsEveryTruncation);
    }

    @Test
    void familyIsSealed() {
        assertThat(RknpuIoctl.class.isSealed()).isTrue();
        assertThat(RknpuIoctl.class.getPermittedSubclasses()).hasSize(6);
    }

    static Submit sampleSubmit() {
        return Submit.of(JobFlags.PC | JobFlags.PINGPONG, 6000, 0, 30, 0, 0xFFFF_FF80_0000_1000L, 0,
                0x2000_0000L, CoreMask.CORE0_1_2, -1, Submit.noSubcoreTasks());
    }
}
