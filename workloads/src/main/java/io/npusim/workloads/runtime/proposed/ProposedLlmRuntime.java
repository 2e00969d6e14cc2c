package io.npusim.workloads.runtime.proposed;

import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.uapi.os.ProcessEnv;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.LlmCompiler;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.compile.TaskPlan;
import io.npusim.workloads.runtime.CompiledLlmRuntime;
import io.npusim.workloads.runtime.ParallelCpu;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.zoo.LlmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An LLM on the proposed subsystem: the RKLLM lowering (decode N-split over the cores, prefill
 * ops whole on the least-loaded core, CPU operators on an OpenMP-style pool), with weights and
 * the KV cache resident in one context of the throughput class, and each matmul group submitted
 * as ONE explicit job whose parts the driver spreads over the cores (instead of three single-core
 * submits from three worker threads).
 */
public final class ProposedLlmRuntime extends CompiledLlmRuntime<ProposedSession.Prepared> {
    private final int cls;
    private final ProposedSession session;
    private final long submitPrepPs;
    private int sharedCount;

    public ProposedLlmRuntime(String name, ProcessEnv env, LlmConfig config, boolean grouped, int cls, ParamTable t) {
        super(name, env, config, grouped, LlmCompiler.Lowering.RKLLM, t);
        this.cls = cls;
        this.session = new ProposedSession(name, env.sys(), env.mainThread());
        this.submitPrepPs = Time.fromUs(t.nonNegative("rkllm.submit_prep_us", "us"));
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
                env.mainThread().compute(ParallelCpu.work(cpu.copy("load weights", weights)), () -> prepareOnce(1, decode, done));
            });
        });
    }

    /** Creates the program's regcmd buffer and writes one job per matmul group. */
    @Override
    protected void prepare(int m, Program p, Consumer<List<ProposedSession.Prepared>> done) {
        int regcmd = 1000 * (preparedCount() + 1);
        long tasks = 0;
        for (Step s : p.steps()) if (s instanceof Step.Npu n) tasks += n.taskCount();
        BufferPlan rc = new BufferPlan(regcmd, "regcmd m=" + m, BufferPlan.Kind.REGCMD, Math.max(4096, tasks * 1024), false);
        session.createResident(List.of(rc), id -> id, b -> true, () -> {
            if (failure() != null) {
                done.accept(null);
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
            done.accept(groups);
        });
    }

    /** One explicit job for the whole group, then WAIT on it. */
    @Override
    protected void runGroup(ProposedSession.Prepared group, Runnable done) {
        session.submitAndWait(group, List.of(), submitPrepPs, done);
    }
}
