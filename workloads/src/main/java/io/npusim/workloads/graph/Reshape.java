package io.npusim.workloads.graph;

import java.util.List;

/** New dimensions over the same elements in the same order. */
public record Reshape(String name, List<Tensor> inputs, List<Tensor> outputs) implements Op {

    public Reshape {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Checks.check(inputs.get(0).elements() == outputs.get(0).elements(), name,
                "reshape " + inputs.get(0).shape() + " -> " + outputs.get(0).shape() + " changes the element count");
    }

    /** A view: no data moves. */
    @Override
    public long readBytes() {
        return 0;
    }

    /** A view: no data moves. */
    @Override
    public long writeBytes() {
        return 0;
    }
}
