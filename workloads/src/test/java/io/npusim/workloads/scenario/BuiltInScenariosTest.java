package io.npusim.workloads.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.core.UserError;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.NpuParams;
import io.npusim.workloads.compile.LlmCompiler;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.RknnCompiler;
import io.npusim.workloads.compile.TeflonCompiler;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.zoo.ModelSpec;
import io.npusim.workloads.zoo.ModelZoo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every built-in scenario loads, names zoo models, and compiles under every runtime that could run it. */
class BuiltInScenariosTest {
    private static final ParamTable PARAMS = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/runtime.yaml");
    private static final NpuParams NPU = NpuParams.from(PARAMS);
    private final ScenarioLoader loader = new ScenarioLoader();
    private final ModelZoo zoo = new ModelZoo();

    static List<String> builtIns() {
        return ScenarioLoader.BUILT_INS;
    }

    @Test
    void everyScenarioFileIsABuiltInAndEveryBuiltInHasAFile() throws Exception {
        // the scenarios live at the repository root, one level above this module
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("..", "scenarios"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).forEach(n -> files.add(n.substring(0, n.length() - 5)));
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(ScenarioLoader.BUILT_INS);
        assertThat(ScenarioLoader.BUILT_INS).contains("camera-and-chat", "vision-single", "llm-chat", "multi-camera",
                "contention-pinned", "audio-and-chat");
    }

