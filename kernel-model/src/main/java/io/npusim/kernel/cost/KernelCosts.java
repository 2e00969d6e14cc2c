package io.npusim.kernel.cost;

import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;

/**
 * CPU cost of kernel paths, in picoseconds on an A76 (the reference core of CPU work), from the
 * {@code kernel.cost.*} configuration. Measured values carry their source there; the rest are
 * marked assumed. The ftrace durations (hw_submit, hard IRQ, IRQ thread) are wall times on the
 * CPU that ran them and are charged through {@code Kernel.measuredCpu}, not rescaled.
 */
public record KernelCosts(
        long syscallPs, double copyPsPerByte, long lockPs, long fencePs, long fenceCallbackPs, long mmioPs,
        long hwSubmitPs, long hardIrqPs, long irqThreadPs, long workqueueWakeupPs, long wakeUpPs,
        long iommuMapPagePs, long iommuUnmapPagePs, long iommuAttachPs, long iommuDetachPs, long zapCachePs,
        long pageAllocPs, long pageZeroPs, double cacheSyncPsPerByte, long mmapPs, long rpmResumePs, long schedTickPs,
        int irqCpu) {

    public static KernelCosts from(ParamTable t) {
        return new KernelCosts(
                ns(t, "syscall_ns"), t.nonNegative("kernel.cost.copy_from_user_ns_per_kib", "ns/KiB") * 1000 / 1024,
                ns(t, "lock_ns"), ns(t, "fence_ns"), ns(t, "fence_callback_ns"), ns(t, "mmio_ns"),
                us(t, "hw_submit_us"), us(t, "hard_irq_us"), us(t, "irq_thread_us"), us(t, "workqueue_wakeup_us"),
                us(t, "wake_up_us"), ns(t, "iommu_map_page_ns"), ns(t, "iommu_unmap_page_ns"), us(t, "iommu_attach_us"),
                us(t, "iommu_detach_us"), us(t, "zap_cache_us"), ns(t, "page_alloc_ns"), ns(t, "page_zero_ns"),
                t.nonNegative("kernel.cost.cache_sync_ns_per_kib", "ns/KiB") * 1000 / 1024, us(t, "mmap_us"),
                us(t, "rpm_resume_us"), us(t, "sched_tick_us"), (int) t.integer("kernel.irq_cpu", "cpu"));
    }

    private static long ns(ParamTable t, String k) {
        return Time.fromNs(t.nonNegative("kernel.cost." + k, "ns"));
    }

    private static long us(ParamTable t, String k) {
        return Time.fromUs(t.nonNegative("kernel.cost." + k, "us"));
    }

    /** Copying {@code bytes} from userspace. */
    public long copyPs(long bytes) {
        return (long) (bytes * copyPsPerByte);
    }

    /** Cache maintenance of {@code bytes} (dma_sync_*). */
    public long syncPs(long bytes) {
        return (long) (bytes * cacheSyncPsPerByte);
    }
}
