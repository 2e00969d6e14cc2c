package io.npusim.workloads.zoo;

import io.npusim.core.UserError;
import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;

/**
 * A decoder-only LLM as its Hugging Face config.json describes it, plus the quirks that change
 * counts or op sequences. Counting conventions: linear layers count weights and biases; MACs
 * count linear layers, lm_head and attention (QK^T and PV); embedding lookups, norms, rotary and
 * softmax have none.
 *
 * @param name zoo name
 * @param source Hugging Face repository the numbers come from
 * @param layers num_hidden_layers
 * @param hidden hidden_size
 * @param heads num_attention_heads
 * @param kvHeads num_key_value_heads (ChatGLM: multi_query_group_num)
 * @param headDim head_dim (hidden / heads unless the config says otherwise)
 * @param intermediate FFN width (intermediate_size, ChatGLM ffn_hidden_size)
 * @param vocab vocab_size (ChatGLM padded_vocab_size)
 * @param tiedEmbeddings lm_head reuses the embedding table
 * @param norm normalisation kind
 * @param activation FFN activation (SiLU for SwiGLU, GELU for GeGLU)
 * @param gatedFfn FFN is act(gate(x)) * up(x) then down
 * @param qkvBias q/k/v projections have biases
 * @param quirks architecture details beyond the common Llama layout
 */
