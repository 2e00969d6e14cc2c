package io.npusim.cli.cmd;

import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "scenarios", mixinStandardHelpOptions = true, versionProvider = io.npusim.cli.Main.Version.class, description = "List the built-in scenarios, one line each.")
public final class ScenariosCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ScenarioLoader loader = new ScenarioLoader();
        var out = spec.commandLine().getOut();
        int w = 0;
        for (String n : ScenarioLoader.BUILT_INS) w = Math.max(w, n.length());
        for (String n : ScenarioLoader.BUILT_INS) {
            Scenario s = loader.builtIn(n);
            String d = s.description() == null ? "" : s.description().trim().replaceAll("\\s+", " ");
            int dot = d.indexOf(". ");
            if (dot > 0) d = d.substring(0, dot + 1);
            out.printf("%-" + w + "s  %s%n", n, d);
        }
        out.flush();
        return 0;
    }
}
