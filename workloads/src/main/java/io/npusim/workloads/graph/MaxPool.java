package io.npusim.workloads.graph;

import java.util.List;

/** Max pooling over an NCHW map (ResNet stem, YOLO SPPF). */
public record MaxPool(String name, List<Tensor> inputs, List<Tensor> outputs, Window window) implements Op {

    public MaxPool {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Checks.rank(name, inputs.get(0), 4);
        Shape in = inputs.get(0).shape();
        Checks.shape(name, outputs.get(0), Shape.of(in.n(), in.c(), window.outH(in.h()), window.outW(in.w())));
    }
}
