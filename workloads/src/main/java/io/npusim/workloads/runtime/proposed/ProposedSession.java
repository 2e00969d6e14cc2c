package io.npusim.workloads.runtime.proposed;

import io.npusim.core.account.Part;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.uapi.codec.UserArray;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserMapping;
import io.npusim.uapi.os.UserThread;
import io.npusim.uapi.proposed.BoCreate;
import io.npusim.uapi.proposed.BoResident;
import io.npusim.uapi.proposed.CtxCreate;
import io.npusim.uapi.proposed.NpuFence;
import io.npusim.uapi.proposed.NpuSegment;
import io.npusim.uapi.proposed.NpuSubmit;
import io.npusim.uapi.proposed.NpuTask;
import io.npusim.uapi.proposed.NpuVariant;
import io.npusim.uapi.proposed.NpuWait;
import io.npusim.uapi.proposed.SramRequest;
import io.npusim.workloads.compile.BufferPlan;
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
 * A runtime's use of the proposed UAPI (docs/PROPOSED_UAPI.md): one open file, one execution
 * context with a class and deadline, buffers created and made resident once (mapped for the CPU
 * when it writes them), optional SRAM for the internal buffer, jobs whose tasks are written into
 * a regcmd buffer chained part by part, SUBMIT returning a timeline point, WAIT on it.
 */
public final class ProposedSession {
    public static final String DEVICE = "/dev/accel/accel0";

    /** A job ready to submit: the task array and variants, as SUBMIT takes them. */
    public record Prepared(String name, List<NpuTask> tasks, List<NpuVariant> variants) {}

    private final String owner;
    private final Syscalls sys;
    private final UserThread thread;
    private int fd = -1;
    private int ctx;
    private final Map<Integer, Integer> handles = new HashMap<>();
    private final Map<Integer, Long> iova = new HashMap<>();
    private final Map<Integer, UserMapping> maps = new HashMap<>();
    private final Map<Integer, Long> cursor = new HashMap<>();
    private long allocated;
    private RuntimeFailure failure;

