package io.npusim.workloads.runtime.teflon;

import io.npusim.core.account.Part;
import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserThread;
import io.npusim.uapi.rocket.RocketJob;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.compile.TeflonCompiler;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.ParallelCpu;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.VisionRuntime;
import io.npusim.workloads.runtime.rocket.RocketSession;
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
    public static final String DEVICE = RocketSession.DEVICE;

    private final String name;
    private final UserThread thread;
    private final TeflonCompiler.Compiled compiled;
    private final CpuCostModel cpu;
    private final RocketSession session;
    private final long invokeOverheadPs;
    private final long buildPerJobPs;
    private final Map<Integer, List<RocketJob>> submits = new HashMap<>(); // per partition step

    public TeflonRuntime(String name, Syscalls sys, UserThread thread, TeflonCompiler.Compiled compiled, ParamTable t) {
        this.name = name;
        this.thread = thread;
        this.compiled = compiled;
        this.cpu = new CpuCostModel(t);
        this.session = new RocketSession(name, sys, thread);
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
        return session.failure();
    }

    @Override
    public long allocatedBytes() {
        return session.allocated();
    }

    @Override
    public void load(Runnable done) {
        Program p = compiled.program();
        session.open(() -> {
            if (failure() != null) {
                done.run();
                return;
            }
            session.createAll(p.buffers(), b -> b.kind() == BufferPlan.Kind.WEIGHT || b.kind() == BufferPlan.Kind.REGCMD, () -> {
                if (failure() != null) {
                    done.run();
                    return;
                }
                long[] iova = session.iovas(p.buffers().size(), id -> id);
                for (TeflonCompiler.Partition part : compiled.partitions()) {
                    Step.Npu npu = (Step.Npu) p.steps().get(part.step());
                    submits.put(part.step(), session.writeJobs(npu.jobs(), part.regcmdOfJob(), id -> id, iova));
                }
                thread.compute(ParallelCpu.work(cpu.copy("upload weights", p.bufferBytes(BufferPlan.Kind.WEIGHT))), done);
            });
        });
    }

    @Override
    public void setInputs(Runnable done) {
        // TFLite copies the frame into its input tensor; Teflon converts at invoke time
        done.run();
    }

    @Override
    public void run(Runnable done) {
        if (failure() != null) {
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
                actions.add(k -> Async.loop(part.cpuInputs().size(), (j, next) -> mapForWrite(part.cpuInputs().get(j), next), k));
                actions.add(k -> session.submit("teflon", submits.get(part.step()), buildPerJobPs, k));
                actions.add(k -> Async.loop(part.cpuOutputs().size(), (j, next) -> mapForRead(part.cpuOutputs().get(j), next), k));
            } else if (s instanceof Step.Cpu c) {
                actions.add(k -> thread.compute(ParallelCpu.work(c), k));
            }
        }
        Async.sequence(actions, done);
    }

    private TeflonCompiler.Partition partitionAt(int step) {
        for (TeflonCompiler.Partition p : compiled.partitions()) if (p.step() == step) return p;
        return null;
    }

    /** pipe_buffer_map for writing: PREP_BO, a fresh mmap; the unmap does FINI_BO. */
    private void mapForWrite(int buffer, Runnable next) {
        session.prepBo(buffer, () -> session.mmapAgain(buffer, () -> session.finiBo(buffer, next)));
    }

    /** Reading an output: PREP_BO blocks until its writer is done, then a fresh mmap. */
    private void mapForRead(int buffer, Runnable next) {
        session.prepBo(buffer, () -> session.mmapAgain(buffer, next));
    }

    @Override
    public void getOutputs(Runnable done) {
        // outputs were read and converted at the end of each partition's invoke
        done.run();
    }
}
