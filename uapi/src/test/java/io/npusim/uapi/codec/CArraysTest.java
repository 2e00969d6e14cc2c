package io.npusim.uapi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CArraysTest {
    @Property
    void stridedArraysRoundTrip(@ForAll @Size(max = 20) List<Integer> handles,
            @ForAll @IntRange(min = 4, max = 16) int stride) {
        byte[] bytes = CArrays.encode(handles, CArrays.U32, stride);
        assertThat(bytes).hasSize(handles.size() * stride);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        assertThat(CArrays.decode(in, CArrays.U32, handles.size(), stride)).isEqualTo(handles);
        assertThat(in.remaining()).isZero();
    }

    @Test
    void widerStrideLeavesZeros() {
        byte[] bytes = CArrays.encode(List.of(-1, -1), CArrays.U32, 8);
        assertThat(bytes).containsExactly(-1, -1, -1, -1, 0, 0, 0, 0, -1, -1, -1, -1, 0, 0, 0, 0);
    }

    @Test
    void rejectsShortStrideAndShortBuffers() {
        assertThatThrownBy(() -> CArrays.encode(List.of(1), CArrays.U32, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CArrays.decode(ByteBuffer.allocate(7), CArrays.U32, 2, 4))
                .isInstanceOf(TruncatedStructException.class);
    }
}
