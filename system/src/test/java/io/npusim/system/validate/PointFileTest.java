package io.npusim.system.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.core.UserError;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The point-file reader: what it accepts, and a one-line error naming file, line and field for the rest. */
class PointFileTest {

    /** One valid point; its fields start on line 4, and an added field lands on line 10. */
    private static final String HEAD = """
            schema: npusim-validation/1
            points:
              - id: a
                source: test
                model: mobilenet_v1
                policy: rknpu
                metric: latency_ms
                expected: 1.5
                tolerance: 0.2
            """;

    static List<ValidationPoint> parse(String yaml) {
        return PointFile.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "p.yaml");
    }

    @Test
    void readsEveryOptionalFieldOfTheFormat() {
        List<ValidationPoint> ps = parse(HEAD + """
                    dtype: fp16
                    input: [1, 3, 320, 256]
                    core_mask: 0x3
                    clients: 2
                    placement: per-core
                    scope: run_and_outputs
                    npu_mhz: 600
                    ddr: lpddr5-5500
                    sram_kb: 956
                  - {id: b, source: s, model: qwen2-0.5b, policy: proposed, metric: ttft_ms, dtype: w8a8_g128,
                     prompt_tokens: 64, new_tokens: 8, expected: 3, tolerance: 0.1}
                  - {id: c, source: s, model: whisper_base, policy: rocket, metric: p99_latency_ms, new_tokens: 20, expected: 9, tolerance: 0.1}
                  - {id: d, source: s, model: mobilenet_v1, policy: rknpu, metric: latency_ms, core_mask: 7, relative_to: a, expected: 0.6, tolerance: 0.1}
                """);
        assertThat(ps).hasSize(4);
        ValidationPoint a = ps.get(0);
        assertThat(a.input()).containsExactly(1, 3, 320, 256);
        assertThat(a.mask()).isEqualTo(3);
        assertThat(a.clientCount()).isEqualTo(2);
        assertThat(a.npuMhz()).isEqualTo(600);
        assertThat(a.sramKb()).isEqualTo(956);
        assertThat(a.dtype()).isEqualTo("fp16");
        assertThat(a.placement()).isEqualTo("per-core");
        assertThat(a.scope()).isEqualTo("run_and_outputs");
        assertThat(a.ddr()).isEqualTo("lpddr5-5500");
        assertThat(ps.get(1).promptTokens()).isEqualTo(64);
        assertThat(ps.get(1).newTokens()).isEqualTo(8);
        assertThat(ps.get(2).newTokens()).isEqualTo(20);
        assertThat(ps.get(3).mask()).isEqualTo(7);
        assertThat(ps.get(3).relativeTo()).isEqualTo("a");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "    npu_mhz: 650                 | p.yaml:10: points[0] (a): npu_mhz: 650 is not a rate of the NPU; valid: 200 (boot), 300,",
        "    ddr: lpddr6                  | p.yaml:10: points[0] (a): ddr: unknown preset 'lpddr6'",
        "    core_mask: 0x9               | p.yaml:10: points[0] (a): core_mask: must be 0x0 (AUTO), 0x1, 0x2, 0x4, 0x3 or 0x7, got 0x9",
        "    core_mask: 0x5               | p.yaml:10: points[0] (a): core_mask: must be 0x0 (AUTO), 0x1, 0x2, 0x4, 0x3 or 0x7, got 0x5",
        "    core_mask: 1.9               | p.yaml:10: points[0] (a): core_mask: not an integer: '1.9'",
        "    core_mask: 4294967297        | p.yaml:10: points[0] (a): core_mask: not an integer: '4294967297'",
        "    clients: 2.7                 | p.yaml:10: points[0].clients: Cannot coerce Floating-point value (2.7) to Integer value",
        "    npu_mhz: 300.9               | p.yaml:10: points[0].npu_mhz: Cannot coerce Floating-point value",
        "    input: [1, 3, 224.5, 224]    | p.yaml:10: points[0].input[2]: Cannot coerce Floating-point value",
        "    relative_to: a               | p.yaml:10: points[0] (a): relative_to: names the point itself",
        "    core_mask: 'two'             | p.yaml:10: points[0] (a): core_mask: not an integer: 'two'",
        "    clients: 0                   | p.yaml:10: points[0] (a): clients: must be at least 1",
        "    placement: spread            | p.yaml:10: points[0] (a): placement: must be per-core or shared",
        "    scope: frame                 | p.yaml:10: points[0] (a): scope: must be run or run_and_outputs",
        "    sram_kb: 957                 | p.yaml:10: points[0] (a): sram_kb: must lie in 0..956",
        "    dtype: int4                  | p.yaml:10: points[0] (a): dtype: must be int8, fp16, w8a8 or w8a8_g128",
        "    dtype: w8a8                  | p.yaml:10: points[0] (a): dtype: w8a8 is not a vision datatype",
        "    input: [1, 3, 224]           | p.yaml:10: points[0] (a): input: must be [1, 3, height, width]",
        "    input: [8, 3, 224, 224]      | p.yaml:10: points[0] (a): input: batch must be 1",
        "    input: [1, 3, 16, 224]       | p.yaml:10: points[0] (a): input: height and width must lie in 32..4096",
        "    prompt_tokens: 8             | p.yaml:10: points[0] (a): prompt_tokens: applies to LLM and audio models",
        "    relative_to: nobody          | p.yaml:10: points[0] (a): relative_to: no point with id 'nobody'",
        "    colour: blue                 | p.yaml:10: points[0].colour: unknown field 'colour'",
        "    clients: many                | p.yaml:10: points[0].clients:",
        "    model: resnet50              | p.yaml:10: Duplicate field 'model'",
    })
    void aBadFieldIsNamedWithItsLine(String line, String message) {
        // CsvSource trims the field's indentation; it goes back under the point
        assertThatThrownBy(() -> parse(HEAD + "    " + line.strip() + "\n")).isInstanceOf(UserError.class).hasMessageStartingWith(message.strip());
    }

    @Test
    void fieldsThatDoNotApplyToTheModelsKindAreRefused() {
        String llm = "  - {id: q, source: s, model: qwen2-0.5b, policy: rknpu, expected: 1, tolerance: 0.1, ";
        assertThatThrownBy(() -> parse(HEAD + llm + "metric: ttft_ms, new_tokens: 4}\n"))
                .hasMessageStartingWith("p.yaml:10: points[1] (q): prompt_tokens: needed for an LLM point");
        assertThatThrownBy(() -> parse(HEAD + llm + "metric: decode_tokens_per_s, prompt_tokens: 4000, new_tokens: 200}\n"))
                .hasMessageContaining("new_tokens: prompt and answer (4200 tokens) exceed the runtimes' 4096-token context");
        assertThatThrownBy(() -> parse(HEAD + llm + "metric: latency_ms, prompt_tokens: 4, new_tokens: 4, dtype: fp16}\n"))
                .hasMessageContaining("dtype: RKLLM on RK3588 runs w8a8 or w8a8_g128");
        assertThatThrownBy(() -> parse(HEAD + llm + "metric: latency_ms, prompt_tokens: 4, new_tokens: 4, input: [1, 3, 224, 224]}\n"))
                .hasMessageContaining("input: only vision models take an input shape; qwen2-0.5b takes 128-token context");
        assertThatThrownBy(() -> parse(HEAD + llm + "metric: decode_tokens_per_s, prompt_tokens: 2147483000, new_tokens: 1000}\n"))
                .as("the sum is taken in long: it does not wrap and slip through")
                .hasMessageContaining("new_tokens: prompt and answer (2147484000 tokens) exceed");
        assertThatThrownBy(() -> parse(HEAD + llm + "metric: decode_tokens_per_s, prompt_tokens: 8, new_tokens: 1}\n"))
                .hasMessageContaining("new_tokens: decode_tokens_per_s needs at least 2 (the first token comes from the prompt)");
        assertThatThrownBy(() -> parse(HEAD + llm + "metric: ddr_mb_per_inference, prompt_tokens: 8, new_tokens: 2}\n"))
                .hasMessageContaining("new_tokens: ddr_mb_per_inference needs at least 3");
        assertThat(parse(HEAD + llm + "metric: ttft_ms, prompt_tokens: 8, new_tokens: 1}\n")).hasSize(2);
        assertThatThrownBy(() -> parse(HEAD + llm + "metric: ttft_ms, prompt_tokens: 8, new_tokens: 4, core_mask: 0x1}\n"))
                .hasMessageContaining("core_mask: an LLM runtime uses all three cores; give 0x0 or 0x7, got 0x1");
        assertThatThrownBy(() -> parse(HEAD + llm + "metric: ttft_ms, prompt_tokens: 8, new_tokens: 4, clients: 3, placement: per-core}\n"))
                .hasMessageContaining("placement: an LLM runtime uses all three cores");
        assertThat(parse(HEAD + llm + "metric: ttft_ms, prompt_tokens: 8, new_tokens: 4, core_mask: 0x7}\n").get(1).mask()).isEqualTo(7);
        String audio = "  - {id: w, source: s, model: whisper_base, policy: rknpu, expected: 1, tolerance: 0.1, ";
        assertThatThrownBy(() -> parse(HEAD + audio + "metric: ttft_ms}\n"))
                .hasMessageContaining("metric: ttft_ms needs an LLM; whisper_base is an audio model");
        assertThatThrownBy(() -> parse(HEAD + audio + "metric: latency_ms, scope: run}\n"))
                .hasMessageContaining("scope: applies to vision models");
        assertThatThrownBy(() -> parse(HEAD + audio + "metric: latency_ms, dtype: int8}\n"))
                .hasMessageContaining("dtype: whisper_base runs in fp16 only");
        assertThat(parse(HEAD + "    input: [1, 3, 330, 640]\n").get(0).input()).as("mobilenet takes any side").containsExactly(1, 3, 330, 640);
        assertThatThrownBy(() -> parse(HEAD.replace("mobilenet_v1", "yolov8n") + "    input: [1, 3, 330, 640]\n"))
                .hasMessageStartingWith("p.yaml:10: points[0] (a): input: yolov8n needs sides that are multiples of 32");
    }

    @Test
    void requiredFieldsMustHaveAValue() {
        assertThatThrownBy(() -> parse(HEAD.replace("policy: rknpu", "policy:"))).hasMessage("p.yaml:6: points[0] (a): policy: must not be empty");
        assertThatThrownBy(() -> parse(HEAD.replace("metric: latency_ms", "metric: null"))).hasMessage("p.yaml:7: points[0] (a): metric: must not be empty");
        assertThatThrownBy(() -> parse(HEAD.replace("model: mobilenet_v1", "model: ~"))).hasMessage("p.yaml:5: points[0] (a): model: must not be empty");
        assertThatThrownBy(() -> parse(HEAD.replace("id: a", "id:"))).hasMessage("p.yaml:3: points[0] (null): id: must not be empty");
        assertThatThrownBy(() -> parse(HEAD.replace("source: test", "source: ''"))).hasMessage("p.yaml:4: points[0] (a): source: must not be empty");
    }

    @Test
    void structuralMistakesNameTheFile() {
        assertThatThrownBy(() -> parse("")).hasMessage("p.yaml: empty point file");
        assertThatThrownBy(() -> parse("# nothing but a comment\n")).hasMessage("p.yaml: empty point file");
        assertThatThrownBy(() -> parse(HEAD + "---\n" + HEAD)).hasMessage("p.yaml: more than one YAML document (---); put every point in one");
        assertThatThrownBy(() -> parse("schema: npusim-validation/1\npoints: []\n")).hasMessage("p.yaml:2: points: the file has no points");
        assertThatThrownBy(() -> parse("schema: npusim-validation/1\npoints:\n")).hasMessageContaining("points");
        assertThatThrownBy(() -> parse(HEAD.replace("npusim-validation/1", "npusim-validation/2")))
                .hasMessageStartingWith("p.yaml:1: schema: expected npusim-validation/1");
        assertThatThrownBy(() -> parse(HEAD + "  -\n")).hasMessage("p.yaml:10: points[1]: empty point");
        assertThatThrownBy(() -> parse(HEAD + "  - id: b\n")).hasMessageStartingWith("p.yaml:10: points[1].source: missing required field 'source'");
        assertThatThrownBy(() -> parse(HEAD + HEAD.substring(HEAD.indexOf("  - id")))).hasMessageContaining("id: duplicate id 'a'");
        assertThatThrownBy(() -> parse(HEAD + "  - {id: b, source: s, model: mobilenet_v1, policy: rknpu, metric: fps_aggregate, relative_to: a, expected: 1, tolerance: 0.1}\n"))
                .hasMessageContaining("relative_to: point a has metric latency_ms, not fps_aggregate");
    }

    /** Whatever the bytes, the reader accepts them or throws a one-line UserError naming the file: never another exception. */
    @Property(tries = 400)
    void anyMutationIsAcceptedOrRefusedWithOneLineNamingTheFile(@ForAll("mutated") String yaml) {
        try {
            parse(yaml);
        } catch (UserError e) {
            assertThat(e.getMessage()).startsWith("p.yaml").doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<String> mutated() {
        String base = HEAD + """
                    input: [1, 3, 320, 256]
                    core_mask: 0x3
                    npu_mhz: 600
                  - {id: b, source: s, model: qwen2-0.5b, policy: proposed, metric: ttft_ms, prompt_tokens: 64, new_tokens: 8, expected: 3, tolerance: 0.1}
                """;
        Arbitrary<Integer> at = Arbitraries.integers().between(0, base.length() - 1);
        Arbitrary<String> junk = Arbitraries.of("", " ", "-", ":", "[", "]", "{", "}", "0", "-1", "0x", "null", "~", "\n", "  ", "'", "\"", "9999999999",
                "1e400", "nan", "2.5", "---\n", "#", "0x5", "2147483647");
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 6);
        return at.flatMap(i -> cut.flatMap(n -> junk.map(j -> base.substring(0, i) + j + base.substring(Math.min(base.length(), i + n)))));
    }
}
