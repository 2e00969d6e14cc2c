package io.npusim.cli.cmd;

import io.npusim.system.spec.Policy;
import io.npusim.system.spec.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = io.npusim.cli.Main.Version.class, description = "Run a scenario under several policies on the same seed and compare them.", sortOptions = false)
public final class CompareCommand implements Callable<Integer> {
    /** Policies with a driver model today. */
    static final List<Policy> AVAILABLE = List.of(Policy.ROCKET, Policy.RKNPU, Policy.PROPOSED);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "A built-in scenario (see `npusim scenarios`) or a .yaml file.")
    String scenario;

    @Option(names = "--policies", split = ",", description = "Policies to run (default: all available).")
    List<String> policies;

    @Option(names = "--variants", split = ",", paramLabel = "VARIANT",
            description = "Policy variants to run side by side: a policy, optionally with +switch parts "
                    + "(rocket+hw_task_chaining, rocket+keep_iommu_attached+npu_mhz=1000; a switch is rocket.<name>=true, "
                    + "NAME=VALUE sets rocket.<name>), or the built-in set upstream-patches (rocket, each patch switch alone, "
                    + "rocket+all). Runs listed in --policies come first.")
    List<String> variants;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (variants != null && !variants.isEmpty()) {
            List<String> all = new ArrayList<>();
            if (policies != null) all.addAll(policies);
            all.addAll(variants);
            return Simulate.runVariants(scenario, Variant.parseList(all), common, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        List<Policy> list = new ArrayList<>();
        if (policies == null || policies.isEmpty()) list.addAll(AVAILABLE);
        else for (String p : policies) list.add(Policy.parse(p));
        return Simulate.run(scenario, list, common, true, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
