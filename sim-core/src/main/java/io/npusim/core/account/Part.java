package io.npusim.core.account;

/**
 * The exclusive parts a request's latency is split into (DESIGN.md "Latency breakdown"). When
 * claims overlap, the part listed first wins: hardware parts before kernel parts before
 * userspace parts, so the part on the critical path of the machine gets the time.
 */
public enum Part {
    /** MAC-array work of a task on a core. */
    NPU_COMPUTE("npu_compute"),
    /** DDR or SRAM stalls of a running task beyond its compute time. */
    MEMORY_WAIT("memory_wait"),
    /** IOTLB misses: page-table walks a running task waits for. */
    IOTLB_WALK("iotlb_walk"),
    /** Per-task costs: regcmd fetch, setup, interrupts and software re-arm between tasks. */
    TASK_OVERHEAD("task_overhead"),
    /** Per-job costs: ioctl paths, fences, IOMMU attach and switch, power-up, wake-ups. */
    JOB_OVERHEAD("job_overhead"),
    /** Waiting in a kernel queue or for a gang start while nothing of the request runs. */
    QUEUED("queued"),
    /** The runtime's own CPU work: conversions, output fetch, sampling. */
    RUNTIME_CPU("runtime_cpu"),
    /** Operators that run on the CPU because the NPU path does not run them. */
    CPU_FALLBACK("cpu_fallback");

    public static final Part[] ALL = values();
    public static final int COUNT = ALL.length;

    private final String key;

    Part(String key) {
        this.key = key;
    }

    /** The name used in summaries and reports. */
    public String key() {
        return key;
    }
}
