package io.npusim.workloads.graph;

import java.util.List;

/** Elementwise difference with numpy broadcasting (box decoding). */
public record Sub(String name, List<Tensor> inputs, List<Tensor> outputs) implements Op {

    public Sub {
        inputs = Checks.arity(name, "inputs", inputs, 2, 2);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Checks.binary(name, inputs, outputs);
    }
}
