package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_npu_bo_create} for {@code DRM_IOCTL_NPU_BO_CREATE = DRM_IOWR(0x42, ...)}: a
 * GEM object of pinned pages (the size is rounded up to whole pages) with no NPU address yet; it
 * gets one per context it is made resident in.
 *
 * <pre>
 * struct drm_npu_bo_create {  // 24 bytes
 *     __u64 size;             // 0
 *     __u32 flags;            // 8  must be 0
 *     __u32 handle;           // 12 out
 *     __u64 offset;           // 16 out: fake mmap offset
 * };
 * </pre>
 */
public record BoCreate(long sizeBytes, int flags, int handle, long offset) implements NpuIoctl {
    public static final int SIZE = 24;
    public static final long REQUEST = IoctlNumber.drmIowr(IoctlNumber.DRM_COMMAND_BASE + DRM_NPU_BO_CREATE, SIZE);
    public static final Codec<BoCreate> CODEC = CStruct.codec("drm_npu_bo_create", SIZE,
            (v, w) -> w.u64(0, v.sizeBytes).u32(8, v.flags).u32(12, v.handle).u64(16, v.offset),
            r -> new BoCreate(r.u64(0), r.u32(8), r.u32(12), r.u64(16)));

    public static BoCreate of(long sizeBytes) {
        return new BoCreate(sizeBytes, 0, 0, 0);
    }

    public BoCreate withResult(int handle, long offset) {
        return new BoCreate(sizeBytes, flags, handle, offset);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_NPU_BO_CREATE";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
