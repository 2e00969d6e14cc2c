package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_npu_wait} for {@code DRM_IOCTL_NPU_WAIT = DRM_IOW(0x46, ...)}: waits for a
 * point of a context's timeline. Returns 0 when the job completed, its error (-ECANCELED after a
 * reset) when it failed, -ETIME at the absolute deadline, -EINVAL for a point not yet submitted.
 *
 * <pre>
 * struct drm_npu_wait {   // 24 bytes
 *     __u32 ctx_id;       // 0
 *     __u32 pad;          // 4  must be 0
 *     __u64 seqno;        // 8
 *     __s64 timeout_ns;   // 16 absolute CLOCK_MONOTONIC deadline; INT64_MAX waits for ever
 * };
 * </pre>
 */
public record NpuWait(int ctxId, int pad, long seqno, long timeoutNs) implements NpuIoctl {
    public static final int SIZE = 24;
    public static final long REQUEST = IoctlNumber.drmIow(IoctlNumber.DRM_COMMAND_BASE + DRM_NPU_WAIT, SIZE);
    public static final Codec<NpuWait> CODEC = CStruct.codec("drm_npu_wait", SIZE,
            (v, w) -> w.u32(0, v.ctxId).u32(4, v.pad).u64(8, v.seqno).s64(16, v.timeoutNs),
            r -> new NpuWait(r.u32(0), r.u32(4), r.u64(8), r.s64(16)));

    public static NpuWait forever(int ctxId, long seqno) {
        return new NpuWait(ctxId, 0, seqno, Long.MAX_VALUE);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_NPU_WAIT";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
