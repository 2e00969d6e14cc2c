package io.npusim.kernel.rknpu;

import static io.npusim.kernel.rknpu.RknpuRig.PC_PP;
import static io.npusim.kernel.rknpu.RknpuRig.PC_PP_NB;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.time.Time;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.uapi.Errno;
import io.npusim.uapi.rknpu.Action;
import io.npusim.uapi.rknpu.ActionCode;
import io.npusim.uapi.rknpu.JobFlags;
import io.npusim.uapi.rknpu.MemCreate;
import io.npusim.uapi.rknpu.MemDestroy;
import io.npusim.uapi.rknpu.MemFlags;
import io.npusim.uapi.rknpu.MemMap;
import io.npusim.uapi.rknpu.MemSync;
import io.npusim.uapi.rknpu.SyncFlags;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Argument checks and errno of every rknpu ioctl, as rknpu 0.9.8 returns them on RK3588. */
class RknpuValidationTest {

    // ---- SUBMIT -------------------------------------------------------------------------------

    @Test
    void submitWithTaskNumberZeroIsRejectedBeforeAJobExists() {
        // 2.2 step 1: rknpu_submit rejects task_number == 0 first thing (-EINVAL).
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a").withBuffers(8);
        int s = c.chain(1, c.small("t"));
        var p = c.call(c.submit(PC_PP, 0x1, 1000, s, 0, RknpuRig.Client.single(s, 1)));
        assertThat(p.ret).isEqualTo(-Errno.EINVAL);
        assertThat(p.latencyPs()).isLessThan(Time.ms(1));
        assertThat(rig.dev.jobsSubmitted()).isZero();
        assertThat(rig.records).isEmpty();
    }

    @Test
    void submitWithCoreMaskAboveTheSocMaskIsRejected() {
        // 2.1/2.2: the kernel rejects core_mask > config->core_mask (0x7); RKNN_NPU_CORE_ALL
        // (0xffff) must be resolved by userspace.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a").withBuffers(8);
        int s = c.chain(1, c.small("t"));
        for (int mask : new int[] {0x8, 0xf, 0xffff, -1}) {
            var p = c.call(c.single(PC_PP, mask, 1000, s, 1));
            assertThat(p.ret).as("mask 0x%x", mask).isEqualTo(-Errno.EINVAL);
        }
        assertThat(rig.dev.jobsSubmitted()).isZero();
        assertThat(rig.records).isEmpty();
    }

    @Test
    void submitWithoutPcModePassesValidationAndFailsAtCommitWithoutWaiting() {
        // 1.3: only PC mode is implemented; rknpu_job_subcore_commit sets -EINVAL. 2.2 step 5: a
        // blocking submit only waits in PC mode, then a failed job goes through rknpu_job_abort
        // (2.8: msleep(100), detach; no soft reset since the error is not -ETIMEDOUT).
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a").withBuffers(8);
        int s = c.chain(2, c.small("t"));
        var p = c.call(c.single(JobFlags.PINGPONG, 0x1, 5000, s, 2));
        assertThat(p.ret).isEqualTo(-Errno.EINVAL);
        assertThat(rig.dev.jobsSubmitted()).isEqualTo(1); // it passed validation and became a job
        assertThat(rig.records).isEmpty();                  // nothing ran
        assertThat(rig.hw.core(0).readReg(NpuRegs.PC_BASE_ADDRESS)).isEqualTo(1); // "switch to slave mode" was written
        assertThat(p.latencyPs()).isGreaterThanOrEqualTo(rig.p.abortSleepPs()).isLessThan(Time.ms(5000));
        assertThat(rig.dev.softResets()).isZero();
        assertThat(rig.dev.queueDepth(0)).isZero();
        assertThat(rig.dev.queuedTasks(0)).isZero();
        // the core is free again for a PC job
        var ok = c.call(c.single(PC_PP, 0x1, 1000, s, 2));
        assertThat(ok.ret).isZero();
        assertThat(rig.on(0)).hasSize(2);
    }

    @Test
    void nonblockingSubmitWithoutPcModeAlsoFailsOnAnIdleCore() {
        // 2.2 step 5: NONBLOCK schedules, and a job->ret set by the failed commit sends it to
        // rknpu_job_abort and back as the ioctl's error.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a").withBuffers(8);
        int s = c.chain(1, c.small("t"));
        var p = c.call(c.single(JobFlags.NONBLOCK, 0x2, 1000, s, 1));
        assertThat(p.ret).isEqualTo(-Errno.EINVAL);
        assertThat(p.latencyPs()).isGreaterThanOrEqualTo(rig.p.abortSleepPs());
        assertThat(rig.records).isEmpty();
    }

