package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_npu_ctx_destroy} for {@code DRM_IOCTL_NPU_CTX_DESTROY = DRM_IOW(0x41, ...)}:
 * unpins the context's resident buffers and releases its SRAM; -EBUSY while it has jobs pending.
 *
 * <pre>
 * struct drm_npu_ctx_destroy {  // 8 bytes
 *     __u32 ctx_id;             // 0
 *     __u32 pad;                // 4 must be 0
 * };
 * </pre>
 */
public record CtxDestroy(int ctxId, int pad) implements NpuIoctl {
    public static final int SIZE = 8;
    public static final long REQUEST = IoctlNumber.drmIow(IoctlNumber.DRM_COMMAND_BASE + DRM_NPU_CTX_DESTROY, SIZE);
    public static final Codec<CtxDestroy> CODEC = CStruct.codec("drm_npu_ctx_destroy", SIZE,
            (v, w) -> w.u32(0, v.ctxId).u32(4, v.pad), r -> new CtxDestroy(r.u32(0), r.u32(4)));

    @Override
    public String name() {
        return "DRM_IOCTL_NPU_CTX_DESTROY";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
