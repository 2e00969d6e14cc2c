package io.npusim.uapi.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Arrays of C structs with a stride, as the extensible rocket UAPI reads them
 * ({@code task_struct_size}, {@code job_struct_size}): element {@code i} starts at
 * {@code i * stride}. A stride larger than the struct leaves zero bytes after each element (a
 * newer userspace's extra fields, all zero); a smaller stride is rejected here, as the kernel
 * does before copying.
 */
public final class CArrays {
    /** A {@code __u32} element, e.g. a GEM handle in {@code in_bo_handles}. */
    public static final Codec<Integer> U32 = CStruct.codec("__u32", 4,
            (v, w) -> w.u32(0, v), r -> r.u32(0));

    private CArrays() {}

    /** Bytes of {@code items} laid out with {@code strideBytes} per element. */
    public static <T> byte[] encode(List<T> items, Codec<T> codec, int strideBytes) {
        checkStride(codec, strideBytes);
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(items.size(), strideBytes));
        for (int i = 0; i < items.size(); i++) {
            out.position(i * strideBytes);
            codec.encode(items.get(i), out);
        }
        return out.array();
    }

    /**
     * {@code count} elements read from {@code in}'s position with {@code strideBytes} each; the
     * buffer is advanced past the array.
     *
     * @throws TruncatedStructException if the buffer holds fewer than {@code count * stride} bytes
     */
    public static <T> List<T> decode(ByteBuffer in, Codec<T> codec, int count, int strideBytes) {
        checkStride(codec, strideBytes);
        if (count < 0) throw new IllegalArgumentException("negative element count " + count);
        long need = (long) count * strideBytes;
        if (in.remaining() < need) {
            throw new TruncatedStructException("array of " + count + " x " + strideBytes + " bytes",
                    (int) Math.min(Integer.MAX_VALUE, need), in.remaining());
        }
        int base = in.position();
        List<T> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            in.position(base + i * strideBytes);
            items.add(codec.decode(in));
        }
        in.position(base + count * strideBytes);
        return List.copyOf(items);
    }

    private static void checkStride(Codec<?> codec, int strideBytes) {
        if (strideBytes < codec.size()) {
            throw new IllegalArgumentException("stride " + strideBytes
                    + " is smaller than the struct (" + codec.size() + " bytes)");
        }
    }
}
