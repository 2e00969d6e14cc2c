package io.npusim.workloads.graph;

import java.util.List;
import java.util.Optional;

/**
 * Batched matrix multiply, also fully-connected / linear layers. A is [..., M, K]. B is [K, N]
 * ([N, K] when {@code transposeB}, the PyTorch linear-weight layout) shared by every batch, or
 * [Bb, K, N] whose Bb batches are each shared by aBatch / Bb consecutive A batches (grouped-query
 * attention: several query heads read one KV head). Optional bias [N]. Output [..., M, N].
 */
public record MatMul(String name, List<Tensor> inputs, List<Tensor> outputs, boolean transposeB) implements Op {

    public MatMul {
        inputs = Checks.arity(name, "inputs (a, b[, bias])", inputs, 2, 3);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Shape a = inputs.get(0).shape();
        Shape b = inputs.get(1).shape();
        Checks.check(a.rank() >= 2 && (b.rank() == 2 || b.rank() == 3), name, "ranks " + a.rank() + " x " + b.rank() + " not supported");
        int k = a.dim(-1);
        int bk = transposeB ? b.dim(-1) : b.dim(-2);
        int n = transposeB ? b.dim(-2) : b.dim(-1);
        Checks.check(k == bk, name, "inner dimensions differ: " + a + " x " + b + (transposeB ? "^T" : ""));
        long aBatch = a.elementsBefore(-2);
        if (b.rank() == 3) {
            Checks.check(aBatch % b.dim(0) == 0, name, "B batch " + b.dim(0) + " does not divide A batch " + aBatch);
        }
        if (inputs.size() == 3) {
            Checks.shape(name, inputs.get(2), Shape.of(n));
        }
        Checks.shape(name, outputs.get(0), a.with(-1, n));
    }

    public Tensor a() {
        return inputs.get(0);
    }

    public Tensor b() {
        return inputs.get(1);
    }

    public Optional<Tensor> bias() {
        return inputs.size() == 3 ? Optional.of(inputs.get(2)) : Optional.empty();
    }

    /** True when B is a constant weight (linear layer), false when it is an activation or KV cache (QK^T, PV). */
    public boolean constantB() {
        return b().isConstant();
    }

    public long batch() {
        return a().shape().elementsBefore(-2);
    }

    public int m() {
        return a().shape().dim(-2);
    }

    public int k() {
        return a().shape().dim(-1);
    }

    public int n() {
        return output().shape().dim(-1);
    }

    @Override
    public long macs() {
        return batch() * m() * (long) k() * n();
    }
}
