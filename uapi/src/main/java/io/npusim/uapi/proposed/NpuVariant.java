package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.UserArray;
import java.util.Objects;

/**
 * {@code struct drm_npu_variant}: one way to run the job, compiled by userspace for {@code cores}
 * cores (1, 2 or 3) as a sequence of segments separated by barriers. The driver picks one
 * variant per job from the load when the job becomes ready.
 *
 * <pre>
 * struct drm_npu_variant {  // 16 bytes
 *     __u32 cores;          // 0  parts per segment: 1..3
 *     __u32 segment_count;  // 4
 *     __u64 segments;       // 8  user ptr to drm_npu_segment[]
 * };
 * </pre>
 */
public record NpuVariant(int cores, int segmentCount, UserArray<NpuSegment> segments) {
    public static final int SIZE = 16;
    public static final Codec<NpuVariant> CODEC = CStruct.codec("drm_npu_variant", SIZE,
            (v, w) -> w.u32(0, v.cores).u32(4, v.segmentCount).u64(8, v.segments.address()),
            r -> new NpuVariant(r.u32(0), r.u32(4), UserArray.pointer(r.u64(8))));

    public NpuVariant {
        Objects.requireNonNull(segments, "segments");
    }

    public static NpuVariant of(int cores, UserArray<NpuSegment> segments) {
        return new NpuVariant(cores, segments.items().size(), segments);
    }

    public NpuVariant pointersOnly() {
        return new NpuVariant(cores, segmentCount, segments.pointerOnly());
    }
}
