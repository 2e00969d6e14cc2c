package io.npusim.kernel.proposed;

import io.npusim.kernel.drm.HandleTable;
import java.util.LinkedHashMap;
import java.util.Map;

/** Per open file: its GEM handles and its execution contexts. */
final class ProposedFile {
    final int pid;
    final String client;
    final HandleTable handles = new HandleTable();
    final Map<Integer, NpuContext> contexts = new LinkedHashMap<>();

    ProposedFile(int pid, String client) {
        this.pid = pid;
        this.client = client;
    }
}
