package io.npusim.system.proposed;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.trace.TraceSink;
import io.npusim.system.Runner;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The proposed driver's DVFS (proposed.dvfs): a simple_ondemand governor on the one NPU clock.
 * A lone 30 fps camera leaves the NPU mostly idle, so the clock drops and energy per frame falls
 * while every frame still meets its deadline (the driver widens the variant as the clock drops).
 */
class ProposedDvfsTest {
    private static final String CAMERA = "../docs/lessons/scenarios/camera-alone.yaml";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(boolean dvfs) {
        RunSpec spec = new RunSpec(CAMERA, Policy.PROPOSED, null, 1L, 5.0, null, null, null,
                List.of("proposed.dvfs=" + dvfs), "none");
        RunResult r = Runner.run(spec, new ScenarioLoader().load(CAMERA), TraceSink.NONE);
        return r.summary();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> camera(Map<String, Object> s) {
        return ((List<Map<String, Object>>) s.get("clients")).get(0);
    }

    @Test
    void aLightLoadLowersTheClockAndTheEnergyPerFrameWithoutMissingDeadlines() {
        Map<String, Object> fixed = run(false), gov = run(true);
        double mhzFixed = ((Number) ((Map<String, Object>) fixed.get("npu")).get("npu_mhz_mean")).doubleValue();
        double mhzGov = ((Number) ((Map<String, Object>) gov.get("npu")).get("npu_mhz_mean")).doubleValue();
        assertThat(mhzFixed).isEqualTo(1000.0);
        assertThat(mhzGov).isLessThan(600.0);
        double eFixed = ((Number) camera(fixed).get("energy_mj_per_inference")).doubleValue();
        double eGov = ((Number) camera(gov).get("energy_mj_per_inference")).doubleValue();
        assertThat(eGov).isLessThan(0.9 * eFixed);
        assertThat(((Number) camera(gov).get("deadline_misses")).longValue()).isZero();
        assertThat(((Number) camera(gov).get("dropped_frames")).longValue()).isZero();
    }
}
