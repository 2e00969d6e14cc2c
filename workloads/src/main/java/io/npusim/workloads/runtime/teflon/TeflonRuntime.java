package io.npusim.workloads.runtime.teflon;

import io.npusim.core.account.Part;
import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.uapi.codec.UserArray;
import io.npusim.uapi.rocket.CreateBo;
import io.npusim.uapi.rocket.FiniBo;
import io.npusim.uapi.rocket.PrepBo;
import io.npusim.uapi.rocket.RocketJob;
import io.npusim.uapi.rocket.RocketTask;
import io.npusim.uapi.rocket.Submit;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserMapping;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.compile.TaskPlan;
import io.npusim.workloads.compile.TeflonCompiler;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.VisionRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TFLite with the Teflon delegate on Mesa's rocket driver (rocket-upstream.md 4), through the
 * rocket UAPI only. Load: a BO per tensor, per operation's weights and per operation's register
 * commands (CREATE_BO, mmap), regcmds chained task to task inside an operation. Invoke: per
 * partition, CPU input conversion into the mapped input BO (PREP_BO, a fresh mmap, FINI_BO), one
 * SUBMIT with all the partition's jobs (job and task arrays rebuilt every time), then for each
 * output the CPU reads: PREP_BO with an infinite deadline (it blocks until the writing job is
 * done), a fresh mmap (never unmapped), and conversion back to NHWC. CPU operators run between.
 */
public final class TeflonRuntime implements VisionRuntime {
    public static final String DEVICE = "/dev/accel/accel0";
    private static final long FOREVER_NS = Long.MAX_VALUE;

    private final String name;
    private final Syscalls sys;
    private final UserThread thread;
    private final TeflonCompiler.Compiled compiled;
    private final CpuCostModel cpu;
    private final long invokeOverheadPs;
    private final long buildPerJobPs;
    private int fd = -1;
    private final Map<Integer, CreateBo> bos = new HashMap<>();
    private final Map<Integer, UserMapping> maps = new HashMap<>();
    private final Map<Integer, List<RocketJob>> submits = new HashMap<>(); // per partition step
    private long allocated;
    private RuntimeFailure failure;

