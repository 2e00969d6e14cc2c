package io.npusim.workloads.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.core.UserError;
import org.junit.jupiter.api.Test;

class ModelZooTest {

    private final ModelZoo zoo = new ModelZoo();

    @Test
    void namesComeInFixedOrderVisionAudioLlm() {
        assertThat(zoo.names()).containsExactly(
                "mobilenet_v1", "mobilenet_v2", "resnet50", "yolov5n", "yolov5s", "yolov5m", "yolov5s_relu",
                "yolov8n", "yolov8s", "yolov8m", "deeplabv3", "ssd_mobilenet_v1",
                "whisper_base",
                "qwen2-0.5b", "qwen2-1.5b", "qwen2.5-1.5b", "deepseek-r1-distill-qwen-1.5b", "qwen3-0.6b",
                "tinyllama-1.1b", "internlm2-1.8b", "gemma2-2b", "phi3-3.8b", "chatglm3-6b", "llama3-8b");
        int lastKind = -1;
        for (String n : zoo.names()) {
            int kind = zoo.get(n).kind().ordinal();
            assertThat(kind).as(n).isGreaterThanOrEqualTo(lastKind);
            lastKind = kind;
        }
    }

    @Test
    void anUnknownModelIsAOneLineUserErrorListingTheChoices() {
        assertThatThrownBy(() -> zoo.get("yolov9"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("unknown model 'yolov9'")
                .hasMessageContaining("yolov8n")
                .hasMessageContaining("llama3-8b")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void askingAModelForAGraphOfTheWrongKindIsAUserError() {
        assertThatThrownBy(() -> zoo.get("resnet50").llm()).isInstanceOf(UserError.class).hasMessageContaining("vision");
        assertThatThrownBy(() -> zoo.get("resnet50").decodeStep(16)).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> zoo.get("qwen2-0.5b").encoder()).isInstanceOf(UserError.class).hasMessageContaining("LLM");
        assertThatThrownBy(() -> zoo.get("whisper_base").prefill(8)).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> zoo.get("qwen2-0.5b").decodeStep(0)).isInstanceOf(UserError.class).hasMessageContaining("at least 1");
    }

    @Test
    void inputDescriptionsSayWhatOneInferenceConsumes() {
        assertThat(zoo.get("yolov5s").inputDescription()).isEqualTo("1x3x640x640 uint8");
        assertThat(zoo.get("mobilenet_v2").inputDescription()).isEqualTo("1x3x224x224 uint8");
        assertThat(zoo.get("deeplabv3").inputDescription()).isEqualTo("1x3x513x513 uint8");
        assertThat(zoo.get("ssd_mobilenet_v1").inputDescription()).isEqualTo("1x3x300x300 uint8");
        assertThat(zoo.get("whisper_base").inputDescription()).startsWith("1x80x2000 fp16");
        assertThat(zoo.get("llama3-8b").inputDescription()).isEqualTo("128-token context");
    }

    @Test
    void graphsAreCachedPerZooInstanceNotAcrossInstances() {
        ModelSpec spec = zoo.get("qwen2-0.5b");
        assertThat(zoo.get("qwen2-0.5b")).isSameAs(spec);
        assertThat(spec.decodeStep(64)).isSameAs(spec.decodeStep(64));
        assertThat(spec.decodeStep(64)).isNotSameAs(spec.decodeStep(65));
        assertThat(zoo.get("resnet50").graph()).isSameAs(zoo.get("resnet50").graph());
        assertThat(new ModelZoo().get("resnet50").graph()).isNotSameAs(zoo.get("resnet50").graph());
    }

    @Test
    void llmSpecsQuoteGmacsPerTokenAtA128TokenContext() {
        ModelSpec spec = zoo.get("tinyllama-1.1b");
        assertThat(spec.gmacs() * 1e9).isEqualTo((double) spec.llm().macsPerDecodedToken(128));
        assertThat(spec.graph().totalMacs()).isEqualTo(spec.llm().macsPerDecodedToken(128));
        assertThat(spec.params()).isEqualTo(spec.llm().params());
    }
}
