package io.npusim.uapi.rknpu;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;

/**
 * {@code struct rknpu_mem_destroy} for {@code DRM_IOCTL_RKNPU_MEM_DESTROY} (rknpu_ioctl.h).
 *
 * <pre>
 * struct rknpu_mem_destroy {  // 16 bytes
 *     __u32 handle;           // 0
 *     __u32 reserved;         // 4
 *     __u64 obj_addr;         // 8  kernel pointer from MEM_CREATE
 * };
 * </pre>
 */
public record MemDestroy(int handle, int reserved, long objAddr) implements RknpuIoctl {
    public static final int SIZE = 16;
    /** 0xc0106444. */
    public static final long REQUEST = RknpuIoctl.drmRequest(RKNPU_MEM_DESTROY, SIZE);

    public static final Codec<MemDestroy> CODEC = CStruct.codec("rknpu_mem_destroy", SIZE,
            (v, w) -> w.u32(0, v.handle).u32(4, v.reserved).u64(8, v.objAddr),
            r -> new MemDestroy(r.u32(0), r.u32(4), r.u64(8)));

    public static MemDestroy of(int handle, long objAddr) {
        return new MemDestroy(handle, 0, objAddr);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_RKNPU_MEM_DESTROY";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
