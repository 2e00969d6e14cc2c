package io.npusim.workloads.graph;

import java.util.List;

/** Elementwise product with numpy broadcasting (gated FFNs, scales). */
public record Mul(String name, List<Tensor> inputs, List<Tensor> outputs) implements Op {

    public Mul {
        inputs = Checks.arity(name, "inputs", inputs, 2, 2);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Checks.binary(name, inputs, outputs);
    }
}
