package io.npusim.workloads.graph;

import java.util.List;

/** Elementwise sum with numpy broadcasting (residual connections, bias and position tables). */
public record Add(String name, List<Tensor> inputs, List<Tensor> outputs) implements Op {

    public Add {
        inputs = Checks.arity(name, "inputs", inputs, 2, 2);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Checks.binary(name, inputs, outputs);
    }
}
