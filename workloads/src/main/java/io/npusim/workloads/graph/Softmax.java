package io.npusim.workloads.graph;

import java.util.List;

/** Softmax along {@code axis} (attention scores, YOLOv8 DFL bins, classifier heads). */
public record Softmax(String name, List<Tensor> inputs, List<Tensor> outputs, int axis) implements Op {

    public Softmax {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        inputs.get(0).shape().normalize(axis);
        Checks.sameShape(name, inputs, outputs);
    }
}
