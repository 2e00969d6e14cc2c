package io.npusim.workloads.graph;

/**
 * Datatypes and quantisation a {@link GraphBuilder} gives to the tensors it creates.
 *
 * @param activation datatype of op outputs
 * @param activationQuant quantisation of op outputs
 * @param weight datatype of weights and embedding tables
 * @param weightQuant quantisation of weights (per-axis means per output channel, axis 0)
 * @param bias datatype of biases (INT32 under int8 quantisation, accumulating input x weight scale)
 */
public record Precision(DType activation, Quant activationQuant, DType weight, Quant weightQuant, DType bias) {

    public Precision {
        if (activation == null || activationQuant == null || weight == null || weightQuant == null || bias == null) {
            throw new IllegalArgumentException("precision needs every field");
        }
        if (weightQuant.perAxis() && weightQuant.axis() != 0) {
            throw new IllegalArgumentException("per-axis weights are quantised along axis 0 (output channels)");
        }
    }

    /** TFLite-style int8: one asymmetric scale per tensor, for weights too (what Teflon accepts). */
    public static Precision int8PerTensor() {
        return new Precision(DType.INT8, Quant.perTensor(false), DType.INT8, Quant.perTensor(false), DType.INT32);
    }

    /** RKNN-toolkit int8 with per-channel symmetric weights (its default for YOLO exports). */
    public static Precision int8PerChannel() {
        return new Precision(DType.INT8, Quant.perTensor(false), DType.INT8, Quant.perAxis(0), DType.INT32);
    }

    public static Precision fp16() {
        return new Precision(DType.FP16, Quant.NONE, DType.FP16, Quant.NONE, DType.FP16);
    }

    /** Weights of one type, activations of another: integer weights per channel, integer activations per tensor. */
    public static Precision of(DType weight, DType activation) {
        Quant wq = weight.isInteger() ? Quant.perAxis(0) : Quant.NONE;
        Quant aq = activation.isInteger() ? Quant.perTensor(false) : Quant.NONE;
        DType bias = weight.isInteger() && activation.isInteger() ? DType.INT32 : (activation.isFloat() ? activation : DType.FP16);
        return new Precision(activation, aq, weight, wq, bias);
    }

    /** Quantisation of a bias: per-axis exactly when the weights are, since its scale is input x weight scale. */
    public Quant biasQuant() {
        if (!bias.isInteger()) {
            return Quant.NONE;
        }
        return weightQuant.perAxis() ? Quant.perAxis(0) : Quant.perTensor(true);
    }

    /** Norm scales stay float on every runtime: FP16, or FP32 in FP32 graphs. */
    public DType normParam() {
        return activation == DType.FP32 ? DType.FP32 : DType.FP16;
    }
}
