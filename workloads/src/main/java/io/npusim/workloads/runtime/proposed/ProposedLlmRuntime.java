package io.npusim.workloads.runtime.proposed;

import io.npusim.core.account.Attribution;
import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.ProcessEnv;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.LlmCompiler;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.compile.TaskPlan;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.LlmRuntime;
import io.npusim.workloads.runtime.ParallelCpu;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.zoo.LlmConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An LLM on the proposed subsystem: the RKLLM lowering (decode N-split over the cores, prefill
 * ops whole on the least-loaded core, CPU operators on an OpenMP-style pool), with weights and
 * the KV cache resident in one context of the throughput class, and each matmul group submitted
 * as ONE explicit job whose parts the driver spreads over the cores (instead of three single-core
 * submits from three worker threads).
 */
public final class ProposedLlmRuntime implements LlmRuntime {
    private final String name;
    private final ProcessEnv env;
    private final LlmConfig config;
    private final boolean grouped;
    private final int cls;
    private final LlmCompiler compiler;
    private final CpuCostModel cpu;
    private final ProposedSession session;
    private final long submitPrepPs;
    private final ParallelCpu parallel;
    private final Map<Integer, Loaded> programs = new HashMap<>();
    private int sharedCount;

    private record Loaded(Program program, List<ProposedSession.Prepared> groups) {}

    public ProposedLlmRuntime(String name, ProcessEnv env, LlmConfig config, boolean grouped, int cls, ParamTable t) {
        this.name = name;
        this.env = env;
        this.config = config;
        this.grouped = grouped;
        this.cls = cls;
        this.compiler = new LlmCompiler(t, LlmCompiler.Lowering.RKLLM);
        this.cpu = new CpuCostModel(t);
        this.session = new ProposedSession(name, env.sys(), env.mainThread());
        this.submitPrepPs = Time.fromUs(t.nonNegative("rkllm.submit_prep_us", "us"));
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
        List<BufferPlan> shared = new ArrayList<>();
        for (BufferPlan b : decode.buffers()) if (b.kind() == BufferPlan.Kind.WEIGHT || b.kind() == BufferPlan.Kind.INTERNAL) shared.add(b);
        sharedCount = shared.size();
        // the KV cache is resident too (the CPU reads and writes it; no per-token mapping)
        shared.add(new BufferPlan(sharedCount, "kv cache", BufferPlan.Kind.KV_CACHE, Math.max(4096, kvCacheBytes(4096)), false));
        session.open(cls, 0, () -> {
            if (failure() != null) {
                done.run();
                return;
            }
            session.createResident(shared, id -> id, b -> true, () -> {
                if (failure() != null) {
                    done.run();
                    return;
                }
                long weights = decode.bufferBytes(BufferPlan.Kind.WEIGHT);
                env.mainThread().compute(toWork(cpu.copy("load weights", weights)), () -> prepare(1, decode, done));
            });
        });
    }

    /** Creates the program's regcmd buffer and writes one job per matmul group (once per token count). */
    private void prepare(int m, Program p, Runnable done) {
        int regcmd = 1000 * (programs.size() + 1);
        long tasks = 0;
        for (Step s : p.steps()) if (s instanceof Step.Npu n) tasks += n.taskCount();
        BufferPlan rc = new BufferPlan(regcmd, "regcmd m=" + m, BufferPlan.Kind.REGCMD, Math.max(4096, tasks * 1024), false);
        session.createResident(List.of(rc), id -> id, b -> true, () -> {
            if (failure() != null) {
                done.run();
                return;
            }
            long[] addr = session.iovas(sharedCount);
            List<ProposedSession.Prepared> groups = new ArrayList<>();
            for (Step s : p.steps()) {
                if (!(s instanceof Step.Npu n)) continue;
                List<List<TaskPlan>> parts = new ArrayList<>();
                for (JobPlan j : n.jobs()) for (List<TaskPlan> l : j.perCore()) if (!l.isEmpty()) parts.add(l);
                ProposedJobPlan job = new ProposedJobPlan(n.name(), List.of(new ProposedJobPlan.Variant(Math.min(3, parts.size()), List.of(parts))));
                groups.add(session.prepare(job, regcmd, addr));
            }
            programs.put(m, new Loaded(p, groups));
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

    private void forward(int m, int context, Runnable done) {
        Loaded l = programs.get(m);
        if (failure() != null || l == null) {
            done.run();
            return;
        }
        Attribution req = env.mainThread().request();
        parallel.setRequest(req);
        List<Async.Action> actions = new ArrayList<>();
        int[] group = {0};
        for (Step s : l.program().steps()) {
            if (s instanceof Step.Cpu c) {
                actions.add(k -> parallel.run(c, k));
            } else if (s instanceof Step.ContextCpu cc) {
                actions.add(k -> parallel.run(cc.at(context), k));
            } else if (s instanceof Step.Npu) {
                actions.add(k -> session.submitAndWait(l.groups().get(group[0]++), List.of(), submitPrepPs, k));
            }
        }
        Async.sequence(actions, done);
    }

    private static CpuWork toWork(Step.Cpu c) {
        return new CpuWork(c.name(), c.refPs(), c.ddrBytes(), c.part());
    }
}
