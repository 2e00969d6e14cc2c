package io.npusim.workloads.runtime.rocketllm;

import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.uapi.os.ProcessEnv;
import io.npusim.uapi.rocket.RocketJob;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.LlmCompiler;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.runtime.CompiledLlmRuntime;
import io.npusim.workloads.runtime.ParallelCpu;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.rocket.RocketSession;
import io.npusim.workloads.zoo.LlmConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

/**
 * rocket-llm: a model of what a custom LLM runtime on the upstream rocket UAPI would do. No such
 * runtime exists upstream (Mesa's Teflon has no matmul or FC path, rocket-upstream.md 4.2); third
 * parties write their own. This one emits every matmul as a 1x1-convolution job through the rocket
 * UAPI and runs everything else on the CPU, like RKLLM does (same CPU operators and costs).
 *
 * <p>What rocket imposes, and this model therefore shows: one open file is one drm_sched entity,
 * so all of a process's jobs run on one core at a time (no N-split over three cores); each task is
 * a hardware start with its own interrupt; every job attaches the file's IOMMU domain; all BOs of
 * the process share one 4 GiB IOVA space, so a model whose weights exceed it cannot load (the
 * CREATE_BO that overflows fails and the runtime reports it with the sizes). Per matmul group one
 * SUBMIT; the CPU waits on the output BO with PREP_BO, reads it and hands it back with FINI_BO.
 */
public final class RocketLlmRuntime extends CompiledLlmRuntime<RocketLlmRuntime.Group> {
    private final RocketSession session;
    private final long buildPerJobPs;
    private int sharedCount;

    /** One matmul group: its SUBMIT's jobs, and the BO (session id) the CPU waits on, the group's output. */
    record Group(List<RocketJob> jobs, int waitBo) {}

    public RocketLlmRuntime(String name, ProcessEnv env, LlmConfig config, boolean grouped, ParamTable t) {
        super(name, env, config, grouped, LlmCompiler.Lowering.ROCKET_LLM, t);
        this.session = new RocketSession(name, env.sys(), env.mainThread());
        this.buildPerJobPs = Time.fromUs(t.nonNegative("rocket_llm.submit_build_us_per_job", "us"));
        usePool(ompPool(env, (int) t.integer("rkllm.cpu_threads", "threads")));
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
        Program decode = compiler.compile(config, 1, grouped, false);
        // weights are shared by every program; activations and regcmds are per program (sized by m)
        List<BufferPlan> shared = new ArrayList<>();
        for (BufferPlan b : decode.buffers()) if (b.kind() == BufferPlan.Kind.WEIGHT) shared.add(b);
        sharedCount = shared.size();
        session.open(() -> {
            if (failure() != null) {
                done.run();
                return;
            }
            // the CPU writes the weights once and reads and writes the activations every step
            session.createAll(shared, b -> true, () -> {
                if (failure() != null) {
                    done.run();
                    return;
                }
                long weights = decode.bufferBytes(BufferPlan.Kind.WEIGHT);
                env.mainThread().compute(ParallelCpu.work(cpu.copy("load weights", weights)), () -> prepareOnce(1, decode, done));
            });
        });
    }

    /** Creates the program's activation and regcmd BOs and writes its jobs. */
    @Override
    protected void prepare(int m, Program p, Consumer<List<Group>> done) {
        int base = 1000 * (preparedCount() + 1);
        IntUnaryOperator idOf = id -> id < sharedCount ? id : base + id - sharedCount;
        List<BufferPlan> own = new ArrayList<>();
        for (BufferPlan b : p.buffers()) {
            if (b.id() >= sharedCount) own.add(new BufferPlan(base + own.size(), b.name(), b.kind(), b.bytes(), b.sram()));
        }
        session.createAll(own, b -> true, () -> {
            if (failure() != null) {
                done.accept(null);
                return;
            }
            long[] iova = session.iovas(p.buffers().size(), idOf);
            int regcmd = -1;
            for (BufferPlan b : p.buffers()) if (b.kind() == BufferPlan.Kind.REGCMD) regcmd = b.id();
            List<Group> groups = new ArrayList<>();
            for (Step s : p.steps()) {
                if (s instanceof Step.Npu n) {
                    groups.add(new Group(session.writeJobs(n.jobs(), Collections.nCopies(n.jobs().size(), regcmd), idOf, iova),
                            idOf.applyAsInt(n.jobs().get(n.jobs().size() - 1).outBuffers().get(0))));
                }
            }
            done.accept(groups);
        });
    }

    /** One SUBMIT for the group, then wait on its output BO, read it, hand it back. */
    @Override
    protected void runGroup(Group g, Runnable done) {
        session.submit("rocket-llm", g.jobs(), buildPerJobPs, () -> session.prepBo(g.waitBo(), () -> session.finiBo(g.waitBo(), done)));
    }
}