    public ProposedSession(String owner, Syscalls sys, UserThread thread) {
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

    /** Opens the device and creates the context. */
    public void open(int cls, long deadlineNs, Runnable done) {
        sys.open(thread, DEVICE, r -> {
            if (r < 0) {
                failure = new RuntimeFailure(owner, "open " + DEVICE, -r, 0, 0);
                done.run();
                return;
            }
            fd = r;
            sys.ioctl(thread, fd, CtxCreate.of(cls, deadlineNs), (ret, out) -> {
                if (ret < 0) failure = new RuntimeFailure(owner, "DRM_IOCTL_NPU_CTX_CREATE", -ret, 0, 0);
                else ctx = ((CtxCreate) out).ctxId();
                done.run();
            });
        });
    }

    /** BO_CREATE and BO_RESIDENT (and an mmap when {@code cpuMaps}) for each buffer, in order; {@code idOf} names them. */
    public void createResident(List<BufferPlan> plans, IntUnaryOperator idOf, Predicate<BufferPlan> cpuMaps, Runnable done) {
        Async.loop(plans.size(), (i, next) -> {
            BufferPlan b = plans.get(i);
            if (failure != null) {
                next.run();
                return;
            }
            int id = idOf.applyAsInt(b.id());
            sys.ioctl(thread, fd, BoCreate.of(b.bytes()), (ret, out) -> {
                if (ret < 0) {
                    failure = new RuntimeFailure(owner, "DRM_IOCTL_NPU_BO_CREATE of " + b.name(), -ret, b.bytes(), 0, allocated);
                    next.run();
                    return;
                }
                BoCreate c = (BoCreate) out;
                handles.put(id, c.handle());
                allocated += c.sizeBytes();
                sys.ioctl(thread, fd, BoResident.of(ctx, c.handle()), (r2, o2) -> {
                    if (r2 < 0) {
                        failure = new RuntimeFailure(owner, "DRM_IOCTL_NPU_BO_RESIDENT of " + b.name(), -r2, b.bytes(), 0, allocated);
                        next.run();
                        return;
                    }
                    iova.put(id, ((BoResident) o2).iova());
                    if (!cpuMaps.test(b)) {
                        next.run();
                        return;
                    }
                    sys.mmap(thread, fd, c.offset(), c.sizeBytes(), (r3, m) -> {
                        if (r3 < 0) failure = new RuntimeFailure(owner, "mmap of " + b.name(), -r3, 0, 0);
                        else maps.put(id, m);
                        next.run();
                    });
                });
            });
        }, done);
    }

    /** Asks for SRAM for the first {@code bytes} of a buffer; the kernel says how much it grants. */
    public void requestSram(int id, long bytes, int priority, Runnable done) {
        Integer h = handles.get(id);
        if (h == null || failure != null) {
            done.run();
            return;
        }
        // the kernel grants what it can now; jobs see the same addresses whatever it granted
        sys.ioctl(thread, fd, SramRequest.of(ctx, h, bytes, priority), (ret, out) -> done.run());
    }

    /** NPU address of each buffer id below {@code count} (0 where none). */
    public long[] iovas(int count) {
        long[] a = new long[count];
        for (Map.Entry<Integer, Long> e : iova.entrySet()) if (e.getKey() < count) a[e.getKey()] = e.getValue();
        return a;
    }

    /**
     * Writes the job's tasks into the regcmd buffer {@code regcmdId}, each part's tasks chained by
     * their tails, and builds its task array and variants.
     */
    public Prepared prepare(ProposedJobPlan job, int regcmdId, long[] addr) {
        long base = iova.get(regcmdId);
        UserMapping m = maps.get(regcmdId);
        List<NpuTask> tasks = new ArrayList<>();
        List<NpuVariant> variants = new ArrayList<>();
        for (ProposedJobPlan.Variant v : job.variants()) {
            List<NpuSegment> segs = new ArrayList<>();
            for (List<List<TaskPlan>> seg : v.segments()) {
                int[] start = new int[3], count = new int[3];
                for (int part = 0; part < seg.size() && part < 3; part++) {
                    List<TaskPlan> list = seg.get(part);
                    start[part] = tasks.size();
                    count[part] = list.size();
                    long[] at = new long[list.size()];
                    for (int i = 0; i < list.size(); i++) {
                        long off = cursor.getOrDefault(regcmdId, 0L);
                        at[i] = base + off;
                        cursor.put(regcmdId, off + ((long) list.get(i).regcmdEntries() * RegcmdStream.ENTRY_BYTES + 63) / 64 * 64);
                    }
                    for (int i = 0; i < list.size(); i++) {
                        TaskPlan tp = list.get(i);
                        boolean last = i == list.size() - 1;
                        m.put(at[i] - base, new RegcmdStream(tp.regcmdEntries(), tp.resolve(addr), last ? 0 : at[i + 1],
                                last ? 0 : NpuRegs.amountFor(list.get(i + 1).regcmdEntries())));
                        tasks.add(new NpuTask(at[i], tp.regcmdEntries()));
                    }
                }
                segs.add(new NpuSegment(start, count));
            }
            variants.add(NpuVariant.of(v.cores(), UserArray.of(0x7d00_0000L + variants.size() * 0x10000L, segs)));
        }
        return new Prepared(job.name(), tasks, variants);
    }

    /** SUBMIT (after {@code buildPs} of CPU work filling the arrays), then WAIT for the job. */
    public void submitAndWait(Prepared p, List<NpuFence> in, long buildPs, Runnable done) {
        NpuSubmit req = NpuSubmit.of(ctx, UserArray.of(0x7c00_0000L, p.tasks()), UserArray.of(0x7c80_0000L, p.variants()),
                in.isEmpty() ? UserArray.nullPointer() : UserArray.of(0x7cc0_0000L, in));
        thread.compute(new CpuWork("npu submit", buildPs, 0, Part.RUNTIME_CPU), () -> sys.ioctl(thread, fd, req, (ret, out) -> {
            if (ret < 0) {
                failure = new RuntimeFailure(owner, "DRM_IOCTL_NPU_SUBMIT " + p.name(), -ret, 0, 0);
                done.run();
                return;
            }
            long seqno = ((NpuSubmit) out).outSeqno();
            sys.ioctl(thread, fd, NpuWait.forever(ctx, seqno), (r2, o2) -> {
                if (r2 < 0) failure = new RuntimeFailure(owner, "DRM_IOCTL_NPU_WAIT " + p.name(), -r2, 0, 0);
                done.run();
            });
        }));
    }
}
