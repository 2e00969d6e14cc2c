package io.npusim.kernel.os;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.event.Priority;
import io.npusim.core.event.Simulator;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.Rk3588;
import io.npusim.hw.cpu.CpuComplex;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.drm.DmaFenceContexts;
import io.npusim.uapi.Errno;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserThread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The modelled Linux of one run: processes and threads, file descriptors, the system calls a
 * runtime may make (dispatched to the driver behind the device node), and kernel CPU work charged
 * on the simulated CPUs. Every call returns through its callback as a later event at USER
 * priority, after the kernel work of the call has run.
 */
public final class Kernel implements Syscalls {
    private final Simulator sim;
    private final Rk3588 hw;
    private final KernelCosts cost;
    private final TraceSink trace;
    private final Map<String, CharDevice> devices = new LinkedHashMap<>();
    private final DmaFenceContexts fenceContexts = new DmaFenceContexts();
    private final List<SimProcess> processes = new ArrayList<>();
    private final int[] threadsOnCpu;
    private int nextPid = 1000;
    private long nextFileId = 1;

    private long syscalls;
    private long ioctls;
    private final TreeMap<String, Long> ioctlsByName = new TreeMap<>();
    private long irqs;

    public Kernel(Simulator sim, Rk3588 hw, KernelCosts cost, TraceSink trace) {
        this.sim = sim;
        this.hw = hw;
        this.cost = cost;
        this.trace = trace;
        this.threadsOnCpu = new int[hw.cpus().cpus()];
    }

    public Simulator sim() {
        return sim;
    }

    public Rk3588 hw() {
        return hw;
    }

    public KernelCosts cost() {
        return cost;
    }

    public TraceSink trace() {
        return trace;
    }

    /** dma_fence_context_alloc of this kernel. */
    public DmaFenceContexts fenceContexts() {
        return fenceContexts;
    }

    public void register(CharDevice d) {
        devices.put(d.path(), d);
    }

    public CharDevice device(String path) {
        return devices.get(path);
    }

    public SimProcess spawn(String name, int[] affinity) {
        SimProcess p = new SimProcess(this, nextPid++, name, affinity);
        processes.add(p);
        return p;
    }

    public List<SimProcess> processes() {
        return List.copyOf(processes);
    }

    int placeThread(int[] affinity) {
        int best = affinity[0];
        for (int c : affinity) if (threadsOnCpu[c] < threadsOnCpu[best]) best = c;
        threadsOnCpu[best]++;
        return best;
    }

    void noteThreadOn(int cpu) {
        threadsOnCpu[cpu]++;
    }

    /** Kernel CPU work on {@code cpu}, charged to {@code part} of {@code request} (may be null). */
    public void kernelCpu(int cpu, long ps, Attribution request, Part part, Runnable then) {
        hw.cpus().run(cpu, "kernel", ps, 0, request, part, CpuComplex.Kind.KERNEL, then);
    }

    /** Kernel work in interrupt context on the IRQ CPU. */
    public void irqCpu(long ps, Attribution request, Part part, Runnable then) {
        kernelCpu(cost.irqCpu(), ps, request, part, then);
    }

    /**
     * Kernel work on {@code cpu} whose cost is a wall time measured on the board (an ftrace
     * duration), not a time on the reference A76: it is charged as that wall time on the CPU that
     * runs it, so a measurement taken on a little core is not slowed down a second time.
     */
    public void measuredCpu(int cpu, long wallPs, Attribution request, Part part, Runnable then) {
        kernelCpu(cpu, measuredRefPs(cpu, wallPs), request, part, then);
    }

    /** A wall time measured on {@code cpu}, as reference-A76 work for that CPU. */
    public long measuredRefPs(int cpu, long wallPs) {
        return Math.max(1, Math.round(wallPs * hw.cpus().speed(cpu)));
    }

    /** {@link #measuredCpu} on the IRQ CPU, where the measured interrupt paths ran. */
    public void measuredIrqCpu(long wallPs, Attribution request, Part part, Runnable then) {
        measuredCpu(cost.irqCpu(), wallPs, request, part, then);
    }

