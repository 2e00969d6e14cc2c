package io.npusim.uapi.rknpu;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;

/**
 * {@code struct rknpu_mem_map} for {@code DRM_IOCTL_RKNPU_MEM_MAP} (rknpu_ioctl.h): the fake
 * offset to mmap() a BO on the DRM fd.
 *
 * <pre>
 * struct rknpu_mem_map {  // 16 bytes
 *     __u32 handle;       // 0
 *     __u32 reserved;     // 4
 *     __u64 offset;       // 8  out
 * };
 * </pre>
 */
public record MemMap(int handle, int reserved, long offset) implements RknpuIoctl {
    public static final int SIZE = 16;
    /** 0xc0106443. */
    public static final long REQUEST = RknpuIoctl.drmRequest(RKNPU_MEM_MAP, SIZE);

    public static final Codec<MemMap> CODEC = CStruct.codec("rknpu_mem_map", SIZE,
            (v, w) -> w.u32(0, v.handle).u32(4, v.reserved).u64(8, v.offset),
            r -> new MemMap(r.u32(0), r.u32(4), r.u64(8)));

    public static MemMap of(int handle) {
        return new MemMap(handle, 0, 0);
    }

    public MemMap withOffset(long offset) {
        return new MemMap(handle, reserved, offset);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_RKNPU_MEM_MAP";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
