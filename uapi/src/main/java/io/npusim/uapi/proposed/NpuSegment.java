package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;

/**
 * {@code struct drm_npu_segment}: up to three parts that may run at the same time on different
 * cores, each a range of the submit's task array; a segment ends at a barrier (every part done)
 * before the next segment of the variant starts. A part with count 0 is absent.
 *
 * <pre>
 * struct drm_npu_segment {  // 24 bytes
 *     __u32 start[3];       // 0
 *     __u32 count[3];       // 12
 * };
 * </pre>
 */
public record NpuSegment(int[] start, int[] count) {
    public static final int SIZE = 24;
    public static final int MAX_PARTS = 3;
    public static final Codec<NpuSegment> CODEC = CStruct.codec("drm_npu_segment", SIZE,
            (v, w) -> w.u32(0, v.start[0]).u32(4, v.start[1]).u32(8, v.start[2]).u32(12, v.count[0]).u32(16, v.count[1]).u32(20, v.count[2]),
            r -> new NpuSegment(new int[] {r.u32(0), r.u32(4), r.u32(8)}, new int[] {r.u32(12), r.u32(16), r.u32(20)}));

    public NpuSegment {
        if (start.length != MAX_PARTS || count.length != MAX_PARTS) throw new IllegalArgumentException("drm_npu_segment has three parts");
        start = start.clone();
        count = count.clone();
    }

    @Override
    public int[] start() {
        return start.clone();
    }

    @Override
    public int[] count() {
        return count.clone();
    }

    public int startOf(int part) {
        return start[part];
    }

    public int countOf(int part) {
        return count[part];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpuSegment s && java.util.Arrays.equals(start, s.start) && java.util.Arrays.equals(count, s.count);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(start) + java.util.Arrays.hashCode(count);
    }

    @Override
    public String toString() {
        return "NpuSegment" + java.util.Arrays.toString(start) + java.util.Arrays.toString(count);
    }
}
