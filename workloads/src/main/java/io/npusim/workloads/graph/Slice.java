package io.npusim.workloads.graph;

import java.util.List;

/** Keeps indices [start, end) along {@code axis}, step 1 (e.g. the last prompt token before lm_head). */
public record Slice(String name, List<Tensor> inputs, List<Tensor> outputs, int axis, int start, int end) implements Op {

    public Slice {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Shape in = inputs.get(0).shape();
        Checks.check(0 <= start && start < end && end <= in.dim(axis), name,
                "range [" + start + ", " + end + ") outside axis " + axis + " of " + in);
        Checks.shape(name, outputs.get(0), in.with(axis, end - start));
    }
}
