package io.npusim.workloads.runtime;

import io.npusim.core.account.Attribution;
import io.npusim.hw.config.ParamTable;
import io.npusim.uapi.os.ProcessEnv;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.compile.LlmCompiler;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.zoo.LlmConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the LLM runtimes share, whatever the driver: one compiled program per token count
 * (decode at load, each prompt length on its first prefill), prepared once for the driver; a
 * forward pass that runs the program's CPU steps on an OpenMP-style pool and hands each NPU
 * group to the runtime. Subclasses say how a program's groups are prepared ({@code G}) and run.
 *
 * @param <G> one NPU group as the runtime keeps it ready to submit
 */
public abstract class CompiledLlmRuntime<G> implements LlmRuntime {
    protected final String name;
    protected final ProcessEnv env;
    protected final LlmConfig config;
    protected final boolean grouped;
    protected final LlmCompiler compiler;
    protected final CpuCostModel cpu;
    private ParallelCpu parallel;
    private final Map<Integer, Loaded<G>> programs = new HashMap<>();

    private record Loaded<G>(Program program, List<G> groups) {}

    protected CompiledLlmRuntime(String name, ProcessEnv env, LlmConfig config, boolean grouped, LlmCompiler.Lowering lowering, ParamTable t) {
        this.name = name;
        this.env = env;
        this.config = config;
        this.grouped = grouped;
        this.compiler = new LlmCompiler(t, lowering);
        this.cpu = new CpuCostModel(t);
    }

    /** The threads CPU operators are split over (the first is the main thread). */
    protected final void usePool(List<UserThread> pool) {
        this.parallel = new ParallelCpu(pool);
    }

    /** The main thread plus {@code threads - 1} new ones on the process's CPUs, as OpenMP starts them. */
    protected static List<UserThread> ompPool(ProcessEnv env, int threads) {
        int[] cpus = env.cpus();
        List<UserThread> pool = new ArrayList<>();
        pool.add(env.mainThread());
        for (int i = 1; i < threads; i++) pool.add(env.newThread("omp-" + i, cpus[i % cpus.length]));
        return pool;
    }

    /** Prepares a program's NPU groups for the driver, in step order; null when it failed. */
    protected abstract void prepare(int m, Program p, Consumer<List<G>> done);

    /** Runs one NPU group and calls {@code done} when its results are back. */
    protected abstract void runGroup(G group, Runnable done);

    /** The request of this forward pass, for the threads that work on it besides the main one. */
    protected void onRequest(Attribution request) {
        parallel.setRequest(request);
    }

    /** Programs prepared so far (runtimes number each program's own buffers by it). */
    protected final int preparedCount() {
        return programs.size();
    }

    /** Prepares {@code p} for {@code m} new tokens unless done already, then {@code done}. */
    protected final void prepareOnce(int m, Program p, Runnable done) {
        if (programs.containsKey(m)) {
            done.run();
            return;
        }
        prepare(m, p, groups -> {
            if (groups != null) programs.put(m, new Loaded<>(p, groups));
            done.run();
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long kvCacheBytes(int contextTokens) {
        return config.kvCacheBytes(contextTokens, DType.FP16);
    }

    @Override
    public void prefill(int promptTokens, int cachedTokens, Runnable done) {
        if (failure() != null) {
            done.run();
            return;
        }
        Runnable go = () -> forward(promptTokens, cachedTokens + promptTokens, done);
        if (programs.containsKey(promptTokens)) go.run();
        else prepareOnce(promptTokens, compiler.compile(config, promptTokens, grouped, true), go);
    }

    @Override
    public void decode(int contextTokens, Runnable done) {
        forward(1, contextTokens, done);
    }

    /** One forward pass over {@code m} new tokens with {@code context} positions cached. */
    private void forward(int m, int context, Runnable done) {
        Loaded<G> l = programs.get(m);
        if (failure() != null || l == null) {
            done.run();
            return;
        }
        onRequest(env.mainThread().request());
        List<Async.Action> actions = new ArrayList<>();
        int group = 0;
        for (Step s : l.program().steps()) {
            if (s instanceof Step.Cpu c) {
                actions.add(k -> parallel.run(c, k));
            } else if (s instanceof Step.ContextCpu cc) {
                actions.add(k -> parallel.run(cc.at(context), k));
            } else if (s instanceof Step.Npu) {
                G g = l.groups().get(group++);
                actions.add(k -> runGroup(g, k));
            }
        }
        Async.sequence(actions, done);
    }
}
