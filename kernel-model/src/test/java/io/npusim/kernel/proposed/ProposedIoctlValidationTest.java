package io.npusim.kernel.proposed;

import static io.npusim.kernel.proposed.ProposedRig.KIB;
import static io.npusim.kernel.proposed.ProposedRig.MS;
import static io.npusim.kernel.proposed.ProposedRig.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.time.Time;
import io.npusim.kernel.proposed.ProposedRig.Bo;
import io.npusim.kernel.proposed.ProposedRig.Client;
import io.npusim.kernel.proposed.ProposedRig.Ctx;
import io.npusim.kernel.proposed.ProposedRig.Job;
import io.npusim.kernel.proposed.ProposedRig.Ret;
import io.npusim.uapi.Errno;
import io.npusim.uapi.codec.UserArray;
import io.npusim.uapi.drm.GemClose;
import io.npusim.uapi.proposed.BoCreate;
import io.npusim.uapi.proposed.BoResident;
import io.npusim.uapi.proposed.CtxCreate;
import io.npusim.uapi.proposed.CtxDestroy;
import io.npusim.uapi.proposed.CtxQuery;
import io.npusim.uapi.proposed.NpuFence;
import io.npusim.uapi.proposed.NpuIoctl;
import io.npusim.uapi.proposed.NpuSegment;
import io.npusim.uapi.proposed.NpuSubmit;
import io.npusim.uapi.proposed.NpuTask;
import io.npusim.uapi.proposed.NpuVariant;
import io.npusim.uapi.proposed.NpuWait;
import io.npusim.uapi.proposed.SramRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every argument check of the proposed ioctls and the errno it returns (docs/PROPOSED_UAPI.md):
 * -EINVAL for malformed structs, unknown contexts and points not yet submitted, -ENOENT for
 * unknown GEM handles, -EFAULT for unreadable user arrays, -EBUSY for objects still in use,
 * -ETIME for a WAIT deadline, -ENOTTY for another driver's ioctl. A rejected call changes nothing.
 */
class ProposedIoctlValidationTest {

    private static NpuSubmit copy(NpuSubmit s, int flags, int taskCount, int taskStructSize, int variantCount, int variantStructSize,
                                  int inFenceCount, int pad) {
        return new NpuSubmit(s.ctxId(), flags, s.tasks(), taskCount, taskStructSize, s.variants(), variantCount, variantStructSize,
                s.inFences(), inFenceCount, pad, 0);
    }

    private static NpuSubmit onCtx(NpuSubmit s, int ctxId) {
        return new NpuSubmit(ctxId, s.flags(), s.tasks(), s.taskCount(), s.taskStructSize(), s.variants(), s.variantCount(),
                s.variantStructSize(), s.inFences(), s.inFenceCount(), s.pad(), 0);
    }

    /** A submit of {@code job}'s tasks with hand-made variants. */
    private static NpuSubmit withVariants(Client c, Job job, NpuVariant... vs) {
        return NpuSubmit.of(job.ctx.id, c.array(job.tasks), c.array(List.of(vs)), UserArray.nullPointer());
    }

    private static NpuVariant variant(Client c, int cores, NpuSegment... segs) {
        return NpuVariant.of(cores, c.array(List.of(segs)));
    }

    private static NpuSegment seg(int[] start, int[] count) {
        return new NpuSegment(start, count);
    }

    // ---- CTX_CREATE / CTX_DESTROY ------------------------------------------------------------

