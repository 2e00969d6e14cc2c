package io.npusim.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.core.UserError;
import io.npusim.core.account.Part;
import io.npusim.core.trace.TraceSink;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.workloads.arrival.AudioClient;
import io.npusim.workloads.arrival.Client;
import io.npusim.workloads.arrival.ClientStats;
import io.npusim.workloads.scenario.Arrival;
import io.npusim.workloads.scenario.ClientSpec;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in scenario runs end to end, for a short time, under the vendor and the upstream policy. */
class BuiltInScenariosRunTest {

    static Stream<Arguments> runs() {
        List<Arguments> a = new ArrayList<>();
        for (String s : ScenarioLoader.BUILT_INS) for (Policy p : List.of(Policy.RKNPU, Policy.ROCKET)) a.add(Arguments.of(s, p));
        return a.stream();
    }

    /** Three simulated seconds (rocket's first token takes 1.5 s), or enough for a slow policy to finish one audio window after the first period. */
    private static double duration(Scenario s) {
        double d = 3.0;
        for (ClientSpec c : s.clients()) if (c.arrival() instanceof Arrival.Audio au) d = Math.max(d, au.periodS() + 4.0);
        return d;
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("runs")
    @SuppressWarnings("unchecked")
    void runsShortAndEveryClientWorksOrSaysWhyNot(String name, Policy policy) {
        Scenario scenario = new ScenarioLoader().load(name);
        double seconds = duration(scenario);
        RunResult r = Runner.run(RunSpec.of(name, policy).withDuration(seconds), scenario, TraceSink.NONE);

        int expected = 0;
        for (ClientSpec c : scenario.clients()) expected += c.count();
        List<Client> clients = r.board().clients();
        assertThat(clients).hasSize(expected);
        List<Map<String, Object>> summaries = (List<Map<String, Object>>) r.summary().get("clients");
        assertThat(summaries).hasSize(expected);

        for (Client c : clients) {
            ClientStats st = c.stats();
            assertThat(st.requests() > 0 || st.failure() != null).as("%s produced requests or a failure", c.name()).isTrue();
            // the breakdown parts of every request sum to its latency
            long parts = 0;
            for (long p : st.breakdownPs()) parts += p;
            assertThat(parts).as("%s breakdown", c.name()).isEqualTo(st.latency().sumPs());
            if (c instanceof AudioClient a) {
                assertThat(st.requests() + st.dropped()).isLessThanOrEqualTo(a.windows());
                assertThat(st.tokens()).isEqualTo(st.requests() * tokensPerWindow(scenario, r));
                long npu = st.breakdownPs()[Part.NPU_COMPUTE.ordinal()];
                if (policy == Policy.ROCKET) {
                    // no FP16 path upstream: Teflon delegates nothing, the CPU runs the whole model
                    assertThat(npu).isZero();
                    assertThat(a.encoder().allocatedBytes() + a.decoder().allocatedBytes()).isZero();
                } else {
                    assertThat(npu).isPositive();
                }
            }
        }
        for (ClientSpec cs : scenario.clients()) {
            if (!(cs.arrival() instanceof Arrival.Camera cam)) continue;
            for (Client c : clients) {
                if (!c.name().startsWith(cs.name())) continue;
                // every frame is served or dropped, at most one per period
                assertThat(c.stats().requests() + c.stats().dropped()).isLessThanOrEqualTo((long) Math.ceil(cam.fps() * seconds) + 1);
            }
        }
        if (name.equals("contention-pinned") && policy == Policy.RKNPU) {
            // one process pinned to each core: all three cores work
            List<Double> busy = (List<Double>) ((Map<String, Object>) r.summary().get("npu")).get("core_busy_pct");
            assertThat(busy).hasSize(3).allSatisfy(b -> assertThat(b).isGreaterThan(10.0));
        }
    }

    @Test
    void audioClientMistakesAreOneLineUserErrors() {
        assertThatThrownBy(() -> runYaml("model: whisper_base\n    arrival: {type: closed_loop}"))
                .isInstanceOf(UserError.class).hasMessageContaining("needs an audio arrival");
        assertThatThrownBy(() -> runYaml("model: whisper_base\n    arrival: {type: audio, window_s: 30, period_s: 5}"))
                .isInstanceOf(UserError.class).hasMessageContaining("window_s 30.0 is longer than whisper_base's 20.0 s window");
        assertThatThrownBy(() -> runYaml("model: whisper_base\n    dtype: int8\n    arrival: {type: audio, window_s: 20, period_s: 5}"))
                .isInstanceOf(UserError.class).hasMessageContaining("valid: fp16");
        assertThatThrownBy(() -> runYaml("model: whisper_base\n    arrival: {type: audio, window_s: 20, period_s: 5, tokens_per_window: 500}"))
                .isInstanceOf(UserError.class).hasMessageContaining("448");
        assertThatThrownBy(() -> runYaml("model: mobilenet_v1\n    arrival: {type: audio, window_s: 20, period_s: 5}"))
                .isInstanceOf(UserError.class).hasMessageContaining("camera or closed_loop");
    }

    private static RunResult runYaml(String client) {
        String yaml = "name: t\nclients:\n  - name: asr\n    " + client + "\n";
        Scenario s = new ScenarioLoader().parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t.yaml");
        return Runner.run(RunSpec.of("t.yaml", Policy.RKNPU).withDuration(0.1), s, TraceSink.NONE);
    }

    private static long tokensPerWindow(Scenario s, RunResult r) {
        for (ClientSpec c : s.clients()) {
            if (c.arrival() instanceof Arrival.Audio a) return a.tokens(r.board().params().positive("audio.speech_tokens_per_s", "tokens/s"));
        }
        throw new IllegalStateException("no audio client");
    }
}
