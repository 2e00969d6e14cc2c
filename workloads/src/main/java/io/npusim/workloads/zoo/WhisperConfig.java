package io.npusim.workloads.zoo;

import io.npusim.core.UserError;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.GraphBuilder;
import io.npusim.workloads.graph.Precision;
import io.npusim.workloads.graph.Tensor;
import io.npusim.workloads.graph.Window;

/**
 * An openai/whisper encoder-decoder (model.py ModelDimensions), run in FP16 on a fixed audio
 * window. The encoder graph also computes every decoder layer's cross-attention keys and values
 * once per utterance (as whisper.cpp does), handing them to the decoder as KV_CACHE tensors; the
 * decoder runs one token per step against its self-attention cache.
 *
 * @param name zoo name
 * @param nMels mel bins per frame
 * @param melFrames input frames (100 per second); conv2 halves them into encoder positions
 * @param nState model width (audio and text)
 * @param nHead attention heads (audio and text)
 * @param nAudioLayer encoder blocks
 * @param nVocab text vocabulary
 * @param nTextCtx decoder positions (learned position table length)
 * @param nTextLayer decoder blocks
 */
public record WhisperConfig(String name, int nMels, int melFrames, int nState, int nHead, int nAudioLayer,
                            int nVocab, int nTextCtx, int nTextLayer) {

    /** whisper "base" dimensions, on 20 s of audio: 2000 mel frames, 1000 encoder positions. */
    public static final WhisperConfig BASE_20S = new WhisperConfig("whisper_base", 80, 2000, 512, 8, 6, 51865, 448, 6);

    public WhisperConfig {
        if (nState % nHead != 0 || melFrames % 2 != 0) {
            throw new IllegalArgumentException("whisper width " + nState + " must split into " + nHead + " heads and frames " + melFrames + " must be even");
        }
    }

    /** Seconds of audio in the window: 100 mel frames per second (16 kHz audio, hop length 160). */
    public double windowS() {
        return melFrames / 100.0;
    }

    public int audioPositions() {
        return melFrames / 2;
    }

    public int headDim() {
        return nState / nHead;
    }

    private int mlp() {
        return 4 * nState;
    }

    /** Learned parameters: both convs, every block, norms, token and position tables (the encoder's sinusoids are fixed). */
    public long params() {
        long s = nState;
        long attn = 4 * s * s + 3 * s; // key projection has no bias
        long mlpParams = 2 * s * mlp() + mlp() + s;
        long ln = 2 * s;
        long encoder = (long) nMels * s * 3 + s + s * s * 3 + s + nAudioLayer * (attn + mlpParams + 2 * ln) + ln;
        long decoder = (long) nVocab * s + (long) nTextCtx * s + nTextLayer * (2 * attn + mlpParams + 3 * ln) + ln;
        return encoder + decoder;
    }

    /** Encoder pass over the whole window, ending with the decoder's cross-attention K/V. */
    public Graph encoder() {
        GraphBuilder b = new GraphBuilder(name + ".encoder", Precision.fp16());
        int t = audioPositions();
        // Conv1d as a 1 x L map: [1, n_mels, 1, frames].
        Tensor x = b.input("mel", DType.FP16, 1, nMels, 1, melFrames);
        x = b.gelu("encoder.gelu1", b.conv("encoder.conv1", x, nState, new Window(1, 3, 1, 1, 0, 1, 0, 1, 1, 1), 1, true));
        x = b.gelu("encoder.gelu2", b.conv("encoder.conv2", x, nState, new Window(1, 3, 1, 2, 0, 1, 0, 1, 1, 1), 1, true));
        x = b.reshape("encoder.squeeze", x, nState, t);
        x = b.transpose("encoder.permute", x, 1, 0);
        x = b.add("encoder.positional_embedding", x, b.constant("encoder.positional_embedding.table", DType.FP16, t, nState));
        for (int i = 0; i < nAudioLayer; i++) {
            String p = "encoder.blocks." + i;
            x = selfAttentionBlock(b, p, x, 0, false);
            x = mlpBlock(b, p, x);
        }
        x = b.layerNorm("encoder.ln_post", x);
        for (int i = 0; i < nTextLayer; i++) {
            String p = "decoder.blocks." + i + ".cross_attn";
            b.output(heads(b, p + ".k", b.linear(p + ".key", x, nState, false)), Tensor.Role.KV_CACHE);
            b.output(heads(b, p + ".v", b.linear(p + ".value", x, nState, true)), Tensor.Role.KV_CACHE);
        }
        return b.build();
    }

    /** One decoder step: one token attending to {@code contextLen} self positions (itself included) and all encoder positions. */
    public Graph decoderStep(int contextLen) {
        if (contextLen < 1 || contextLen > nTextCtx) {
            throw new UserError("context length " + contextLen + " for " + name + " must be between 1 and " + nTextCtx);
        }
        GraphBuilder b = new GraphBuilder(name + ".decoder_step_" + contextLen, Precision.fp16());
        Tensor tokens = b.input("tokens", DType.INT32, 1);
        Tensor positions = b.input("positions", DType.INT32, 1);
        Tensor[] crossK = new Tensor[nTextLayer];
        Tensor[] crossV = new Tensor[nTextLayer];
        for (int i = 0; i < nTextLayer; i++) {
            String p = "decoder.blocks." + i + ".cross_attn";
            crossK[i] = b.input(p + ".k", DType.FP16, Tensor.Role.KV_CACHE, nHead, audioPositions(), headDim());
            crossV[i] = b.input(p + ".v", DType.FP16, Tensor.Role.KV_CACHE, nHead, audioPositions(), headDim());
        }
        Tensor tokenTable = b.weight("decoder.token_embedding.weight", nVocab, nState);
        Tensor x = b.gather("decoder.token_embedding", tokenTable, tokens);
        x = b.add("decoder.add_positional", x, b.gather("decoder.positional_embedding", b.weight("decoder.positional_embedding.weight", nTextCtx, nState), positions));
        for (int i = 0; i < nTextLayer; i++) {
            String p = "decoder.blocks." + i;
            x = selfAttentionBlock(b, p, x, contextLen - 1, true);
            Tensor h = b.layerNorm(p + ".cross_attn_ln", x);
            Tensor q = heads(b, p + ".cross_attn.q", b.linear(p + ".cross_attn.query", h, nState, true));
            x = b.add(p + ".cross_attn.residual", x, attend(b, p + ".cross_attn", q, crossK[i], crossV[i]));
            x = mlpBlock(b, p, x);
        }
        x = b.layerNorm("decoder.ln", x);
        b.output(b.linear("decoder.logits", x, tokenTable));
        return b.build();
    }

    /** attn_ln, q/k/v projections (k without bias), attention, out projection, residual. Decoder blocks append k/v to their cache. */
    private Tensor selfAttentionBlock(GraphBuilder b, String p, Tensor x, int pastLen, boolean cached) {
        Tensor h = b.layerNorm(p + ".attn_ln", x);
        Tensor q = heads(b, p + ".attn.q", b.linear(p + ".attn.query", h, nState, true));
        Tensor k = heads(b, p + ".attn.k", b.linear(p + ".attn.key", h, nState, false));
        Tensor v = heads(b, p + ".attn.v", b.linear(p + ".attn.value", h, nState, true));
        if (cached) {
            k = b.kvCacheAppend(p + ".attn.k_cache", k, pastLen, DType.FP16);
            v = b.kvCacheAppend(p + ".attn.v_cache", v, pastLen, DType.FP16);
        }
        return b.add(p + ".attn.residual", x, attend(b, p + ".attn", q, k, v));
    }

    /** softmax(q k^T) v over heads, merged back to [tokens, n_state] and projected by attn.out. */
    private Tensor attend(GraphBuilder b, String p, Tensor q, Tensor k, Tensor v) {
        Tensor s = b.matmul(p + ".qk", q, k, true);
        Tensor o = b.matmul(p + ".pv", b.softmax(p + ".softmax", s, -1), v, false);
        int tokens = q.shape().dim(1);
        o = b.reshape(p + ".merge", b.transpose(p + ".merge_permute", o, 1, 0, 2), tokens, nState);
        return b.linear(p + ".out", o, nState, true);
    }

    /** [tokens, n_state] -> [heads, tokens, head_dim]. */
    private Tensor heads(GraphBuilder b, String p, Tensor x) {
        int tokens = x.shape().dim(0);
        return b.transpose(p + "_permute", b.reshape(p + "_view", x, tokens, nHead, headDim()), 1, 0, 2);
    }

    private Tensor mlpBlock(GraphBuilder b, String p, Tensor x) {
        Tensor h = b.layerNorm(p + ".mlp_ln", x);
        h = b.gelu(p + ".mlp.1", b.linear(p + ".mlp.0", h, mlp(), true));
        return b.add(p + ".mlp.residual", x, b.linear(p + ".mlp.2", h, nState, true));
    }
}