public record LlmConfig(String name, String source, int layers, int hidden, int heads, int kvHeads, int headDim,
                        int intermediate, int vocab, boolean tiedEmbeddings, Norm norm, Activation.Kind activation,
                        boolean gatedFfn, boolean qkvBias, Quirks quirks) {

    public enum Norm { RMS, LAYER }

    /**
     * @param fusedQkv one projection produces q, k and v, split afterwards (Phi-3 qkv_proj, InternLM2 wqkv, ChatGLM query_key_value)
     * @param fusedGateUp one projection produces gate and up (Phi-3 gate_up_proj, ChatGLM dense_h_to_4h)
     * @param qkNorm RMSNorm over each head of q and k before rotary (Qwen3)
     * @param sandwichNorms extra norms after attention and after the FFN, before each residual add (Gemma 2)
     * @param rotaryFraction share of each head's features that rotate (ChatGLM: 0.5)
     * @param scaledEmbedding embeddings multiplied by sqrt(hidden) (Gemma)
     * @param attnLogitSoftcap cap * tanh(scores / cap) before softmax, 0 for none (Gemma 2: 50)
     * @param finalLogitSoftcap the same on the logits (Gemma 2: 30)
     */
    public record Quirks(boolean fusedQkv, boolean fusedGateUp, boolean qkNorm, boolean sandwichNorms,
                         double rotaryFraction, boolean scaledEmbedding, double attnLogitSoftcap, double finalLogitSoftcap) {

        public static final Quirks NONE = new Quirks(false, false, false, false, 1.0, false, 0, 0);

        public Quirks {
            if (rotaryFraction <= 0 || rotaryFraction > 1 || attnLogitSoftcap < 0 || finalLogitSoftcap < 0) {
                throw new IllegalArgumentException("bad quirks: rotary fraction " + rotaryFraction + ", softcaps " + attnLogitSoftcap + "/" + finalLogitSoftcap);
            }
        }

        public Quirks withFusedQkv() {
            return new Quirks(true, fusedGateUp, qkNorm, sandwichNorms, rotaryFraction, scaledEmbedding, attnLogitSoftcap, finalLogitSoftcap);
        }

        public Quirks withFusedGateUp() {
            return new Quirks(fusedQkv, true, qkNorm, sandwichNorms, rotaryFraction, scaledEmbedding, attnLogitSoftcap, finalLogitSoftcap);
        }

        public Quirks withQkNorm() {
            return new Quirks(fusedQkv, fusedGateUp, true, sandwichNorms, rotaryFraction, scaledEmbedding, attnLogitSoftcap, finalLogitSoftcap);
        }

        public Quirks withRotaryFraction(double fraction) {
            return new Quirks(fusedQkv, fusedGateUp, qkNorm, sandwichNorms, fraction, scaledEmbedding, attnLogitSoftcap, finalLogitSoftcap);
        }

        /** Gemma 2: sandwich norms, scaled embeddings, softcapped attention and logits. */
        public Quirks withGemma2(double attnCap, double finalCap) {
            return new Quirks(fusedQkv, fusedGateUp, qkNorm, true, rotaryFraction, true, attnCap, finalCap);
        }
    }

    public LlmConfig {
        if (layers < 1 || hidden < 1 || heads < 1 || kvHeads < 1 || headDim < 1 || intermediate < 1 || vocab < 1) {
            throw new IllegalArgumentException("LLM " + name + ": sizes must be positive");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("LLM " + name + ": " + heads + " heads do not share " + kvHeads + " KV heads evenly");
        }
        if (norm == null || activation == null || quirks == null) {
            throw new IllegalArgumentException("LLM " + name + ": norm, activation and quirks are required");
        }
    }

    /** Width of all query heads together. */
    public int qDim() {
        return heads * headDim;
    }

    /** Width of all key (or value) heads together. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Features per head that rotary embedding turns. */
    public int rotaryDims() {
        int r = (int) Math.round(headDim * quirks.rotaryFraction());
        return r - r % 2;
    }

    /** q, k, v and o weights of one layer. */
    public long attentionWeightsPerLayer() {
        return (long) hidden * (qDim() + 2L * kvDim()) + (long) qDim() * hidden;
    }

    /** gate (if gated), up and down weights of one layer. */
    public long ffnWeightsPerLayer() {
        return (gatedFfn ? 3L : 2L) * hidden * intermediate;
    }

    /** Linear-layer parameters of one layer: weights plus q/k/v biases. */
    public long linearParamsPerLayer() {
        return attentionWeightsPerLayer() + ffnWeightsPerLayer() + (qkvBias ? qDim() + 2L * kvDim() : 0);
    }

    /** Norm scales (and shifts, for LayerNorm) of one layer. */
    public long normParamsPerLayer() {
        long perNorm = norm == Norm.LAYER ? 2L * hidden : hidden;
        long n = (quirks.sandwichNorms() ? 4 : 2) * perNorm;
        return n + (quirks.qkNorm() ? 2L * headDim : 0);
    }

    /** Total parameters: layers, embedding table, untied lm_head, final norm; a tied table counts once. */
    public long params() {
        long table = (long) vocab * hidden;
        long finalNorm = norm == Norm.LAYER ? 2L * hidden : hidden;
        return layers * (linearParamsPerLayer() + normParamsPerLayer()) + table + (tiedEmbeddings ? 0 : table) + finalNorm;
    }

    /** Bytes of all parameters stored as {@code dtype}. */
    public long weightBytes(DType dtype) {
        return dtype.bytes(params());
    }

    /** KV cache bytes for {@code contextLen} positions across all layers. */
    public long kvCacheBytes(int contextLen, DType dtype) {
        return dtype.bytes(2L * layers * kvDim() * contextLen);
    }

    /** MACs of every layer's linear projections for one token (no lm_head). */
    public long linearMacsPerToken() {
        return layers * (attentionWeightsPerLayer() + ffnWeightsPerLayer());
    }

    public long lmHeadMacs() {
        return (long) hidden * vocab;
    }

    /** QK^T plus PV for one query token against {@code contextLen} positions, all layers. */
    public long attentionMacs(int contextLen) {
        return 2L * layers * qDim() * contextLen;
    }

    /** One decode step at {@code contextLen} cached positions (the new token included): linears, attention, lm_head. */
    public long macsPerDecodedToken(int contextLen) {
        requireLength("context length", contextLen);
        return linearMacsPerToken() + attentionMacs(contextLen) + lmHeadMacs();
    }

    /**
     * A prompt of {@code promptLen} tokens: linears for every token, full promptLen x promptLen
     * attention (runtimes compute the masked square), lm_head for the last token only.
     */
    public long macsPrefill(int promptLen) {
        requireLength("prompt length", promptLen);
        return promptLen * linearMacsPerToken() + (long) promptLen * attentionMacs(promptLen) + lmHeadMacs();
    }

    /** One decode step graph at the default RK3588 precision (w8a8). */
    public Graph decodeStep(int contextLen) {
        return decodeStep(contextLen, LlmPrecision.W8A8);
    }

    public Graph decodeStep(int contextLen, LlmPrecision precision) {
        requireLength("context length", contextLen);
        return LlmGraphs.build(this, 1, contextLen - 1, precision, name + ".decode_" + contextLen);
    }

    /** The prefill graph for a prompt of {@code promptLen} tokens at w8a8. */
    public Graph prefill(int promptLen) {
        return prefill(promptLen, LlmPrecision.W8A8);
    }

    public Graph prefill(int promptLen, LlmPrecision precision) {
        requireLength("prompt length", promptLen);
        return LlmGraphs.build(this, promptLen, 0, precision, name + ".prefill_" + promptLen);
    }

    private void requireLength(String what, int n) {
        if (n < 1) {
            throw new UserError(what + " " + n + " for " + name + " must be at least 1");
        }
    }
}
