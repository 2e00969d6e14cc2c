package io.npusim.workloads.zoo;

import io.npusim.workloads.graph.Graph;

/**
 * A zoo model: what it is, what it takes, how big it is, and its graphs.
 *
 * @param name zoo name
 * @param kind vision, audio or LLM
 * @param inputDescription what one inference consumes, e.g. "1x3x640x640 uint8" or "128-token context"
 * @param params learned parameters (tied weights once)
 * @param gmacs billions of MACs per inference: vision one image, audio the encoder over the whole
 *     window, LLMs one decoded token at a 128-token context
 * @param graphs lazily built graphs
 */
public record ModelSpec(String name, Kind kind, String inputDescription, long params, double gmacs, ModelGraphs graphs) {

    public enum Kind { VISION, AUDIO, LLM }

    /** Vision: the inference. Audio: the encoder. LLM: a w8a8 decode step at a 128-token context. */
    public Graph graph() {
        return graphs.main();
    }

    /**
     * Vision only: the inference built for {@code shape} ([1, 3, H, W]; null keeps the published
     * size) and {@code dtype} (int8 or fp16; null keeps int8). A {@link io.npusim.core.UserError}
     * says why a variant cannot be built.
     */
    public Graph graph(java.util.List<Integer> shape, String dtype) {
        return graphs.vision(VisionVariant.of(graphs.visionDefault(), shape, dtype));
    }

    /** Audio only: the encoder pass, ending in the decoder's cross-attention K/V. */
    public Graph encoder() {
        return graphs.encoder();
    }

    /** Audio: one whisper decoder step. LLM: one w8a8 decode step. {@code contextLen} counts the new token. */
    public Graph decodeStep(int contextLen) {
        return graphs.decodeStep(contextLen);
    }

    /** LLM only: prefill of a {@code promptLen}-token prompt at w8a8. */
    public Graph prefill(int promptLen) {
        return graphs.prefill(promptLen);
    }

    /** LLM only. */
    public LlmConfig llm() {
        return graphs.llmConfig();
    }

    /** Audio only. */
    public WhisperConfig whisper() {
        return graphs.whisperConfig();
    }
}
