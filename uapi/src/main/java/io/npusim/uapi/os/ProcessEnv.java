package io.npusim.uapi.os;

/**
 * What a runtime sees of its process: the system calls, its main thread, the CPUs it may run on,
 * and new threads (a worker per NPU core, an OpenMP pool), as pthread_create with an affinity.
 */
public interface ProcessEnv {
    Syscalls sys();

    UserThread mainThread();

    /** The CPUs of the process's affinity set. */
    int[] cpus();

    /** A new thread bound to {@code cpu}. */
    UserThread newThread(String name, int cpu);
}
