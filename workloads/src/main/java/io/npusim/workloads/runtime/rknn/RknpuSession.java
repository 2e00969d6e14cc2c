package io.npusim.workloads.runtime.rknn;

import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.hw.npu.TaskOp;
import io.npusim.uapi.rknpu.JobFlags;
import io.npusim.uapi.rknpu.MemCreate;
import io.npusim.uapi.rknpu.MemFlags;
import io.npusim.uapi.rknpu.MemMap;
import io.npusim.uapi.rknpu.MemSync;
import io.npusim.uapi.rknpu.RknpuTask;
import io.npusim.uapi.rknpu.SubcoreTask;
import io.npusim.uapi.rknpu.Submit;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserMapping;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.TaskPlan;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.RuntimeFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vendor runtimes' common use of the rknpu UAPI: one open device file, buffers created with
 * MEM_CREATE (and mapped when the CPU writes them), register-command streams chained task to task
 * with the rknpu_task array the kernel reads, and blocking PC submits.
 */
public final class RknpuSession {
    public static final String DEVICE = "/dev/dri/renderD129";

    /** A buffer the driver gave us. */
    public record Buffer(BufferPlan plan, int handle, long objAddr, long iova, long bytes, long sramBytes, int domain, UserMapping map) {}

    /** A submit prepared at load time: ranges into a task array, per core. */
    public record Prepared(String name, int taskBuffer, int start, int count, int[] coreStart, int[] coreCount, int domain) {}

    private final String owner;
    private final Syscalls sys;
    private final UserThread thread;
    private int fd = -1;
    private final Map<Integer, Buffer> buffers = new HashMap<>();
    private long allocated;
    private RuntimeFailure failure;
    private final int jobFlags;
    private final int timeoutMs;

    public RknpuSession(String owner, Syscalls sys, UserThread thread, int timeoutMs) {
        this.owner = owner;
        this.sys = sys;
        this.thread = thread;
        this.jobFlags = JobFlags.PC | JobFlags.PINGPONG;
        this.timeoutMs = timeoutMs;
    }

    public RuntimeFailure failure() {
        return failure;
    }

    public long allocated() {
        return allocated;
    }

    public Buffer buffer(int id) {
        return buffers.get(id);
    }

    public void open(Runnable done) {
        sys.open(thread, DEVICE, r -> {
            if (r < 0) failure = new RuntimeFailure(owner, "open " + DEVICE, -r, 0, 0);
            else fd = r;
            done.run();
        });
    }

    /** Allocation flags by buffer kind, as the vendor runtimes ask for them. */
    public static int flagsFor(BufferPlan b) {
        int flags = switch (b.kind()) {
            case TASKS -> MemFlags.KERNEL_MAPPING | MemFlags.CACHEABLE;
            case INPUT, OUTPUT, REGCMD -> MemFlags.CACHEABLE;
            case KV_CACHE -> MemFlags.CACHEABLE | MemFlags.NON_CONTIGUOUS;
            default -> MemFlags.NON_CONTIGUOUS;
        };
        return b.sram() ? flags | MemFlags.TRY_ALLOC_SRAM : flags;
    }

    /** MEM_CREATE (+ MEM_MAP and mmap when {@code cpuAccess}) of a planned buffer. */
    public void create(BufferPlan b, int flags, int domain, boolean cpuAccess, Runnable next) {
        if (failure != null) {
            next.run();
            return;
        }
        MemCreate req = MemCreate.of(flags, b.bytes(), b.sram() ? b.bytes() : 0, domain, 0);
        sys.ioctl(thread, fd, req, (ret, out) -> {
            if (ret < 0) {
                failure = new RuntimeFailure(owner, "RKNPU_MEM_CREATE of " + b.name(), -ret, b.bytes(), 0, allocated);
                next.run();
                return;
            }
            MemCreate m = (MemCreate) out;
            allocated += m.sizeBytes();
            if (!cpuAccess) {
                buffers.put(b.id(), new Buffer(b, m.handle(), m.objAddr(), m.dmaAddr(), m.sizeBytes(), m.sramSizeBytes(), domain, null));
                next.run();
                return;
            }
            sys.ioctl(thread, fd, MemMap.of(m.handle()), (r2, o2) -> {
                if (r2 < 0) {
                    failure = new RuntimeFailure(owner, "RKNPU_MEM_MAP", -r2, 0, 0);
                    next.run();
                    return;
                }
                sys.mmap(thread, fd, ((MemMap) o2).offset(), m.sizeBytes(), (r3, map) -> {
                    if (r3 < 0) failure = new RuntimeFailure(owner, "mmap", -r3, 0, 0);
                    buffers.put(b.id(), new Buffer(b, m.handle(), m.objAddr(), m.dmaAddr(), m.sizeBytes(), m.sramSizeBytes(), domain, map));
                    next.run();
                });
            });
        });
    }

