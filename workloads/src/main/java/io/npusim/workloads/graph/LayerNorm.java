package io.npusim.workloads.graph;

import java.util.List;

/** Layer normalisation over the last dimension; inputs x, gamma [D], beta [D]. */
public record LayerNorm(String name, List<Tensor> inputs, List<Tensor> outputs) implements Op {

    public LayerNorm {
        inputs = Checks.arity(name, "inputs (x, gamma, beta)", inputs, 3, 3);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        int d = inputs.get(0).shape().dim(-1);
        Checks.shape(name, inputs.get(1), Shape.of(d));
        Checks.shape(name, inputs.get(2), Shape.of(d));
        Checks.sameShape(name, inputs, outputs);
    }
}
