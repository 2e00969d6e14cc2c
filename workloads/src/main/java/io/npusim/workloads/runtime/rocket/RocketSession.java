package io.npusim.workloads.runtime.rocket;

import io.npusim.core.account.Part;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.uapi.codec.UserArray;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserMapping;
import io.npusim.uapi.os.UserThread;
import io.npusim.uapi.rocket.CreateBo;
import io.npusim.uapi.rocket.FiniBo;
import io.npusim.uapi.rocket.PrepBo;
import io.npusim.uapi.rocket.RocketJob;
import io.npusim.uapi.rocket.RocketTask;
import io.npusim.uapi.rocket.Submit;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.TaskPlan;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.RuntimeFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;

/**
 * The userspace runtimes' common use of the rocket UAPI (rocket-upstream.md 3, 4): one open
 * accel file, a GEM BO per planned buffer (CREATE_BO, and an mmap when the CPU writes it),
 * register commands chained task to task inside a job (each task's tail points at the next, the
 * way Mesa's rkt_ml.c lays them out), SUBMIT with job and task arrays rebuilt per call, and
 * PREP_BO / FINI_BO around CPU access.
 */
public final class RocketSession {
    public static final String DEVICE = "/dev/accel/accel0";
    /** An absolute deadline that never comes: the runtimes wait for the NPU without a bound. */
    public static final long FOREVER_NS = Long.MAX_VALUE;

    private final String owner;
    private final Syscalls sys;
    private final UserThread thread;
    private int fd = -1;
    private final Map<Integer, CreateBo> bos = new HashMap<>();
    private final Map<Integer, UserMapping> maps = new HashMap<>();
    private final Map<Integer, Long> regcmdCursor = new HashMap<>();
    private long allocated;
    private RuntimeFailure failure;

    public RocketSession(String owner, Syscalls sys, UserThread thread) {
        this.owner = owner;
        this.sys = sys;
        this.thread = thread;
    }

    public RuntimeFailure failure() {
        return failure;
    }

    public long allocated() {
        return allocated;
    }

    public CreateBo bo(int id) {
        return bos.get(id);
    }

    public void open(Runnable done) {
        sys.open(thread, DEVICE, r -> {
            if (r < 0) failure = new RuntimeFailure(owner, "open " + DEVICE, -r, 0, 0);
            else fd = r;
            done.run();
        });
    }

    /** CREATE_BO (+ mmap when {@code cpuMaps}) of every buffer of a list, in order; stops at the first failure. */
    public void createAll(List<BufferPlan> plans, Predicate<BufferPlan> cpuMaps, Runnable done) {
        Async.loop(plans.size(), (i, next) -> create(plans.get(i), cpuMaps.test(plans.get(i)), next), done);
    }

    private void create(BufferPlan b, boolean map, Runnable next) {
        if (failure != null) {
            next.run();
            return;
        }
        if (b.bytes() > 0xffff_ffffL) { // struct drm_rocket_create_bo.size is a __u32
            failure = new RuntimeFailure(owner, "DRM_IOCTL_ROCKET_CREATE_BO of " + b.name() + " (the size field is 32 bits)", 22, b.bytes(), 0xffff_ffffL);
            next.run();
            return;
        }
        sys.ioctl(thread, fd, CreateBo.of(b.bytes()), (ret, out) -> {
            if (ret < 0) {
                failure = new RuntimeFailure(owner, "DRM_IOCTL_ROCKET_CREATE_BO of " + b.name(), -ret, b.bytes(), 0, allocated);
                next.run();
                return;
            }
            CreateBo c = (CreateBo) out;
            bos.put(b.id(), c);
            allocated += c.sizeBytes();
            if (!map) {
                next.run();
                return;
            }
            sys.mmap(thread, fd, c.offset(), c.sizeBytes(), (r2, m) -> {
                if (r2 < 0) failure = new RuntimeFailure(owner, "mmap of " + b.name(), -r2, 0, 0);
                else maps.put(b.id(), m);
                next.run();
            });
        });
    }

    /** NPU address of each program buffer id below {@code count}, whose BO is {@code idOf(id)}. */
    public long[] iovas(int count, IntUnaryOperator idOf) {
        long[] a = new long[count];
        for (int i = 0; i < count; i++) {
            CreateBo b = bos.get(idOf.applyAsInt(i));
            a[i] = b == null ? 0 : b.dmaAddress();
        }
        return a;
    }

