package io.npusim.workloads.runtime.rkllm;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.ProcessEnv;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.LlmCompiler;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.LlmRuntime;
import io.npusim.workloads.runtime.ParallelCpu;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.rknn.RknpuSession;
import io.npusim.workloads.zoo.LlmConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An RKLLM-style runtime (librkllmrt) on the vendor driver, through the rknpu UAPI only: weights
 * resident for the life of the context in one arena per IOMMU domain (MEM_CREATE with CACHEABLE,
 * domain ids from 0), one worker thread per NPU core issuing that core's blocking PC + ping-pong
 * submits of each matmul group at the same time, CPU operators on an OpenMP pool of the enabled
 * big cores, the KV cache in host memory. Choices where the public record is silent are
 * parameters (rkllm.* in runtime.yaml) and are described in docs/RUNTIMES.md.
 */
public final class RkllmRuntime implements LlmRuntime {
    private final String name;
    private final ProcessEnv env;
    private final LlmConfig config;
    private final boolean grouped;
    private final LlmCompiler compiler;
    private final CpuCostModel cpu;
    private final RknpuSession session;
    private final long submitPrepPs;
    private final long joinPs;
    private final List<UserThread> workers = new ArrayList<>();
    private final List<UserThread> pool = new ArrayList<>();
    private ParallelCpu parallel;
    private final Map<Integer, Loaded> programs = new HashMap<>();
    private List<BufferPlan> shared;
    private int sharedCount;
    private RuntimeFailure failure;

    /** A program with its task array and regcmd buffer written. */
    private record Loaded(Program program, List<List<RknpuSession.Prepared>> groups) {}

