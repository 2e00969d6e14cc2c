package io.npusim.hw.npu;

/** Receives what the cores did (profiles, statistics). */
public interface NpuObserver {
    NpuObserver NONE = new NpuObserver() {};

    default void taskDone(TaskRecord r) {}

    /** Work in flight or queued in the PC was lost to a reset. */
    default void workLost(int core, int tasks, String reason, long nowPs) {}

    /** A DMA range mapped to another process's buffer was accessed (shared IOMMU domain). */
    default void foreignAccess(int core, int ownerPid, long iova, long nowPs) {}

    /** The core stopped without an interrupt (undecodable register commands). */
    default void hung(int core, long address, long nowPs) {}
}
