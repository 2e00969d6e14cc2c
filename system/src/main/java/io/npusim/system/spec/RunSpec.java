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
 * @param variant the label of a policy variant ("rocket+hw_task_chaining", see {@link Variant}),
 *                reported beside the policy; null for a plain run. The variant's switches are
 *                already in {@code set}: the label only names them.
 */
public record RunSpec(String scenario, Policy policy, String model, Long seed, Double durationS, Integer npuMhz,
                      String ddr, Integer sramKb, List<String> set, String trace, String variant) {
    public RunSpec {
        set = set == null ? List.of() : List.copyOf(set);
        if (trace == null) trace = "none";
    }

    /** A run without a variant label. */
    public RunSpec(String scenario, Policy policy, String model, Long seed, Double durationS, Integer npuMhz,
                   String ddr, Integer sramKb, List<String> set, String trace) {
        this(scenario, policy, model, seed, durationS, npuMhz, ddr, sramKb, set, trace, null);
    }

    /**
     * The same run under a variant: its policy, its switches appended to {@code set} (so they win
     * over earlier overrides of the same key), and its label.
     */
    public RunSpec withVariant(Variant v) {
        List<String> all = new java.util.ArrayList<>(set);
        all.addAll(v.sets());
        return new RunSpec(scenario, v.policy(), model, seed, durationS, npuMhz, ddr, sramKb, all, trace, v.label());
    }

    public static RunSpec of(String scenario, Policy policy) {
        return new RunSpec(scenario, policy, null, null, null, null, null, null, List.of(), "none");
    }

    public RunSpec withModel(String m) {
        return new RunSpec(scenario, policy, m, seed, durationS, npuMhz, ddr, sramKb, set, trace, variant);
    }

    public RunSpec withSeed(Long s) {
        return new RunSpec(scenario, policy, model, s, durationS, npuMhz, ddr, sramKb, set, trace, variant);
    }

    public RunSpec withDuration(Double d) {
        return new RunSpec(scenario, policy, model, seed, d, npuMhz, ddr, sramKb, set, trace, variant);
    }

    public RunSpec withPolicy(Policy p) {
        return new RunSpec(scenario, p, model, seed, durationS, npuMhz, ddr, sramKb, set, trace, null); // another policy: no longer the variant
    }

    public RunSpec withTrace(String t) {
        return new RunSpec(scenario, policy, model, seed, durationS, npuMhz, ddr, sramKb, set, t, variant);
    }

    public RunSpec withHardware(Integer mhz, String ddrPreset, Integer sram, List<String> sets) {
        return new RunSpec(scenario, policy, model, seed, durationS, mhz, ddrPreset, sram, sets, trace, variant);
    }
}
