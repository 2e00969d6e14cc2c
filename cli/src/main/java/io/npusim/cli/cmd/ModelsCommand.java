package io.npusim.cli.cmd;

import io.npusim.cli.out.Json;
import io.npusim.cli.out.Table;
import io.npusim.workloads.zoo.ModelSpec;
import io.npusim.workloads.zoo.ModelZoo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "models", mixinStandardHelpOptions = true, versionProvider = io.npusim.cli.Main.Version.class, description = "List the model zoo (GMACs per inference; LLMs per token at a 128-token context).")
public final class ModelsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array of {name, kind, input, params, gmacs}.")
    boolean json;

    @Override
    public Integer call() {
        ModelZoo zoo = new ModelZoo();
        List<Map<String, Object>> rows = new ArrayList<>();
        Table t = new Table("name", "kind", "input", "params", "GMACs");
        for (String n : zoo.names()) {
            ModelSpec m = zoo.get(n);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", m.name());
            r.put("kind", m.kind().name().toLowerCase(java.util.Locale.ROOT));
            r.put("input", m.inputDescription());
            r.put("params", m.params());
            r.put("gmacs", io.npusim.system.result.Num.round(m.gmacs(), 4));
            rows.add(r);
            t.row(m.name(), r.get("kind"), m.inputDescription(), String.format("%,d", m.params()), r.get("gmacs"));
        }
        var out = spec.commandLine().getOut();
        out.print(json ? Json.write(rows) : t.render());
        out.flush();
        return 0;
    }
}
