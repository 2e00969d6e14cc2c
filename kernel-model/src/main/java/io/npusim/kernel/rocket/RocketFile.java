package io.npusim.kernel.rocket;

import io.npusim.hw.iommu.IommuDomain;
import io.npusim.kernel.drm.HandleTable;
import io.npusim.kernel.sched.SchedEntity;
import java.util.List;

/** rocket_file_priv: the file's own IOMMU domain (isolation), its IOVA space, handles, entity. */
final class RocketFile {
    final int pid;
    final String client;
    final IommuDomain domain;
    final HandleTable handles = new HandleTable();
    final List<SchedEntity> entities; // one upstream; one per core with the multi_entity switch
    int nextEntity;

    RocketFile(int pid, String client, IommuDomain domain, List<SchedEntity> entities) {
        this.pid = pid;
        this.client = client;
        this.domain = domain;
        this.entities = entities;
    }
}
