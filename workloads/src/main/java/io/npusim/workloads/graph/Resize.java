package io.npusim.workloads.graph;

import java.util.List;

/** Spatial resize of an NCHW map (nn.Upsample, F.interpolate). Scale factors follow from the shapes. */
public record Resize(String name, List<Tensor> inputs, List<Tensor> outputs, Mode mode) implements Op {

    public enum Mode { NEAREST, BILINEAR }

    public Resize {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Checks.check(mode != null, name, "mode is required");
        Checks.rank(name, inputs.get(0), 4);
        Checks.rank(name, outputs.get(0), 4);
        Shape in = inputs.get(0).shape();
        Shape out = outputs.get(0).shape();
        Checks.check(in.n() == out.n() && in.c() == out.c(), name, "resize changes N or C: " + in + " -> " + out);
    }

    public double scaleH() {
        return (double) output().shape().h() / input(0).shape().h();
    }

    public double scaleW() {
        return (double) output().shape().w() / input(0).shape().w();
    }
}
