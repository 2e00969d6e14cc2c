package io.npusim.system.spec;

import java.util.List;

/**
 * Everything that determines a run: a pure function {@code run(RunSpec)} maps it to a result.
 * Serialisable with Jackson; a run's seed comes from the spec, not from where it runs.
 *
 * @param scenario a built-in scenario name or a path to a scenario YAML file
 * @param model replaces the model of every client (the {@code --model} option), or null
 * @param seed overrides the scenario's seed, or null
 * @param durationS overrides the scenario's duration, or null
 * @param npuMhz overrides the NPU clock, or null
 * @param ddr DDR preset name, or null
 * @param sramKb system SRAM given to the NPU, or null
 * @param set general overrides, "key=value"
 * @param trace trace level: none, summary or full
 */
public record RunSpec(String scenario, Policy policy, String model, Long seed, Double durationS, Integer npuMhz,
                      String ddr, Integer sramKb, List<String> set, String trace) {
    public RunSpec {
        set = set == null ? List.of() : List.copyOf(set);
        if (trace == null) trace = "none";
    }

    public static RunSpec of(String scenario, Policy policy) {
        return new RunSpec(scenario, policy, null, null, null, null, null, null, List.of(), "none");
    }

    public RunSpec withModel(String m) {
        return new RunSpec(scenario, policy, m, seed, durationS, npuMhz, ddr, sramKb, set, trace);
    }

    public RunSpec withSeed(Long s) {
        return new RunSpec(scenario, policy, model, s, durationS, npuMhz, ddr, sramKb, set, trace);
    }

    public RunSpec withDuration(Double d) {
        return new RunSpec(scenario, policy, model, seed, d, npuMhz, ddr, sramKb, set, trace);
    }

    public RunSpec withPolicy(Policy p) {
        return new RunSpec(scenario, p, model, seed, durationS, npuMhz, ddr, sramKb, set, trace);
    }

    public RunSpec withTrace(String t) {
        return new RunSpec(scenario, policy, model, seed, durationS, npuMhz, ddr, sramKb, set, t);
    }

    public RunSpec withHardware(Integer mhz, String ddrPreset, Integer sram, List<String> sets) {
        return new RunSpec(scenario, policy, model, seed, durationS, mhz, ddrPreset, sram, sets, trace);
    }
}
