package io.npusim.cli.cmd;

import io.npusim.cli.out.Json;
import io.npusim.cli.out.Table;
import io.npusim.core.UserError;
import io.npusim.system.board.Configs;
import io.npusim.system.result.Num;
import io.npusim.system.validate.PointFile;
import io.npusim.system.validate.ValidationPoint;
import io.npusim.system.validate.Validator;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = io.npusim.cli.Main.Version.class, description = "Simulate published RK3588 measurements and compare (npusim-validation/1 point files).")
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--points", description = "Point file (default: the calibration set shipped in validation/calibration.yaml).")
    Path points;

    @Option(names = "--json", description = "Print {points: [...], summary: {...}} as JSON.")
    boolean json;

    @Option(names = "--set", description = "Override a configuration key for every point: --set key=value (repeatable), to see how far the fit moves.")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<ValidationPoint> pts;
        if (points != null) {
            pts = PointFile.read(points);
        } else {
            try (InputStream in = ValidateCommand.class.getClassLoader().getResourceAsStream("validation/calibration.yaml")) {
                if (in == null) throw new UserError("the calibration set is missing from the build");
                pts = PointFile.parse(in, "validation/calibration.yaml");
            }
        }
        // a mistyped --set key is the user's mistake, not a failing point: one line, exit 2
        try {
            Configs.defaults().withAll(sets);
        } catch (UserError e) {
            throw new UserError("--set: " + e.getMessage());
        }
        List<Validator.Outcome> out = new Validator(sets).run(pts);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Double> errs = new ArrayList<>();
        int within = 0;
        Table t = new Table("id", "metric", "expected", "predicted", "error", "tolerance", "within");
        for (Validator.Outcome o : out) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", o.point().id());
            r.put("metric", o.point().metric());
            r.put("expected", o.point().expected());
            r.put("predicted", o.predicted());
            r.put("error", o.error());
            r.put("within_tolerance", o.within());
            if (o.reason() != null) r.put("reason", o.reason());
            rows.add(r);
            if (o.error() != null) errs.add(Math.abs(o.error()));
            if (o.within()) within++;
            t.row(o.point().id(), o.point().metric(), o.point().expected(), o.predicted() == null ? "-" : o.predicted(),
                    o.error() == null ? "-" : String.format("%+.1f%%", 100 * o.error()), String.format("%.0f%%", 100 * o.point().tolerance()),
                    o.within() ? "yes" : "NO" + (o.reason() != null ? " (" + o.reason() + ")" : ""));
        }
        errs.sort(Double::compare);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", out.size());
        summary.put("median_abs_error", errs.isEmpty() ? null : Num.round(median(errs), 4));
        summary.put("max_abs_error", errs.isEmpty() ? null : Num.round(errs.get(errs.size() - 1), 4));
        summary.put("within_tolerance", within);
        var w = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("points", rows);
            doc.put("summary", summary);
            w.print(Json.write(doc));
        } else {
            w.print(t.render());
            w.printf("%n%d of %d points within tolerance; median |error| %s, max |error| %s%n", within, out.size(),
                    pct(summary.get("median_abs_error")), pct(summary.get("max_abs_error")));
        }
        w.flush();
        return 0;
    }

    private static double median(List<Double> s) {
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String pct(Object v) {
        return v == null ? "-" : String.format("%.1f%%", 100 * ((Number) v).doubleValue());
    }
}