    @Test
    void ctxCreateTakesAKnownClassZeroFlagsAndPadAndANonNegativeDeadline() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        assertThat(a.call(CtxCreate.of(3, 0))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(CtxCreate.of(-1, 0))).isEqualTo(-Errno.EINVAL); // 0xffffffff as __u32
        assertThat(a.call(new CtxCreate(NpuIoctl.CLASS_LATENCY, 1, 0, 0, 0))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(new CtxCreate(NpuIoctl.CLASS_LATENCY, 0, 0, 0, 1))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(CtxCreate.of(NpuIoctl.CLASS_LATENCY, -1))).isEqualTo(-Errno.EINVAL); // > INT64_MAX as __u64
        // Every class is accepted, with or without a deadline; ids are distinct.
        int l = ((CtxCreate) a.ioctl(CtxCreate.of(NpuIoctl.CLASS_LATENCY, 33_000_000)).out()).ctxId();
        int t = ((CtxCreate) a.ioctl(CtxCreate.of(NpuIoctl.CLASS_THROUGHPUT, 0)).out()).ctxId();
        int b = ((CtxCreate) a.ioctl(CtxCreate.of(NpuIoctl.CLASS_BACKGROUND, 0)).out()).ctxId();
        assertThat(List.of(l, t, b)).doesNotHaveDuplicates().allMatch(id -> id > 0);
    }

    @Test
    void ctxDestroyNeedsAnIdleContextOfTheCallersFile() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Client b = r.client("B");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        assertThat(a.call(new CtxDestroy(ctx.id + 100, 0))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(new CtxDestroy(ctx.id, 1))).isEqualTo(-Errno.EINVAL);
        // Contexts belong to the file that created them.
        assertThat(b.call(new CtxDestroy(ctx.id, 0))).isEqualTo(-Errno.EINVAL);
        // A job not yet retired keeps the context alive: -EBUSY, and the job still completes.
        long seq = ctx.submit(ctx.job("J").single(8));
        assertThat(ctx.destroy()).isEqualTo(-Errno.EBUSY);
        assertThat(ctx.waitFor(seq).ret()).isZero();
        assertThat(ctx.destroy()).isZero();
        assertThat(ctx.destroy()).isEqualTo(-Errno.EINVAL); // gone
        assertThat(a.call(CtxQuery.of(ctx.id))).isEqualTo(-Errno.EINVAL);
    }

    // ---- BO_CREATE / BO_RESIDENT / GEM_CLOSE ---------------------------------------------------

    @Test
    void boCreateNeedsASizeAndZeroFlags() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        long before = r.hw.mem().ddrInUse();
        assertThat(a.call(BoCreate.of(0))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(BoCreate.of(-1))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(new BoCreate(PAGE, 1, 0, 0))).isEqualTo(-Errno.EINVAL);
        assertThat(r.hw.mem().ddrInUse()).isEqualTo(before);
        BoCreate c = (BoCreate) a.ioctl(BoCreate.of(5000)).out();
        assertThat(c.handle()).isEqualTo(1); // the rejected calls created nothing
        assertThat(r.hw.mem().ddrInUse() - before).isEqualTo(2 * PAGE); // pinned now, whole pages
        assertThat(c.offset()).isPositive();
    }

    @Test
    void boResidentMapsOnceAndReturnsTheSameAddressAgain() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Bo bo = a.bo(64 * KIB);
        assertThat(a.call(BoResident.of(ctx.id + 100, bo.handle()))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(BoResident.of(ctx.id, 999))).isEqualTo(-Errno.ENOENT);
        assertThat(a.call(new BoResident(ctx.id, bo.handle(), 1, 0, 0))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(new BoResident(ctx.id, bo.handle(), 0, 1, 0))).isEqualTo(-Errno.EINVAL);
        long resident = ctx.query().residentBytes();
        long t0 = r.now();
        Ret first = a.ioctl(BoResident.of(ctx.id, bo.handle()));
        long firstPs = r.now() - t0;
        assertThat(first.ret()).isZero();
        long iova = ((BoResident) first.out()).iova();
        assertThat(iova % PAGE).isZero();
        assertThat(ctx.query().residentBytes() - resident).isEqualTo(64 * KIB);
        // The second call maps nothing: same address, same accounting, and it is cheaper.
        long t1 = r.now();
        Ret again = a.ioctl(BoResident.of(ctx.id, bo.handle()));
        long againPs = r.now() - t1;
        assertThat(again.ret()).isZero();
        assertThat(((BoResident) again.out()).iova()).isEqualTo(iova);
        assertThat(ctx.query().residentBytes() - resident).isEqualTo(64 * KIB);
        assertThat(firstPs - againPs).isGreaterThanOrEqualTo(16 * r.cost.iommuMapPagePs()); // 16 pages mapped once
        // Resident in a second context too: an address in that context's own space.
        Ctx other = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ret inOther = a.ioctl(BoResident.of(other.id, bo.handle()));
        assertThat(inOther.ret()).isZero();
        assertThat(other.query().residentBytes()).isEqualTo(512 * KIB + 2 * PAGE + 64 * KIB); // its working buffers + this one
    }

    @Test
    void gemCloseOfAResidentBufferIsBusyUntilItsContextsAreDestroyed() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Bo bo = a.bo(PAGE);
        Bo loose = a.bo(PAGE);
        a.resident(ctx, bo);
        assertThat(a.call(GemClose.of(999))).isEqualTo(-Errno.EINVAL); // drm_gem_handle_delete
        assertThat(a.call(GemClose.of(bo.handle()))).isEqualTo(-Errno.EBUSY); // pinned for the context's life
        assertThat(a.call(GemClose.of(loose.handle()))).isZero();
        assertThat(a.call(GemClose.of(loose.handle()))).isEqualTo(-Errno.EINVAL);
        long ddr = r.hw.mem().ddrInUse();
        assertThat(ctx.destroy()).isZero();
        assertThat(a.call(GemClose.of(bo.handle()))).isZero();
        assertThat(ddr - r.hw.mem().ddrInUse()).isEqualTo(PAGE); // its pages are freed
    }

    @Test
    void anotherDriversIoctlIsNotATypewriter() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        assertThat(a.call(io.npusim.uapi.rocket.CreateBo.of(PAGE))).isEqualTo(-Errno.ENOTTY);
    }

    // ---- SRAM_REQUEST --------------------------------------------------------------------------

    @Test
    void sramRequestNeedsABufferResidentInTheContext() {
        ProposedRig r = new ProposedRig("sram.npu_kb=256");
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx other = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Bo bo = a.bo(64 * KIB);
        assertThat(a.call(SramRequest.of(ctx.id, bo.handle(), 64 * KIB, 0))).as("not resident").isEqualTo(-Errno.EINVAL);
        a.resident(other, bo);
        assertThat(a.call(SramRequest.of(ctx.id, bo.handle(), 64 * KIB, 0))).as("resident in another context").isEqualTo(-Errno.EINVAL);
        a.resident(ctx, bo);
        assertThat(a.call(SramRequest.of(ctx.id + 100, bo.handle(), 64 * KIB, 0))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(SramRequest.of(ctx.id, 999, 64 * KIB, 0))).isEqualTo(-Errno.ENOENT);
        assertThat(a.call(SramRequest.of(ctx.id, bo.handle(), 64 * KIB + 1, 0))).as("beyond the buffer").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(SramRequest.of(ctx.id, bo.handle(), -1, 0))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(new SramRequest(ctx.id, bo.handle(), 64 * KIB, 0, 1, 0))).isEqualTo(-Errno.EINVAL);
        // priorities lie below the latency-class bonus (1 << 20): 0xffffffff must not wrap to the lowest
        assertThat(a.call(SramRequest.of(ctx.id, bo.handle(), 64 * KIB, ProposedDevice.CLASS_SRAM_BONUS))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(SramRequest.of(ctx.id, bo.handle(), 64 * KIB, -1))).isEqualTo(-Errno.EINVAL);
        assertThat(ctx.query().sramBytes()).isZero();
        assertThat(r.hw.mem().sramInUse()).isZero();
        assertThat(ctx.sram(bo, 64 * KIB, ProposedDevice.CLASS_SRAM_BONUS - 1)).isEqualTo(64 * KIB);
    }

    // ---- SUBMIT -----------------------------------------------------------------------------

    @Test
    void submitRejectsMalformedHeaders() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        NpuSubmit ok = ctx.job("J").single(2).submit();
        assertThat(a.call(onCtx(ok, ctx.id + 100))).as("unknown ctx").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(copy(ok, 1, 2, NpuTask.SIZE, 1, NpuVariant.SIZE, 0, 0))).as("flags").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(copy(ok, 0, 2, NpuTask.SIZE, 1, NpuVariant.SIZE, 0, 1))).as("pad").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(copy(ok, 0, 0, NpuTask.SIZE, 1, NpuVariant.SIZE, 0, 0))).as("task_count 0").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(copy(ok, 0, 0x10000, NpuTask.SIZE, 1, NpuVariant.SIZE, 0, 0))).as("task_count > 65535").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(copy(ok, 0, -1, NpuTask.SIZE, 1, NpuVariant.SIZE, 0, 0))).as("task_count 0xffffffff").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(copy(ok, 0, 2, NpuTask.SIZE - 1, 1, NpuVariant.SIZE, 0, 0))).as("short task stride").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(copy(ok, 0, 2, NpuTask.SIZE, 1, NpuVariant.SIZE - 1, 0, 0))).as("short variant stride").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(copy(ok, 0, 2, NpuTask.SIZE, 0, NpuVariant.SIZE, 0, 0))).as("no variant").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(copy(ok, 0, 2, NpuTask.SIZE, 4, NpuVariant.SIZE, 0, 0))).as("4 variants").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(copy(ok, 0, 2, NpuTask.SIZE, 1, NpuVariant.SIZE, 65, 0))).as("65 in-fences").isEqualTo(-Errno.EINVAL);
        // More elements than were written: copy_from_user faults.
        assertThat(a.call(copy(ok, 0, 3, NpuTask.SIZE, 1, NpuVariant.SIZE, 0, 0))).as("tasks beyond the array").isEqualTo(-Errno.EFAULT);
        assertThat(a.call(copy(ok, 0, 2, NpuTask.SIZE, 2, NpuVariant.SIZE, 0, 0))).as("variants beyond the array").isEqualTo(-Errno.EFAULT);
        assertThat(a.call(copy(ok, 0, 2, NpuTask.SIZE, 1, NpuVariant.SIZE, 1, 0))).as("NULL in-fences").isEqualTo(-Errno.EFAULT);
        assertThat(a.call(new NpuSubmit(ctx.id, 0, UserArray.faulting(0x1000), 2, NpuTask.SIZE, ok.variants(), 1, NpuVariant.SIZE,
                UserArray.nullPointer(), 0, 0, 0))).as("unreadable tasks").isEqualTo(-Errno.EFAULT);
        // A larger stride than the kernel knows is accepted (the struct may grow at its end).
        assertThat(a.call(copy(ok, 0, 2, NpuTask.SIZE * 2, 1, NpuVariant.SIZE * 2, 0, 0))).isZero();
    }

    @Test
    void submitRejectsBadTasksVariantsAndSegments() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Job j = ctx.job("J").single(4); // tasks 0..3
        NpuSegment all = seg(new int[] {0, 0, 0}, new int[] {4, 0, 0});
        assertThat(a.call(withVariants(a, j, variant(a, 0, all)))).as("0 cores").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(withVariants(a, j, variant(a, 4, all)))).as("4 cores").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(withVariants(a, j, new NpuVariant(1, 0, UserArray.nullPointer())))).as("no segment").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(withVariants(a, j, new NpuVariant(1, 2, a.array(List.of(all)))))).as("segments beyond the array").isEqualTo(-Errno.EFAULT);
        assertThat(a.call(withVariants(a, j, variant(a, 1, seg(new int[] {2, 0, 0}, new int[] {3, 0, 0}))))).as("part beyond task_count")
                .isEqualTo(-Errno.EINVAL);
        assertThat(a.call(withVariants(a, j, variant(a, 1, seg(new int[] {-1, 0, 0}, new int[] {2, 0, 0}))))).as("start 0xffffffff")
                .isEqualTo(-Errno.EINVAL);
        assertThat(a.call(withVariants(a, j, variant(a, 1, seg(new int[] {0, 2, 0}, new int[] {2, 2, 0}))))).as("part 1 of a 1-core variant")
                .isEqualTo(-Errno.EINVAL);
        assertThat(a.call(withVariants(a, j, variant(a, 2, seg(new int[] {0, 1, 3}, new int[] {1, 2, 1}))))).as("part 2 of a 2-core variant")
                .isEqualTo(-Errno.EINVAL);
        assertThat(a.call(withVariants(a, j, variant(a, 2, seg(new int[] {0, 0, 0}, new int[] {0, 0, 0}))))).as("empty segment")
                .isEqualTo(-Errno.EINVAL);
        // One bad variant among good ones rejects the submit.
        assertThat(a.call(withVariants(a, j, variant(a, 1, all), variant(a, 4, all)))).isEqualTo(-Errno.EINVAL);
        // A task without register commands.
        NpuSubmit noCmds = NpuSubmit.of(ctx.id, a.array(List.of(new NpuTask(j.tasks.get(0).regcmd(), 0))),
                a.array(List.of(variant(a, 1, seg(new int[] {0, 0, 0}, new int[] {1, 0, 0})))), UserArray.nullPointer());
        assertThat(a.call(noCmds)).as("regcmd_count 0").isEqualTo(-Errno.EINVAL);
        // A part in the last slot of a 3-core variant, and a part 1 that starts a later segment, are fine.
        assertThat(a.call(withVariants(a, j, variant(a, 3, seg(new int[] {0, 0, 2}, new int[] {2, 0, 2}))))).isZero();
        // Nothing rejected took a timeline point: the accepted submit got point 1.
        assertThat(ctx.waitFor(1).ret()).isZero();
        assertThat(ctx.waitFor(2).ret()).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void inFencesMustNameSubmittedPointsOfTheFilesContexts() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Client b = r.client("B");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        Ctx theirs = b.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        long seq = ctx.submit(ctx.job("J0").single(2));
        long theirSeq = theirs.submit(theirs.job("B0").single(2));
        Job next = ctx.job("J1").single(2);
        assertThat(a.call(next.submit(ctx.point(seq + 1)))).as("unsubmitted point").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(next.submit(ctx.point(0)))).as("point 0").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(next.submit(new NpuFence(ctx.id, 1, seq)))).as("pad").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(next.submit(new NpuFence(ctx.id + 100, 0, seq)))).as("unknown ctx").isEqualTo(-Errno.EINVAL);
        assertThat(theirs.id).isNotEqualTo(ctx.id);
        assertThat(a.call(next.submit(new NpuFence(theirs.id, 0, theirSeq)))).as("another file's ctx").isEqualTo(-Errno.EINVAL);
        // A submitted point, pending or signalled, is fine.
        long seq2 = ctx.submit(next, ctx.point(seq));
        assertThat(seq2).isEqualTo(seq + 1);
        assertThat(ctx.waitFor(seq2).ret()).isZero();
        assertThat(ctx.submit(ctx.job("J2").single(1), ctx.point(seq), ctx.point(seq2))).isEqualTo(seq2 + 1);
    }

    // ---- WAIT ------------------------------------------------------------------------------

    @Test
    void waitChecksItsPointAndHonoursItsAbsoluteDeadline() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        assertThat(a.call(NpuWait.forever(ctx.id, 1))).as("nothing submitted").isEqualTo(-Errno.EINVAL);
        long seq = ctx.submit(ctx.job("J").single(50)); // about 5 ms
        assertThat(a.call(NpuWait.forever(ctx.id, seq + 1))).as("unsubmitted point").isEqualTo(-Errno.EINVAL);
        assertThat(a.call(NpuWait.forever(ctx.id, 0))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(NpuWait.forever(ctx.id + 100, seq))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(new NpuWait(ctx.id, 1, seq, Long.MAX_VALUE))).isEqualTo(-Errno.EINVAL);
        // A deadline already past: -ETIME at once.
        long nowNs = r.now() / Time.PS_PER_NS;
        Ret past = a.ioctl(new NpuWait(ctx.id, 0, seq, nowNs));
        assertThat(past.ret()).isEqualTo(-Errno.ETIME);
        assertThat(past.atPs() - nowNs * Time.PS_PER_NS).isLessThan(MS / 10);
        // A deadline 1 ms ahead, before the job ends: -ETIME at the deadline.
        long deadlineNs = r.now() / Time.PS_PER_NS + 1_000_000;
        Ret timed = a.ioctl(new NpuWait(ctx.id, 0, seq, deadlineNs));
        assertThat(timed.ret()).isEqualTo(-Errno.ETIME);
        assertThat(timed.atPs()).isBetween(deadlineNs * Time.PS_PER_NS, deadlineNs * Time.PS_PER_NS + MS / 10);
        // The job is unaffected; a deadline after its end returns 0 when it completes.
        Ret done = a.ioctl(new NpuWait(ctx.id, 0, seq, r.now() / Time.PS_PER_NS + 100_000_000));
        assertThat(done.ret()).isZero();
        assertThat(done.atPs()).isGreaterThanOrEqualTo(r.last("J/").endPs());
        // A signalled point returns 0 whatever the deadline.
        assertThat(a.call(new NpuWait(ctx.id, 0, seq, 0))).isZero();
    }

    @Test
    void waitOnARetiredPointLongAgoStillReturnsZero() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        for (int i = 0; i < 70; i++) assertThat(ctx.run(ctx.job("J" + i).single(1))).isZero();
        assertThat(ctx.waitFor(1).ret()).isZero();
        assertThat(ctx.query().jobs()).isEqualTo(70);
    }

    // ---- CTX_QUERY -------------------------------------------------------------------------

    @Test
    void ctxQueryReportsResidencyJobsAndBusyTimePerCore() {
        ProposedRig r = new ProposedRig();
        Client a = r.client("A");
        Ctx ctx = a.ctx(NpuIoctl.CLASS_THROUGHPUT, 0);
        assertThat(a.call(CtxQuery.of(ctx.id + 100))).isEqualTo(-Errno.EINVAL);
        assertThat(a.call(new CtxQuery(ctx.id, 1, 0, 0, 0, 0, 0, 0, 0))).isEqualTo(-Errno.EINVAL);
        CtxQuery q0 = ctx.query();
        assertThat(q0.residentBytes()).isEqualTo(512 * KIB + 2 * PAGE); // the rig's regcmd, weights and data buffers
        assertThat(q0.jobs()).isZero();
        assertThat(q0.busyNs0() + q0.busyNs1() + q0.busyNs2()).isZero();
        assertThat(ctx.run(ctx.job("J").wide(3, 20))).isZero();
        CtxQuery q = ctx.query();
        assertThat(q.jobs()).isEqualTo(1);
        assertThat(q.preemptions()).isZero();
        assertThat(q.sramBytes()).isZero();
        long[] busy = {q.busyNs0(), q.busyNs1(), q.busyNs2()};
        // a batch counts from OP_ENABLE to its interrupt's handler: the tasks, plus the hard IRQ (an
        // ftrace wall time on the IRQ CPU), queued behind the other cores' interrupts at worst
        long irqNs = 3 * r.cost.hardIrqPs() / Time.PS_PER_NS;
        for (int c = 0; c < 3; c++) {
            int core = c;
            long tasksNs = r.tasks("J/").stream().filter(t -> t.core() == core).mapToLong(t -> t.durationPs()).sum() / Time.PS_PER_NS;
            // each core ran one part: its 20 tasks, in two batches (hardware time from start to interrupt)
            assertThat(tasksNs).isPositive();
            assertThat(busy[c]).as("core %d", c).isBetween(tasksNs, tasksNs + 2 * irqNs);
        }
    }
}
