package io.npusim.hw.npu;

import io.npusim.core.account.Attribution;

/**
 * Simulation bookkeeping a driver hands the core with each job it starts (like a tracepoint
 * argument): which request and client the work is for, for attribution, traces and profiles.
 * The hardware's behaviour never depends on it.
 */
public record CoreContext(Attribution request, String client, long job) {
    public static final CoreContext NONE = new CoreContext(null, "-", -1);
}
