package io.npusim.kernel.os;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A simulated process: its threads, its file descriptors and its CPU affinity. */
public final class SimProcess {
    private final Kernel kernel;
    private final int pid;
    private final String name;
    private final int[] affinity;
    private final List<SimThread> threads = new ArrayList<>();
    private final TreeMap<Integer, OpenFile> fds = new TreeMap<>();
    private int nextTid;

    SimProcess(Kernel kernel, int pid, String name, int[] affinity) {
        this.kernel = kernel;
        this.pid = pid;
        this.name = name;
        this.affinity = affinity.clone();
        this.nextTid = pid;
    }

    public int pid() {
        return pid;
    }

    public String name() {
        return name;
    }

    public int[] affinity() {
        return affinity.clone();
    }

    /** A new thread on the least-loaded CPU of the affinity set (by threads placed there). */
    public SimThread newThread(String threadName) {
        int cpu = kernel.placeThread(affinity);
        SimThread t = new SimThread(kernel, this, nextTid++, threadName, cpu);
        threads.add(t);
        return t;
    }

    /** A new thread on a given CPU (a runtime binding one worker per core). */
    public SimThread newThreadOn(String threadName, int cpu) {
        kernel.noteThreadOn(cpu);
        SimThread t = new SimThread(kernel, this, nextTid++, threadName, cpu);
        threads.add(t);
        return t;
    }

    /** The process as its runtime sees it: system calls, main thread, affinity, new threads. */
    public io.npusim.uapi.os.ProcessEnv env(SimThread main) {
        SimProcess self = this;
        return new io.npusim.uapi.os.ProcessEnv() {
            @Override
            public io.npusim.uapi.os.Syscalls sys() {
                return kernel;
            }

            @Override
            public io.npusim.uapi.os.UserThread mainThread() {
                return main;
            }

            @Override
            public int[] cpus() {
                return self.affinity();
            }

            @Override
            public io.npusim.uapi.os.UserThread newThread(String threadName, int cpu) {
                return self.newThreadOn(threadName, cpu);
            }
        };
    }

    public List<SimThread> threads() {
        return List.copyOf(threads);
    }

    int installFd(OpenFile f) {
        int fd = 3; // 0-2 are stdio
        while (fds.containsKey(fd)) fd++;
        fds.put(fd, f);
        return fd;
    }

    OpenFile fd(int fd) {
        return fds.get(fd);
    }

    OpenFile removeFd(int fd) {
        return fds.remove(fd);
    }

    public int openFiles() {
        return fds.size();
    }
}
