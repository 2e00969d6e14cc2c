package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_npu_bo_resident} for {@code DRM_IOCTL_NPU_BO_RESIDENT = DRM_IOWR(0x43, ...)}:
 * maps a BO into the context's address space once and pins it for the context's life. Jobs of
 * the context may use it without listing it; no implicit fences are attached to resident BOs.
 *
 * <pre>
 * struct drm_npu_bo_resident {  // 24 bytes
 *     __u32 ctx_id;             // 0
 *     __u32 handle;             // 4
 *     __u32 flags;              // 8  must be 0
 *     __u32 pad;                // 12 must be 0
 *     __u64 iova;               // 16 out: NPU address in the context
 * };
 * </pre>
 */
public record BoResident(int ctxId, int handle, int flags, int pad, long iova) implements NpuIoctl {
    public static final int SIZE = 24;
    public static final long REQUEST = IoctlNumber.drmIowr(IoctlNumber.DRM_COMMAND_BASE + DRM_NPU_BO_RESIDENT, SIZE);
    public static final Codec<BoResident> CODEC = CStruct.codec("drm_npu_bo_resident", SIZE,
            (v, w) -> w.u32(0, v.ctxId).u32(4, v.handle).u32(8, v.flags).u32(12, v.pad).u64(16, v.iova),
            r -> new BoResident(r.u32(0), r.u32(4), r.u32(8), r.u32(12), r.u64(16)));

    public static BoResident of(int ctxId, int handle) {
        return new BoResident(ctxId, handle, 0, 0, 0);
    }

    public BoResident withIova(long iova) {
        return new BoResident(ctxId, handle, flags, pad, iova);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_NPU_BO_RESIDENT";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
