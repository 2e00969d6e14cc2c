package io.npusim.uapi.rknpu;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;

/**
 * {@code struct rknpu_mem_sync} for {@code DRM_IOCTL_RKNPU_MEM_SYNC} (rknpu_ioctl.h): cache
 * maintenance on a byte range of a cacheable BO.
 *
 * <pre>
 * struct rknpu_mem_sync {  // 32 bytes
 *     __u32 flags;         // 0  SyncFlags
 *     __u32 reserved;      // 4
 *     __u64 obj_addr;      // 8  kernel pointer from MEM_CREATE
 *     __u64 offset;        // 16 bytes from the BO start
 *     __u64 size;          // 24
 * };
 * </pre>
 */
public record MemSync(int flags, int reserved, long objAddr, long offset, long sizeBytes)
        implements RknpuIoctl {
    public static final int SIZE = 32;
    /** 0xc0206445. */
    public static final long REQUEST = RknpuIoctl.drmRequest(RKNPU_MEM_SYNC, SIZE);

    public static final Codec<MemSync> CODEC = CStruct.codec("rknpu_mem_sync", SIZE,
            (v, w) -> w.u32(0, v.flags).u32(4, v.reserved).u64(8, v.objAddr).u64(16, v.offset)
                    .u64(24, v.sizeBytes),
            r -> new MemSync(r.u32(0), r.u32(4), r.u64(8), r.u64(16), r.u64(24)));

    public static MemSync of(int flags, long objAddr, long offset, long sizeBytes) {
        return new MemSync(flags, 0, objAddr, offset, sizeBytes);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_RKNPU_MEM_SYNC";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
