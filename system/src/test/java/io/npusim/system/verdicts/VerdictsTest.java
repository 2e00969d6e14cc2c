package io.npusim.system.verdicts;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.system.spec.Policy;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole table on short runs ({@link Verdicts.Durations#QUICK}): the verdicts the rules compute
 * from fresh runs, and that each cell's figure, numbers and commands agree with its verdict.
 */
class VerdictsTest {
    private static Verdicts.Result quick;

    @BeforeAll
    static void runOnce() {
        quick = Verdicts.run(EnumSet.allOf(Verdicts.Row.class), Verdicts.Durations.QUICK, 2);
    }

    private static Map<Verdicts.Row, Map<Policy, Verdicts.Cell>> table() {
        Map<Verdicts.Row, Map<Policy, Verdicts.Cell>> m = new LinkedHashMap<>();
        for (Verdicts.RowResult r : quick.rows()) m.put(r.row(), r.cells());
        return m;
    }

    private static List<String> labels(Verdicts.Row row) {
        Map<Policy, Verdicts.Cell> c = table().get(row);
        return Verdicts.POLICIES.stream().map(p -> c.get(p).verdict().label()).toList();
    }

    @Test
    void everyRowHasACellPerPolicyInTableOrder() {
        assertThat(quick.rows()).extracting(Verdicts.RowResult::row).containsExactly(Verdicts.Row.values());
        for (Verdicts.RowResult r : quick.rows()) {
            assertThat(r.cells().keySet()).containsExactlyElementsOf(Verdicts.POLICIES);
            assertThat(r.rule()).isNotBlank();
            for (Verdicts.Cell c : r.cells().values()) {
                assertThat(c.figure()).isNotBlank();
                assertThat(c.brief()).isNotBlank();
                assertThat(c.numbers()).isNotEmpty();
                assertThat(c.commands()).isNotEmpty().allSatisfy(cmd -> assertThat(cmd).startsWith("./npusim "));
            }
        }
    }

    @Test
    void theVerdictsComputedFromShortRuns() {
        // columns: rocket, rknpu, proposed
        assertThat(labels(Verdicts.Row.JOB_MODEL)).containsExactly("ioctl-only", "ioctl-only", "explicit jobs");
        assertThat(labels(Verdicts.Row.SRAM)).containsExactly("invisible", "explicit", "explicit");
        // rknpu maps every buffer once and its per-job kernel path is ~2% of a decode token: by the
        // rule it qualifies as managed residency as the proposed driver does
        assertThat(labels(Verdicts.Row.PERSISTENCE)).containsExactly("none", "managed residency", "managed residency");
        assertThat(labels(Verdicts.Row.SCHEDULING)).containsExactly("userspace", "userspace", "driver");
        assertThat(labels(Verdicts.Row.VISION_SOUND)).containsExactly("fails", "works", "works");
        assertThat(labels(Verdicts.Row.LLM)).containsExactly("constrained", "works", "works");
        assertThat(labels(Verdicts.Row.ISOLATION)).containsExactly("isolated", "leaks", "isolated");
    }

    @Test
    void eachVerdictFollowsFromItsOwnNumbersByTheRules() {
        // recompute every verdict from the numbers the cell reports: nothing is written in
        var t = table();
        for (Policy p : Verdicts.POLICIES) {
            Map<String, Object> n = t.get(Verdicts.Row.JOB_MODEL).get(p).numbers();
            assertThat(t.get(Verdicts.Row.JOB_MODEL).get(p).verdict().label())
                    .isEqualTo(VerdictRules.jobModel(d(n, "cores_per_job")).label());
            n = t.get(Verdicts.Row.SRAM).get(p).numbers();
            assertThat(t.get(Verdicts.Row.SRAM).get(p).verdict().label()).isEqualTo(VerdictRules.sram(d(n, "sram_kb_held"),
                    d(n, "camera_ddr_mb_per_frame_without"), d(n, "camera_ddr_mb_per_frame_with")).label());
            n = t.get(Verdicts.Row.PERSISTENCE).get(p).numbers();
            assertThat(t.get(Verdicts.Row.PERSISTENCE).get(p).verdict().label()).isEqualTo(VerdictRules.persistence(
                    d(n, "iommu_attaches_per_token"), d(n, "job_overhead_ms_per_token"), d(n, "token_ms")).label());
            n = t.get(Verdicts.Row.LLM).get(p).numbers();
            assertThat(t.get(Verdicts.Row.LLM).get(p).verdict().label())
                    .isEqualTo(VerdictRules.llm((long) d(n, "tokens"), d(n, "decode_tokens_per_s"), d(n, "ttft_ms")).label());
            n = t.get(Verdicts.Row.ISOLATION).get(p).numbers();
            assertThat(t.get(Verdicts.Row.ISOLATION).get(p).verdict().label())
                    .isEqualTo(VerdictRules.isolation((long) d(n, "iommu_faults"), (long) d(n, "foreign_accesses")).label());
        }
        // the figures the brief asks for are there: chat keeps less than 60% beside the camera under rknpu, more under proposed
        assertThat(d(t.get(Verdicts.Row.SCHEDULING).get(Policy.RKNPU).numbers(), "chat_retained")).isLessThan(0.6);
        assertThat(d(t.get(Verdicts.Row.SCHEDULING).get(Policy.PROPOSED).numbers(), "chat_retained")).isGreaterThan(0.6);
        assertThat(d(t.get(Verdicts.Row.SRAM).get(Policy.PROPOSED).numbers(), "camera_ddr_mb_saved_per_frame")).isGreaterThan(10);
    }

    @Test
    void commandsNameTheShortenedDurations() {
        Verdicts.Cell llm = table().get(Verdicts.Row.LLM).get(Policy.RKNPU);
        assertThat(llm.commands()).containsExactly("./npusim run llm-chat --policy rknpu --duration 5");
        assertThat(Verdicts.command(Verdicts.Run.LLM_CHAT, Policy.RKNPU, Verdicts.Durations.STANDARD)).isEqualTo("./npusim run llm-chat --policy rknpu");
        assertThat(Verdicts.command(Verdicts.Run.CAMERA_CHAT_SRAM, Policy.ROCKET, Verdicts.Durations.STANDARD))
                .isEqualTo("./npusim run camera-and-chat --policy rocket --sram-kb 956");
        assertThat(Verdicts.command(Verdicts.Run.CAMERA_ALONE, Policy.PROPOSED, Verdicts.Durations.STANDARD))
                .isEqualTo("./npusim run docs/lessons/scenarios/camera-alone.yaml --policy proposed");
    }

    @Test
    void theCameraAloneFileIsTheBuiltInCameraWithoutTheChat() {
        Scenario file = new ScenarioLoader().load("../docs/lessons/scenarios/camera-alone.yaml");
        Scenario derived = Verdicts.cameraAlone();
        assertThat(file.clients()).isEqualTo(derived.clients());
        assertThat(file.duration()).isEqualTo(derived.duration());
        assertThat(file.seedOrDefault()).isEqualTo(derived.seedOrDefault());
    }

    private static double d(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).doubleValue();
    }
}
