package io.npusim.workloads.runtime.rknn;

import io.npusim.core.account.Part;
import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.hw.npu.TaskOp;
import io.npusim.uapi.Errno;
import io.npusim.uapi.rknpu.JobFlags;
import io.npusim.uapi.rknpu.MemCreate;
import io.npusim.uapi.rknpu.MemFlags;
import io.npusim.uapi.rknpu.MemMap;
import io.npusim.uapi.rknpu.MemSync;
import io.npusim.uapi.rknpu.RknpuTask;
import io.npusim.uapi.rknpu.SubcoreTask;
import io.npusim.uapi.rknpu.Submit;
import io.npusim.uapi.rknpu.SyncFlags;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserMapping;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.compile.TaskPlan;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.VisionRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * An RKNN-style runtime (librknnrt) on the vendor driver, through the rknpu UAPI only. Load: one
 * MEM_CREATE per buffer (SRAM asked for when the model was compiled for it), mmap of the buffers
 * the CPU writes, the register-command streams chained task to task, and the rknpu_task array.
 * Run: one blocking submit per NPU step (PC + ping-pong, 6000 ms timeout unless configured), with
 * the per-core task ranges in subcore_task, CPU fallback operators between them.
 */
public final class RknnRuntime implements VisionRuntime {
    public static final String DEVICE = "/dev/dri/renderD129";

    private final String name;
    private final Syscalls sys;
    private final UserThread thread;
    private final Program program;
    private final int coreMask;
    private final int jobFlags;
    private final int timeoutMs;
    private final long runOverheadPs;
    private final double inputNsPerByte;
    private final double outputNsPerByte;
    private final CpuCostModel cpu;

    private int fd = -1;
    private long[] handles;
    private long[] objAddr;
    private long[] iova;
    private UserMapping[] maps;
    private long allocated;
    private RuntimeFailure failure;
    private final List<SubmitPlan> submits = new ArrayList<>();

    /** One prepared submit: ranges into the task array per core and the mask to ask for. */
    private record SubmitPlan(String name, int mask, int start, int count, int[] coreStart, int[] coreCount) {}

