package io.npusim.workloads.graph;

import java.util.List;

/** Joins inputs along {@code axis}; all other dimensions match. */
public record Concat(String name, List<Tensor> inputs, List<Tensor> outputs, int axis) implements Op {

    public Concat {
        inputs = Checks.arity(name, "inputs", inputs, 1, Integer.MAX_VALUE);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Shape first = inputs.get(0).shape();
        int ax = first.normalize(axis);
        int total = 0;
        for (Tensor t : inputs) {
            Checks.check(t.shape().rank() == first.rank() && t.shape().with(ax, 1).equals(first.with(ax, 1)), name,
                    "input '" + t.name() + "' " + t.shape() + " does not match " + first + " outside axis " + axis);
            total += t.shape().dim(ax);
        }
        Checks.shape(name, outputs.get(0), first.with(ax, total));
    }
}
