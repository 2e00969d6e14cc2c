package io.npusim.uapi.codec;

import java.nio.ByteBuffer;

/**
 * The binary form of a C struct. {@link #encode} writes exactly {@link #size()} bytes at the
 * buffer's position and advances it; {@link #decode} reads {@link #size()} bytes at the position
 * and advances it. Bytes are little-endian whatever the buffer's own order. Decoding a buffer
 * with fewer than {@code size()} bytes left throws {@link TruncatedStructException}; it never
 * zero-fills.
 *
 * <p>Pointer fields ({@link UserArray}) carry only their address in the bytes: decoding yields a
 * {@link UserArray#pointer(long) pointer-only} array.
 */
public interface Codec<T> {
    /** The C {@code sizeof} of the struct, in bytes. */
    int size();

    void encode(T value, ByteBuffer out);

    T decode(ByteBuffer in);

    /** The struct as a fresh byte array of {@link #size()} bytes. */
    default byte[] toBytes(T value) {
        ByteBuffer out = ByteBuffer.allocate(size());
        encode(value, out);
        return out.array();
    }

    /** Decodes the first {@link #size()} bytes of {@code bytes}. */
    default T fromBytes(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