    public TeflonRuntime(String name, Syscalls sys, UserThread thread, TeflonCompiler.Compiled compiled, ParamTable t) {
        this.name = name;
        this.sys = sys;
        this.thread = thread;
        this.compiled = compiled;
        this.cpu = new CpuCostModel(t);
        this.invokeOverheadPs = Time.fromUs(t.nonNegative("teflon.invoke_overhead_us", "us"));
        this.buildPerJobPs = Time.fromUs(t.nonNegative("teflon.submit_build_us_per_job", "us"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Program program() {
        return compiled.program();
    }

    @Override
    public RuntimeFailure failure() {
        return failure;
    }

    @Override
    public long allocatedBytes() {
        return allocated;
    }

    @Override
    public void load(Runnable done) {
        Program p = compiled.program();
        sys.open(thread, DEVICE, r -> {
            if (r < 0) {
                failure = new RuntimeFailure(name, "open " + DEVICE, -r, 0, 0);
                done.run();
                return;
            }
            fd = r;
            Async.loop(p.buffers().size(), this::createBo, () -> {
                if (failure != null) {
                    done.run();
                    return;
                }
                writeRegcmds();
                thread.compute(toWork(cpu.copy("upload weights", p.bufferBytes(BufferPlan.Kind.WEIGHT))), done);
            });
        });
    }

    private void createBo(int i, Runnable next) {
        if (failure != null) {
            next.run();
            return;
        }
        BufferPlan b = compiled.program().buffers().get(i);
        if (b.bytes() > 0xffffffffL) {
            failure = new RuntimeFailure(name, "DRM_IOCTL_ROCKET_CREATE_BO of " + b.name() + " (the size field is 32 bits)", 22, b.bytes(), 0xffffffffL);
            next.run();
            return;
        }
        sys.ioctl(thread, fd, CreateBo.of(b.bytes()), (ret, out) -> {
            if (ret < 0) {
                failure = new RuntimeFailure(name, "DRM_IOCTL_ROCKET_CREATE_BO of " + b.name(), -ret, b.bytes(), 0);
                next.run();
                return;
            }
            CreateBo c = (CreateBo) out;
            bos.put(b.id(), c);
            allocated += c.sizeBytes();
            boolean cpuWrites = b.kind() == BufferPlan.Kind.WEIGHT || b.kind() == BufferPlan.Kind.REGCMD;
            if (!cpuWrites) {
                next.run();
                return;
            }
            sys.mmap(thread, fd, c.offset(), c.sizeBytes(), (r2, m) -> {
                if (r2 < 0) failure = new RuntimeFailure(name, "mmap of " + b.name(), -r2, 0, 0);
                maps.put(b.id(), m);
                next.run();
            });
        });
    }

    /** compile_operation: each operation's tasks in its regcmd BO, 64-byte aligned, chained. */
    private void writeRegcmds() {
        long[] iova = new long[compiled.program().buffers().size()];
        for (Map.Entry<Integer, CreateBo> e : bos.entrySet()) iova[e.getKey()] = e.getValue().dmaAddress();
        Map<Integer, Long> cursor = new HashMap<>();
        for (TeflonCompiler.Partition part : compiled.partitions()) {
            Step.Npu npu = (Step.Npu) compiled.program().steps().get(part.step());
            List<RocketJob> jobs = new ArrayList<>();
            for (int j = 0; j < npu.jobs().size(); j++) {
                JobPlan job = npu.jobs().get(j);
                int rc = part.regcmdOfJob().get(j);
                UserMapping m = maps.get(rc);
                List<TaskPlan> tasks = job.perCore().get(0);
                long[] addr = new long[tasks.size()];
                for (int i = 0; i < tasks.size(); i++) {
                    long off = cursor.getOrDefault(rc, 0L);
                    addr[i] = iova[rc] + off;
                    cursor.put(rc, off + (tasks.get(i).regcmdEntries() * 8L + 63) / 64 * 64);
                }
                List<RocketTask> rts = new ArrayList<>();
                for (int i = 0; i < tasks.size(); i++) {
                    TaskPlan tp = tasks.get(i);
                    boolean last = i == tasks.size() - 1;
                    m.put(addr[i] - iova[rc], new RegcmdStream(tp.regcmdEntries(), tp.resolve(iova), last ? 0 : addr[i + 1],
                            last ? 0 : NpuRegs.amountFor(tasks.get(i + 1).regcmdEntries())));
                    rts.add(new RocketTask(addr[i], tp.regcmdEntries()));
                }
                List<Integer> in = job.inBuffers().stream().map(b -> bos.get(b).handle()).toList();
                List<Integer> out = job.outBuffers().stream().map(b -> bos.get(b).handle()).toList();
                jobs.add(RocketJob.of(UserArray.of(0x7f00_0000L + jobs.size() * 0x1000L, rts), UserArray.of(0x7f10_0000L, in),
                        UserArray.of(0x7f20_0000L, out)));
            }
            submits.put(part.step(), jobs);
        }
    }

    @Override
    public void setInputs(Runnable done) {
        // TFLite copies the frame into its input tensor; Teflon converts at invoke time
        done.run();
    }

    @Override
    public void run(Runnable done) {
        if (failure != null) {
            done.run();
            return;
        }
        List<Async.Action> actions = new ArrayList<>();
        actions.add(k -> thread.compute(new CpuWork("tflite invoke", invokeOverheadPs, 0, Part.RUNTIME_CPU), k));
        Program p = compiled.program();
        for (int i = 0; i < p.steps().size(); i++) {
            Step s = p.steps().get(i);
            TeflonCompiler.Partition part = partitionAt(i);
            if (part != null) {
                actions.add(k -> mapForWrite(part.cpuInputs(), k));
                actions.add(k -> submit(part, k));
                actions.add(k -> mapForRead(part.cpuOutputs(), k));
            } else if (s instanceof Step.Cpu c) {
                actions.add(k -> thread.compute(toWork(c), k));
            }
        }
        Async.sequence(actions, done);
    }

    private TeflonCompiler.Partition partitionAt(int step) {
        for (TeflonCompiler.Partition p : compiled.partitions()) if (p.step() == step) return p;
        return null;
    }

    /** pipe_buffer_map for writing: PREP_BO, a fresh mmap; the unmap does FINI_BO. */
    private void mapForWrite(List<Integer> buffers, Runnable done) {
        Async.loop(buffers.size(), (i, next) -> {
            CreateBo bo = bos.get(buffers.get(i));
            sys.ioctl(thread, fd, PrepBo.of(bo.handle(), FOREVER_NS), (r, o) ->
                    sys.mmap(thread, fd, bo.offset(), bo.sizeBytes(), (r2, m) ->
                            sys.ioctl(thread, fd, new FiniBo(bo.handle(), 0), (r3, o3) -> next.run())));
        }, done);
    }

    /** Reading an output: PREP_BO blocks until its writer is done, then a fresh mmap. */
    private void mapForRead(List<Integer> buffers, Runnable done) {
        Async.loop(buffers.size(), (i, next) -> {
            CreateBo bo = bos.get(buffers.get(i));
            sys.ioctl(thread, fd, PrepBo.of(bo.handle(), FOREVER_NS), (r, o) -> {
                if (r < 0) failure = new RuntimeFailure(name, "DRM_IOCTL_ROCKET_PREP_BO", -r, 0, 0);
                sys.mmap(thread, fd, bo.offset(), bo.sizeBytes(), (r2, m) -> next.run());
            });
        }, done);
    }

    private void submit(TeflonCompiler.Partition part, Runnable done) {
        List<RocketJob> jobs = submits.get(part.step());
        Submit req = Submit.of(UserArray.of(0x7e00_0000L, jobs));
        thread.compute(new CpuWork("teflon build submit", buildPerJobPs * jobs.size(), 0, Part.RUNTIME_CPU), () ->
                sys.ioctl(thread, fd, req, (ret, out) -> {
                    if (ret < 0) failure = new RuntimeFailure(name, "DRM_IOCTL_ROCKET_SUBMIT", -ret, 0, 0);
                    done.run();
                }));
    }

    @Override
    public void getOutputs(Runnable done) {
        // outputs were read and converted at the end of each partition's invoke
        done.run();
    }

    private static CpuWork toWork(Step.Cpu c) {
        return new CpuWork(c.name(), c.refPs(), c.ddrBytes(), c.part());
    }
}
