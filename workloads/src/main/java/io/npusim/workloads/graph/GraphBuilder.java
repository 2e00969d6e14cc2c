package io.npusim.workloads.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Builds a {@link Graph} one op at a time. Helpers create the weights they need, infer output
 * shapes and return the output tensor, so model code reads like the published definitions:
 * {@code y = b.silu(name + ".act", b.conv(name + ".conv", x, 64, 3, 2))}.
 *
 * <p>New tensors take their datatype and quantisation from the builder's {@link Precision};
 * data-movement ops (reshape, transpose, concat, split, slice, pad) keep their input's.
 */
public final class GraphBuilder {

    /** An op plus a way to rebuild it with substituted tensors (outputs get their final role at build time). */
    private record Pending(Op op, Function<UnaryOperator<Tensor>, Op> rebuild) {
    }

    private final String name;
    private final Precision precision;
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Pending> ops = new ArrayList<>();
    private final List<Tensor> inputs = new ArrayList<>();
    private final Map<Integer, Tensor.Role> outputs = new LinkedHashMap<>();
    private final Set<String> opNames = new HashSet<>();

    public GraphBuilder(String name, Precision precision) {
        if (name == null || name.isBlank() || precision == null) {
            throw new IllegalArgumentException("a graph needs a name and a precision");
        }
        this.name = name;
        this.precision = precision;
    }

    public Precision precision() {
        return precision;
    }

    // ---------------------------------------------------------------- tensors

    /** A graph input with role INPUT; integer inputs get per-tensor asymmetric quantisation. */
    public Tensor input(String tensorName, DType dtype, int... dims) {
        return input(tensorName, dtype, Tensor.Role.INPUT, dims);
    }

    /** A graph input with an explicit role (KV_CACHE for caches filled by an earlier graph). */
    public Tensor input(String tensorName, DType dtype, Tensor.Role role, int... dims) {
        if (role != Tensor.Role.INPUT && role != Tensor.Role.KV_CACHE) {
            throw new IllegalArgumentException("graph input '" + tensorName + "' cannot have role " + role);
        }
        Quant q = dtype.isInteger() && dtype != DType.INT32 ? Quant.perTensor(false) : Quant.NONE;
        Tensor t = newTensor(tensorName, Shape.of(dims), dtype, q, role);
        inputs.add(t);
        return t;
    }

    /** A learned weight in the builder's weight datatype. */
    public Tensor weight(String tensorName, int... dims) {
        return newTensor(tensorName, Shape.of(dims), precision.weight(), precision.weightQuant(), Tensor.Role.WEIGHT);
    }

    public Tensor bias(String tensorName, int n) {
        return newTensor(tensorName, Shape.of(n), precision.bias(), precision.biasQuant(), Tensor.Role.BIAS);
    }

    /** A learned float parameter outside the weight datatype (norm scales, learned position tables). */
    public Tensor floatParameter(String tensorName, int... dims) {
        return newTensor(tensorName, Shape.of(dims), precision.normParam(), Quant.NONE, Tensor.Role.WEIGHT);
    }

    /** A fixed, non-learned constant (anchor grids, scale factors, masks, sinusoid tables). */
    public Tensor constant(String tensorName, DType dtype, int... dims) {
        Quant q = dtype.isInteger() && dtype != DType.INT32 ? Quant.perTensor(false) : Quant.NONE;
        return newTensor(tensorName, Shape.of(dims), dtype, q, Tensor.Role.CONSTANT);
    }

    /** A constant in the activation datatype, for elementwise operands. */
    public Tensor constant(String tensorName, int... dims) {
        return newTensor(tensorName, Shape.of(dims), precision.activation(), precision.activationQuant(), Tensor.Role.CONSTANT);
    }

    private Tensor newTensor(String tensorName, Shape shape, DType dtype, Quant quant, Tensor.Role role) {
        Tensor t = new Tensor(tensors.size(), tensorName, shape, dtype, quant, role);
        tensors.add(t);
        return t;
    }