    public RkllmRuntime(String name, ProcessEnv env, LlmConfig config, boolean grouped, ParamTable t) {
        this.name = name;
        this.env = env;
        this.config = config;
        this.grouped = grouped;
        this.compiler = new LlmCompiler(t, LlmCompiler.Lowering.RKLLM);
        this.cpu = new CpuCostModel(t);
        this.session = new RknpuSession(name, env.sys(), env.mainThread(), (int) t.integer("rkllm.timeout_ms", "ms"));
        this.submitPrepPs = Time.fromUs(t.nonNegative("rkllm.submit_prep_us", "us"));
        this.joinPs = Time.fromUs(t.nonNegative("rkllm.join_us", "us"));
        int threads = (int) t.integer("rkllm.cpu_threads", "threads");
        int[] cpus = env.cpus();
        pool.add(env.mainThread());
        for (int c = 0; c < 3; c++) {
            UserThread w = env.newThread("npu-worker-" + c, cpus[(c + 1) % cpus.length]);
            workers.add(w);
            if (pool.size() < threads) pool.add(w);
        }
        this.parallel = new ParallelCpu(pool);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RuntimeFailure failure() {
        return failure != null ? failure : session.failure();
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
        // weight arenas and activation buffers are shared by every program
        shared = new ArrayList<>();
        for (BufferPlan b : decode.buffers()) if (b.kind() == BufferPlan.Kind.WEIGHT || b.kind() == BufferPlan.Kind.INTERNAL) shared.add(b);
        sharedCount = shared.size();
        session.open(() -> {
            if (failure() != null) {
                done.run();
                return;
            }
            // weights go to domains 0, 1, ... in order; everything else in domain 0
            session.createAll(shared, b -> b.kind() == BufferPlan.Kind.WEIGHT ? b.id() : 0, () -> {
                if (failure() != null) {
                    done.run();
                    return;
                }
                long weights = decode.bufferBytes(BufferPlan.Kind.WEIGHT);
                env.mainThread().compute(toWork(cpu.copy("load weights", weights)), () -> prepare(1, decode, done));
            });
        });
    }

    /** Allocates and writes the task array and regcmd buffer of a program (once per token count). */
    private void prepare(int m, Program p, Runnable done) {
        if (programs.containsKey(m)) {
            done.run();
            return;
        }
        // each program's task array and regcmd buffer get ids of their own in the session
        int base = 1000 * (programs.size() + 1);
        List<BufferPlan> own = new ArrayList<>();
        for (BufferPlan b : p.buffers()) {
            if (b.id() >= sharedCount) own.add(new BufferPlan(base + own.size(), b.name(), b.kind(), b.bytes(), b.sram()));
        }
        session.createAll(own, b -> 0, () -> {
            if (failure() != null) {
                done.run();
                return;
            }
            List<JobPlan> all = new ArrayList<>();
            List<Integer> perGroup = new ArrayList<>();
            for (Step s : p.steps()) {
                if (s instanceof Step.Npu n) {
                    all.addAll(n.jobs());
                    perGroup.add(n.jobs().size());
                }
            }
            int taskBuf = find(own, BufferPlan.Kind.TASKS), regBuf = find(own, BufferPlan.Kind.REGCMD);
            List<RknpuSession.Prepared> prepared = session.writeJobs(all, session.iovas(sharedCount), taskBuf, regBuf, 0);
            List<List<RknpuSession.Prepared>> groups = new ArrayList<>();
            int i = 0;
            for (int n : perGroup) {
                groups.add(prepared.subList(i, i + n));
                i += n;
            }
            programs.put(m, new Loaded(p, groups));
            done.run();
        });
    }

    private static int find(List<BufferPlan> list, BufferPlan.Kind k) {
        for (BufferPlan b : list) if (b.kind() == k) return b.id();
        throw new IllegalStateException("no " + k + " buffer");
    }

    @Override
    public void prefill(int promptTokens, int cachedTokens, Runnable done) {
        if (!programs.containsKey(promptTokens)) {
            Program p = compiler.compile(config, promptTokens, grouped, true);
            prepare(promptTokens, p, () -> forward(promptTokens, cachedTokens + promptTokens, done));
        } else {
            forward(promptTokens, cachedTokens + promptTokens, done);
        }
    }

    @Override
    public void decode(int contextTokens, Runnable done) {
        forward(1, contextTokens, done);
    }

    /** Runs one forward pass: CPU steps on the pool, NPU groups on the workers. */
    private void forward(int m, int context, Runnable done) {
        Loaded l = programs.get(m);
        if (failure() != null || l == null) {
            done.run();
            return;
        }
        Attribution req = env.mainThread().request();
        for (UserThread w : workers) w.setRequest(req);
        List<Async.Action> actions = new ArrayList<>();
        int[] group = {0};
        for (Step s : l.program().steps()) {
            if (s instanceof Step.Cpu c) {
                actions.add(k -> parallel.run(c, k));
            } else if (s instanceof Step.ContextCpu cc) {
                actions.add(k -> parallel.run(cc.at(context), k));
            } else if (s instanceof Step.Npu) {
                actions.add(k -> runGroup(l.groups().get(group[0]++), k));
            }
        }
        Async.sequence(actions, done);
    }

    /** Each worker submits its core's job of the group at once; the main thread joins them. */
    private void runGroup(List<RknpuSession.Prepared> jobs, Runnable done) {
        List<Async.Action> parts = new ArrayList<>();
        for (int core = 0; core < jobs.size(); core++) {
            RknpuSession.Prepared p = jobs.get(core);
            if (p.count() == 0) continue;
            UserThread w = workers.get(core);
            int mask = 1 << core;
            parts.add(k -> w.compute(new CpuWork("rkllm submit", submitPrepPs, 0, Part.RUNTIME_CPU), () -> session.submit(w, p, mask, k)));
        }
        Async.all(parts, () -> env.mainThread().compute(new CpuWork("rkllm join", joinPs, 0, Part.RUNTIME_CPU), done));
    }

    private static CpuWork toWork(Step.Cpu c) {
        return new CpuWork(c.name(), c.refPs(), c.ddrBytes(), c.part());
    }
}
