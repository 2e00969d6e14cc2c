package io.npusim.workloads.zoo;

import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.GraphBuilder;
import io.npusim.workloads.graph.Tensor;

import java.util.List;

/**
 * One forward pass of an {@link LlmConfig} over {@code tokens} new tokens behind {@code pastLen}
 * cached ones: embedding gather, per layer norm, q/k/v, rotary, cache append, QK^T against the
 * cache, softmax, PV, o, residual, norm, gated FFN, residual; final norm and lm_head (on the last
 * token only when prefilling). The attention scale is folded into q, as deployments do.
 */
final class LlmGraphs {
    private LlmGraphs() {
    }

    static Graph build(LlmConfig c, int tokens, int pastLen, LlmPrecision precision, String graphName) {
        GraphBuilder b = new GraphBuilder(graphName, precision.graphPrecision());
        int ctx = pastLen + tokens;
        Tensor ids = b.input("input_ids", DType.INT32, tokens);
        Tensor table = b.weight("model.embed_tokens.weight", c.vocab(), c.hidden());
        Tensor x = b.gather("model.embed_tokens", table, ids);
        if (c.quirks().scaledEmbedding()) {
            x = b.mul("model.embed_scale", x, b.constant("model.embed_scale.value", 1));
        }
        Tensor mask = tokens > 1 ? b.constant("model.causal_mask", tokens, ctx) : null;
        for (int i = 0; i < c.layers(); i++) {
            x = layer(b, c, "model.layers." + i, x, mask, pastLen, precision.kvCache());
        }
        if (tokens > 1) {
            x = b.slice("model.last_token", x, 0, tokens - 1, tokens);
        }
        x = norm(b, c, "model.norm", x);
        Tensor logits = c.tiedEmbeddings() ? b.linear("lm_head", x, table) : b.linear("lm_head", x, c.vocab(), false);
        if (c.quirks().finalLogitSoftcap() > 0) {
            logits = softcap(b, "lm_head.softcap", logits);
        }
        b.output(logits);
        return b.build();
    }

    private static Tensor layer(GraphBuilder b, LlmConfig c, String p, Tensor x, Tensor mask, int pastLen, DType kvType) {
        int tokens = x.shape().dim(0);
        Tensor h = norm(b, c, p + ".input_layernorm", x);
        Tensor q;
        Tensor k;
        Tensor v;
        if (c.quirks().fusedQkv()) {
            Tensor qkv = b.linear(p + ".self_attn.qkv_proj", h, c.qDim() + 2 * c.kvDim(), c.qkvBias());
            List<Tensor> parts = b.split(p + ".self_attn.qkv_split", qkv, -1, c.qDim(), c.kvDim(), c.kvDim());
            q = parts.get(0);
            k = parts.get(1);
            v = parts.get(2);
        } else {
            q = b.linear(p + ".self_attn.q_proj", h, c.qDim(), c.qkvBias());
            k = b.linear(p + ".self_attn.k_proj", h, c.kvDim(), c.qkvBias());
            v = b.linear(p + ".self_attn.v_proj", h, c.kvDim(), c.qkvBias());
        }
        q = heads(b, p + ".self_attn.q", q, c.heads(), c.headDim());
        k = heads(b, p + ".self_attn.k", k, c.kvHeads(), c.headDim());
        v = heads(b, p + ".self_attn.v", v, c.kvHeads(), c.headDim());
        if (c.quirks().qkNorm()) {
            q = b.rmsNorm(p + ".self_attn.q_norm", q);
            k = b.rmsNorm(p + ".self_attn.k_norm", k);
        }
        q = b.rope(p + ".self_attn.q_rope", q, c.rotaryDims());
        k = b.rope(p + ".self_attn.k_rope", k, c.rotaryDims());
        Tensor kc = b.kvCacheAppend(p + ".self_attn.k_cache", k, pastLen, kvType);
        Tensor vc = b.kvCacheAppend(p + ".self_attn.v_cache", v, pastLen, kvType);
        Tensor s = b.matmul(p + ".self_attn.qk", q, kc, true);
        if (c.quirks().attnLogitSoftcap() > 0) {
            s = softcap(b, p + ".self_attn.softcap", s);
        }
        if (mask != null) {
            s = b.add(p + ".self_attn.mask", s, mask);
        }
        Tensor o = b.matmul(p + ".self_attn.pv", b.softmax(p + ".self_attn.softmax", s, -1), vc, false);
        o = b.reshape(p + ".self_attn.merge", b.transpose(p + ".self_attn.merge_permute", o, 1, 0, 2), tokens, c.qDim());
        o = b.linear(p + ".self_attn.o_proj", o, c.hidden(), false);
        if (c.quirks().sandwichNorms()) {
            o = norm(b, c, p + ".post_attention_layernorm", o);
        }
        x = b.add(p + ".attn_residual", x, o);

        h = norm(b, c, c.quirks().sandwichNorms() ? p + ".pre_feedforward_layernorm" : p + ".post_attention_layernorm", x);
        Tensor f;
        if (c.gatedFfn()) {
            Tensor gate;
            Tensor up;
            if (c.quirks().fusedGateUp()) {
                List<Tensor> parts = b.split(p + ".mlp.gate_up_split",
                        b.linear(p + ".mlp.gate_up_proj", h, 2 * c.intermediate(), false), -1, c.intermediate(), c.intermediate());
                gate = parts.get(0);
                up = parts.get(1);
            } else {
                gate = b.linear(p + ".mlp.gate_proj", h, c.intermediate(), false);
                up = b.linear(p + ".mlp.up_proj", h, c.intermediate(), false);
            }
            f = b.mul(p + ".mlp.gate_mul", b.activation(p + ".mlp.act", gate, c.activation()), up);
        } else {
            f = b.activation(p + ".mlp.act", b.linear(p + ".mlp.up_proj", h, c.intermediate(), false), c.activation());
        }
        f = b.linear(p + ".mlp.down_proj", f, c.hidden(), false);
        if (c.quirks().sandwichNorms()) {
            f = norm(b, c, p + ".post_feedforward_layernorm", f);
        }
        return b.add(p + ".mlp_residual", x, f);
    }

    private static Tensor norm(GraphBuilder b, LlmConfig c, String name, Tensor x) {
        return c.norm() == LlmConfig.Norm.RMS ? b.rmsNorm(name, x) : b.layerNorm(name, x);
    }

    /** [tokens, heads * headDim] -> [heads, tokens, headDim]. */
    private static Tensor heads(GraphBuilder b, String p, Tensor x, int heads, int headDim) {
        int tokens = x.shape().dim(0);
        return b.transpose(p + "_permute", b.reshape(p + "_view", x, tokens, heads, headDim), 1, 0, 2);
    }

    /** Gemma 2: cap * tanh(x / cap). */
    private static Tensor softcap(GraphBuilder b, String p, Tensor x) {
        Tensor cap = b.constant(p + ".cap", 1);
        return b.mul(p + ".mul", b.tanh(p + ".tanh", b.div(p + ".div", x, cap)), cap);
    }
}
