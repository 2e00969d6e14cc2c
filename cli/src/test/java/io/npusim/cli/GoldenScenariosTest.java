package io.npusim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden outputs: every built-in scenario under every policy, two simulated seconds on seed 1,
 * compared byte for byte with src/test/resources/golden/SCENARIO-POLICY.json. A change that moves
 * any figure must update them on purpose: run the suite with NPUSIM_UPDATE_GOLDENS=1 and review
 * the diff.
 */
class GoldenScenariosTest {
    static final List<String> SCENARIOS = List.of("vision-single", "camera-and-chat", "llm-chat", "multi-camera", "contention-pinned", "audio-and-chat");
    static final List<String> POLICIES = List.of("rocket", "rknpu", "proposed");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String s : SCENARIOS) for (String p : POLICIES) out.add(Arguments.of(s, p));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("cases")
    void summaryMatchesTheGoldenByteForByte(String scenario, String policy, @TempDir Path tmp) throws Exception {
        CliTest.Out o = CliTest.cli("run", scenario, "--policy", policy, "--duration", "2", "--seed", "1", "--json", "--trace", "none",
                "--quiet", "--out", tmp.toString());
        assertThat(o.code()).as(o.err()).isZero();
        Path golden = Path.of("src/test/resources/golden", scenario + "-" + policy + ".json");
        if ("1".equals(System.getenv("NPUSIM_UPDATE_GOLDENS"))) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, o.out(), StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(golden)).as("golden %s exists (generate with NPUSIM_UPDATE_GOLDENS=1)", golden).isTrue();
        assertThat(o.out()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
