package io.npusim.workloads.zoo;

import io.npusim.core.UserError;
import io.npusim.workloads.graph.Graph;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The graphs of one zoo model, built on first use and cached for the life of the
 * {@link ModelZoo} that made them (never statically: several simulations may share a JVM).
 */
public final class ModelGraphs {

    private final String model;
    private final ModelSpec.Kind kind;
    private final Function<VisionVariant, Graph> vision;
    private final VisionVariant visionDefault;
    private final WhisperConfig whisper;
    private final LlmConfig llm;
    private final Map<String, Graph> cache = new ConcurrentHashMap<>();

    private ModelGraphs(String model, ModelSpec.Kind kind, Function<VisionVariant, Graph> vision, VisionVariant visionDefault,
                        WhisperConfig whisper, LlmConfig llm) {
        this.model = model;
        this.kind = kind;
        this.vision = vision;
        this.visionDefault = visionDefault;
        this.whisper = whisper;
        this.llm = llm;
    }

    static ModelGraphs vision(String model, Function<VisionVariant, Graph> builder, VisionVariant defaults) {
        return new ModelGraphs(model, ModelSpec.Kind.VISION, builder, defaults, null, null);
    }

    static ModelGraphs audio(WhisperConfig config) {
        return new ModelGraphs(config.name(), ModelSpec.Kind.AUDIO, null, null, config, null);
    }

    static ModelGraphs llm(LlmConfig config) {
        return new ModelGraphs(config.name(), ModelSpec.Kind.LLM, null, null, null, config);
    }

    /** Vision: the inference graph. Audio: the encoder. LLM: a decode step at the zoo's 128-token context. */
    public Graph main() {
        return switch (kind) {
            case VISION -> vision(visionDefault);
            case AUDIO -> encoder();
            case LLM -> decodeStep(ModelZoo.LLM_REFERENCE_CONTEXT);
        };
    }

    /** Vision: the inference graph built for another input size or datatype. */
    public Graph vision(VisionVariant v) {
        requireKind(ModelSpec.Kind.VISION, "an input size and datatype");
        return cached("vision:" + v.label(), () -> {
            try {
                return vision.apply(v);
            } catch (IllegalArgumentException e) {
                // a shape rule of some layer that the variant's own checks did not foresee
                throw new UserError("input: " + model + " cannot be built at " + v.height() + "x" + v.width() + ": " + e.getMessage());
            }
        });
    }

    /** Vision: the published input size, int8. */
    public VisionVariant visionDefault() {
        requireKind(ModelSpec.Kind.VISION, "a default input");
        return visionDefault;
    }

    public Graph encoder() {
        requireKind(ModelSpec.Kind.AUDIO, "an encoder graph");
        return cached("encoder", whisper::encoder);
    }

    /** Whisper decoder step or LLM decode step at {@code contextLen} positions, w8a8 for LLMs. */
    public Graph decodeStep(int contextLen) {
        if (kind == ModelSpec.Kind.AUDIO) {
            return cached("decode:" + contextLen, () -> whisper.decoderStep(contextLen));
        }
        if (kind == ModelSpec.Kind.VISION) {
            throw new UserError("model '" + model + "' is a vision model; a decode step needs an audio or LLM model");
        }
        return decodeStep(contextLen, LlmPrecision.W8A8);
    }

    public Graph decodeStep(int contextLen, LlmPrecision precision) {
        requireKind(ModelSpec.Kind.LLM, "an LLM decode step at a chosen precision");
        return cached("decode:" + contextLen + ":" + precision, () -> llm.decodeStep(contextLen, precision));
    }

    public Graph prefill(int promptLen) {
        return prefill(promptLen, LlmPrecision.W8A8);
    }

    public Graph prefill(int promptLen, LlmPrecision precision) {
        requireKind(ModelSpec.Kind.LLM, "a prefill graph");
        return cached("prefill:" + promptLen + ":" + precision, () -> llm.prefill(promptLen, precision));
    }

    LlmConfig llmConfig() {
        requireKind(ModelSpec.Kind.LLM, "an LLM config");
        return llm;
    }

    WhisperConfig whisperConfig() {
        requireKind(ModelSpec.Kind.AUDIO, "a whisper config");
        return whisper;
    }

    private Graph cached(String key, Supplier<Graph> builder) {
        Graph g = cache.get(key);
        if (g == null) {
            // Built outside computeIfAbsent: builders may throw UserError and must not run under the map's lock.
            g = builder.get();
            Graph prior = cache.putIfAbsent(key, g);
            if (prior != null) {
                g = prior;
            }
        }
        return g;
    }

    private void requireKind(ModelSpec.Kind wanted, String what) {
        if (kind != wanted) {
            throw new UserError("model '" + model + "' is " + article(kind) + " model; " + what + " needs " + article(wanted) + " model");
        }
    }

    private static String article(ModelSpec.Kind k) {
        return switch (k) {
            case VISION -> "a vision";
            case AUDIO -> "an audio";
            case LLM -> "an LLM";
        };
    }
}
