package io.npusim.workloads.graph;

import java.util.List;

/** Pointwise nonlinearity, kept as its own op after a conv or linear as in the exported models. */
public record Activation(String name, List<Tensor> inputs, List<Tensor> outputs, Kind kind) implements Op {

    public enum Kind { RELU, RELU6, LEAKY_RELU, SILU, SIGMOID, HARD_SWISH, GELU, TANH }

    public Activation {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Checks.check(kind != null, name, "kind is required");
        Checks.sameShape(name, inputs, outputs);
    }
}