    /** Creates every buffer of a list in order. */
    public void createAll(List<BufferPlan> plans, java.util.function.ToIntFunction<BufferPlan> domainOf, Runnable done) {
        Async.loop(plans.size(), (i, next) -> {
            BufferPlan b = plans.get(i);
            create(b, flagsFor(b), domainOf.applyAsInt(b), b.kind() != BufferPlan.Kind.INTERNAL || b.kind() == BufferPlan.Kind.KV_CACHE, next);
        }, done);
    }

    /** NPU address of each planned buffer id (for resolving task addresses). */
    public long[] iovas(int count) {
        long[] a = new long[count];
        for (int i = 0; i < count; i++) {
            Buffer b = buffers.get(i);
            a[i] = b == null ? 0 : b.iova();
        }
        return a;
    }

    /**
     * Writes the register commands of the jobs into {@code regcmdBuf}, chaining each core's tasks,
     * and their rknpu_task entries into {@code taskBuf}; returns one prepared submit per job.
     */
    public List<Prepared> writeJobs(List<JobPlan> jobs, long[] iova, int taskBuf, int regcmdBuf, int domain) {
        Buffer rb = buffers.get(regcmdBuf);
        Buffer tb = buffers.get(taskBuf);
        List<Prepared> out = new ArrayList<>(jobs.size());
        int index = 0;
        long cursor = 0;
        for (JobPlan job : jobs) {
            int cores = job.cores();
            int[] cs = new int[cores], cc = new int[cores];
            int start = index;
            for (int c = 0; c < cores; c++) {
                List<TaskPlan> list = job.perCore().get(c);
                cs[c] = index;
                cc[c] = list.size();
                long[] addr = new long[list.size()];
                for (int i = 0; i < list.size(); i++) {
                    addr[i] = rb.iova() + cursor;
                    cursor += align64((long) list.get(i).regcmdEntries() * RegcmdStream.ENTRY_BYTES);
                }
                for (int i = 0; i < list.size(); i++) {
                    TaskPlan tp = list.get(i);
                    TaskOp op = tp.resolve(iova);
                    boolean last = i == list.size() - 1;
                    int nextEntries = last ? 0 : list.get(i + 1).regcmdEntries();
                    rb.map().put(addr[i] - rb.iova(), new RegcmdStream(tp.regcmdEntries(), op, last ? 0 : addr[i + 1],
                            last ? 0 : NpuRegs.amountFor(nextEntries)));
                    tb.map().put((long) index * RknpuTask.SIZE, new RknpuTask(0, index, 0xd, op.doneBits(), 0x1ffff, 0,
                            tp.regcmdEntries() - RegcmdStream.TAIL_ENTRIES, 0, addr[i]));
                    index++;
                }
            }
            out.add(new Prepared(job.name(), taskBuf, start, index - start, cs, cc, domain));
        }
        return out;
    }

    private static long align64(long v) {
        return (v + 63) / 64 * 64;
    }

    /** A blocking PC + ping-pong submit of a prepared job on {@code thread} with {@code mask}. */
    public void submit(UserThread t, Prepared p, int mask, Runnable next) {
        submit(t, p, mask, false, next);
    }

    /**
     * A PC + ping-pong submit of a prepared job with {@code mask}; {@code nonblock} adds
     * RKNPU_JOB_NONBLOCK, so the ioctl returns once the job is queued.
     */
    public void submit(UserThread t, Prepared p, int mask, boolean nonblock, Runnable next) {
        List<SubcoreTask> sub = new ArrayList<>(List.of(SubcoreTask.NONE, SubcoreTask.NONE, SubcoreTask.NONE, SubcoreTask.NONE, SubcoreTask.NONE));
        int cores = p.coreStart().length;
        if (cores == 1) {
            for (int c = 0; c < 3; c++) sub.set(c, new SubcoreTask(p.start(), p.count())); // AUTO reads subcore_task[chosen]
        } else if (cores == 3) {
            for (int c = 0; c < 3; c++) sub.set(c + 2, new SubcoreTask(p.coreStart()[c], p.coreCount()[c]));
        } else {
            for (int c = 0; c < cores; c++) sub.set(c, new SubcoreTask(p.coreStart()[c], p.coreCount()[c]));
        }
        Buffer tb = buffers.get(p.taskBuffer());
        Submit req = new Submit(nonblock ? jobFlags | JobFlags.NONBLOCK : jobFlags, timeoutMs, p.start(), p.count(), 0, 0, tb.objAddr(), p.domain(), 0, tb.iova(), 0, mask, -1, sub);
        sys.ioctl(t, fd, req, (ret, out) -> {
            if (ret < 0) failure = new RuntimeFailure(owner, "RKNPU_SUBMIT " + p.name(), -ret, 0, 0);
            next.run();
        });
    }

    /** MEM_SYNC of a buffer in one direction. */
    public void sync(int bufferId, int direction, Runnable done) {
        Buffer b = buffers.get(bufferId);
        MemSync req = MemSync.of(direction, b.objAddr(), 0, b.bytes());
        sys.ioctl(thread, fd, req, (ret, out) -> done.run());
    }
}
