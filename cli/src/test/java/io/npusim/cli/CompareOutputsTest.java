package io.npusim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npusim.traces.perfetto.TraceValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result folder of `compare camera-and-chat` is one story told four ways: the table on the
 * terminal, summary.json, metrics.csv and trace.json must agree with each other (issue 8).
 */
class CompareOutputsTest {
    @TempDir
    static Path dir;
    static String table;
    static JsonNode summary;
    static List<String> csv;
    static JsonNode trace;

    @BeforeAll
    static void run() throws Exception {
        CliTest.Out o = CliTest.cli("compare", "camera-and-chat", "--duration", "1", "--quiet", "--out", dir.toString());
        assertThat(o.code()).as(o.err()).isZero();
        table = o.out();
        ObjectMapper m = new ObjectMapper();
        summary = m.readTree(dir.resolve("summary.json").toFile());
        csv = Files.readAllLines(dir.resolve("metrics.csv"));
        trace = m.readTree(dir.resolve("trace.json").toFile());
    }

    @Test
    void everyPolicyRanOnTheSameSeed() {
        assertThat(summary.get("runs")).hasSize(3);
        for (JsonNode r : summary.get("runs")) assertThat(r.get("seed").asLong()).isEqualTo(summary.get("runs").get(0).get("seed").asLong());
    }

    @Test
    void csvAndJsonCarryTheSameValues() {
        Map<String, String> rows = new HashMap<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",", -1);
            rows.put(f[1] + "|" + f[2] + "|" + f[3], f[4]);
        }
        int checked = 0;
        for (JsonNode r : summary.get("runs")) {
            String v = r.has("variant") ? r.get("variant").asText() : r.get("policy").asText();
            for (JsonNode c : r.get("clients")) {
                String k = v + "|" + c.get("name").asText() + "|";
                assertThat(Double.parseDouble(rows.get(k + "latency_p99"))).isEqualTo(c.get("latency_ms").get("p99").asDouble());
                assertThat(Double.parseDouble(rows.get(k + "latency_mean"))).isEqualTo(c.get("latency_ms").get("mean").asDouble());
                assertThat(Long.parseLong(rows.get(k + "inferences"))).isEqualTo(c.get("inferences").asLong());
                for (var e : (Iterable<Map.Entry<String, JsonNode>>) c.get("breakdown_ms")::fields) {
                    assertThat(Double.parseDouble(rows.get(k + "breakdown_" + e.getKey()))).isEqualTo(e.getValue().asDouble());
                }
                checked++;
            }
            assertThat(Long.parseLong(rows.get(v + "|-|irqs"))).isEqualTo(r.get("kernel").get("irqs").asLong());
        }
        assertThat(checked).isEqualTo(6);
    }

    @Test
    void theTableShowsTheJsonFigures() {
        for (JsonNode r : summary.get("runs")) {
            for (JsonNode c : r.get("clients")) {
                String p99 = c.get("latency_ms").get("p99").asText();
                assertThat(table).as("p99 of %s under %s", c.get("name").asText(), r.get("policy").asText()).contains(p99);
            }
            assertThat(table).contains(r.get("kernel").get("jobs_submitted").asText());
        }
    }

    @Test
    void breakdownPartsSumToTheMeanLatencyForEveryClient() {
        for (JsonNode r : summary.get("runs")) {
            for (JsonNode c : r.get("clients")) {
                if (c.get("inferences").asLong() == 0) continue;
                double sum = 0;
                for (JsonNode v : c.get("breakdown_ms")) sum += v.asDouble();
                assertThat(sum).isCloseTo(c.get("latency_ms").get("mean").asDouble(), within(0.002 * Math.max(1, sum)));
            }
        }
    }

    @Test
    void traceIsValidSlicesNestAndTaskSlicesAddUpToCoreBusyTime() throws Exception {
        TraceValidator v = TraceValidator.validate(dir.resolve("trace.json"));
        assertThat(v.problems()).isEmpty();
        assertThat(trace.get("otherData").get("events_dropped").asLong()).as("the 1 s run fits under the cap").isZero();
        Map<Long, String> process = new HashMap<>();
        for (JsonNode e : trace.get("traceEvents")) {
            if ("M".equals(e.path("ph").asText()) && "process_name".equals(e.path("name").asText())) process.put(e.get("pid").asLong(), e.get("args").get("name").asText());
        }
        Map<String, Double> busyUs = new HashMap<>();
        for (JsonNode e : trace.get("traceEvents")) {
            if (!"X".equals(e.path("ph").asText())) continue;
            assertThat(e.has("dur")).isTrue();
            if (!"npu.task".equals(e.path("cat").asText())) continue;
            busyUs.merge(process.get(e.get("pid").asLong()), e.get("dur").asDouble(), Double::sum);
        }
        for (JsonNode r : summary.get("runs")) {
            double simUs = r.get("simulated_s").asDouble() * 1e6;
            for (int core = 0; core < 3; core++) {
                double busyPct = r.get("npu").get("core_busy_pct").get(core).asDouble();
                double fromTrace = busyUs.getOrDefault("NPU core " + core + " [" + r.get("policy").asText() + "]", 0.0);
                assertThat(fromTrace / simUs * 100).as("core %d under %s", core, r.get("policy").asText()).isCloseTo(busyPct, within(0.02));
            }
        }
    }
}
