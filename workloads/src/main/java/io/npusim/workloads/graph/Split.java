package io.npusim.workloads.graph;

import java.util.List;

/** Cuts the input along {@code axis} into consecutive parts (YOLOv8 C2f chunk, fused QKV). */
public record Split(String name, List<Tensor> inputs, List<Tensor> outputs, int axis) implements Op {

    public Split {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "outputs", outputs, 1, Integer.MAX_VALUE);
        Shape in = inputs.get(0).shape();
        int ax = in.normalize(axis);
        int total = 0;
        for (Tensor t : outputs) {
            Checks.check(t.shape().rank() == in.rank() && t.shape().with(ax, 1).equals(in.with(ax, 1)), name,
                    "output '" + t.name() + "' " + t.shape() + " does not match " + in + " outside axis " + axis);
            total += t.shape().dim(ax);
        }
        Checks.check(total == in.dim(ax), name, "parts sum to " + total + ", input has " + in.dim(ax));
    }
}
