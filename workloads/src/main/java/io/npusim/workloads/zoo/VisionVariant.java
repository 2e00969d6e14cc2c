package io.npusim.workloads.zoo;

import io.npusim.core.UserError;
import java.util.List;
import java.util.Locale;

/**
 * What a vision model is built for: its input's height and width, and the datatype of its weights
 * and activations. A zoo model has a default (its published input size, int8); a client may ask
 * for another, as an RKNN or TFLite export at another size or without quantisation would give.
 *
 * @param height input rows
 * @param width input columns
 * @param dtype int8 (quantised, as the model's exports do it) or fp16 (unquantised)
 */
public record VisionVariant(int height, int width, Dtype dtype) {

    /** The datatypes a vision export can have on RK3588 (its NPU runs int8, int16 and fp16 convolutions). */
    public enum Dtype {
        INT8, FP16;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code null} means the default, int8. */
        public static Dtype parse(String s) {
            if (s == null) return INT8;
            for (Dtype d : values()) if (d.key().equals(s)) return d;
            throw new UserError("dtype: " + s + " is not a vision datatype; valid: int8, fp16");
        }
    }

    /** Smallest and largest input side accepted: every zoo model keeps a non-empty map down to its last stride at 32. */
    public static final int MIN_SIDE = 32;
    public static final int MAX_SIDE = 4096;

    public VisionVariant {
        if (dtype == null) throw new IllegalArgumentException("a vision variant needs a dtype");
    }

    /**
     * The variant of {@code defaults} a client asks for: {@code shape} is [1, 3, H, W] (null keeps
     * the default size), {@code dtype} int8 or fp16 (null keeps int8). A {@link UserError} starting
     * "input: " or "dtype: " says what is wrong with either.
     */
    public static VisionVariant of(VisionVariant defaults, List<Integer> shape, String dtype) {
        Dtype d = Dtype.parse(dtype);
        if (shape == null) return new VisionVariant(defaults.height, defaults.width, d);
        if (shape.size() != 4 || shape.stream().anyMatch(java.util.Objects::isNull)) { // List.of's contains(null) throws
            throw new UserError("input: must be [1, 3, height, width], got " + shape);
        }
        if (shape.get(0) != 1) throw new UserError("input: batch must be 1 (the zoo's exports run one image per inference), got " + shape.get(0));
        if (shape.get(1) != 3) throw new UserError("input: channels must be 3 (RGB), got " + shape.get(1));
        int h = shape.get(2);
        int w = shape.get(3);
        if (h < MIN_SIDE || w < MIN_SIDE || h > MAX_SIDE || w > MAX_SIDE) {
            throw new UserError("input: height and width must lie in " + MIN_SIDE + ".." + MAX_SIDE + ", got " + h + "x" + w);
        }
        return new VisionVariant(h, w, d);
    }

    /** The graph precision: {@code quantised} (the model's own int8 scheme) or unquantised fp16. */
    io.npusim.workloads.graph.Precision precision(io.npusim.workloads.graph.Precision quantised) {
        return dtype == Dtype.FP16 ? io.npusim.workloads.graph.Precision.fp16() : quantised;
    }

    /** "1x3x640x640 int8". */
    public String label() {
        return "1x3x" + height + "x" + width + " " + dtype.key();
    }
}
