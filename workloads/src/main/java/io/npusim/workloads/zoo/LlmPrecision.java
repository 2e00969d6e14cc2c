package io.npusim.workloads.zoo;

import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Precision;

/**
 * Datatypes of an LLM deployment: weights (per-channel when integer), activations, KV cache.
 *
 * @param weights datatype of linear weights and embedding tables
 * @param activations datatype of activations between ops
 * @param kvCache datatype of cached keys and values
 */
public record LlmPrecision(DType weights, DType activations, DType kvCache) {

    /** RKLLM's w8a8 on RK3588; the fp16 KV cache is an assumption, no public figure says otherwise. */
    public static final LlmPrecision W8A8 = new LlmPrecision(DType.INT8, DType.INT8, DType.FP16);
    public static final LlmPrecision W4A16 = new LlmPrecision(DType.INT4, DType.FP16, DType.FP16);
    public static final LlmPrecision FP16 = new LlmPrecision(DType.FP16, DType.FP16, DType.FP16);

    public LlmPrecision {
        if (weights == null || activations == null || kvCache == null) {
            throw new IllegalArgumentException("LLM precision needs weights, activations and KV cache types");
        }
    }

    Precision graphPrecision() {
        return Precision.of(weights, activations);
    }

    /** Short label such as "w8a8". */
    public String label() {
        return "w" + weights.bits() + "a" + activations.bits();
    }
}
