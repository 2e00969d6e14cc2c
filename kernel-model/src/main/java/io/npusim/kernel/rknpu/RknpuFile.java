package io.npusim.kernel.rknpu;

import io.npusim.kernel.drm.HandleTable;

/** The drm_file of an rknpu client. */
final class RknpuFile {
    final int pid;
    final String client;
    final HandleTable handles = new HandleTable();

    RknpuFile(int pid, String client) {
        this.pid = pid;
        this.client = client;
    }
}
