package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;

/**
 * {@code struct drm_npu_fence}: a point on a context's timeline (a timeline syncobj point): the
 * job of context {@code ctx_id} with sequence number {@code seqno}.
 *
 * <pre>
 * struct drm_npu_fence {  // 16 bytes
 *     __u32 ctx_id;       // 0
 *     __u32 pad;          // 4 must be 0
 *     __u64 seqno;        // 8
 * };
 * </pre>
 */
public record NpuFence(int ctxId, int pad, long seqno) {
    public static final int SIZE = 16;
    public static final Codec<NpuFence> CODEC = CStruct.codec("drm_npu_fence", SIZE,
            (v, w) -> w.u32(0, v.ctxId).u32(4, v.pad).u64(8, v.seqno), r -> new NpuFence(r.u32(0), r.u32(4), r.u64(8)));
}
