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
import java.util.function.Consumer;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.CompiledLlmRuntime;
import io.npusim.workloads.runtime.ParallelCpu;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.rknn.RknpuSession;
import io.npusim.workloads.zoo.LlmConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * An RKLLM-style runtime (librkllmrt) on the vendor driver, through the rknpu UAPI only: weights
 * resident for the life of the context in one arena per IOMMU domain (MEM_CREATE with CACHEABLE,
 * domain ids from 0), one worker thread per NPU core issuing that core's blocking PC + ping-pong
 * submits of each matmul group at the same time, CPU operators on an OpenMP pool of the enabled
 * big cores, the KV cache in host memory. Choices where the public record is silent are
 * parameters (rkllm.* in runtime.yaml) and are described in docs/RUNTIMES.md.
 */
public final class RkllmRuntime extends CompiledLlmRuntime<List<RknpuSession.Prepared>> {
    private final RknpuSession session;
    private final long submitPrepPs;
    private final long joinPs;
    private final List<UserThread> workers = new ArrayList<>();
    private int sharedCount;

    public RkllmRuntime(String name, ProcessEnv env, LlmConfig config, boolean grouped, ParamTable t) {
        super(name, env, config, grouped, LlmCompiler.Lowering.RKLLM, t);
        this.session = new RknpuSession(name, env.sys(), env.mainThread(), (int) t.integer("rkllm.timeout_ms", "ms"));
        this.submitPrepPs = Time.fromUs(t.nonNegative("rkllm.submit_prep_us", "us"));
        this.joinPs = Time.fromUs(t.nonNegative("rkllm.join_us", "us"));
        int threads = (int) t.integer("rkllm.cpu_threads", "threads");
        int[] cpus = env.cpus();
        // the OpenMP pool is the main thread and the first workers: the NPU workers do CPU work too
        List<UserThread> pool = new ArrayList<>();
        pool.add(env.mainThread());
        for (int c = 0; c < 3; c++) {
            UserThread w = env.newThread("npu-worker-" + c, cpus[(c + 1) % cpus.length]);
            workers.add(w);
            if (pool.size() < threads) pool.add(w);
        }
        usePool(pool);
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
        // weight arenas and activation buffers are shared by every program
        List<BufferPlan> shared = new ArrayList<>();
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
                env.mainThread().compute(ParallelCpu.work(cpu.copy("load weights", weights)), () -> prepareOnce(1, decode, done));
            });
        });
    }

    /** Allocates and writes the task array and regcmd buffer of a program: per group one job per core. */
    @Override
    protected void prepare(int m, Program p, Consumer<List<List<RknpuSession.Prepared>>> done) {
        // each program's task array and regcmd buffer get ids of their own in the session
        int base = 1000 * (preparedCount() + 1);
        List<BufferPlan> own = new ArrayList<>();
        for (BufferPlan b : p.buffers()) {
            if (b.id() >= sharedCount) own.add(new BufferPlan(base + own.size(), b.name(), b.kind(), b.bytes(), b.sram()));
        }
        session.createAll(own, b -> 0, () -> {
            if (failure() != null) {
                done.accept(null);
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
            done.accept(groups);
        });
    }

    private static int find(List<BufferPlan> list, BufferPlan.Kind k) {
        for (BufferPlan b : list) if (b.kind() == k) return b.id();
        throw new IllegalStateException("no " + k + " buffer");
    }

    /** The workers submit for the pass's request (the pool is made of them and the main thread). */
    @Override
    protected void onRequest(Attribution request) {
        for (UserThread w : workers) w.setRequest(request);
    }

    /** Each worker submits its core's job of the group at once; the main thread joins them. */
    @Override
    protected void runGroup(List<RknpuSession.Prepared> jobs, Runnable done) {
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
}