    @ParameterizedTest
    @MethodSource("builtIns")
    void loadsWithItsOwnNameADescriptionAndZooModels(String name) {
        Scenario s = loader.load(name);
        assertThat(s.name()).isEqualTo(name);
        assertThat(s.description()).isNotBlank();
        assertThat(s.duration()).isPositive();
        for (ClientSpec c : s.clients()) {
            ModelSpec m = zoo.get(c.model());
            switch (m.kind()) {
                case VISION -> assertThat(c.arrival()).isInstanceOfAny(Arrival.Camera.class, Arrival.ClosedLoop.class);
                case AUDIO -> assertThat(c.arrival()).isInstanceOf(Arrival.Audio.class);
                case LLM -> assertThat(c.arrival()).isInstanceOf(Arrival.Chat.class);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("builtIns")
    void compilesUnderEveryRuntime(String name) {
        for (ClientSpec c : loader.load(name).clients()) {
            ModelSpec m = zoo.get(c.model());
            switch (m.kind()) {
                case VISION -> {
                    Program rknn = rknn(m.graph(), c.mask());
                    assertThat(rknn.npuSteps()).as("%s under RKNN", c.model()).isPositive();
                    // Teflon may delegate nothing (per-axis quantised weights, rocket-upstream.md 4.2): then the CPU runs it all
                    TeflonCompiler.Compiled teflon = new TeflonCompiler(NPU, PARAMS).compile(m.graph());
                    assertThat(teflon.program().steps()).as("%s under Teflon", c.model()).isNotEmpty();
                    assertThat(teflon.program().npuSteps()).isEqualTo(teflon.partitions().size());
                }
                case AUDIO -> {
                    Arrival.Audio a = (Arrival.Audio) c.arrival();
                    int tokens = a.tokens(PARAMS.positive("audio.speech_tokens_per_s", "tokens/s"));
                    for (Graph g : List.of(m.encoder(), m.decodeStep(tokens))) {
                        assertThat(rknn(g, c.mask()).npuSteps()).as("%s under RKNN", g.name()).isPositive();
                        // upstream Teflon delegates 8-bit convolutions only: an FP16 graph runs wholly on the CPU
                        TeflonCompiler.Compiled teflon = new TeflonCompiler(NPU, PARAMS).compile(g);
                        assertThat(teflon.partitions()).as("%s under Teflon", g.name()).isEmpty();
                        assertThat(teflon.program().cpuSteps()).isNotEmpty();
                    }
                }
                case LLM -> {
                    Arrival.Chat chat = (Arrival.Chat) c.arrival();
                    int prompt = (int) Math.ceil(chat.promptTokens().expected());
                    boolean g128 = "w8a8_g128".equals(c.dtype());
                    for (LlmCompiler.Lowering l : LlmCompiler.Lowering.values()) {
                        LlmCompiler compiler = new LlmCompiler(PARAMS, l);
                        assertThat(compiler.compile(m.llm(), 1, g128, false).npuSteps()).as("%s decode, %s", c.model(), l).isPositive();
                        assertThat(compiler.compile(m.llm(), prompt, g128, true).npuSteps()).as("%s prefill, %s", c.model(), l).isPositive();
                    }
                }
            }
        }
    }

    private static Program rknn(Graph g, int mask) {
        return new RknnCompiler(NPU, PARAMS).compile(g, new RknnCompiler.Options(mask, true));
    }

    @Test
    void audioArrivalDefaultsTheDeadlineToThePeriodAndTheTokensToTheSpeechRate() {
        Arrival.Audio a = audio("{type: audio, window_s: 20, period_s: 2}");
        assertThat(a.deadline()).isEqualTo(2000.0);
        assertThat(a.drop()).isTrue();
        assertThat(a.tokens(PARAMS.positive("audio.speech_tokens_per_s", "tokens/s"))).isEqualTo(65);
        Arrival.Audio b = audio("{type: audio, window_s: 10, period_s: 5, tokens_per_window: 12, deadline_ms: 800, drop_if_busy: false}");
        assertThat(b.deadline()).isEqualTo(800.0);
        assertThat(b.drop()).isFalse();
        assertThat(b.tokens(3.25)).isEqualTo(12);
    }

    @Test
    void badAudioArrivalsAreOneLineErrorsNamingTheKey() {
        assertThatThrownBy(() -> audio("{type: audio, window_s: 20, period_s: 0}")).isInstanceOf(UserError.class)
                .hasMessageContaining("period_s must be positive").hasMessageContaining("t.yaml");
        assertThatThrownBy(() -> audio("{type: audio, window_s: 20, period_s: 2, tokens_per_window: 0}")).isInstanceOf(UserError.class)
                .hasMessageContaining("tokens_per_window");
        assertThatThrownBy(() -> audio("{type: audio, period_s: 2}")).isInstanceOf(UserError.class).hasMessageContaining("window_s");
        assertThatThrownBy(() -> audio("{type: audio, window_s: 20, period_s: 2, tokens: 3}")).isInstanceOf(UserError.class)
                .hasMessageContaining("unknown key 'tokens'");
    }

    @Test
    void aClientKeyTheSimulatorWouldNotHonourIsRefusedNotIgnored() {
        String head = "name: t\nclients:\n  - name: cam\n    model: yolov8n\n    arrival: {type: closed_loop}\n";
        // runtimes are bound to their driver's UAPI: there is no override to honour
        assertThatThrownBy(() -> parse(head + "    runtime: teflon\n")).isInstanceOf(UserError.class).hasMessageStartingWith("t.yaml:6: clients[0].runtime: unknown key 'runtime'");
        assertThatThrownBy(() -> parse(head + "    replicas: 2\n    placement: spread\n")).isInstanceOf(UserError.class)
                .hasMessageContaining("clients.cam.placement must be per-core or shared, got 'spread'");
        assertThatThrownBy(() -> parse(head + "    model: yolov5s\n")).isInstanceOf(UserError.class).hasMessageStartingWith("t.yaml:6: Duplicate field 'model'");
        assertThatThrownBy(() -> parse("name: t\nduration: 5\nclients: []\n")).hasMessageStartingWith("t.yaml:2: duration: unknown key 'duration'");
        ClientSpec c = parse(head + "    dtype: fp16\n    input: [1, 3, 320, 480]\n").clients().get(0);
        assertThat(c.input()).containsExactly(1, 3, 320, 480);
        Graph g = zoo.get(c.model()).graph(c.input(), c.dtype());
        assertThat(g.inputs().get(0).shape().w()).isEqualTo(480);
    }

    private Scenario parse(String yaml) {
        return loader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t.yaml");
    }

    private Arrival.Audio audio(String arrival) {
        String yaml = "name: t\nclients:\n  - name: asr\n    model: whisper_base\n    arrival: " + arrival + "\n";
        Scenario s = loader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t.yaml");
        return (Arrival.Audio) s.clients().get(0).arrival();
    }
}