    @Test
    void aNonPcSubmitQueuedBehindAnotherReturnsZeroAndLaterHoldsItsCore() {
        // 2.2 step 5: without PC mode nothing waits; a job still queued has job->ret == 0, so the
        // ioctl returns 0 and the driver frees the job. When the core reaches it, the commit fails
        // (1.3) and the job stays the core's current job: later jobs on that core never start.
        // Only a NONBLOCK submit's timeout check (2.8) clears the core again.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a").withBuffers(16);
        int busy = c.chain(5, c.conv("busy", 64, 32, 64, 3));
        int s = c.chain(1, c.small("t"));
        c.call(c.single(PC_PP_NB, 0x1, 1000, busy, 5));
        var nonPc = c.call(c.single(JobFlags.PINGPONG, 0x1, 1000, s, 1));
        assertThat(nonPc.ret).isZero();
        assertThat(nonPc.latencyPs()).isLessThan(Time.us(100));
        rig.runFor(Time.ms(1));
        assertThat(rig.on(0)).hasSize(5);
        assertThat(rig.dev.queueDepth(0)).isEqualTo(1); // held by the failed job
        assertThat(rig.dev.jobsLost()).isEqualTo(1);
        assertThat(rig.dev.lostReports().get(0)).contains("RKNPU_JOB_PC");
        // a blocking PC job behind it is never committed: -EINVAL after three rounds
        var stuck = c.call(c.single(PC_PP, 0x1, 20, s, 1));
        assertThat(stuck.ret).isEqualTo(-Errno.EINVAL);
        assertThat(rig.on(0)).hasSize(5);
        // a NONBLOCK submit on core 0 finds the held job older than its timeout (in us): reset, drop
        var nb = c.call(c.single(PC_PP_NB | JobFlags.FENCE_OUT, 0x1, 1000, s, 1));
        assertThat(nb.ret).isZero();
        assertThat(rig.dev.softResets()).isEqualTo(1);
        rig.runFor(Time.ms(1));
        assertThat(rig.dev.fenceOf(nb.out.fenceFd()).isSignaled()).isTrue();
        assertThat(rig.on(0)).hasSize(6);
    }

    @Test
    void submitWithAnUnknownTaskObjectIsRefused() {
        // 1.2: task_obj_addr is a kernel pointer passed back verbatim; the real driver would
        // dereference garbage. The model refuses it with -EFAULT instead of crashing.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a").withBuffers(8);
        int s = c.chain(1, c.small("t"));
        var sub = c.single(PC_PP, 0x1, 1000, s, 1);
        var bad = new io.npusim.uapi.rknpu.Submit(sub.flags(), sub.timeoutMs(), sub.taskStart(), sub.taskNumber(), 0, 0,
                0xdead0000L, 0, 0, sub.taskBaseAddr(), 0, sub.coreMask(), -1, sub.subcoreTasks());
        assertThat(c.call(bad).ret).isEqualTo(-Errno.EFAULT);
        assertThat(rig.records).isEmpty();
    }

    @Test
    void submitToAnIommuDomainBeyondTheSixteenFailsWithEinval() {
        // 3.4 / rknpu_iommu.c: rknpu_iommu_switch_domain rejects ids outside 0..15 with -EINVAL, so
        // rknpu_job_schedule sets job->ret = -EINVAL; a NONBLOCK submit returns it after the abort.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a").withBuffers(8);
        int s = c.chain(1, c.small("t"));
        var sub = c.single(PC_PP_NB, 0x1, 1000, s, 1);
        var bad = new io.npusim.uapi.rknpu.Submit(sub.flags(), sub.timeoutMs(), sub.taskStart(), sub.taskNumber(), 0, 0,
                sub.taskObjAddr(), 16, 0, sub.taskBaseAddr(), 0, sub.coreMask(), -1, sub.subcoreTasks());
        var p = c.call(bad);
        assertThat(p.ret).isEqualTo(-Errno.EINVAL);
        assertThat(rig.records).isEmpty();
        assertThat(rig.dev.domainSwitches()).isZero();
        // the device still works
        assertThat(c.call(c.single(PC_PP, 0x1, 1000, s, 1)).ret).isZero();
    }

    // ---- ACTION -------------------------------------------------------------------------------