    /** Counts one interrupt taken by a driver. */
    public void countIrq() {
        irqs++;
    }

    /** Runs {@code then} at the current instant as kernel work with no CPU cost (a later event). */
    public void later(Runnable then) {
        sim.schedule(sim.now(), Priority.KERNEL, (p, a) -> then.run());
    }

    public void after(long delayPs, Runnable then) {
        sim.scheduleIn(delayPs, Priority.KERNEL, (p, a) -> then.run());
    }

    private void returnToUser(Runnable r) {
        sim.schedule(sim.now(), Priority.USER, (p, a) -> r.run());
    }

    private static SimThread sim(UserThread t) {
        if (!(t instanceof SimThread s)) throw new IllegalArgumentException("not a thread of this kernel: " + t);
        return s;
    }

    // ---- system calls ----------------------------------------------------------------------

    @Override
    public void open(UserThread thread, String path, IntResult done) {
        SimThread t = sim(thread);
        syscalls++;
        SyscallContext c = new SyscallContext(this, t);
        c.cpu(cost.syscallPs(), () -> {
            CharDevice d = devices.get(path);
            if (d == null) {
                returnToUser(() -> done.done(-Errno.ENOENT));
                return;
            }
            d.open(c, new CharDevice.OpenResult() {
                @Override
                public void opened(Object state) {
                    OpenFile f = new OpenFile(nextFileId++, d, t.process(), state);
                    int fd = t.process().installFd(f);
                    returnToUser(() -> done.done(fd));
                }

                @Override
                public void failed(int negErrno) {
                    returnToUser(() -> done.done(negErrno));
                }
            });
        });
    }

    @Override
    public void close(UserThread thread, int fd, IntResult done) {
        SimThread t = sim(thread);
        syscalls++;
        SyscallContext c = new SyscallContext(this, t);
        c.cpu(cost.syscallPs(), () -> {
            OpenFile f = t.process().removeFd(fd);
            if (f == null) {
                returnToUser(() -> done.done(-Errno.EBADF));
                return;
            }
            f.device().release(c, f, () -> returnToUser(() -> done.done(0)));
        });
    }

    @Override
    public void ioctl(UserThread thread, int fd, Ioctl arg, IoctlResult done) {
        SimThread t = sim(thread);
        syscalls++;
        ioctls++;
        ioctlsByName.merge(arg.name(), 1L, Long::sum);
        SyscallContext c = new SyscallContext(this, t);
        c.cpu(cost.syscallPs(), () -> {
            OpenFile f = t.process().fd(fd);
            if (f == null) {
                returnToUser(() -> done.done(-Errno.EBADF, arg));
                return;
            }
            f.device().ioctl(c, f, arg, (ret, out) -> returnToUser(() -> done.done(ret, out)));
        });
    }

    @Override
    public void mmap(UserThread thread, int fd, long offset, long length, MmapResult done) {
        SimThread t = sim(thread);
        syscalls++;
        SyscallContext c = new SyscallContext(this, t);
        c.cpu(cost.syscallPs() + cost.mmapPs(), () -> {
            OpenFile f = t.process().fd(fd);
            if (f == null) {
                returnToUser(() -> done.done(-Errno.EBADF, null));
                return;
            }
            f.device().mmap(c, f, offset, length, (ret, m) -> returnToUser(() -> done.done(ret, m)));
        });
    }

    // ---- statistics ------------------------------------------------------------------------

    public long syscalls() {
        return syscalls;
    }

    public long ioctls() {
        return ioctls;
    }

    public Map<String, Long> ioctlsByName() {
        return new LinkedHashMap<>(ioctlsByName);
    }

    public long irqs() {
        return irqs;
    }

    /** Kernel CPU time so far, in picoseconds of the CPUs it ran on. */
    public double cpuPs() {
        return hw.cpus().cpuPs(CpuComplex.Kind.KERNEL);
    }
}
