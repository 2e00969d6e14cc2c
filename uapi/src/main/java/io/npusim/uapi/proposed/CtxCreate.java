package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_npu_ctx_create} for {@code DRM_IOCTL_NPU_CTX_CREATE = DRM_IOWR(0x40, ...)}.
 *
 * <pre>
 * struct drm_npu_ctx_create {  // 24 bytes
 *     __u32 class;             // 0  DRM_NPU_CLASS_LATENCY / THROUGHPUT / BACKGROUND
 *     __u32 flags;             // 4  must be 0
 *     __u64 deadline_ns;       // 8  relative deadline of one job, 0 = none
 *     __u32 ctx_id;            // 16 out
 *     __u32 pad;               // 20 must be 0
 * };
 * </pre>
 */
public record CtxCreate(int ctxClass, int flags, long deadlineNs, int ctxId, int pad) implements NpuIoctl {
    public static final int SIZE = 24;
    public static final long REQUEST = IoctlNumber.drmIowr(IoctlNumber.DRM_COMMAND_BASE + DRM_NPU_CTX_CREATE, SIZE);
    public static final Codec<CtxCreate> CODEC = CStruct.codec("drm_npu_ctx_create", SIZE,
            (v, w) -> w.u32(0, v.ctxClass).u32(4, v.flags).u64(8, v.deadlineNs).u32(16, v.ctxId).u32(20, v.pad),
            r -> new CtxCreate(r.u32(0), r.u32(4), r.u64(8), r.u32(16), r.u32(20)));

    public static CtxCreate of(int ctxClass, long deadlineNs) {
        return new CtxCreate(ctxClass, 0, deadlineNs, 0, 0);
    }

    public CtxCreate withId(int id) {
        return new CtxCreate(ctxClass, flags, deadlineNs, id, pad);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_NPU_CTX_CREATE";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
