package io.npusim.workloads.graph;

import java.util.List;

/** Constant padding; {@code before}/{@code after} hold one count per dimension. */
public record Pad(String name, List<Tensor> inputs, List<Tensor> outputs, List<Integer> before, List<Integer> after) implements Op {

    public Pad {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        before = List.copyOf(before);
        after = List.copyOf(after);
        Shape in = inputs.get(0).shape();
        Checks.check(before.size() == in.rank() && after.size() == in.rank(), name, "needs one pad per dimension of " + in);
        int[] d = in.dims();
        for (int i = 0; i < d.length; i++) {
            Checks.check(before.get(i) >= 0 && after.get(i) >= 0, name, "negative padding");
            d[i] += before.get(i) + after.get(i);
        }
        Checks.shape(name, outputs.get(0), Shape.of(d));
    }
}
