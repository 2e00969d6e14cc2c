package io.npusim.workloads.zoo;

import io.npusim.workloads.graph.Activation;

import java.util.List;

/** The zoo's LLMs, each transcribed from its Hugging Face config.json (repository in {@link LlmConfig#source()}). */
public final class LlmConfigs {
    private LlmConfigs() {
    }

    private static final Activation.Kind SILU = Activation.Kind.SILU;
    private static final LlmConfig.Norm RMS = LlmConfig.Norm.RMS;
    private static final LlmConfig.Quirks NONE = LlmConfig.Quirks.NONE;

    public static final LlmConfig QWEN2_0_5B = new LlmConfig("qwen2-0.5b", "Qwen/Qwen2-0.5B",
            24, 896, 14, 2, 64, 4864, 151936, true, RMS, SILU, true, true, NONE);
    public static final LlmConfig QWEN2_1_5B = new LlmConfig("qwen2-1.5b", "Qwen/Qwen2-1.5B",
            28, 1536, 12, 2, 128, 8960, 151936, true, RMS, SILU, true, true, NONE);
    public static final LlmConfig QWEN2_5_1_5B = new LlmConfig("qwen2.5-1.5b", "Qwen/Qwen2.5-1.5B",
            28, 1536, 12, 2, 128, 8960, 151936, true, RMS, SILU, true, true, NONE);
    /** Qwen2.5-Math-1.5B layout with an untied lm_head (tie_word_embeddings: false). */
    public static final LlmConfig DEEPSEEK_R1_DISTILL_QWEN_1_5B = new LlmConfig("deepseek-r1-distill-qwen-1.5b",
            "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B",
            28, 1536, 12, 2, 128, 8960, 151936, false, RMS, SILU, true, true, NONE);
    /** head_dim 128 with hidden 1024 (q is 2048 wide); per-head q_norm/k_norm; no qkv bias. */
    public static final LlmConfig QWEN3_0_6B = new LlmConfig("qwen3-0.6b", "Qwen/Qwen3-0.6B",
            28, 1024, 16, 8, 128, 3072, 151936, true, RMS, SILU, true, false, NONE.withQkNorm());
    public static final LlmConfig TINYLLAMA_1_1B = new LlmConfig("tinyllama-1.1b", "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
            22, 2048, 32, 4, 64, 5632, 32000, false, RMS, SILU, true, false, NONE);
    /** Fused wqkv, no biases, separate output head. */
    public static final LlmConfig INTERNLM2_1_8B = new LlmConfig("internlm2-1.8b", "internlm/internlm2-chat-1_8b",
            24, 2048, 16, 8, 128, 8192, 92544, false, RMS, SILU, true, false, NONE.withFusedQkv());
    /** 256k vocabulary tied, head_dim 256, GeGLU (gelu_pytorch_tanh), sandwich norms, softcaps 50/30. */
    public static final LlmConfig GEMMA2_2B = new LlmConfig("gemma2-2b", "google/gemma-2-2b-it",
            26, 2304, 8, 4, 256, 9216, 256000, true, RMS, Activation.Kind.GELU, true, false, NONE.withGemma2(50, 30));
    /** Phi-3-mini-4k: fused qkv_proj and gate_up_proj, full multi-head attention. */
    public static final LlmConfig PHI3_3_8B = new LlmConfig("phi3-3.8b", "microsoft/Phi-3-mini-4k-instruct",
            32, 3072, 32, 32, 96, 8192, 32064, false, RMS, SILU, true, false, NONE.withFusedQkv().withFusedGateUp());
    /** Multi-query attention with 2 groups, qkv bias, fused dense_h_to_4h (2 x 13696), rotary on half of each head. */
    public static final LlmConfig CHATGLM3_6B = new LlmConfig("chatglm3-6b", "THUDM/chatglm3-6b",
            28, 4096, 32, 2, 128, 13696, 65024, false, RMS, SILU, true, true,
            NONE.withFusedQkv().withFusedGateUp().withRotaryFraction(0.5));
    public static final LlmConfig LLAMA3_8B = new LlmConfig("llama3-8b", "meta-llama/Meta-Llama-3-8B-Instruct",
            32, 4096, 32, 8, 128, 14336, 128256, false, RMS, SILU, true, false, NONE);

    /** In zoo order. */
    public static final List<LlmConfig> ALL = List.of(QWEN2_0_5B, QWEN2_1_5B, QWEN2_5_1_5B, DEEPSEEK_R1_DISTILL_QWEN_1_5B,
            QWEN3_0_6B, TINYLLAMA_1_1B, INTERNLM2_1_8B, GEMMA2_2B, PHI3_3_8B, CHATGLM3_6B, LLAMA3_8B);
}
