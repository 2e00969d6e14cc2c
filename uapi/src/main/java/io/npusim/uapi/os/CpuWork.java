package io.npusim.uapi.os;

import io.npusim.core.account.Part;

/**
 * A piece of CPU work a thread runs: its duration on an unloaded reference core (a Cortex-A76 at
 * its top clock), the DDR bytes it moves, and the breakdown part it is charged to.
 */
public record CpuWork(String name, long refPs, long ddrBytes, Part part) {
    public CpuWork {
        if (refPs < 0 || ddrBytes < 0) throw new IllegalArgumentException("negative CPU work " + name);
    }
}
