package io.npusim.workloads.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.npusim.core.UserError;
import io.npusim.workloads.graph.Conv2d;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.Shape;
import io.npusim.workloads.graph.Tensor;

import org.junit.jupiter.api.Test;

class WhisperTest {

    private final ModelSpec spec = new ModelZoo().get("whisper_base");

    @Test
    void encoderTurns2000MelFramesInto1000PositionsAndHandsOverCrossKv() {
        Graph enc = spec.encoder();
        GraphChecks.assertTopological(enc);
        assertThat(enc.inputs().get(0).shape()).isEqualTo(Shape.of(1, 80, 1, 2000));
        assertThat(enc.ops(Conv2d.class)).hasSize(2);
        assertThat(enc.op("encoder.conv2").orElseThrow().output().shape()).isEqualTo(Shape.of(1, 512, 1, 1000));
        assertThat(enc.outputs()).hasSize(12).allSatisfy(t -> {
            assertThat(t.role()).isEqualTo(Tensor.Role.KV_CACHE);
            assertThat(t.shape()).isEqualTo(Shape.of(8, 1000, 64));
        });
        assertThat(enc.tensors()).filteredOn(t -> !t.isConstant() && t.role() != Tensor.Role.INPUT && t.dtype() != DType.FP16).isEmpty();
        assertThat(spec.gmacs()).isEqualTo(enc.totalMacs() / 1e9);
    }

    @Test
    void paramsMatchHuggingFaceWithin3PercentAndTheGraphsCountTheSame() {
        // Hugging Face whisper-base: 72.59 M, which includes the encoder's fixed 1500x512 sinusoid table as a parameter.
        assertThat(spec.params() / 1e6).isCloseTo(72.59, within(72.59 * 0.03));
        assertThat(spec.params() + 1500L * 512).isEqualTo(72_593_920L);
        assertThat(spec.encoder().totalParams() + spec.decodeStep(10).totalParams()).isEqualTo(spec.params());
    }

    @Test
    void decoderStepsAttendToTheirContextAndAllEncoderPositions() {
        Graph step = spec.decodeStep(32);
        GraphChecks.assertTopological(step);
        assertThat(step.op("decoder.blocks.0.attn.qk").orElseThrow().output().shape()).isEqualTo(Shape.of(8, 1, 32));
        assertThat(step.op("decoder.blocks.0.cross_attn.qk").orElseThrow().output().shape()).isEqualTo(Shape.of(8, 1, 1000));
        assertThat(step.outputs().get(0).shape()).isEqualTo(Shape.of(1, 51865));
        long grow = spec.decodeStep(64).totalMacs() - step.totalMacs();
        assertThat(grow).isEqualTo(6L * 2 * 512 * (64 - 32));
        assertThatThrownBy(() -> spec.decodeStep(449)).isInstanceOf(UserError.class).hasMessageContaining("448");
    }
}
