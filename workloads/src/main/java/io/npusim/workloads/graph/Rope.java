package io.npusim.workloads.graph;

import java.util.List;

/**
 * Rotary position embedding on the last dimension of [heads, tokens, headDim]; only the first
 * {@code rotaryDims} features rotate (ChatGLM rotates half of each head).
 */
public record Rope(String name, List<Tensor> inputs, List<Tensor> outputs, int rotaryDims) implements Op {

    public Rope {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        int d = inputs.get(0).shape().dim(-1);
        Checks.check(rotaryDims > 0 && rotaryDims % 2 == 0 && rotaryDims <= d, name,
                "rotary dims " + rotaryDims + " must be even and at most " + d);
        Checks.sameShape(name, inputs, outputs);
    }
}
