package io.npusim.kernel.rknpu;

import static io.npusim.kernel.rknpu.RknpuRig.PC_PP;
import static io.npusim.kernel.rknpu.RknpuRig.PC_PP_NB;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.time.Time;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.uapi.rknpu.JobFlags;
import io.npusim.uapi.rknpu.Submit;
import org.junit.jupiter.api.Test;

/** RKNPU_JOB_FENCE_OUT / FENCE_IN (rknpu_submit, rknpu_fence.c). */
class RknpuFenceTest {

    private static Submit withFence(Submit s, int fd) {
        return new Submit(s.flags(), s.timeoutMs(), s.taskStart(), s.taskNumber(), 0, s.priority(), s.taskObjAddr(),
                s.iommuDomainId(), 0, s.taskBaseAddr(), 0, s.coreMask(), fd, s.subcoreTasks());
    }

    @Test
    void fenceOutReturnsAFenceOnTheRknpuContextSignalledWhenTheJobCompletes() {
        // 2.2 step 4: FENCE_OUT allocates a dma_fence on rknpu's fence context (seqno++) and
        // returns a sync_file fd in fence_fd; rknpu_job_done signals it (2.7).
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("c").withBuffers(16);
        int s = c.chain(4, c.conv("t", 64, 32, 64, 3));
        var nb = c.call(c.single(PC_PP_NB | JobFlags.FENCE_OUT, 0x1, 1000, s, 4));
        assertThat(nb.ret).isZero();
        assertThat(nb.out.fenceFd()).isNotNegative();
        DmaFence f = rig.dev.fenceOf(nb.out.fenceFd());
        assertThat(f).isNotNull();
        assertThat(f.isSignaled()).isFalse();
        rig.runFor(Time.ms(2));
        assertThat(f.isSignaled()).isTrue();
        TaskRecord last = rig.on(0).get(3);
        assertThat(f.signaledAtPs()).isGreaterThanOrEqualTo(last.endPs()).isLessThan(last.endPs() + Time.us(50));

        // a blocking submit gets its fd back too (args->fence_fd is set before the wait), already signalled
        var b = c.call(c.single(PC_PP | JobFlags.FENCE_OUT, 0x1, 1000, s, 4));
        assertThat(b.ret).isZero();
        DmaFence g = rig.dev.fenceOf(b.out.fenceFd());
        assertThat(g).isNotNull();
        assertThat(g.isSignaled()).isTrue();
        assertThat(g.context()).isEqualTo(f.context());
        assertThat(g.seqno()).isEqualTo(f.seqno() + 1);
        // without FENCE_OUT there is no fence
        var none = c.call(c.single(PC_PP_NB, 0x1, 1000, s, 4));
        assertThat(none.out.fenceFd()).isEqualTo(-1);
    }

    @Test
    void fenceInFromRknpusOwnContextIsNotWaitedOn() {
        // 2.2 step 3: the ioctl thread blocks on an in-fence only when it is not from the rknpu
        // fence context; rknpu's own fences are not waited on at all (no ordering across cores).
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("c").withBuffers(64);
        int longRun = c.chain(20, c.conv("A", 64, 32, 64, 3)); // ~750 us on core 0
        int after = c.chain(1, c.small("B"));
        var a = c.call(c.single(PC_PP_NB | JobFlags.FENCE_OUT, 0x1, 1000, longRun, 20));
        DmaFence fa = rig.dev.fenceOf(a.out.fenceFd());
        var b = c.call(withFence(c.single(PC_PP | JobFlags.FENCE_IN, 0x2, 1000, after, 1), a.out.fenceFd()));
        assertThat(b.ret).isZero();
        assertThat(b.out.fenceFd()).isEqualTo(-1); // consumed: args->fence_fd = -1
        assertThat(fa.isSignaled()).isFalse(); // B finished on core 1 while A still runs on core 0
        TaskRecord tb = rig.on(1).get(0);
        assertThat(tb.endPs()).isLessThan(rig.sim.now());
        rig.runFor(Time.ms(2));
        assertThat(fa.isSignaled()).isTrue();
        assertThat(tb.startPs()).isLessThan(rig.on(0).get(19).endPs());
    }

    @Test
    void fenceInWithAnFdThatIsNoSyncFileIsEinval() {
        // rknpu_submit: sync_file_get_fence(fence_fd) fails -> "invalid fence in fd", -EINVAL.
        RknpuRig rig = new RknpuRig();
        RknpuRig.Client c = rig.client("c").withBuffers(8);
        int s = c.chain(1, c.small("t"));
        var p = c.call(withFence(c.single(PC_PP | JobFlags.FENCE_IN, 0x1, 1000, s, 1), 4242));
        assertThat(p.ret).isEqualTo(-io.npusim.uapi.Errno.EINVAL);
        assertThat(rig.records).isEmpty();
    }
}