    @Test
    void actionsAnswerAsOnRk3588() {
        // 1.5: what rknpu_action() does with each code on RK3588.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a");
        assertThat(value(c, ActionCode.GET_DRV_VERSION)).isEqualTo(908);       // 0.9.8
        assertThat(value(c, ActionCode.GET_HW_VERSION))                        // REG[0x0] + (REG[0x4] & 0xffff)
                .isEqualTo(rig.hw.core(0).readReg(NpuRegs.PC_VERSION) + (rig.hw.core(0).readReg(NpuRegs.PC_VERSION_NUM) & 0xffff));
        assertThat(value(c, ActionCode.GET_FREQ)).isEqualTo(1_000_000_000);    // clk_get_rate, Hz
        assertThat(value(c, ActionCode.GET_VOLT)).isEqualTo(850_000);          // regulator_get_voltage, uV at 1 GHz
        assertThat(value(c, ActionCode.GET_IOMMU_EN)).isEqualTo(1);
        assertThat(value(c, ActionCode.GET_TOTAL_SRAM_SIZE)).isZero();         // stock DT: no SRAM for the NPU (3.1)
        assertThat(value(c, ActionCode.GET_FREE_SRAM_SIZE)).isZero();
        assertThat(value(c, ActionCode.GET_IOMMU_DOMAIN_ID)).isZero();
        assertThat(c.call(Action.of(ActionCode.SET_PROC_NICE, -5)).ret).isZero();
        // 13-17: amount_top == NULL on RK3588: "not supported" warning, returns 0
        for (ActionCode a : EnumSet.range(ActionCode.ACT_CLR_TOTAL_RW_AMOUNT, ActionCode.GET_TOTAL_RW_AMOUNT)) {
            var p = c.call(Action.of(a, 7));
            assertThat(p.ret).as(a.cName()).isZero();
        }
    }

    @Test
    void actionsThatDoNothingOnRk3588ReturnEinval() {
        // 1.5: SET_FREQ/SET_VOLT are empty cases with ret preset to -EINVAL; the BW ones need
        // bw_priority_base (length 0 on RK3588); POWER_ON/OFF have no case; unknown codes hit default.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a");
        Set<ActionCode> einval = EnumSet.of(ActionCode.SET_FREQ, ActionCode.SET_VOLT,
                ActionCode.GET_BW_PRIORITY, ActionCode.SET_BW_PRIORITY, ActionCode.GET_BW_EXPECT,
                ActionCode.SET_BW_EXPECT, ActionCode.GET_BW_TW, ActionCode.SET_BW_TW,
                ActionCode.POWER_ON, ActionCode.POWER_OFF);
        for (ActionCode a : einval) {
            assertThat(c.call(Action.of(a, 1)).ret).as(a.cName()).isEqualTo(-Errno.EINVAL);
        }
        for (int code : new int[] {26, 100, -1}) {
            assertThat(c.call(new Action(code, 0)).ret).as("code %d", code).isEqualTo(-Errno.EINVAL);
        }
        // SET_FREQ really is a no-op: the clock stays where it was
        c.call(Action.of(ActionCode.SET_FREQ, 300_000_000));
        assertThat(value(c, ActionCode.GET_FREQ)).isEqualTo(1_000_000_000);
    }

    @Test
    void actResetIsASynchronousWholeNpuSoftReset() {
        // 1.5: ACT_RESET calls rknpu_soft_reset(), which sleeps 100 ms before resetting every
        // core (2.8); the ioctl returns when it is done.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a");
        var p = c.call(Action.get(ActionCode.ACT_RESET));
        assertThat(p.ret).isZero();
        assertThat(rig.dev.softResets()).isEqualTo(1);
        assertThat(p.latencyPs()).isGreaterThanOrEqualTo(rig.p.resetSleepPs());
        for (int i = 0; i < 3; i++) assertThat(rig.hw.core(i).resets()).isEqualTo(1);
    }

    @Test
    void setIommuDomainIdOutsideTheSixteenDomainsIsEinval() {
        // 3.4: RKNPU_MAX_IOMMU_DOMAIN_NUM = 16; rknpu_iommu_switch_domain rejects other ids.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a");
        assertThat(c.call(Action.of(ActionCode.SET_IOMMU_DOMAIN_ID, 16)).ret).isEqualTo(-Errno.EINVAL);
        assertThat(c.call(Action.of(ActionCode.SET_IOMMU_DOMAIN_ID, -1)).ret).isEqualTo(-Errno.EINVAL);
        assertThat(c.call(Action.of(ActionCode.SET_IOMMU_DOMAIN_ID, 15)).ret).isZero();
        assertThat(value(c, ActionCode.GET_IOMMU_DOMAIN_ID)).isEqualTo(15);
        assertThat(rig.dev.domainSwitches()).isEqualTo(1);
    }

