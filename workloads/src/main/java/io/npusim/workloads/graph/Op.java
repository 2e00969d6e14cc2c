package io.npusim.workloads.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * One operator of a graph. Each record checks its own shapes when built, so an op that exists is
 * consistent with its tensors.
 *
 * <p>Work counts come from shapes only. {@code readBytes}/{@code writeBytes} count activation
 * traffic once per operand with no reuse (KV caches count as activations); constants count in
 * {@code weightBytes} instead. Elementwise ops, pools, norms and softmax have no MACs: their cost
 * is their bytes.
 */
public sealed interface Op
        permits Conv2d, MatMul, Add, Sub, Mul, Div, Concat, Split, Slice, Pad, Resize, MaxPool, AvgPool,
        Activation, Softmax, LayerNorm, RmsNorm, Reshape, Transpose, Gather, Rope, KvCacheAppend {

    String name();

    List<Tensor> inputs();

    List<Tensor> outputs();

    /** The operator's type name, e.g. "Conv2d". */
    default String opType() {
        return getClass().getSimpleName();
    }

    default Tensor input(int i) {
        return inputs().get(i);
    }

    /** The first (usually only) output. */
    default Tensor output() {
        return outputs().get(0);
    }

    default List<Integer> inputIds() {
        return ids(inputs());
    }

    default List<Integer> outputIds() {
        return ids(outputs());
    }

    /** Multiply-accumulates for one execution. */
    default long macs() {
        return 0;
    }

    /** Bytes of constant operands (weights, biases, tables). */
    default long weightBytes() {
        long b = 0;
        for (Tensor t : inputs()) {
            if (t.isConstant()) {
                b += t.bytes();
            }
        }
        return b;
    }

    /** Bytes of non-constant operands read, each once. */
    default long readBytes() {
        long b = 0;
        for (Tensor t : inputs()) {
            if (!t.isConstant()) {
                b += t.bytes();
            }
        }
        return b;
    }

    /** Bytes of results written. */
    default long writeBytes() {
        long b = 0;
        for (Tensor t : outputs()) {
            b += t.bytes();
        }
        return b;
    }

    /** Learned parameter elements (weights + biases) this op reads. */
    default long params() {
        long n = 0;
        for (Tensor t : inputs()) {
            if (t.isParameter()) {
                n += t.elements();
            }
        }
        return n;
    }

    private static List<Integer> ids(List<Tensor> ts) {
        List<Integer> ids = new ArrayList<>(ts.size());
        for (Tensor t : ts) {
            ids.add(t.id());
        }
        return List.copyOf(ids);
    }
}
