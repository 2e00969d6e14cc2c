package io.npusim.workloads.runtime.rocketllm;

import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.ProcessEnv;
import io.npusim.uapi.os.UserThread;
import io.npusim.uapi.rocket.RocketJob;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.LlmCompiler;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.LlmRuntime;
import io.npusim.workloads.runtime.ParallelCpu;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.rocket.RocketSession;
import io.npusim.workloads.zoo.LlmConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
public final class RocketLlmRuntime implements LlmRuntime {
    private final String name;
    private final ProcessEnv env;
    private final LlmConfig config;
    private final boolean grouped;
    private final LlmCompiler compiler;
    private final CpuCostModel cpu;
    private final RocketSession session;
    private final long buildPerJobPs;
    private final ParallelCpu parallel;
    private final Map<Integer, Loaded> programs = new HashMap<>();
    private int sharedCount;

    /**
     * A program with its jobs written: per NPU step one SUBMIT's jobs and the BO (session id) the
     * CPU waits on, the step's output.
     */
    private record Loaded(Program program, List<List<RocketJob>> submits, int[] waitBo) {}

    public RocketLlmRuntime(String name, ProcessEnv env, LlmConfig config, boolean grouped, ParamTable t) {
        this.name = name;
        this.env = env;
        this.config = config;
        this.grouped = grouped;
        this.compiler = new LlmCompiler(t, LlmCompiler.Lowering.ROCKET_LLM);
        this.cpu = new CpuCostModel(t);
        this.session = new RocketSession(name, env.sys(), env.mainThread());
        this.buildPerJobPs = Time.fromUs(t.nonNegative("rocket_llm.submit_build_us_per_job", "us"));
        int threads = (int) t.integer("rkllm.cpu_threads", "threads");
        int[] cpus = env.cpus();
        List<UserThread> pool = new ArrayList<>();
        pool.add(env.mainThread());
        for (int i = 1; i < threads; i++) pool.add(env.newThread("omp-" + i, cpus[i % cpus.length]));
        this.parallel = new ParallelCpu(pool);
    }

    @Override
    public String name() {
        return name;
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
    public long kvCacheBytes(int contextTokens) {
        return config.kvCacheBytes(contextTokens, DType.FP16);
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
                env.mainThread().compute(toWork(cpu.copy("load weights", weights)), () -> prepare(1, decode, done));
            });
        });
    }

    /** Creates the program's activation and regcmd BOs and writes its jobs (once per token count). */
    private void prepare(int m, Program p, Runnable done) {
        int base = 1000 * (programs.size() + 1);
        IntUnaryOperator idOf = id -> id < sharedCount ? id : base + id - sharedCount;
        List<BufferPlan> own = new ArrayList<>();
        for (BufferPlan b : p.buffers()) {
            if (b.id() >= sharedCount) own.add(new BufferPlan(base + own.size(), b.name(), b.kind(), b.bytes(), b.sram()));
        }
        session.createAll(own, b -> true, () -> {
            if (failure() != null) {
                done.run();
                return;
            }
            long[] iova = session.iovas(p.buffers().size(), idOf);
            int regcmd = -1;
            for (BufferPlan b : p.buffers()) if (b.kind() == BufferPlan.Kind.REGCMD) regcmd = b.id();
            List<List<RocketJob>> submits = new ArrayList<>();
            List<Integer> waits = new ArrayList<>();
            for (Step s : p.steps()) {
                if (s instanceof Step.Npu n) {
                    submits.add(session.writeJobs(n.jobs(), Collections.nCopies(n.jobs().size(), regcmd), idOf, iova));
                    waits.add(idOf.applyAsInt(n.jobs().get(n.jobs().size() - 1).outBuffers().get(0)));
                }
            }
            programs.put(m, new Loaded(p, submits, waits.stream().mapToInt(Integer::intValue).toArray()));
            done.run();
        });
    }

    @Override
    public void prefill(int promptTokens, int cachedTokens, Runnable done) {
        if (failure() != null) {
            done.run();
            return;
        }
        if (!programs.containsKey(promptTokens)) {
            prepare(promptTokens, compiler.compile(config, promptTokens, grouped, true), () -> forward(promptTokens, cachedTokens + promptTokens, done));
        } else {
            forward(promptTokens, cachedTokens + promptTokens, done);
        }
    }

    @Override
    public void decode(int contextTokens, Runnable done) {
        forward(1, contextTokens, done);
    }

    /** One forward pass: CPU steps on the pool; per NPU group one SUBMIT, then wait on the output BO. */
    private void forward(int m, int context, Runnable done) {
        Loaded l = programs.get(m);
        if (failure() != null || l == null) {
            done.run();
            return;
        }
        parallel.setRequest(env.mainThread().request());
        List<Async.Action> actions = new ArrayList<>();
        int[] group = {0};
        for (Step s : l.program().steps()) {
            if (s instanceof Step.Cpu c) {
                actions.add(k -> parallel.run(c, k));
            } else if (s instanceof Step.ContextCpu cc) {
                actions.add(k -> parallel.run(cc.at(context), k));
            } else if (s instanceof Step.Npu) {
                actions.add(k -> {
                    int gi = group[0]++;
                    int bo = l.waitBo()[gi];
                    session.submit("rocket-llm", l.submits().get(gi), buildPerJobPs, () -> session.prepBo(bo, () -> session.finiBo(bo, k)));
                });
            }
        }
        Async.sequence(actions, done);
    }

    private static CpuWork toWork(Step.Cpu c) {
        return new CpuWork(c.name(), c.refPs(), c.ddrBytes(), c.part());
    }
}
