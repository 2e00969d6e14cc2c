package io.npusim.workloads.runtime;

import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.compile.Step;
import java.util.ArrayList;
import java.util.List;

/** Runs a CPU step split evenly over a pool of threads (an OpenMP parallel region) and joins. */
public final class ParallelCpu {
    private final List<UserThread> pool;

    public ParallelCpu(List<UserThread> pool) {
        this.pool = List.copyOf(pool);
    }

    /** Charges the pool's work to the request the main thread serves. */
    public void setRequest(io.npusim.core.account.Attribution request) {
        for (UserThread t : pool) t.setRequest(request);
    }

    /** The step as work for one thread. */
    public static CpuWork work(Step.Cpu c) {
        return new CpuWork(c.name(), c.refPs(), c.ddrBytes(), c.part());
    }

    public void run(Step.Cpu c, Runnable done) {
        int n = Math.max(1, Math.min(c.threads(), pool.size()));
        if (n == 1) {
            pool.get(0).compute(work(c), done);
            return;
        }
        List<Async.Action> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            UserThread t = pool.get(i);
            parts.add(k -> t.compute(new CpuWork(c.name(), c.refPs() / n, c.ddrBytes() / n, c.part()), k));
        }
        Async.all(parts, done);
    }
}
