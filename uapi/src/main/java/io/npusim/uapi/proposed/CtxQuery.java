package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_npu_ctx_query} for {@code DRM_IOCTL_NPU_CTX_QUERY = DRM_IOWR(0x47, ...)}:
 * per-context accounting, as fdinfo's drm-engine-* keys give it per file.
 *
 * <pre>
 * struct drm_npu_ctx_query {   // 64 bytes
 *     __u32 ctx_id;            // 0
 *     __u32 pad;               // 4
 *     __u64 busy_ns[3];        // 8  out: time the context's work occupied each core
 *     __u64 resident_bytes;    // 32 out
 *     __u64 sram_bytes;        // 40 out: granted now
 *     __u64 jobs;              // 48 out: completed
 *     __u64 preemptions;       // 56 out: times its work was stopped at a batch boundary
 * };
 * </pre>
 */
public record CtxQuery(int ctxId, int pad, long busyNs0, long busyNs1, long busyNs2, long residentBytes, long sramBytes, long jobs,
                       long preemptions) implements NpuIoctl {
    public static final int SIZE = 64;
    public static final long REQUEST = IoctlNumber.drmIowr(IoctlNumber.DRM_COMMAND_BASE + DRM_NPU_CTX_QUERY, SIZE);
    public static final Codec<CtxQuery> CODEC = CStruct.codec("drm_npu_ctx_query", SIZE,
            (v, w) -> w.u32(0, v.ctxId).u32(4, v.pad).u64(8, v.busyNs0).u64(16, v.busyNs1).u64(24, v.busyNs2).u64(32, v.residentBytes)
                    .u64(40, v.sramBytes).u64(48, v.jobs).u64(56, v.preemptions),
            r -> new CtxQuery(r.u32(0), r.u32(4), r.u64(8), r.u64(16), r.u64(24), r.u64(32), r.u64(40), r.u64(48), r.u64(56)));

    public static CtxQuery of(int ctxId) {
        return new CtxQuery(ctxId, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_NPU_CTX_QUERY";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