    private static int value(RknpuRig.Client c, ActionCode a) {
        var p = c.call(Action.get(a));
        assertThat(p.ret).as(a.cName()).isZero();
        return p.out.value();
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Test
    void memCreateRejectsZeroSizeAndUnknownDomains() {
        // 3.1 / rknpu_gem_object_create: !size -> -EINVAL; a domain id the switch rejects -> -EINVAL.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a");
        assertThat(c.call(MemCreate.of(0, 0, 0, 0, 0)).ret).isEqualTo(-Errno.EINVAL);
        assertThat(c.call(MemCreate.of(0, 4096, 0, 16, 0)).ret).isEqualTo(-Errno.EINVAL);
        assertThat(c.call(MemCreate.of(0, 4096, 0, -1, 0)).ret).isEqualTo(-Errno.EINVAL);
        assertThat(rig.hw.mem().ddrInUse()).isZero();
    }

    @Test
    void memCreateRoundsToPagesAndReturnsAKernelPointerAndIova() {
        // 1.2, 1.4: size comes back page-rounded, obj_addr is an opaque kernel pointer, dma_addr a
        // 32-bit IOVA (one 4 GiB IOMMU domain, 3.4).
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a");
        var p = c.call(MemCreate.of(MemFlags.CACHEABLE, 5000, 0, 0, 0));
        assertThat(p.ret).isZero();
        assertThat(p.out.sizeBytes()).isEqualTo(8192);
        assertThat(p.out.handle()).isPositive();
        assertThat(p.out.objAddr()).isNegative(); // 0xffffff80... : a kernel address
        assertThat(p.out.dmaAddr()).isBetween(4096L, (1L << 32) - 8192);
        assertThat(p.out.sramSizeBytes()).isZero();
    }

    @Test
    void memSyncNeedsACacheableObject() {
        // 3.3: MEM_SYNC only for RKNPU_MEM_CACHEABLE objects, else -EINVAL; a null obj_addr is -EINVAL.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a");
        RknpuRig.Bo wc = c.bo(MemFlags.WRITE_COMBINE, 8192, 0, 0, false);
        RknpuRig.Bo cached = c.bo(MemFlags.CACHEABLE, 8192, 0, 0, false);
        assertThat(c.call(MemSync.of(SyncFlags.TO_DEVICE, wc.objAddr(), 0, 8192)).ret).isEqualTo(-Errno.EINVAL);
        assertThat(c.call(MemSync.of(SyncFlags.TO_DEVICE, cached.objAddr(), 0, 8192)).ret).isZero();
        assertThat(c.call(MemSync.of(SyncFlags.FROM_DEVICE, cached.objAddr(), 4096, 4096)).ret).isZero();
        assertThat(c.call(MemSync.of(SyncFlags.TO_DEVICE, 0, 0, 8192)).ret).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void unknownHandlesAndOffsetsAreRefused() {
        // rknpu_gem_map_ioctl -> drm_gem_dumb_map_offset: unknown handle -ENOENT;
        // rknpu_gem_destroy_ioctl: rknpu_gem_object_find fails -> -EINVAL; drm_gem_mmap: unknown
        // fake offset or a mapping longer than the object -> -EINVAL.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("a");
        assertThat(c.call(MemMap.of(77)).ret).isEqualTo(-Errno.ENOENT);
        assertThat(c.call(MemDestroy.of(77, 0)).ret).isEqualTo(-Errno.EINVAL);
        RknpuRig.Bo b = c.bo(MemFlags.CACHEABLE, 8192, 0, 0, false);
        var off = c.call(MemMap.of(b.handle()));
        assertThat(off.ret).isZero();
        assertThat(c.mmap(off.out.offset(), 8192 + 4096).ret).isEqualTo(-Errno.EINVAL);
        assertThat(c.mmap(off.out.offset() + 4096, 4096).ret).isEqualTo(-Errno.EINVAL);
        assertThat(c.mmap(off.out.offset(), 8192).ret).isZero();
        assertThat(c.call(MemDestroy.of(b.handle(), b.objAddr())).ret).isZero();
        assertThat(c.call(MemDestroy.of(b.handle(), b.objAddr())).ret).isEqualTo(-Errno.EINVAL);
        assertThat(c.call(MemMap.of(b.handle())).ret).isEqualTo(-Errno.ENOENT);
        assertThat(c.mmap(off.out.offset(), 8192).ret).isEqualTo(-Errno.EINVAL);
        assertThat(rig.hw.mem().ddrInUse()).isZero();
    }

    @Test
    void handlesArePerFile() {
        // DRM handles belong to the drm_file: another client cannot map or destroy them.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client a = rig.client("a");
        RknpuRig.Client b = rig.client("b");
        RknpuRig.Bo bo = a.bo(MemFlags.CACHEABLE, 8192, 0, 0, false);
        assertThat(b.call(MemMap.of(bo.handle())).ret).isEqualTo(-Errno.ENOENT);
        assertThat(b.call(MemDestroy.of(bo.handle(), bo.objAddr())).ret).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(MemMap.of(bo.handle())).ret).isZero();
    }
}
