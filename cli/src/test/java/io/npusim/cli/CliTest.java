package io.npusim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    record Out(int code, String out, String err) {}

    static Out cli(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.execute(args, new PrintWriter(o), new PrintWriter(e));
        return new Out(code, o.toString(), e.toString());
    }

    @Test
    void sameSeedPrintsTheSameBytes(@TempDir Path tmp) throws Exception {
        String[] args = {"run", "vision-single", "--model", "mobilenet_v1", "--policy", "rknpu", "--json", "--seed", "7",
                "--duration", "0.2", "--out", tmp.resolve("a").toString()};
        Out a = cli(args);
        args[args.length - 1] = tmp.resolve("b").toString();
        Out b = cli(args);
        assertThat(a.code()).isZero();
        assertThat(a.out()).isNotBlank().isEqualTo(b.out());
        assertThat(Files.readString(tmp.resolve("a/summary.json"))).isEqualTo(Files.readString(tmp.resolve("b/summary.json")));
        assertThat(Files.readString(tmp.resolve("a/summary.json"))).doesNotContain("wall_s");
        assertThat(Files.readString(tmp.resolve("a/run-info.json"))).contains("wall_s");
        JsonNode j = new ObjectMapper().readTree(a.out());
        assertThat(j.get("policy").asText()).isEqualTo("rknpu");
        assertThat(j.get("seed").asLong()).isEqualTo(7);
        JsonNode c = j.get("clients").get(0);
        assertThat(c.get("inferences").asLong()).isPositive();
        assertThat(c.get("latency_ms").get("p99").asDouble()).isPositive();
    }

    @Test
    void breakdownPartsSumToTheMeanLatency(@TempDir Path tmp) throws Exception {
        Out a = cli("run", "vision-single", "--json", "--duration", "0.2", "--out", tmp.toString());
        JsonNode c = new ObjectMapper().readTree(a.out()).get("clients").get(0);
        double sum = 0;
        for (JsonNode v : c.get("breakdown_ms")) sum += v.asDouble();
        assertThat(sum).isCloseTo(c.get("latency_ms").get("mean").asDouble(), org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void userErrorsAreOneLineWithTheValidChoicesAndExitTwo() {
        Out s = cli("run", "no-such-scenario");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err().strip().lines().count()).isEqualTo(1);
        assertThat(s.err()).contains("no-such-scenario").contains("vision-single").doesNotContain("Exception");
        Out m = cli("run", "vision-single", "--model", "nope");
        assertThat(m.code()).isEqualTo(2);
        assertThat(m.err().strip().lines().count()).isEqualTo(1);
        assertThat(m.err()).contains("nope").contains("mobilenet_v1").doesNotContain("Exception");
        Out o = cli("run", "vision-single", "--no-such-option");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip().lines().count()).isEqualTo(1);
        Out p = cli("run", "vision-single", "--policy", "windows");
        assertThat(p.code()).isEqualTo(2);
        assertThat(p.err()).contains("rocket").contains("rknpu");
        Out clk = cli("run", "vision-single", "--npu-mhz", "650", "--duration", "0.1");
        assertThat(clk.code()).isEqualTo(2);
        assertThat(clk.err()).contains("clock.npu.mhz").contains("650").contains("1000");
        // a renamed key under validate: refused before any point runs, with the new name offered first
        Out v = cli("validate", "--set", "npu.cna.conv_io_bytes_per_cycle=6");
        assertThat(v.code()).isEqualTo(2);
        assertThat(v.err().strip().lines().count()).isEqualTo(1);
        assertThat(v.err()).contains("--set").contains("known keys like it: npu.cna.conv_io_gbps");
        assertThat(v.out()).isEmpty();
    }

    @Test
    void aScenarioKeyTheRunCannotHonourIsAOneLineError(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("s.yaml");
        // an LLM runtime uses every core: a single-core mask would be read and silently dropped
        Files.writeString(f, "name: s\nclients:\n  - name: chat\n    model: qwen2-0.5b\n"
                + "    arrival: {type: chat, prompt_tokens: 16, answer_tokens: 4}\n    core_mask: 0x1\n");
        Out llm = cli("run", f.toString(), "--duration", "0.1", "--quiet", "--out", tmp.resolve("o").toString());
        assertThat(llm.code()).isEqualTo(2);
        assertThat(llm.err().strip().lines().count()).isEqualTo(1);
        assertThat(llm.err()).contains("core_mask: an LLM runtime uses all three cores; give 0x0 or 0x7, got 0x1").doesNotContain("Exception");
        // a vision input shape is checked when the file is read, against its line
        Files.writeString(f, "name: s\nclients:\n  - name: cam\n    model: yolov8n\n"
                + "    arrival: {type: closed_loop}\n    input: [1, 3, 330, 320]\n");
        Out in = cli("run", f.toString(), "--duration", "0.1", "--quiet", "--out", tmp.resolve("p").toString());
        assertThat(in.code()).isEqualTo(2);
        assertThat(in.err()).startsWith("npusim: " + f + ":6: clients[0].input: yolov8n needs sides that are multiples of 32");
    }

    @Test
    void modelsJsonListsTheZoo() throws Exception {
        Out a = cli("models", "--json");
        assertThat(a.code()).isZero();
        JsonNode arr = new ObjectMapper().readTree(a.out());
        assertThat(arr.isArray()).isTrue();
        assertThat(arr.size()).isGreaterThanOrEqualTo(24);
        JsonNode first = arr.get(0);
        assertThat(first.has("name") && first.has("kind") && first.has("input") && first.has("params") && first.has("gmacs")).isTrue();
    }

    @Test
    void versionAndHelp() {
        assertThat(cli("--version").out()).startsWith("npusim ");
        Out h = cli("--help");
        assertThat(h.code()).isZero();
        assertThat(h.out()).contains("run").contains("compare").contains("models").contains("scenarios");
    }
}
