package io.npusim.kernel.os;

import io.npusim.core.account.Attribution;
import io.npusim.core.event.Priority;
import io.npusim.hw.cpu.CpuComplex;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.UserThread;

/** A userspace thread, placed on one CPU of its process's affinity set. */
public final class SimThread implements UserThread {
    private final Kernel kernel;
    private final SimProcess process;
    private final int tid;
    private final String name;
    private final int cpu;
    private Attribution request;

    SimThread(Kernel kernel, SimProcess process, int tid, String name, int cpu) {
        this.kernel = kernel;
        this.process = process;
        this.tid = tid;
        this.name = name;
        this.cpu = cpu;
    }

    @Override
    public int pid() {
        return process.pid();
    }

    @Override
    public int tid() {
        return tid;
    }

    @Override
    public String name() {
        return process.name() + "/" + name;
    }

    public SimProcess process() {
        return process;
    }

    public int cpu() {
        return cpu;
    }

    @Override
    public long now() {
        return kernel.sim().now();
    }

    @Override
    public void compute(CpuWork work, Runnable then) {
        kernel.hw().cpus().run(cpu, work.name(), work.refPs(), work.ddrBytes(), request, work.part(), CpuComplex.Kind.USER, then);
    }

    @Override
    public void sleepUntil(long timePs, Runnable then) {
        kernel.sim().schedule(Math.max(timePs, kernel.sim().now()), Priority.USER, (p, a) -> then.run());
    }

    @Override
    public Attribution request() {
        return request;
    }

    @Override
    public void setRequest(Attribution request) {
        this.request = request;
    }
}
