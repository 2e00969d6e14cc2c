package io.npusim.workloads.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BasicsTest {

    @Test
    void int4PacksTwoElementsPerByteAndRoundsUp() {
        assertThat(DType.INT4.bytes(4)).isEqualTo(2);
        assertThat(DType.INT4.bytes(3)).isEqualTo(2);
        assertThat(DType.INT8.bytes(3)).isEqualTo(3);
        assertThat(DType.FP16.bytes(3)).isEqualTo(6);
        assertThat(DType.INT32.bytes(3)).isEqualTo(12);
    }

    @Test
    void shapeHelpersReadNchwAndBroadcastLikeNumpy() {
        Shape s = Shape.of(1, 3, 224, 224);
        assertThat(s.c()).isEqualTo(3);
        assertThat(s.h()).isEqualTo(224);
        assertThat(s.elements()).isEqualTo(3L * 224 * 224);
        assertThat(s.toString()).isEqualTo("1x3x224x224");
        assertThat(Shape.broadcast(Shape.of(8, 1, 5), Shape.of(4, 1))).isEqualTo(Shape.of(8, 4, 5));
        assertThatThrownBy(() -> Shape.broadcast(Shape.of(3), Shape.of(4))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shape.of(2, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shapeIsImmutable() {
        int[] dims = {1, 2};
        Shape s = new Shape(dims);
        dims[0] = 7;
        s.dims()[1] = 9;
        assertThat(s).isEqualTo(Shape.of(1, 2));
    }

    @Test
    void tfSamePaddingPutsTheExtraRowAtTheBottom() {
        Window w = Window.same(224, 224, 3, 2);
        assertThat(w.padTop()).isZero();
        assertThat(w.padBottom()).isEqualTo(1);
        assertThat(w.outH(224)).isEqualTo(112);
        assertThat(Window.same(10, 10, 3, 2).outH(10)).isEqualTo(5);
        assertThat(Window.same(5, 5, 3, 2).outH(5)).isEqualTo(3);
    }

    @Test
    void dilationWidensTheKernel() {
        // ASPP rate 18: 3x3 dilated 18 with padding 18 keeps a 32x32 map.
        assertThat(Window.square(3, 1, 18, 18).outH(32)).isEqualTo(32);
        assertThat(Window.square(3, 1, 0, 2).outH(10)).isEqualTo(6);
    }

    @Property
    void samePaddingOutputIsCeilOfInputOverStride(@ForAll @IntRange(min = 1, max = 700) int in,
                                                  @ForAll @IntRange(min = 1, max = 7) int k,
                                                  @ForAll @IntRange(min = 1, max = 4) int stride) {
        Window w = Window.same(in, in, k, stride);
        assertThat(w.outH(in)).isEqualTo((in + stride - 1) / stride);
        assertThat(w.padBottom() - w.padTop()).isBetween(0, 1);
    }

    @Test
    void quantFlagsDescribeGranularity() {
        assertThat(Quant.perAxis(0).perAxis()).isTrue();
        assertThat(Quant.perAxis(0).symmetric()).isTrue();
        assertThat(Quant.perTensor(false).perTensor()).isTrue();
        assertThat(Quant.NONE.quantized()).isFalse();
        assertThatThrownBy(() -> new Quant(Quant.Granularity.PER_TENSOR, true, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
