package io.npusim.cli.cmd;

import io.npusim.cli.explain.Narrative;
import io.npusim.system.spec.Policy;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = io.npusim.cli.Main.Version.class, description = "Run a scenario under one policy and tell, step by step, which mechanism cost what, with pointers into the trace.",
        sortOptions = false)
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "A built-in scenario (see `npusim scenarios`) or a .yaml file.")
    String scenario;

    @Option(names = "--policy", description = "rocket, rknpu or proposed (default: ${DEFAULT-VALUE}).", defaultValue = "rknpu")
    String policy;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Simulate.Outcome o = Simulate.execute(scenario, List.of(Policy.parse(policy)), common, false);
        var out = spec.commandLine().getOut();
        out.print(Narrative.of(o.results().get(0), o.dir()));
        out.println();
        out.println("results in " + o.dir());
        out.flush();
        return 0;
    }
}
