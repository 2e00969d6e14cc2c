package io.npusim.workloads.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class OpTest {

    private int ids;

    private Tensor t(Tensor.Role role, DType dtype, int... dims) {
        return new Tensor(ids++, "t" + ids, Shape.of(dims), dtype, Quant.NONE, role);
    }

    private Tensor act(int... dims) {
        return t(Tensor.Role.ACTIVATION, DType.INT8, dims);
    }

    @Test
    void convMacsFollowOutputTimesKernelTimesInputChannelsPerGroup() {
        Tensor x = act(1, 32, 56, 56);
        Tensor w = t(Tensor.Role.WEIGHT, DType.INT8, 64, 32, 3, 3);
        Tensor b = t(Tensor.Role.BIAS, DType.INT32, 64);
        Conv2d c = new Conv2d("c", List.of(x, w, b), List.of(act(1, 64, 28, 28)), Window.square(3, 2, 1), 1);
        assertThat(c.macs()).isEqualTo(28L * 28 * 64 * 32 * 9);
        assertThat(c.params()).isEqualTo(64L * 32 * 9 + 64);
        assertThat(c.weightBytes()).isEqualTo(64L * 32 * 9 + 64 * 4);
        assertThat(c.readBytes()).isEqualTo(32L * 56 * 56);
        assertThat(c.writeBytes()).isEqualTo(64L * 28 * 28);
        assertThat(c.isDepthwise()).isFalse();
    }

    @Test
    void depthwiseConvHasOneFilterPerChannel() {
        Tensor x = act(1, 32, 56, 56);
        Tensor w = t(Tensor.Role.WEIGHT, DType.INT8, 32, 1, 3, 3);
        Conv2d c = new Conv2d("dw", List.of(x, w), List.of(act(1, 32, 56, 56)), Window.square(3, 1, 1), 32);
        assertThat(c.isDepthwise()).isTrue();
        assertThat(c.macs()).isEqualTo(56L * 56 * 32 * 9);
    }

    @Test
    void convRejectsAWrongOutputShape() {
        Tensor x = act(1, 3, 224, 224);
        Tensor w = t(Tensor.Role.WEIGHT, DType.INT8, 32, 3, 3, 3);
        assertThatThrownBy(() -> new Conv2d("bad", List.of(x, w), List.of(act(1, 32, 111, 111)), Window.square(3, 2, 1), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("op 'bad'");
    }

    @Test
    void groupedQueryAttentionSharesKvHeadsAcrossQueryHeads() {
        Tensor q = act(32, 1, 128);
        Tensor kCache = t(Tensor.Role.KV_CACHE, DType.FP16, 8, 512, 128);
        MatMul qk = new MatMul("qk", List.of(q, kCache), List.of(act(32, 1, 512)), true);
        assertThat(qk.constantB()).isFalse();
        assertThat(qk.macs()).isEqualTo(32L * 512 * 128);
        // The whole cache is read as activation traffic.
        assertThat(qk.readBytes()).isEqualTo(32L * 128 + 8L * 512 * 128 * 2);
        assertThat(qk.weightBytes()).isZero();
        Tensor kOdd = t(Tensor.Role.KV_CACHE, DType.FP16, 5, 512, 128);
        assertThatThrownBy(() -> new MatMul("qk2", List.of(q, kOdd), List.of(act(32, 1, 512)), true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void linearLayerIsAMatMulWithConstantB() {
        Tensor x = act(4, 896);
        Tensor w = t(Tensor.Role.WEIGHT, DType.INT8, 4864, 896);
        MatMul fc = new MatMul("fc", List.of(x, w), List.of(act(4, 4864)), true);
        assertThat(fc.constantB()).isTrue();
        assertThat(fc.m()).isEqualTo(4);
        assertThat(fc.k()).isEqualTo(896);
        assertThat(fc.n()).isEqualTo(4864);
        assertThat(fc.macs()).isEqualTo(4L * 896 * 4864);
        assertThat(fc.params()).isEqualTo(896L * 4864);
    }

    @Test
    void reshapeMovesNoDataAndGatherReadsOnlyTheSelectedRows() {
        Reshape r = new Reshape("r", List.of(act(1, 64, 2, 2)), List.of(act(1, 256)));
        assertThat(r.readBytes() + r.writeBytes()).isZero();
        Tensor table = t(Tensor.Role.WEIGHT, DType.FP16, 32000, 2048);
        Tensor idx = t(Tensor.Role.INPUT, DType.INT32, 3);
        Gather g = new Gather("g", List.of(table, idx), List.of(t(Tensor.Role.ACTIVATION, DType.FP16, 3, 2048)));
        assertThat(g.readBytes()).isEqualTo(3 * 4 + 3L * 2048 * 2);
        assertThat(g.weightBytes()).isEqualTo(32000L * 2048 * 2);
        assertThat(g.macs()).isZero();
    }

    @Test
    void kvCacheAppendWritesOnlyTheNewPositions() {
        Tensor k = act(8, 1, 128);
        Tensor cache = t(Tensor.Role.KV_CACHE, DType.FP16, 8, 100, 128);
        KvCacheAppend a = new KvCacheAppend("kc", List.of(k), List.of(cache), 99);
        assertThat(a.writeBytes()).isEqualTo(8L * 128 * 2);
        assertThatThrownBy(() -> new KvCacheAppend("kc2", List.of(k), List.of(act(8, 100, 128)), 99))
                .hasMessageContaining("KV_CACHE");
    }

    @Test
    void elementwiseOpsHaveNoMacsButMoveBytes() {
        Add a = new Add("a", List.of(act(1, 64, 8, 8), act(1, 64, 8, 8)), List.of(act(1, 64, 8, 8)));
        assertThat(a.macs()).isZero();
        assertThat(a.readBytes()).isEqualTo(2L * 64 * 64);
        assertThatThrownBy(() -> new Add("b", List.of(act(1, 64, 8, 8), act(1, 32, 8, 8)), List.of(act(1, 64, 8, 8))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void convMacsMatchABruteForceCount(@ForAll @IntRange(min = 1, max = 4) int groupsLog,
                                       @ForAll @IntRange(min = 1, max = 3) int k,
                                       @ForAll @IntRange(min = 1, max = 2) int stride,
                                       @ForAll @IntRange(min = 4, max = 20) int size) {
        int groups = 1 << (groupsLog - 1);
        int cin = 8;
        int cout = 16;
        Window win = Window.square(k, stride, k / 2);
        Tensor x = act(1, cin, size, size);
        Tensor w = t(Tensor.Role.WEIGHT, DType.INT8, cout, cin / groups, k, k);
        Tensor y = act(1, cout, win.outH(size), win.outW(size));
        Conv2d c = new Conv2d("p", List.of(x, w), List.of(y), win, groups);
        long count = 0;
        for (int oc = 0; oc < cout; oc++) {
            for (int oy = 0; oy < y.shape().h(); oy++) {
                for (int ox = 0; ox < y.shape().w(); ox++) {
                    count += (long) (cin / groups) * k * k; // every tap, padded ones included, as MAC counters do
                }
            }
        }
        assertThat(c.macs()).isEqualTo(count);
    }
}