    public RknnRuntime(String name, Syscalls sys, UserThread thread, Program program, int coreMask, ParamTable t) {
        this.name = name;
        this.sys = sys;
        this.thread = thread;
        this.program = program;
        this.coreMask = coreMask;
        this.jobFlags = JobFlags.PC | JobFlags.PINGPONG;
        this.timeoutMs = (int) t.integer("rknn.timeout_ms", "ms");
        this.runOverheadPs = Time.fromUs(t.nonNegative("rknn.run_overhead_us", "us"));
        this.inputNsPerByte = t.nonNegative("rknn.input_convert_ns_per_byte", "ns/byte");
        this.outputNsPerByte = t.nonNegative("rknn.output_convert_ns_per_byte", "ns/byte");
        this.cpu = new CpuCostModel(t);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Program program() {
        return program;
    }

    @Override
    public RuntimeFailure failure() {
        return failure;
    }

    @Override
    public long allocatedBytes() {
        return allocated;
    }

    // ---- load -----------------------------------------------------------------------------

    @Override
    public void load(Runnable done) {
        int n = program.buffers().size();
        handles = new long[n];
        objAddr = new long[n];
        iova = new long[n];
        maps = new UserMapping[n];
        sys.open(thread, DEVICE, r -> {
            if (r < 0) {
                failure = new RuntimeFailure(name, "open " + DEVICE, -r, 0, 0);
                done.run();
                return;
            }
            fd = r;
            Async.loop(n, this::createBuffer, () -> {
                if (failure != null) {
                    done.run();
                    return;
                }
                writeProgram();
                // uploading the weights is a CPU copy into the mapped buffer
                thread.compute(toWork(cpu.copy("upload weights", program.bufferBytes(BufferPlan.Kind.WEIGHT))), done);
            });
        });
    }

    private void createBuffer(int i, Runnable next) {
        if (failure != null) {
            next.run();
            return;
        }
        BufferPlan b = program.buffers().get(i);
        int flags = switch (b.kind()) {
            case TASKS -> MemFlags.KERNEL_MAPPING | MemFlags.CACHEABLE;
            case INPUT, OUTPUT, REGCMD -> MemFlags.CACHEABLE;
            case KV_CACHE -> MemFlags.CACHEABLE | MemFlags.NON_CONTIGUOUS;
            default -> MemFlags.NON_CONTIGUOUS;
        };
        if (b.sram()) flags |= MemFlags.TRY_ALLOC_SRAM;
        MemCreate req = MemCreate.of(flags, b.bytes(), b.sram() ? b.bytes() : 0, 0, 0);
        sys.ioctl(thread, fd, req, (ret, out) -> {
            if (ret < 0) {
                failure = new RuntimeFailure(name, "RKNPU_MEM_CREATE of " + b.name(), -ret, b.bytes(), 0);
                next.run();
                return;
            }
            MemCreate m = (MemCreate) out;
            handles[i] = m.handle();
            objAddr[i] = m.objAddr();
            iova[i] = m.dmaAddr();
            allocated += m.sizeBytes();
            boolean cpuAccess = b.kind() != BufferPlan.Kind.INTERNAL;
            if (!cpuAccess) {
                next.run();
                return;
            }
            sys.ioctl(thread, fd, MemMap.of(m.handle()), (r2, o2) -> {
                if (r2 < 0) {
                    failure = new RuntimeFailure(name, "RKNPU_MEM_MAP", -r2, 0, 0);
                    next.run();
                    return;
                }
                sys.mmap(thread, fd, ((MemMap) o2).offset(), m.sizeBytes(), (r3, map) -> {
                    if (r3 < 0) failure = new RuntimeFailure(name, "mmap", -r3, 0, 0);
                    maps[i] = map;
                    next.run();
                });
            });
        });
    }

    /** Writes every task's register commands and rknpu_task entry; prepares the submits. */
    private void writeProgram() {
        int regcmdBuf = find(BufferPlan.Kind.REGCMD);
        int taskBuf = find(BufferPlan.Kind.TASKS);
        UserMapping regcmd = maps[regcmdBuf];
        UserMapping taskArr = maps[taskBuf];
        int index = 0;
        long cursor = 0;
        for (Step s : program.steps()) {
            if (!(s instanceof Step.Npu npu)) continue;
            for (JobPlan job : npu.jobs()) {
                int cores = job.cores();
                int[] cs = new int[cores], cc = new int[cores];
                int start = index;
                for (int c = 0; c < cores; c++) {
                    List<TaskPlan> list = job.perCore().get(c);
                    cs[c] = index;
                    cc[c] = list.size();
                    long[] addr = new long[list.size()];
                    long base = cursor;
                    for (int i = 0; i < list.size(); i++) {
                        addr[i] = iova[regcmdBuf] + cursor;
                        cursor += align64((long) list.get(i).regcmdEntries() * RegcmdStream.ENTRY_BYTES);
                    }
                    for (int i = 0; i < list.size(); i++) {
                        TaskPlan tp = list.get(i);
                        TaskOp op = tp.resolve(iova);
                        boolean last = i == list.size() - 1;
                        int nextEntries = last ? 0 : list.get(i + 1).regcmdEntries();
                        RegcmdStream rs = new RegcmdStream(tp.regcmdEntries(), op, last ? 0 : addr[i + 1],
                                last ? 0 : NpuRegs.amountFor(nextEntries));
                        regcmd.put(addr[i] - iova[regcmdBuf], rs);
                        int intMask = op.doneBits();
                        taskArr.put((long) index * RknpuTask.SIZE, new RknpuTask(0, index, 0xd, intMask, 0x1ffff, 0,
                                tp.regcmdEntries() - RegcmdStream.TAIL_ENTRIES, 0, addr[i]));
                        index++;
                    }
                    if (base == cursor) cursor += 0; // empty core list
                }
                int mask = cores == 1 ? (Integer.bitCount(coreMask & 7) > 1 ? 0x1 : coreMask) : coreMask;
                submits.add(new SubmitPlan(job.name(), mask, start, index - start, cs, cc));
            }
        }
    }

    private int find(BufferPlan.Kind k) {
        for (BufferPlan b : program.buffers()) if (b.kind() == k) return b.id();
        throw new IllegalStateException("program without a " + k + " buffer");
    }

    private static long align64(long v) {
        return (v + 63) / 64 * 64;
    }

    // ---- inference ------------------------------------------------------------------------

    @Override
    public void setInputs(Runnable done) {
        int in = find(BufferPlan.Kind.INPUT);
        long bytes = program.buffers().get(in).bytes();
        thread.compute(toWork(cpu.runtimeWork("rknn_inputs_set", bytes, inputNsPerByte, 0)),
                () -> sync(in, SyncFlags.TO_DEVICE, done));
    }

    @Override
    public void run(Runnable done) {
        if (failure != null) {
            done.run();
            return;
        }
        int[] submitIdx = {0};
        List<Async.Action> actions = new ArrayList<>();
        for (Step s : program.steps()) {
            if (s instanceof Step.Cpu c) {
                actions.add(next -> thread.compute(new CpuWork(c.name(), c.refPs(), c.ddrBytes(), c.part()), next));
            } else {
                Step.Npu npu = (Step.Npu) s;
                for (JobPlan ignored : npu.jobs()) {
                    actions.add(next -> submit(submits.get(submitIdx[0]++), next));
                }
            }
        }
        Async.sequence(actions, done);
    }

    private void submit(SubmitPlan sp, Runnable next) {
        List<SubcoreTask> sub = new ArrayList<>(List.of(SubcoreTask.NONE, SubcoreTask.NONE, SubcoreTask.NONE, SubcoreTask.NONE, SubcoreTask.NONE));
        int cores = sp.coreStart().length;
        if (cores == 1) {
            // single-core jobs (also AUTO): the kernel uses subcore_task[chosen core]
            for (int c = 0; c < 3; c++) sub.set(c, new SubcoreTask(sp.start(), sp.count()));
        } else if (cores == 3) {
            for (int c = 0; c < 3; c++) sub.set(c + 2, new SubcoreTask(sp.coreStart()[c], sp.coreCount()[c]));
        } else {
            for (int c = 0; c < cores; c++) sub.set(c, new SubcoreTask(sp.coreStart()[c], sp.coreCount()[c]));
        }
        int taskBuf = find(BufferPlan.Kind.TASKS);
        Submit req = new Submit(jobFlags, timeoutMs, sp.start(), sp.count(), 0, 0, objAddr[taskBuf], 0, 0,
                iova[taskBuf], 0, sp.mask(), -1, sub);
        thread.compute(new CpuWork("rknn_run", runOverheadPs, 0, Part.RUNTIME_CPU), () ->
                sys.ioctl(thread, fd, req, (ret, out) -> {
                    if (ret < 0) failure = new RuntimeFailure(name, "RKNPU_SUBMIT " + sp.name(), -ret, 0, 0);
                    next.run();
                }));
    }

    @Override
    public void getOutputs(Runnable done) {
        List<Async.Action> actions = new ArrayList<>();
        for (BufferPlan b : program.buffers()) {
            if (b.kind() != BufferPlan.Kind.OUTPUT) continue;
            actions.add(next -> sync(b.id(), SyncFlags.FROM_DEVICE, () ->
                    thread.compute(toWork(cpu.runtimeWork("rknn_outputs_get", b.bytes(), outputNsPerByte, 0)), next)));
        }
        Async.sequence(actions, done);
    }

    private void sync(int buf, int dir, Runnable done) {
        MemSync req = MemSync.of(dir, objAddr[buf], 0, program.buffers().get(buf).bytes());
        sys.ioctl(thread, fd, req, (ret, out) -> {
            if (ret < 0 && ret != -Errno.EINVAL) failure = new RuntimeFailure(name, "RKNPU_MEM_SYNC", -ret, 0, 0);
            done.run();
        });
    }

    private static CpuWork toWork(Step.Cpu c) {
        return new CpuWork(c.name(), c.refPs(), c.ddrBytes(), c.part());
    }
}
