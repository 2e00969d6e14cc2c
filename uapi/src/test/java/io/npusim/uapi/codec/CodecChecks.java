package io.npusim.uapi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** Checks shared by the per-family codec tests. */
public final class CodecChecks {
    private CodecChecks() {}

    /** decode(encode(v)) == expected, with exactly size() bytes written. */
    public static <T> void roundTrips(Codec<T> codec, T value, T expected) {
        ByteBuffer out = ByteBuffer.allocate(codec.size() + 8);
        out.position(3); // not at 0: codecs must honour the position
        codec.encode(value, out);
        assertThat(out.position()).isEqualTo(3 + codec.size());
        out.position(3);
        assertThat(codec.decode(out)).isEqualTo(expected);
        assertThat(out.position()).isEqualTo(3 + codec.size());
    }

    /** Every byte of the struct is a named field: any bytes decode and encode back unchanged. */
    @SuppressWarnings("unchecked")
    public static void bytesRoundTrip(Codec<?> codec, byte[] bytes) {
        Codec<Object> c = (Codec<Object>) codec;
        Object v = c.fromBytes(bytes);
        assertThat(c.toBytes(v)).isEqualTo(bytes);
    }

    /** Decoding from every shorter buffer throws TruncatedStructException and moves nothing. */
    public static void rejectsEveryTruncation(Codec<?> codec) {
        for (int len = 0; len < codec.size(); len++) {
            ByteBuffer in = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            assertThatThrownBy(() -> codec.decode(in))
                    .as("%s from %d bytes", codec, len)
                    .isInstanceOf(TruncatedStructException.class)
                    .hasMessageContaining(Integer.toString(codec.size()));
            assertThat(in.position()).isZero();
        }
    }

    /** A codec paired with random bytes of its size. */
    public static Arbitrary<Tuple2<Codec<?>, byte[]>> codecWithBytes(List<Codec<?>> codecs) {
        return Arbitraries.of(codecs).flatMap(c -> Arbitraries.bytes().array(byte[].class)
                .ofSize(c.size()).map(b -> Tuple.of(c, b)));
    }

    /** A codec paired with a buffer length shorter than its size. */
    public static Arbitrary<Tuple2<Codec<?>, Integer>> codecWithShortLength(List<Codec<?>> codecs) {
        return Arbitraries.of(codecs).flatMap(c -> Arbitraries.integers().between(0, c.size() - 1)
                .map(n -> Tuple.of(c, n)));
    }
}