    /**
     * Writes each job's tasks into its regcmd BO (64-byte aligned, appended after what is there),
     * chained inside the job, and returns the drm_rocket_job of each job. Buffer ids in the tasks
     * resolve through {@code iova} (indexed by program id); program ids map to BOs through
     * {@code idOf}; in and out BOs become handle arrays for implicit sync.
     */
    public List<RocketJob> writeJobs(List<JobPlan> jobs, List<Integer> regcmdOfJob, IntUnaryOperator idOf, long[] iova) {
        List<RocketJob> out = new ArrayList<>(jobs.size());
        for (int j = 0; j < jobs.size(); j++) {
            JobPlan job = jobs.get(j);
            int rc = idOf.applyAsInt(regcmdOfJob.get(j));
            CreateBo rb = bos.get(rc);
            UserMapping m = maps.get(rc);
            List<TaskPlan> tasks = job.perCore().get(0);
            long[] addr = new long[tasks.size()];
            for (int i = 0; i < tasks.size(); i++) {
                long off = regcmdCursor.getOrDefault(rc, 0L);
                addr[i] = rb.dmaAddress() + off;
                regcmdCursor.put(rc, off + ((long) tasks.get(i).regcmdEntries() * RegcmdStream.ENTRY_BYTES + 63) / 64 * 64);
            }
            List<RocketTask> rts = new ArrayList<>(tasks.size());
            for (int i = 0; i < tasks.size(); i++) {
                TaskPlan tp = tasks.get(i);
                boolean last = i == tasks.size() - 1;
                m.put(addr[i] - rb.dmaAddress(), new RegcmdStream(tp.regcmdEntries(), tp.resolve(iova), last ? 0 : addr[i + 1],
                        last ? 0 : NpuRegs.amountFor(tasks.get(i + 1).regcmdEntries())));
                rts.add(new RocketTask(addr[i], tp.regcmdEntries()));
            }
            List<Integer> in = job.inBuffers().stream().map(b -> bos.get(idOf.applyAsInt(b)).handle()).toList();
            List<Integer> outs = job.outBuffers().stream().map(b -> bos.get(idOf.applyAsInt(b)).handle()).toList();
            out.add(RocketJob.of(UserArray.of(0x7f00_0000L + out.size() * 0x1000L, rts), UserArray.of(0x7f10_0000L, in),
                    UserArray.of(0x7f20_0000L, outs)));
        }
        return out;
    }

    /** Rebuilds the job and task arrays on the CPU ({@code buildPs} per job), then one SUBMIT. */
    public void submit(String label, List<RocketJob> jobs, long buildPsPerJob, Runnable done) {
        Submit req = Submit.of(UserArray.of(0x7e00_0000L, jobs));
        thread.compute(new CpuWork(label + " build submit", buildPsPerJob * jobs.size(), 0, Part.RUNTIME_CPU), () ->
                sys.ioctl(thread, fd, req, (ret, out) -> {
                    if (ret < 0) failure = new RuntimeFailure(owner, "DRM_IOCTL_ROCKET_SUBMIT", -ret, 0, 0);
                    done.run();
                }));
    }

    /** PREP_BO with no deadline: blocks until the BO's writers are done, then syncs it for the CPU. */
    public void prepBo(int id, Runnable next) {
        CreateBo bo = bos.get(id);
        sys.ioctl(thread, fd, PrepBo.of(bo.handle(), FOREVER_NS), (r, o) -> {
            if (r < 0 && failure == null) failure = new RuntimeFailure(owner, "DRM_IOCTL_ROCKET_PREP_BO", -r, 0, 0);
            next.run();
        });
    }

    /** FINI_BO: hands the BO back to the device after CPU access. */
    public void finiBo(int id, Runnable next) {
        sys.ioctl(thread, fd, new FiniBo(bos.get(id).handle(), 0), (r, o) -> next.run());
    }

    /** A fresh mmap of the BO (Mesa maps again on every pipe_buffer_map and never unmaps). */
    public void mmapAgain(int id, Runnable next) {
        CreateBo bo = bos.get(id);
        sys.mmap(thread, fd, bo.offset(), bo.sizeBytes(), (r, m) -> next.run());
    }
}
