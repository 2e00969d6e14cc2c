package io.npusim.cli.cmd;

import io.npusim.cli.out.Json;
import io.npusim.cli.out.Table;
import io.npusim.system.verdicts.Ablation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ablation", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"What each mechanism of the proposed driver buys: the scenario under rknpu, rocket and proposed, then under "
                + "proposed with one mechanism switched off at a time (proposed.* in kernel.yaml) and with all of them off; "
                + "for each, the latency client's p99 and dropped frames, the chat's decode tokens/s, and the share of proposed's "
                + "advantage over rknpu and over rocket that the mechanism accounts for.",
                "share = (proposed - proposed without it) / (proposed - baseline). See docs/ABLATION.md."})
public final class AblationCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", defaultValue = "camera-and-chat",
            description = "A built-in scenario or a .yaml file with a latency client and a chat (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--duration", description = "Simulated seconds (default: the scenario's).")
    Double duration;

    @Option(names = "--threads", description = "Simulations run at once (default: up to 2; results do not depend on it).")
    Integer threads;

    @Option(names = "--json", description = "Print the table as JSON.")
    boolean json;

    @Override
    public Integer call() {
        int n = threads != null ? Math.max(1, threads) : Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        Ablation.Result r = Ablation.run(scenario, duration, n);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.write(document(r, duration)) : render(r, duration));
        out.flush();
        return 0;
    }

    static Map<String, Object> document(Ablation.Result r, Double duration) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", r.scenario());
        doc.put("simulated_s", r.durationS());
        Map<String, Object> base = new LinkedHashMap<>();
        for (Ablation.Point p : List.of(r.rknpu(), r.rocket(), r.proposed())) base.put(p.label(), point(r, p, duration));
        base.put("proposed_sram_" + Ablation.SRAM_KB + "kb", point(r, r.proposedSram(), duration));
        doc.put("baselines", base);
        List<Object> rows = new ArrayList<>();
        for (Ablation.Row row : all(r)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mechanism", row.mechanism().name());
            m.put("what", row.mechanism().what());
            m.put("switched_off_by", row.mechanism().off());
            m.put("run", point(r, row.off(), duration));
            m.put("compared_with", row.base().sramKb() == null ? "proposed" : "proposed_sram_" + Ablation.SRAM_KB + "kb");
            m.put("share_of_p99_gap", share(row.p99()));
            m.put("share_of_dropped_gap", share(row.dropped()));
            m.put("share_of_tokens_gap", share(row.tokens()));
            rows.add(m);
        }
        doc.put("mechanisms", rows);
        return doc;
    }

    private static List<Ablation.Row> all(Ablation.Result r) {
        List<Ablation.Row> l = new ArrayList<>(r.rows());
        l.add(r.allOff());
        return l;
    }

    private static Map<String, Object> point(Ablation.Result r, Ablation.Point p, Double duration) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", Ablation.variant(p));
        if (p.sramKb() != null) m.put("sram_kb", p.sramKb());
        m.put(p.latencyClient() + "_p99_ms", nanToNull(p.p99Ms()));
        m.put(p.latencyClient() + "_dropped", p.dropped());
        m.put(p.chatClient() + "_decode_tokens_per_s", nanToNull(p.chatTokensPerS()));
        m.put("command", Ablation.command(r.scenario(), p, duration));
        return m;
    }

    private static Map<String, Object> share(Ablation.Share s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vs_rknpu", nanToNull(round(s.vsRknpu())));
        m.put("vs_rocket", nanToNull(round(s.vsRocket())));
        return m;
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
    }

    static String render(Ablation.Result r, Double duration) {
        StringBuilder sb = new StringBuilder();
        Ablation.Point pr = r.proposed();
        String lat = pr.latencyClient() == null ? "latency client" : pr.latencyClient();
        String chat = pr.chatClient() == null ? "chat" : pr.chatClient();
        sb.append(String.format(Locale.ROOT, "ablation of %s, %s simulated s: proposed with one mechanism off at a time; %.1f s wall%n%n",
                r.scenario(), n(r.durationS()), r.wallS()));
        Table t = new Table("run", lat + " p99 ms", lat + " dropped", chat + " tok/s");
        for (Ablation.Point p : List.of(r.rknpu(), r.rocket(), r.proposed(), r.proposedSram())) {
            t.row(p.sramKb() == null ? p.label() : p.label() + " @" + p.sramKb() + " KiB SRAM", ms(p.p99Ms()), p.dropped(), tps(p.chatTokensPerS()));
        }
        for (Ablation.Row row : all(r)) {
            Ablation.Point o = row.off();
            String what = row.mechanism().name().equals("all") ? "proposed with every mechanism off" : "proposed without " + row.mechanism().name();
            t.row(what + (o.sramKb() == null ? "" : " @" + o.sramKb() + " KiB SRAM"),
                    ms(o.p99Ms()), o.dropped(), tps(o.chatTokensPerS()));
        }
        sb.append(t.render()).append('\n');
        sb.append("share of proposed's advantage each mechanism accounts for: (proposed - proposed without it) / (proposed - baseline)\n");
        Table s = new Table("mechanism", "p99 vs rknpu", "dropped vs rknpu", "tok/s vs rknpu", "p99 vs rocket", "dropped vs rocket", "tok/s vs rocket");
        for (Ablation.Row row : all(r)) {
            s.row(row.mechanism().name().equals("all") ? "all of them" : row.mechanism().name(), pct(row.p99().vsRknpu()), pct(row.dropped().vsRknpu()), pct(row.tokens().vsRknpu()),
                    pct(row.p99().vsRocket()), pct(row.dropped().vsRocket()), pct(row.tokens().vsRocket()));
        }
        sb.append(s.render());
        sb.append("  (100%: switching it off loses the whole advantage; >100%: proposed without it is worse than the baseline; "
                + "n/a: no gap, or no such client; sram_by_class is compared at " + Ablation.SRAM_KB + " KiB SRAM)\n");
        sb.append("\nreproduce (every run of the tables, side by side):\n");
        for (String c : Ablation.commands(r, duration)) sb.append("  $ ").append(c).append('\n');
        return sb.toString();
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String tps(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double v) {
        if (Double.isNaN(v)) return "n/a";
        long p = Math.round(100 * v);
        return p + "%"; // Math.round: no "-0%"
    }

    private static String n(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