    private Tensor activation(String tensorName, Shape shape) {
        return newTensor(tensorName, shape, precision.activation(), precision.activationQuant(), Tensor.Role.ACTIVATION);
    }

    private Tensor like(String tensorName, Shape shape, Tensor source) {
        return newTensor(tensorName, shape, source.dtype(), source.quant(), Tensor.Role.ACTIVATION);
    }

    // ---------------------------------------------------------------- op registration

    private <T extends Op> T add(Function<UnaryOperator<Tensor>, T> factory) {
        T op = factory.apply(UnaryOperator.identity());
        if (!opNames.add(op.name())) {
            throw new IllegalArgumentException("graph '" + name + "': op name '" + op.name() + "' is used twice");
        }
        ops.add(new Pending(op, factory::apply));
        return op;
    }

    private static List<Tensor> map(UnaryOperator<Tensor> m, List<Tensor> ts) {
        List<Tensor> out = new ArrayList<>(ts.size());
        for (Tensor t : ts) {
            out.add(m.apply(t));
        }
        return out;
    }

    private static List<Tensor> list(Tensor... ts) {
        List<Tensor> out = new ArrayList<>(ts.length);
        for (Tensor t : ts) {
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- convolution and linear

    /** PyTorch-style conv with bias (BN folded), padding k/2 as ultralytics' autopad. */
    public Tensor conv(String opName, Tensor x, int cout, int k, int stride) {
        return conv(opName, x, cout, k, stride, k / 2, 1, 1);
    }

    public Tensor conv(String opName, Tensor x, int cout, int k, int stride, int pad) {
        return conv(opName, x, cout, k, stride, pad, 1, 1);
    }

    public Tensor conv(String opName, Tensor x, int cout, int k, int stride, int pad, int dilation, int groups) {
        return conv(opName, x, cout, Window.square(k, stride, pad, dilation), groups, true);
    }

    /** TensorFlow "SAME" padded conv with bias. */
    public Tensor convSame(String opName, Tensor x, int cout, int k, int stride, int groups) {
        return conv(opName, x, cout, Window.same(x.shape().h(), x.shape().w(), k, stride), groups, true);
    }

    /** Depthwise conv with bias: one k x k filter per channel. */
    public Tensor depthwise(String opName, Tensor x, int k, int stride, int pad, int dilation) {
        int c = x.shape().c();
        return conv(opName, x, c, Window.square(k, stride, pad, dilation), c, true);
    }

    public Tensor depthwiseSame(String opName, Tensor x, int k, int stride) {
        int c = x.shape().c();
        return conv(opName, x, c, Window.same(x.shape().h(), x.shape().w(), k, stride), c, true);
    }

    public Tensor conv(String opName, Tensor x, int cout, Window window, int groups, boolean withBias) {
        Shape s = x.shape();
        if (s.rank() != 4 || s.c() % groups != 0) {
            throw new IllegalArgumentException("op '" + opName + "': input " + s + " does not fit groups " + groups);
        }
        Tensor w = weight(opName + ".weight", cout, s.c() / groups, window.kernelH(), window.kernelW());
        Tensor b = withBias ? bias(opName + ".bias", cout) : null;
        Tensor y = activation(opName, Shape.of(s.n(), cout, window.outH(s.h()), window.outW(s.w())));
        List<Tensor> in = list(x, w, b);
        add(m -> new Conv2d(opName, map(m, in), map(m, List.of(y)), window, groups));
        return y;
    }

    /** Fully-connected layer on the last dimension; weight [out, in] as PyTorch stores it. */
    public Tensor linear(String opName, Tensor x, int outFeatures, boolean withBias) {
        Tensor w = weight(opName + ".weight", outFeatures, x.shape().dim(-1));
        Tensor b = withBias ? bias(opName + ".bias", outFeatures) : null;
        return matmul(opName, x, w, b, true);
    }

    /** x times the transpose of an existing [out, in] weight (tied lm_head reusing the embedding table). */
    public Tensor linear(String opName, Tensor x, Tensor weight) {
        return matmul(opName, x, weight, null, true);
    }

    /** Activation x activation product, e.g. attention: A [.., M, K] x B [.., K, N] (or B^T). */
    public Tensor matmul(String opName, Tensor a, Tensor b, boolean transposeB) {
        return matmul(opName, a, b, null, transposeB);
    }

    private Tensor matmul(String opName, Tensor a, Tensor b, Tensor bias, boolean transposeB) {
        int n = transposeB ? b.shape().dim(-2) : b.shape().dim(-1);
        Tensor y = activation(opName, a.shape().with(-1, n));
        List<Tensor> in = list(a, b, bias);
        add(m -> new MatMul(opName, map(m, in), map(m, List.of(y)), transposeB));
        return y;
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor activation(String opName, Tensor x, Activation.Kind kind) {
        Tensor y = activation(opName, x.shape());
        add(m -> new Activation(opName, map(m, List.of(x)), map(m, List.of(y)), kind));
        return y;
    }

    public Tensor relu(String opName, Tensor x) {
        return activation(opName, x, Activation.Kind.RELU);
    }

    public Tensor relu6(String opName, Tensor x) {
        return activation(opName, x, Activation.Kind.RELU6);
    }

    public Tensor silu(String opName, Tensor x) {
        return activation(opName, x, Activation.Kind.SILU);
    }

    public Tensor sigmoid(String opName, Tensor x) {
        return activation(opName, x, Activation.Kind.SIGMOID);
    }

    public Tensor gelu(String opName, Tensor x) {
        return activation(opName, x, Activation.Kind.GELU);
    }

    public Tensor tanh(String opName, Tensor x) {
        return activation(opName, x, Activation.Kind.TANH);
    }

    public Tensor add(String opName, Tensor a, Tensor b) {
        Tensor y = activation(opName, Shape.broadcast(a.shape(), b.shape()));
        add(m -> new Add(opName, map(m, List.of(a, b)), map(m, List.of(y))));
        return y;
    }

    public Tensor sub(String opName, Tensor a, Tensor b) {
        Tensor y = activation(opName, Shape.broadcast(a.shape(), b.shape()));
        add(m -> new Sub(opName, map(m, List.of(a, b)), map(m, List.of(y))));
        return y;
    }

    public Tensor mul(String opName, Tensor a, Tensor b) {
        Tensor y = activation(opName, Shape.broadcast(a.shape(), b.shape()));
        add(m -> new Mul(opName, map(m, List.of(a, b)), map(m, List.of(y))));
        return y;
    }

    public Tensor div(String opName, Tensor a, Tensor b) {
        Tensor y = activation(opName, Shape.broadcast(a.shape(), b.shape()));
        add(m -> new Div(opName, map(m, List.of(a, b)), map(m, List.of(y))));
        return y;
    }

    public Tensor softmax(String opName, Tensor x, int axis) {
        Tensor y = activation(opName, x.shape());
        add(m -> new Softmax(opName, map(m, List.of(x)), map(m, List.of(y)), axis));
        return y;
    }

    /** LayerNorm over the last dimension with learned gamma and beta. */
    public Tensor layerNorm(String opName, Tensor x) {
        int d = x.shape().dim(-1);
        Tensor g = floatParameter(opName + ".weight", d);
        Tensor b = floatParameter(opName + ".bias", d);
        Tensor y = activation(opName, x.shape());
        add(m -> new LayerNorm(opName, map(m, List.of(x, g, b)), map(m, List.of(y))));
        return y;
    }

    /** RMSNorm over the last dimension with a learned gamma. */
    public Tensor rmsNorm(String opName, Tensor x) {
        Tensor g = floatParameter(opName + ".weight", x.shape().dim(-1));
        Tensor y = activation(opName, x.shape());
        add(m -> new RmsNorm(opName, map(m, List.of(x, g)), map(m, List.of(y))));
        return y;
    }

    public Tensor rope(String opName, Tensor x, int rotaryDims) {
        Tensor y = activation(opName, x.shape());
        add(m -> new Rope(opName, map(m, List.of(x)), map(m, List.of(y)), rotaryDims));
        return y;
    }

    // ---------------------------------------------------------------- pooling and resizing

    public Tensor maxPool(String opName, Tensor x, int k, int stride, int pad) {
        Window w = Window.square(k, stride, pad);
        Shape s = x.shape();
        Tensor y = activation(opName, Shape.of(s.n(), s.c(), w.outH(s.h()), w.outW(s.w())));
        add(m -> new MaxPool(opName, map(m, List.of(x)), map(m, List.of(y)), w));
        return y;
    }

    public Tensor avgPool(String opName, Tensor x, int k, int stride, int pad) {
        return avgPool(opName, x, Window.square(k, stride, pad), false);
    }

    /** Mean over the whole H x W map, keeping N x C x 1 x 1. */
    public Tensor globalAvgPool(String opName, Tensor x) {
        Shape s = x.shape();
        return avgPool(opName, x, new Window(s.h(), s.w(), 1, 1, 0, 0, 0, 0, 1, 1), true);
    }

    private Tensor avgPool(String opName, Tensor x, Window w, boolean global) {
        Shape s = x.shape();
        Tensor y = activation(opName, Shape.of(s.n(), s.c(), w.outH(s.h()), w.outW(s.w())));
        add(m -> new AvgPool(opName, map(m, List.of(x)), map(m, List.of(y)), w, global));
        return y;
    }

    /** nn.Upsample(scale_factor=scale, mode='nearest'). */
    public Tensor upsampleNearest(String opName, Tensor x, int scale) {
        Shape s = x.shape();
        return resize(opName, x, Resize.Mode.NEAREST, s.h() * scale, s.w() * scale);
    }

    /** F.interpolate(size=(outH, outW), mode='bilinear'). */
    public Tensor resizeBilinear(String opName, Tensor x, int outH, int outW) {
        return resize(opName, x, Resize.Mode.BILINEAR, outH, outW);
    }

    public Tensor resize(String opName, Tensor x, Resize.Mode mode, int outH, int outW) {
        Shape s = x.shape();
        Tensor y = activation(opName, Shape.of(s.n(), s.c(), outH, outW));
        add(m -> new Resize(opName, map(m, List.of(x)), map(m, List.of(y)), mode));
        return y;
    }

    // ---------------------------------------------------------------- data movement

    public Tensor concat(String opName, int axis, Tensor... xs) {
        return concat(opName, axis, Arrays.asList(xs));
    }

    public Tensor concat(String opName, int axis, List<Tensor> xs) {
        Shape first = xs.get(0).shape();
        int ax = first.normalize(axis);
        int total = 0;
        for (Tensor t : xs) {
            total += t.shape().dim(ax);
        }
        Tensor y = like(opName, first.with(ax, total), xs.get(0));
        List<Tensor> in = List.copyOf(xs);
        add(m -> new Concat(opName, map(m, in), map(m, List.of(y)), axis));
        return y;
    }

    /** Splits along {@code axis} into parts of the given sizes; outputs are named opName:i. */
    public List<Tensor> split(String opName, Tensor x, int axis, int... sizes) {
        List<Tensor> outs = new ArrayList<>(sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            outs.add(like(opName + ":" + i, x.shape().with(axis, sizes[i]), x));
        }
        List<Tensor> frozen = List.copyOf(outs);
        add(m -> new Split(opName, map(m, List.of(x)), map(m, frozen), axis));
        return frozen;
    }

    public Tensor slice(String opName, Tensor x, int axis, int start, int end) {
        Tensor y = like(opName, x.shape().with(axis, end - start), x);
        add(m -> new Slice(opName, map(m, List.of(x)), map(m, List.of(y)), axis, start, end));
        return y;
    }

    public Tensor pad(String opName, Tensor x, int[] before, int[] after) {
        int[] d = x.shape().dims();
        for (int i = 0; i < d.length; i++) {
            d[i] += before[i] + after[i];
        }
        Tensor y = like(opName, Shape.of(d), x);
        List<Integer> b = Arrays.stream(before).boxed().toList();
        List<Integer> a = Arrays.stream(after).boxed().toList();
        add(m -> new Pad(opName, map(m, List.of(x)), map(m, List.of(y)), b, a));
        return y;
    }

    public Tensor reshape(String opName, Tensor x, int... dims) {
        Tensor y = like(opName, Shape.of(dims), x);
        add(m -> new Reshape(opName, map(m, List.of(x)), map(m, List.of(y))));
        return y;
    }

    public Tensor transpose(String opName, Tensor x, int... perm) {
        int[] d = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            d[i] = x.shape().dim(perm[i]);
        }
        Tensor y = like(opName, Shape.of(d), x);
        List<Integer> p = Arrays.stream(perm).boxed().toList();
        add(m -> new Transpose(opName, map(m, List.of(x)), map(m, List.of(y)), p));
        return y;
    }

    /** Rows of {@code table} selected by integer {@code indices}. */
    public Tensor gather(String opName, Tensor table, Tensor indices) {
        int[] t = table.shape().dims();
        int[] i = indices.shape().dims();
        int[] out = new int[i.length + t.length - 1];
        System.arraycopy(i, 0, out, 0, i.length);
        System.arraycopy(t, 1, out, i.length, t.length - 1);
        Tensor y = activation(opName, Shape.of(out));
        add(m -> new Gather(opName, map(m, List.of(table, indices)), map(m, List.of(y))));
        return y;
    }

    /** Appends new keys/values behind {@code pastLen} cached positions; returns the whole cache. */
    public Tensor kvCacheAppend(String opName, Tensor x, int pastLen, DType cacheDtype) {
        Quant q = cacheDtype.isInteger() ? Quant.perTensor(false) : Quant.NONE;
        Tensor cache = newTensor(opName, x.shape().with(-2, pastLen + x.shape().dim(-2)), cacheDtype, q, Tensor.Role.KV_CACHE);
        add(m -> new KvCacheAppend(opName, map(m, List.of(x)), map(m, List.of(cache)), pastLen));
        return cache;
    }

    // ---------------------------------------------------------------- outputs and build

    /** Marks graph outputs; they get role OUTPUT. */
    public void output(Tensor... ts) {
        for (Tensor t : ts) {
            output(t, Tensor.Role.OUTPUT);
        }
    }

    /** Marks a graph output with a role: OUTPUT, or KV_CACHE for caches a later graph reads. */
    public void output(Tensor t, Tensor.Role role) {
        if (role != Tensor.Role.OUTPUT && role != Tensor.Role.KV_CACHE) {
            throw new IllegalArgumentException("graph output '" + t.name() + "' cannot have role " + role);
        }
        if (t.isConstant() || inputs.contains(t)) {
            throw new IllegalArgumentException("graph output '" + t.name() + "' must be produced by an op");
        }
        outputs.put(t.id(), role);
    }

    public Graph build() {
        Tensor[] table = tensors.toArray(new Tensor[0]);
        for (Map.Entry<Integer, Tensor.Role> e : outputs.entrySet()) {
            table[e.getKey()] = table[e.getKey()].withRole(e.getValue());
        }
        UnaryOperator<Tensor> remap = t -> table[t.id()];
        List<Op> built = new ArrayList<>(ops.size());
        for (Pending p : ops) {
            boolean touches = false;
            for (Tensor t : p.op().outputs()) {
                touches |= outputs.containsKey(t.id());
            }
            for (Tensor t : p.op().inputs()) {
                touches |= outputs.containsKey(t.id());
            }
            built.add(touches ? p.rebuild().apply(remap) : p.op());
        }
        List<Tensor> outs = new ArrayList<>();
        for (Integer id : outputs.keySet()) {
            outs.add(table[id]);
        }
        return new Graph(name, Arrays.asList(table), built, inputs, outs);
    }
}
