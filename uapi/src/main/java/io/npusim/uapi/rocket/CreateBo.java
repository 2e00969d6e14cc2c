package io.npusim.uapi.rocket;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_rocket_create_bo} for
 * {@code DRM_IOCTL_ROCKET_CREATE_BO = DRM_IOWR(DRM_COMMAND_BASE + 0x00, ...)}
 * (include/uapi/drm/rocket_accel.h).
 *
 * <pre>
 * struct drm_rocket_create_bo {  // 24 bytes
 *     __u32 size;                // 0  in
 *     __u32 handle;              // 4  out
 *     __u64 dma_address;         // 8  out
 *     __u64 offset;              // 16 out
 * };
 * </pre>
 *
 * @param sizeBytes  requested size; a __u32, so at most 4 GiB - 1
 * @param handle     out: GEM handle
 * @param dmaAddress out: NPU IOVA of the BO, private to this file
 * @param offset     out: fake offset to pass to mmap() on the accel fd
 */
public record CreateBo(long sizeBytes, int handle, long dmaAddress, long offset)
        implements RocketIoctl {
    public static final int SIZE = 24;
    /** 0xc0186440. */
    public static final long REQUEST =
            IoctlNumber.drmIowr(IoctlNumber.DRM_COMMAND_BASE + DRM_ROCKET_CREATE_BO, SIZE);

    public static final Codec<CreateBo> CODEC = CStruct.codec("drm_rocket_create_bo", SIZE,
            (v, w) -> w.u32Unsigned(0, "size", v.sizeBytes).u32(4, v.handle)
                    .u64(8, v.dmaAddress).u64(16, v.offset),
            r -> new CreateBo(r.u32AsLong(0), r.u32(4), r.u64(8), r.u64(16)));

    public CreateBo {
        CStruct.checkU32("drm_rocket_create_bo.size", sizeBytes);
    }

    /** The request as userspace fills it: only the size, out-fields zero. */
    public static CreateBo of(long sizeBytes) {
        return new CreateBo(sizeBytes, 0, 0, 0);
    }

    /** The struct as the kernel writes it back. */
    public CreateBo withResult(int handle, long dmaAddress, long offset) {
        return new CreateBo(sizeBytes, handle, dmaAddress, offset);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_ROCKET_CREATE_BO";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
