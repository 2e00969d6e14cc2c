package io.npusim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltInScenariosCliTest {

    @Test
    void scenariosListsEveryBuiltInOnOneLineEach() {
        CliTest.Out o = CliTest.cli("scenarios");
        assertThat(o.code()).isZero();
        List<String> lines = o.out().strip().lines().toList();
        assertThat(lines).hasSize(ScenarioLoader.BUILT_INS.size());
        for (int i = 0; i < lines.size(); i++) {
            String name = ScenarioLoader.BUILT_INS.get(i);
            assertThat(lines.get(i)).startsWith(name + " ");
            String first = lines.get(i).substring(name.length()).strip();
            assertThat(first).as("the first sentence of %s's description", name).isNotEmpty().endsWith(".").doesNotContain(". ");
            assertThat(first.length()).as("%s's line", name).isLessThan(200);
        }
        assertThat(o.out()).contains("multi-camera").contains("contention-pinned").contains("audio-and-chat");
    }

    @Test
    void compareRunsTheAudioScenarioUnderEveryPolicyWithAudioClients(@TempDir Path tmp) throws Exception {
        CliTest.Out o = CliTest.cli("compare", "audio-and-chat", "--duration", "5", "--json", "--quiet", "--trace", "none",
                "--out", tmp.toString());
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode runs = new ObjectMapper().readTree(o.out()).get("runs");
        assertThat(runs.size()).isEqualTo(3); // rocket, rknpu, proposed
        for (JsonNode r : runs) {
            JsonNode asr = r.get("clients").get(0);
            assertThat(asr.get("name").asText()).isEqualTo("asr");
            assertThat(asr.get("kind").asText()).isEqualTo("audio");
            assertThat(asr.has("dropped_frames") && asr.has("deadline_misses")).isTrue();
            assertThat(asr.has("failure")).isFalse();
            assertThat(r.get("clients").get(1).get("kind").asText()).isEqualTo("llm");
            if (r.get("policy").asText().equals("rknpu")) {
                // the first window arrives after 2 s of audio and takes well under 2 s on the vendor stack
                assertThat(asr.get("inferences").asLong()).isBetween(1L, 2L);
                assertThat(asr.get("breakdown_ms").get("npu_compute").asDouble()).isPositive();
            }
        }
    }
}
