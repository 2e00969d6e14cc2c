package io.npusim.workloads.graph;

import java.util.List;

/**
 * Row lookup in a table (token embedding): inputs table [V, D...] and integer indices [I...];
 * output [I..., D...].
 */
public record Gather(String name, List<Tensor> inputs, List<Tensor> outputs) implements Op {

    public Gather {
        inputs = Checks.arity(name, "inputs (table, indices)", inputs, 2, 2);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Shape table = inputs.get(0).shape();
        Shape idx = inputs.get(1).shape();
        Checks.check(inputs.get(1).dtype().isInteger(), name, "indices must be integers");
        int[] t = table.dims();
        int[] i = idx.dims();
        int[] out = new int[i.length + t.length - 1];
        System.arraycopy(i, 0, out, 0, i.length);
        System.arraycopy(t, 1, out, i.length, t.length - 1);
        Checks.shape(name, outputs.get(0), Shape.of(out));
    }

    /**
     * Only the selected rows leave memory, not the whole table: indices plus one row per index.
     * {@link #weightBytes()} still reports the whole table, which must be resident.
     */
    @Override
    public long readBytes() {
        Tensor table = input(0);
        Tensor indices = input(1);
        long rows = table.dtype().bytes(output().elements());
        return (indices.isConstant() ? 0 : indices.bytes()) + rows;
    }
}
