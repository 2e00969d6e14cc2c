package io.npusim.system.verdicts;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.system.Runner;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, "Done when": in camera-and-chat (its full 60 s), under proposed, the camera drops no
 * frame and its p99 stays under its 33.3 ms deadline, while the chat decodes at least 95% as fast
 * as under rknpu.
 */
class DoneWhenTest {
    @Test
    void proposedKeepsTheCameraOnTimeAndTheChatAtLeastAsFastAsRknpu() {
        RunResult proposed = Runner.run(RunSpec.of("camera-and-chat", Policy.PROPOSED));
        RunResult rknpu = Runner.run(RunSpec.of("camera-and-chat", Policy.RKNPU));
        assertThat(Verdicts.dbl(proposed.summary(), "simulated_s")).isEqualTo(60.0);
        Map<String, Object> camera = Verdicts.latencyClient(proposed.summary());
        assertThat(camera.get("name")).isEqualTo("camera");
        assertThat(Verdicts.lng(camera, "dropped_frames")).isZero();
        assertThat(Verdicts.lng(camera, "deadline_misses")).isZero();
        assertThat(Verdicts.dbl(camera, "latency_ms", "p99")).isLessThan(33.3);
        assertThat(Verdicts.lng(camera, "inferences")).isEqualTo(1800);
        double chat = Verdicts.dbl(Verdicts.client(proposed.summary(), "llm"), "decode_tokens_per_s");
        double vendor = Verdicts.dbl(Verdicts.client(rknpu.summary(), "llm"), "decode_tokens_per_s");
        assertThat(vendor).isPositive();
        assertThat(chat).isGreaterThanOrEqualTo(0.95 * vendor);
    }
}
