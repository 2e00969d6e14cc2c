package io.npusim.workloads.graph;

import java.util.List;
import java.util.Optional;

/**
 * 2-D convolution, NCHW. Inputs: x [N, Cin, H, W], weight [Cout, Cin/groups, kh, kw], optional
 * bias [Cout]. Depthwise when groups == Cin == Cout; 1-D convolutions are H == 1.
 */
public record Conv2d(String name, List<Tensor> inputs, List<Tensor> outputs, Window window, int groups) implements Op {

    public Conv2d {
        inputs = Checks.arity(name, "inputs (x, weight[, bias])", inputs, 2, 3);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Tensor x = inputs.get(0);
        Tensor w = inputs.get(1);
        Checks.rank(name, x, 4);
        Checks.rank(name, w, 4);
        int cin = x.shape().c();
        int cout = w.shape().n();
        Checks.check(groups >= 1 && cin % groups == 0 && cout % groups == 0, name,
                "groups " + groups + " must divide Cin " + cin + " and Cout " + cout);
        Checks.shape(name, w, Shape.of(cout, cin / groups, window.kernelH(), window.kernelW()));
        if (inputs.size() == 3) {
            Checks.shape(name, inputs.get(2), Shape.of(cout));
        }
        Checks.shape(name, outputs.get(0),
                Shape.of(x.shape().n(), cout, window.outH(x.shape().h()), window.outW(x.shape().w())));
    }

    public Tensor x() {
        return inputs.get(0);
    }

    public Tensor weight() {
        return inputs.get(1);
    }

    public Optional<Tensor> bias() {
        return inputs.size() == 3 ? Optional.of(inputs.get(2)) : Optional.empty();
    }

    public int cin() {
        return x().shape().c();
    }

    public int cout() {
        return weight().shape().n();
    }

    /** One filter per channel (groups == Cin == Cout, more than one channel). */
    public boolean isDepthwise() {
        return groups > 1 && groups == cin() && groups == cout();
    }

    public boolean isPointwise() {
        return window.kernelH() == 1 && window.kernelW() == 1 && groups == 1;
    }

    @Override
    public long macs() {
        Shape y = output().shape();
        return (long) y.n() * y.h() * y.w() * y.c() * (cin() / groups) * window.kernelH() * window.kernelW();
    }
}
