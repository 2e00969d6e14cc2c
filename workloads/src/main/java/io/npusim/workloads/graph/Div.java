package io.npusim.workloads.graph;

import java.util.List;

/** Elementwise quotient with numpy broadcasting (box decoding divides by 2 in exported YOLOv8). */
public record Div(String name, List<Tensor> inputs, List<Tensor> outputs) implements Op {

    public Div {
        inputs = Checks.arity(name, "inputs", inputs, 2, 2);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Checks.binary(name, inputs, outputs);
    }
}
