package io.npusim.workloads.graph;

import java.util.List;

/** Average pooling over an NCHW map; {@code global} when the window covers the whole map. */
public record AvgPool(String name, List<Tensor> inputs, List<Tensor> outputs, Window window, boolean global) implements Op {

    public AvgPool {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Checks.rank(name, inputs.get(0), 4);
        Shape in = inputs.get(0).shape();
        Checks.shape(name, outputs.get(0), Shape.of(in.n(), in.c(), window.outH(in.h()), window.outW(in.w())));
        Checks.check(!global || (window.kernelH() == in.h() && window.kernelW() == in.w()), name,
                "global pool window " + window.kernelH() + "x" + window.kernelW() + " does not cover " + in);
    }
}
