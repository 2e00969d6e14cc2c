package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_npu_sram_request} for {@code DRM_IOCTL_NPU_SRAM_REQUEST = DRM_IOWR(0x44, ...)}:
 * asks that the first {@code bytes} of a resident BO live in on-chip SRAM. The kernel grants what
 * it can now and says so; a higher-priority request may later evict the grant to DDR (the data is
 * copied and the IOVA range remapped, invisibly to jobs) and the grant is restored when SRAM frees.
 *
 * <pre>
 * struct drm_npu_sram_request {  // 32 bytes
 *     __u32 ctx_id;              // 0
 *     __u32 handle;              // 4  a BO resident in the context
 *     __u64 bytes;               // 8  0 releases the grant
 *     __u32 priority;            // 16 higher wins, below 1 << 20; latency contexts outrank the others
 *     __u32 pad;                 // 20 must be 0
 *     __u64 granted;             // 24 out: bytes in SRAM now
 * };
 * </pre>
 */
public record SramRequest(int ctxId, int handle, long bytes, int priority, int pad, long granted) implements NpuIoctl {
    public static final int SIZE = 32;
    public static final long REQUEST = IoctlNumber.drmIowr(IoctlNumber.DRM_COMMAND_BASE + DRM_NPU_SRAM_REQUEST, SIZE);
    public static final Codec<SramRequest> CODEC = CStruct.codec("drm_npu_sram_request", SIZE,
            (v, w) -> w.u32(0, v.ctxId).u32(4, v.handle).u64(8, v.bytes).u32(16, v.priority).u32(20, v.pad).u64(24, v.granted),
            r -> new SramRequest(r.u32(0), r.u32(4), r.u64(8), r.u32(16), r.u32(20), r.u64(24)));

    public static SramRequest of(int ctxId, int handle, long bytes, int priority) {
        return new SramRequest(ctxId, handle, bytes, priority, 0, 0);
    }

    public SramRequest withGranted(long g) {
        return new SramRequest(ctxId, handle, bytes, priority, pad, g);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_NPU_SRAM_REQUEST";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
