package io.npusim.workloads.graph;

import java.util.List;

/** Permutes dimensions: output dim i is input dim perm[i]. */
public record Transpose(String name, List<Tensor> inputs, List<Tensor> outputs, List<Integer> perm) implements Op {

    public Transpose {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        perm = List.copyOf(perm);
        Shape in = inputs.get(0).shape();
        Checks.check(perm.size() == in.rank(), name, "perm " + perm + " does not fit " + in);
        int[] d = new int[perm.size()];
        boolean[] seen = new boolean[perm.size()];
        for (int i = 0; i < d.length; i++) {
            int p = perm.get(i);
            Checks.check(p >= 0 && p < d.length && !seen[p], name, "perm " + perm + " is not a permutation");
            seen[p] = true;
            d[i] = in.dim(p);
        }
        Checks.shape(name, outputs.get(0), Shape.of(d));
    }
}
