package io.npusim.cli.cmd;

import io.npusim.system.spec.Policy;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = io.npusim.cli.Main.Version.class, description = "Run a scenario under one policy and print its summary.", sortOptions = false)
public final class RunCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "A built-in scenario (see `npusim scenarios`) or a .yaml file.")
    String scenario;

    @Option(names = "--policy", description = "rocket, rknpu or proposed (default: ${DEFAULT-VALUE}).", defaultValue = "rknpu")
    String policy;

    @Mixin
    CommonOptions common;

    @Option(names = "--record", description = "Record the run's UAPI calls and workload requests to this trace file (docs/TRACE_FORMAT.md); the results do not change.")
    java.nio.file.Path record;

    @Override
    public Integer call() {
        if (record != null) return RecordedRun.run(scenario, Policy.parse(policy), common, record, spec.commandLine().getOut());
        return Simulate.run(scenario, List.of(Policy.parse(policy)), common, false, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
