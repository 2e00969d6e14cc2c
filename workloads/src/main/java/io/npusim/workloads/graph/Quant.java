package io.npusim.workloads.graph;

/**
 * How a tensor is quantised. Scales and zero points are not modelled: compilers only need to know
 * whether there is one scale per tensor or one per channel (upstream Teflon accepts per-tensor int8
 * only) and whether the zero point is fixed at 0.
 *
 * @param granularity none (float), one scale per tensor, or one per slice along {@code axis}
 * @param symmetric zero point fixed at 0
 * @param axis the channel axis for per-axis quantisation, -1 otherwise
 */
public record Quant(Granularity granularity, boolean symmetric, int axis) {

    public enum Granularity { NONE, PER_TENSOR, PER_AXIS }

    /** Float tensors. */
    public static final Quant NONE = new Quant(Granularity.NONE, false, -1);

    public Quant {
        if (granularity == null) {
            throw new IllegalArgumentException("granularity is required");
        }
        if (granularity == Granularity.PER_AXIS ? axis < 0 : axis != -1) {
            throw new IllegalArgumentException("axis " + axis + " does not fit " + granularity);
        }
    }

    public static Quant perTensor(boolean symmetric) {
        return new Quant(Granularity.PER_TENSOR, symmetric, -1);
    }

    /** Per-channel quantisation is symmetric in TFLite and RKNN alike. */
    public static Quant perAxis(int axis) {
        return new Quant(Granularity.PER_AXIS, true, axis);
    }

    public boolean quantized() {
        return granularity != Granularity.NONE;
    }

    public boolean perAxis() {
        return granularity == Granularity.PER_AXIS;
    }

    public boolean perTensor() {
        return granularity == Granularity.PER_TENSOR;
    }
}
