package io.npusim.uapi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class CStructTest {
    private record Pair(int a, long b) {}

    private static final Codec<Pair> PAIR = CStruct.codec("pair", 16,
            (v, w) -> w.u32(0, v.a()).u64(8, v.b()),
            r -> new Pair(r.u32(0), r.u64(8)));

    @Test
    void writesLittleEndianWhateverTheBufferOrder() {
        ByteBuffer big = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        PAIR.encode(new Pair(0x11223344, 0x0102030405060708L), big);
        byte[] b = big.array();
        assertThat(b[0]).isEqualTo((byte) 0x44);
        assertThat(b[3]).isEqualTo((byte) 0x11);
        assertThat(b[8]).isEqualTo((byte) 0x08);
        assertThat(b[15]).isEqualTo((byte) 0x01);
        assertThat(big.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(big.position()).isEqualTo(16);
    }

    @Test
    void zeroFillsPaddingEvenOverDirtyBytes() {
        ByteBuffer out = ByteBuffer.allocate(16);
        for (int i = 0; i < 16; i++) out.put(i, (byte) 0xAA);
        PAIR.encode(new Pair(1, 2), out);
        assertThat(out.array()).containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void encodesAndDecodesAtTheBufferPosition() {
        ByteBuffer buf = ByteBuffer.allocate(40);
        buf.position(4);
        PAIR.encode(new Pair(7, -1L), buf);
        PAIR.encode(new Pair(-7, 5L), buf);
        assertThat(buf.position()).isEqualTo(36);
        buf.position(4);
        assertThat(PAIR.decode(buf)).isEqualTo(new Pair(7, -1L));
        assertThat(PAIR.decode(buf)).isEqualTo(new Pair(-7, 5L));
        assertThat(buf.position()).isEqualTo(36);
    }

    @Test
    void truncatedInputThrowsInsteadOfZeroFilling() {
        ByteBuffer shortBuf = ByteBuffer.allocate(15);
        assertThatThrownBy(() -> PAIR.decode(shortBuf))
                .isInstanceOf(TruncatedStructException.class)
                .hasMessageContaining("pair").hasMessageContaining("16").hasMessageContaining("15");
        assertThat(shortBuf.position()).isZero();
    }

    @Test
    void outputTooSmallThrows() {
        assertThatThrownBy(() -> PAIR.encode(new Pair(1, 2), ByteBuffer.allocate(8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pair");
    }

    @Test
    void fieldOutsideTheStructIsALayoutBug() {
        Codec<Integer> bad = CStruct.codec("bad", 4, (v, w) -> w.u64(0, v), r -> r.u32(0));
        assertThatThrownBy(() -> bad.toBytes(1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("bad");
    }

    @Test
    void unsignedThirtyTwoBitFieldsAreRangeChecked() {
        assertThat(CStruct.checkU32("x", 0xFFFF_FFFFL)).isEqualTo(-1);
        assertThatThrownBy(() -> CStruct.checkU32("x", 1L << 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CStruct.checkU32("x", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readerZeroExtendsU32() {
        ByteBuffer in = ByteBuffer.wrap(new byte[] {-1, -1, -1, -1});
        CStruct.Reader r = CStruct.reader(in, "u", 4);
        assertThat(r.u32(0)).isEqualTo(-1);
        assertThat(r.u32AsLong(0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(r.u16(0)).isEqualTo(0xFFFF);
        assertThat(r.u8(0)).isEqualTo(0xFF);
    }
}
