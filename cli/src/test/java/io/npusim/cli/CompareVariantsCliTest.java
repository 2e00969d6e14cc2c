package io.npusim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npusim.cli.CliTest.Out;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** npusim compare --variants: policy variants side by side in one table, result folder and report. */
class CompareVariantsCliTest {

    @Test
    void eachVariantIsOneLabelledRunInTheTableTheSummaryTheCsvTheReportAndTheTrace(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("r");
        Out o = CliTest.cli("compare", "vision-single", "--model", "mobilenet_v1", "--duration", "0.2", "--quiet", "--out", dir.toString(),
                "--variants", "rocket,rocket+hw_task_chaining,rocket+keep_iommu_attached+npu_mhz=1000,rknpu");
        assertThat(o.code()).as(o.err()).isZero();
        List<String> labels = List.of("rocket", "rocket+hw_task_chaining", "rocket+keep_iommu_attached+npu_mhz=1000", "rknpu");

        JsonNode runs = new ObjectMapper().readTree(Files.readString(dir.resolve("summary.json"))).get("runs");
        assertThat(runs).hasSize(4);
        List<String> variants = new ArrayList<>();
        for (JsonNode r : runs) variants.add(r.get("variant").asText());
        assertThat(variants).containsExactlyElementsOf(labels);
        // policy stays the base policy; the switches are in the resolved config
        assertThat(runs.get(1).get("policy").asText()).isEqualTo("rocket");
        assertThat(runs.get(3).get("policy").asText()).isEqualTo("rknpu");
        assertThat(runs.get(0).get("config").get("rocket.hw_task_chaining").asBoolean()).isFalse();
        assertThat(runs.get(1).get("config").get("rocket.hw_task_chaining").asBoolean()).isTrue();
        assertThat(runs.get(2).get("npu").get("npu_mhz").asInt()).isEqualTo(1000);
        // the per-inference counts the switches move
        assertThat(runs.get(1).get("kernel").get("irqs_per_inference").asDouble()).isLessThan(runs.get(0).get("kernel").get("irqs_per_inference").asDouble());
        assertThat(runs.get(2).get("npu").get("iommu").get("attaches_per_inference").asDouble()).isLessThan(0.1);
        assertThat(runs.get(0).get("npu").get("iommu").get("attaches_per_inference").asDouble()).isGreaterThan(10);

        // the terminal table: one row per variant, with the gap to rknpu and the per-inference counts
        for (String l : labels) assertThat(o.out()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(l) + " +bench ");
        assertThat(o.out()).contains("gap closed").contains("IOMMU attaches").contains("irqs");

        String csv = Files.readString(dir.resolve("metrics.csv"));
        assertThat(csv).startsWith("policy,variant,client,metric,value,unit\n");
        assertThat(csv).contains("rocket,rocket+hw_task_chaining,bench,latency_mean,").contains("rocket,rocket+hw_task_chaining,-,irqs_per_inference,")
                .contains("rocket,rocket+keep_iommu_attached+npu_mhz=1000,-,iommu_attaches_per_inference,").contains("rknpu,rknpu,bench,");
        String html = Files.readString(dir.resolve("report.html"));
        for (String l : labels) assertThat(html).contains(l);
        String trace = Files.readString(dir.resolve("trace.json"));
        for (String l : labels) assertThat(trace).contains("[" + l + "]");
    }

    @Test
    void upstreamPatchesRunsRocketEachSwitchAloneAndAllTogether(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("u");
        Out o = CliTest.cli("compare", "vision-single", "--model", "mobilenet_v1", "--duration", "0.1", "--quiet", "--trace", "none",
                "--json", "--out", dir.toString(), "--variants", "upstream-patches");
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode runs = new ObjectMapper().readTree(o.out()).get("runs");
        List<String> variants = new ArrayList<>();
        for (JsonNode r : runs) variants.add(r.get("variant").asText());
        assertThat(variants).containsExactly("rocket", "rocket+keep_iommu_attached", "rocket+hw_task_chaining", "rocket+submit_errors",
                "rocket+fair_sched", "rocket+devfreq", "rocket+npu_mhz=1000", "rocket+multi_entity", "rocket+all");
    }

    @Test
    void anUnknownSwitchIsOneLineListingTheKnownOnesAndExitsTwo() {
        Out o = CliTest.cli("compare", "vision-single", "--variants", "rocket,rocket+keep_iommu");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip().lines().count()).isEqualTo(1);
        assertThat(o.err()).contains("keep_iommu").contains("keep_iommu_attached").contains("hw_task_chaining").contains("devfreq")
                .contains("npu_mhz").doesNotContain("Exception");
        Out p = CliTest.cli("compare", "vision-single", "--variants", "rocket+npu_mhz=650");
        assertThat(p.code()).isEqualTo(2);
        assertThat(p.err().strip().lines().count()).isEqualTo(1);
        assertThat(p.err()).contains("650").contains("1000");
    }

    @Test
    void plainRunsKeepTheirSummaryWithoutAVariantField(@TempDir Path tmp) throws Exception {
        Out o = CliTest.cli("compare", "vision-single", "--duration", "0.1", "--quiet", "--trace", "none", "--json", "--out", tmp.toString(),
                "--policies", "rocket,rknpu");
        assertThat(o.code()).as(o.err()).isZero();
        for (JsonNode r : new ObjectMapper().readTree(o.out()).get("runs")) assertThat(r.has("variant")).isFalse();
    }
}
