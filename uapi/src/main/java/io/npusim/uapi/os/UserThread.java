package io.npusim.uapi.os;

import io.npusim.core.account.Attribution;

/**
 * A userspace thread of a simulated process. Runtimes are written in continuation style: every
 * operation takes what to do next, which runs as a later event (never re-entrantly).
 */
public interface UserThread {
    int pid();

    int tid();

    String name();

    /** Current simulated time in picoseconds. */
    long now();

    /** Runs CPU work on this thread's CPU (shared with what else runs there), then {@code then}. */
    void compute(CpuWork work, Runnable then);

    void sleepUntil(long timePs, Runnable then);

    /**
     * The request this thread is working for (an inference, a prefill, a token), or null. The
     * kernel charges the ioctls, jobs and tasks issued by the thread to it; nothing else about
     * requests crosses the boundary.
     */
    Attribution request();

    void setRequest(Attribution request);
}
