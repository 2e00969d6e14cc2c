package io.npusim.workloads.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Gather;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.KvCacheAppend;
import io.npusim.workloads.graph.MatMul;
import io.npusim.workloads.graph.Rope;
import io.npusim.workloads.graph.RmsNorm;
import io.npusim.workloads.graph.Shape;
import io.npusim.workloads.graph.Tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LlmModelsTest {

    private final ModelZoo zoo = new ModelZoo();

    static java.util.List<String> llms() {
        return LlmConfigs.ALL.stream().map(LlmConfig::name).toList();
    }

    /** Model cards / safetensors totals on Hugging Face. */
    @ParameterizedTest
    @CsvSource({
        "qwen2-0.5b, 0.494",
        "qwen2-1.5b, 1.54",
        "qwen2.5-1.5b, 1.54",
        "deepseek-r1-distill-qwen-1.5b, 1.78",
        "qwen3-0.6b, 0.596",
        "tinyllama-1.1b, 1.10",
        "internlm2-1.8b, 1.89",
        "gemma2-2b, 2.61",
        "phi3-3.8b, 3.82",
        "chatglm3-6b, 6.24",
        "llama3-8b, 8.03",
    })
    void paramsMatchThePublishedFiguresWithin3Percent(String name, double billions) {
        assertThat(zoo.get(name).params() / 1e9).as(name).isCloseTo(billions, within(billions * 0.03));
    }

    @ParameterizedTest
    @MethodSource("llms")
    void decodeGraphMatchesTheConfigCounts(String name) {
        ModelSpec spec = zoo.get(name);
        LlmConfig c = spec.llm();
        Graph g = spec.decodeStep(128);
        GraphChecks.assertTopological(g);
        assertThat(g.totalMacs()).isEqualTo(c.macsPerDecodedToken(128));
        assertThat(g.totalParams()).as("tied weights once").isEqualTo(c.params());
        assertThat(g.ops(KvCacheAppend.class)).hasSize(2 * c.layers())
                .allSatisfy(a -> assertThat(a.output().shape()).isEqualTo(Shape.of(c.kvHeads(), 128, c.headDim())));
        assertThat(g.tensors().stream().filter(t -> t.role() == Tensor.Role.KV_CACHE).count()).isEqualTo(2L * c.layers());
        long attention = g.ops(MatMul.class).stream().filter(m -> !m.constantB()).count();
        assertThat(attention).isEqualTo(2L * c.layers());
        assertThat(g.ops(Gather.class)).hasSize(1);
        assertThat(g.outputs().get(0).shape()).isEqualTo(Shape.of(1, c.vocab()));
    }

    @ParameterizedTest
    @MethodSource("llms")
    void decodeMacsGrowLinearlyWithContextByTheAttentionTerm(String name) {
        LlmConfig c = zoo.get(name).llm();
        long m128 = c.macsPerDecodedToken(128);
        long m1024 = c.macsPerDecodedToken(1024);
        assertThat(m1024).isGreaterThan(m128);
        assertThat(m1024 - m128).isEqualTo(2L * c.layers() * c.qDim() * (1024 - 128));
        assertThat(zoo.get(name).decodeStep(256).totalMacs()).isGreaterThan(zoo.get(name).decodeStep(128).totalMacs());
    }

    @ParameterizedTest
    @MethodSource("llms")
    void prefillCostsAboutPromptLengthTimesThePerTokenLinearWork(String name) {
        LlmConfig c = zoo.get(name).llm();
        int prompt = 128;
        double ratio = (double) c.macsPrefill(prompt) / ((double) prompt * c.linearMacsPerToken());
        assertThat(ratio).as(name).isBetween(1.0, 1.2);
    }

    @Test
    void prefillGraphAgreesWithTheFormulaAndRunsLmHeadOnTheLastTokenOnly() {
        for (String name : new String[] {"qwen2-0.5b", "chatglm3-6b", "gemma2-2b"}) {
            ModelSpec spec = zoo.get(name);
            Graph g = spec.prefill(32);
            GraphChecks.assertTopological(g);
            assertThat(g.totalMacs()).as(name).isEqualTo(spec.llm().macsPrefill(32));
            MatMul head = (MatMul) g.op("lm_head").orElseThrow();
            assertThat(head.m()).isEqualTo(1);
            MatMul qk = (MatMul) g.op("model.layers.0.self_attn.qk").orElseThrow();
            assertThat(qk.output().shape()).isEqualTo(Shape.of(spec.llm().heads(), 32, 32));
        }
    }

    @Test
    void architectureQuirksShowUpInTheGraphs() {
        Graph chatglm = zoo.get("chatglm3-6b").decodeStep(64);
        assertThat(chatglm.op("model.layers.0.self_attn.k_cache").orElseThrow().output().shape()).isEqualTo(Shape.of(2, 64, 128));
        assertThat(((Rope) chatglm.op("model.layers.0.self_attn.q_rope").orElseThrow()).rotaryDims()).isEqualTo(64);
        assertThat(((MatMul) chatglm.op("model.layers.0.mlp.gate_up_proj").orElseThrow()).n()).isEqualTo(2 * 13696);

        Graph phi3 = zoo.get("phi3-3.8b").decodeStep(64);
        assertThat(((MatMul) phi3.op("model.layers.0.self_attn.qkv_proj").orElseThrow()).n()).isEqualTo(3 * 3072);

        Graph qwen3 = zoo.get("qwen3-0.6b").decodeStep(64);
        assertThat(qwen3.op("model.layers.0.self_attn.q_norm")).get().isInstanceOf(RmsNorm.class);
        assertThat(((MatMul) qwen3.op("model.layers.0.self_attn.q_proj").orElseThrow()).n()).isEqualTo(2048);

        Graph gemma = zoo.get("gemma2-2b").decodeStep(64);
        MatMul head = (MatMul) gemma.op("lm_head").orElseThrow();
        Gather embed = (Gather) gemma.op("model.embed_tokens").orElseThrow();
        assertThat(head.b()).isEqualTo(embed.input(0));
        assertThat(gemma.op("model.layers.0.post_feedforward_layernorm")).isPresent();
        assertThat(gemma.op("lm_head.softcap.tanh")).isPresent();

        assertThat(zoo.get("qwen2-0.5b").decodeStep(8).op("model.layers.0.self_attn.q_proj").orElseThrow().inputs()).hasSize(3);
        assertThat(zoo.get("llama3-8b").decodeStep(8).op("model.layers.0.self_attn.q_proj").orElseThrow().inputs()).hasSize(2);
    }

    @Test
    void weightsAreInt8PerChannelAndBytesScaleWithTheDatatype() {
        LlmConfig c = zoo.get("llama3-8b").llm();
        assertThat(c.weightBytes(DType.INT8)).isEqualTo(c.params());
        assertThat(c.weightBytes(DType.FP16)).isEqualTo(2 * c.params());
        assertThat(c.weightBytes(DType.INT4)).isEqualTo((c.params() + 1) / 2);
        MatMul q = (MatMul) zoo.get("llama3-8b").decodeStep(8).op("model.layers.0.self_attn.q_proj").orElseThrow();
        assertThat(q.b().quant().perAxis()).isTrue();
        assertThat(q.b().dtype()).isEqualTo(DType.INT8);
        assertThat(c.kvCacheBytes(1, DType.FP16)).isEqualTo(2L * 32 * 8 * 128 * 2);
    }

    @Test
    void linearParamsPerLayerFollowTheConfig() {
        LlmConfig llama = LlmConfigs.LLAMA3_8B;
        assertThat(llama.linearParamsPerLayer()).isEqualTo(4096L * (4096 + 2 * 1024) + 4096L * 4096 + 3L * 4096 * 14336);
        LlmConfig qwen = LlmConfigs.QWEN2_0_5B;
        assertThat(qwen.linearParamsPerLayer() - qwen.attentionWeightsPerLayer() - qwen.ffnWeightsPerLayer()).isEqualTo(896 + 2 * 128);
    }
}
