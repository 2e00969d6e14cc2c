package io.npusim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npusim.cli.CliTest.Out;
import org.junit.jupiter.api.Test;

/** npusim verdicts and npusim ablation: output shape, JSON, user errors (short runs). */
class VerdictsCliTest {
    @Test
    void verdictsPrintsATableWithVerdictsFiguresAndCommands() {
        Out o = CliTest.cli("verdicts", "--quick", "--rows", "llm,isolation");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("property", "rocket", "rknpu", "proposed")
                .contains("LLM viability", "~ constrained", "+ works")
                .contains("isolation between processes", "- leaks", "+ isolated")
                .contains("rule: ")
                .contains("$ ./npusim run llm-chat --policy rknpu --duration 5")
                .contains("$ ./npusim verdicts --rows isolation")
                .contains("shortened with --quick")
                .doesNotContain("job model");
    }

    @Test
    void verdictsJsonHasEveryCellWithItsNumbers() throws Exception {
        Out o = CliTest.cli("verdicts", "--quick", "--rows", "persistence", "--json");
        assertThat(o.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(o.out());
        JsonNode row = j.get("rows").get(0);
        assertThat(row.get("row").asText()).isEqualTo("persistence");
        assertThat(row.get("rule").asText()).contains("job_overhead");
        JsonNode rocket = row.get("cells").get("rocket");
        assertThat(rocket.get("verdict").asText()).isEqualTo("none");
        assertThat(rocket.get("level").asText()).isEqualTo("poor");
        assertThat(rocket.get("numbers").get("iommu_attaches_per_token").asDouble()).isGreaterThan(1);
        assertThat(row.get("cells").get("proposed").get("verdict").asText()).isEqualTo("managed residency");
        assertThat(j.get("durations").get("llm_chat_s").asDouble()).isEqualTo(5.0);
    }

    @Test
    void verdictsJsonDoesNotDependOnThePool() {
        Out one = CliTest.cli("verdicts", "--quick", "--rows", "llm", "--json", "--threads", "1");
        Out two = CliTest.cli("verdicts", "--quick", "--rows", "llm", "--json", "--threads", "2");
        assertThat(one.code()).isZero();
        assertThat(one.out()).isNotBlank().isEqualTo(two.out());
    }

    @Test
    void anUnknownRowIsAUserError() {
        Out o = CliTest.cli("verdicts", "--rows", "speed");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("unknown verdict row 'speed'").contains("job-model");
    }

    @Test
    void ablationPrintsEveryMechanismWithItsShares() throws Exception {
        Out o = CliTest.cli("ablation", "camera-and-chat", "--duration", "3");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("ablation of camera-and-chat, 3 simulated s")
                .contains("preemption", "keep_iommu_attached", "variant_choice", "without sram_by_class @956 KiB SRAM", "explicit_sync", "residency",
                        "batch_tasks", "all of them", "proposed with every mechanism off")
                .contains("tok/s vs rknpu")
                .contains("$ ./npusim compare camera-and-chat --duration 3 --trace none --variants rknpu,rocket,proposed,");
        Out j = CliTest.cli("ablation", "--duration", "3", "--json");
        JsonNode doc = new ObjectMapper().readTree(j.out());
        assertThat(doc.get("scenario").asText()).isEqualTo("camera-and-chat");
        assertThat(doc.get("mechanisms")).hasSize(8);
        assertThat(doc.get("mechanisms").get(0).get("switched_off_by").get(0).asText()).isEqualTo("proposed.preemption=false");
        assertThat(doc.get("baselines").get("rknpu").get("chat_decode_tokens_per_s").asDouble()).isPositive();
    }
}
