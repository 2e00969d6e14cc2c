package io.npusim.uapi.rknpu;

/**
 * {@code enum e_rknpu_mem_type} (rknpu_ioctl.h 0.9.8), the bits of {@code rknpu_mem_create.flags}.
 * CONTIGUOUS and NON_CACHEABLE are the zero defaults of their bits.
 */
public final class MemFlags {
    /** Default: physically contiguous (falls back to non-contiguous with an IOMMU). */
    public static final int CONTIGUOUS = 0;
    public static final int NON_CONTIGUOUS = 1 << 0;
    /** Default: non-cacheable CPU mapping. */
    public static final int NON_CACHEABLE = 0;
    /** Cacheable CPU mapping; MEM_SYNC only does work on such BOs. */
    public static final int CACHEABLE = 1 << 1;
    public static final int WRITE_COMBINE = 1 << 2;
    /** Keep a kernel mapping; the task BO needs it (the driver reads tasks through kv_addr). */
    public static final int KERNEL_MAPPING = 1 << 3;
    /** Defined but not referenced by 0.9.8 driver code. */
    public static final int IOMMU = 1 << 4;
    public static final int ZEROING = 1 << 5;
    /** Defined but not referenced by 0.9.8 driver code. */
    public static final int SECURE = 1 << 6;
    public static final int DMA32 = 1 << 7;
    /** Try to place the BO (or its sram_size part) in on-chip system SRAM. */
    public static final int TRY_ALLOC_SRAM = 1 << 8;
    /** NBUF: RK3562/RK3576 only (RK3588 has nbuf_size 0). */
    public static final int TRY_ALLOC_NBUF = 1 << 9;
    public static final int IOMMU_LIMIT_IOVA_ALIGNMENT = 1 << 10;
    /** {@code RKNPU_MEM_MASK}: every defined bit. */
    public static final int MASK = NON_CONTIGUOUS | CACHEABLE | WRITE_COMBINE | KERNEL_MAPPING
            | IOMMU | ZEROING | SECURE | DMA32 | TRY_ALLOC_SRAM | TRY_ALLOC_NBUF
            | IOMMU_LIMIT_IOVA_ALIGNMENT;

    private MemFlags() {}
}
