package io.npusim.workloads.graph;

import java.util.List;

/** RMS normalisation over the last dimension; inputs x, gamma [D]. */
public record RmsNorm(String name, List<Tensor> inputs, List<Tensor> outputs) implements Op {

    public RmsNorm {
        inputs = Checks.arity(name, "inputs (x, gamma)", inputs, 2, 2);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Checks.shape(name, inputs.get(1), Shape.of(inputs.get(0).shape().dim(-1)));
        Checks.sameShape(name, inputs, outputs);
    }
}
