package io.npusim.uapi.rknpu;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;

/**
 * {@code struct rknpu_mem_create} (0.9.8 layout) for {@code DRM_IOCTL_RKNPU_MEM_CREATE}
 * (rknpu_ioctl.h). rknpu_gem.c first looks {@code handle} up and reuses an existing object of
 * this file when it matches, so {@code handle} is in/out; userspace normally passes 0.
 *
 * <pre>
 * struct rknpu_mem_create {  // 48 bytes
 *     __u32 handle;          // 0  in/out
 *     __u32 flags;           // 4  MemFlags
 *     __u64 size;            // 8  in/out: rounded to the allocated size
 *     __u64 obj_addr;        // 16 out: kernel pointer to the rknpu_gem_object
 *     __u64 dma_addr;        // 24 out: NPU address
 *     __u64 sram_size;       // 32 in/out: SRAM part with TRY_ALLOC_SRAM
 *     __s32 iommu_domain_id; // 40
 *     __u32 core_mask;       // 44 (khadas 0.9.x header: "reserved")
 * };
 * </pre>
 */
public record MemCreate(int handle, int flags, long sizeBytes, long objAddr, long dmaAddr,
        long sramSizeBytes, int iommuDomainId, int coreMask) implements RknpuIoctl {
    public static final int SIZE = 48;
    /** 0xc0306442. */
    public static final long REQUEST = RknpuIoctl.drmRequest(RKNPU_MEM_CREATE, SIZE);

    public static final Codec<MemCreate> CODEC = CStruct.codec("rknpu_mem_create", SIZE,
            (v, w) -> w.u32(0, v.handle).u32(4, v.flags).u64(8, v.sizeBytes).u64(16, v.objAddr)
                    .u64(24, v.dmaAddr).u64(32, v.sramSizeBytes).s32(40, v.iommuDomainId)
                    .u32(44, v.coreMask),
            r -> new MemCreate(r.u32(0), r.u32(4), r.u64(8), r.u64(16), r.u64(24), r.u64(32),
                    r.s32(40), r.u32(44)));

    /** A request as userspace fills it: handle and out-fields zero. */
    public static MemCreate of(int flags, long sizeBytes, long sramSizeBytes, int iommuDomainId,
            int coreMask) {
        return new MemCreate(0, flags, sizeBytes, 0, 0, sramSizeBytes, iommuDomainId, coreMask);
    }

    /** The struct as rknpu_gem_create_ioctl writes it back. */
    public MemCreate withResult(int handle, long sizeBytes, long objAddr, long dmaAddr,
            long sramSizeBytes) {
        return new MemCreate(handle, flags, sizeBytes, objAddr, dmaAddr, sramSizeBytes,
                iommuDomainId, coreMask);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_RKNPU_MEM_CREATE";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
