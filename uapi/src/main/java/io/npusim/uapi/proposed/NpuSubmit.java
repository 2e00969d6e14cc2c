package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;
import io.npusim.uapi.codec.UserArray;
import java.util.Objects;

/**
 * {@code struct drm_npu_submit} for {@code DRM_IOCTL_NPU_SUBMIT = DRM_IOWR(0x45, ...)}: an
 * explicit job of a context. Its tasks, the variants that say how to run them on one, two or
 * three cores, and the fences it waits for; the ioctl returns the job's point on the context's
 * timeline. No implicit sync: resident buffers carry no fences.
 *
 * <pre>
 * struct drm_npu_submit {          // 64 bytes
 *     __u32 ctx_id;                // 0
 *     __u32 flags;                 // 4  must be 0
 *     __u64 tasks;                 // 8  user ptr to drm_npu_task[]
 *     __u32 task_count;            // 16
 *     __u32 task_struct_size;      // 20 >= 8
 *     __u64 variants;              // 24 user ptr to drm_npu_variant[]
 *     __u32 variant_count;         // 32 1..3
 *     __u32 variant_struct_size;   // 36 >= 16
 *     __u64 in_fences;             // 40 user ptr to drm_npu_fence[]
 *     __u32 in_fence_count;        // 48
 *     __u32 pad;                   // 52 must be 0
 *     __u64 out_seqno;             // 56 out
 * };
 * </pre>
 */
public record NpuSubmit(int ctxId, int flags, UserArray<NpuTask> tasks, int taskCount, int taskStructSize,
                        UserArray<NpuVariant> variants, int variantCount, int variantStructSize,
                        UserArray<NpuFence> inFences, int inFenceCount, int pad, long outSeqno) implements NpuIoctl {
    public static final int SIZE = 64;
    public static final long REQUEST = IoctlNumber.drmIowr(IoctlNumber.DRM_COMMAND_BASE + DRM_NPU_SUBMIT, SIZE);
    public static final Codec<NpuSubmit> CODEC = CStruct.codec("drm_npu_submit", SIZE,
            (v, w) -> w.u32(0, v.ctxId).u32(4, v.flags).u64(8, v.tasks.address()).u32(16, v.taskCount).u32(20, v.taskStructSize)
                    .u64(24, v.variants.address()).u32(32, v.variantCount).u32(36, v.variantStructSize)
                    .u64(40, v.inFences.address()).u32(48, v.inFenceCount).u32(52, v.pad).u64(56, v.outSeqno),
            r -> new NpuSubmit(r.u32(0), r.u32(4), UserArray.pointer(r.u64(8)), r.u32(16), r.u32(20), UserArray.pointer(r.u64(24)),
                    r.u32(32), r.u32(36), UserArray.pointer(r.u64(40)), r.u32(48), r.u32(52), r.u64(56)));

    public NpuSubmit {
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(variants, "variants");
        Objects.requireNonNull(inFences, "inFences");
    }

    public static NpuSubmit of(int ctxId, UserArray<NpuTask> tasks, UserArray<NpuVariant> variants, UserArray<NpuFence> inFences) {
        return new NpuSubmit(ctxId, 0, tasks, tasks.items().size(), NpuTask.SIZE, variants, variants.items().size(), NpuVariant.SIZE,
                inFences, inFences.items().size(), 0, 0);
    }

    public NpuSubmit withSeqno(long seqno) {
        return new NpuSubmit(ctxId, flags, tasks, taskCount, taskStructSize, variants, variantCount, variantStructSize, inFences,
                inFenceCount, pad, seqno);
    }

    public NpuSubmit pointersOnly() {
        return new NpuSubmit(ctxId, flags, tasks.pointerOnly(), taskCount, taskStructSize, variants.pointerOnly(), variantCount,
                variantStructSize, inFences.pointerOnly(), inFenceCount, pad, outSeqno);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_NPU_SUBMIT";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
