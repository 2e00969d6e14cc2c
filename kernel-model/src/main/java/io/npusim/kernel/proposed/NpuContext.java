package io.npusim.kernel.proposed;

import io.npusim.hw.iommu.IommuDomain;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.drm.GemObject;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An execution context: a scheduling class and deadline, its own IOMMU domain (isolation between
 * contexts), the buffers resident in it, its timeline of job fences, and its accounting.
 */
final class NpuContext {
    final int id;
    final int cls;
    final long deadlinePs;
    final IommuDomain domain;
    final ProposedFile file;
    final long fenceContext;
    final Map<GemObject, Long> resident = new IdentityHashMap<>();
    /** Fences of jobs not yet retired, by seqno; older points are known to be signalled. */
    final TreeMap<Long, DmaFence> timeline = new TreeMap<>();
    long nextSeqno = 1;
    long retiredBelow = 1;
    int pendingJobs;
    final long[] busyPs = new long[3];
    long residentBytes;
    long jobsDone;
    long preemptions;
    /** Last measured ready-to-done time of a job per variant width (index = cores), 0 = unknown. */
    final long[] lastVariantPs = new long[4];
    boolean destroyed;

    NpuContext(int id, int cls, long deadlinePs, IommuDomain domain, ProposedFile file, long fenceContext) {
        this.id = id;
        this.cls = cls;
        this.deadlinePs = deadlinePs;
        this.domain = domain;
        this.file = file;
        this.fenceContext = fenceContext;
    }

    String className() {
        return switch (cls) {
            case 0 -> "latency";
            case 1 -> "throughput";
            default -> "background";
        };
    }
}
