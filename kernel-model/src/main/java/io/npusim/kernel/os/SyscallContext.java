package io.npusim.kernel.os;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;

/**
 * The calling thread inside a system call: kernel work of the call runs on its CPU and is
 * charged to the request it is working for.
 */
public final class SyscallContext {
    private final Kernel kernel;
    private final SimThread thread;

    SyscallContext(Kernel kernel, SimThread thread) {
        this.kernel = kernel;
        this.thread = thread;
    }

    public SimThread thread() {
        return thread;
    }

    public Kernel kernel() {
        return kernel;
    }

    public Attribution request() {
        return thread.request();
    }

    public int pid() {
        return thread.pid();
    }

    /** Runs {@code ps} of kernel CPU work on the caller's CPU, charged as job overhead. */
    public void cpu(long ps, Runnable then) {
        kernel.kernelCpu(thread.cpu(), ps, thread.request(), Part.JOB_OVERHEAD, then);
    }

    /** Same, charged to a chosen part. */
    public void cpu(long ps, Part part, Runnable then) {
        kernel.kernelCpu(thread.cpu(), ps, thread.request(), part, then);
    }
}
