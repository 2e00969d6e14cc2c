package io.npusim.cli.cmd;

import io.npusim.cli.out.Json;
import io.npusim.cli.out.Table;
import io.npusim.system.spec.Policy;
import io.npusim.system.verdicts.VerdictRules;
import io.npusim.system.verdicts.Verdicts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verdicts", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"The question the project exists to answer, in one table: for each property an NPU stack needs "
                + "(job model, on-chip SRAM, persistence, scheduling, vision and sound, LLM viability, isolation), a verdict per policy "
                + "computed from built-in scenarios run fresh, the figure behind it and the command that reproduces it.",
                "Rules and thresholds: docs/VERDICTS.md. Takes 15 to 35 s on two cores."})
public final class VerdictsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--rows", split = ",", paramLabel = "ROW",
            description = "Rows to compute (default: all): job-model, sram, persistence, scheduling, vision-sound, llm, isolation.")
    List<String> rows;

    @Option(names = "--quick", description = "Short runs (camera-and-chat 10 s, camera alone 3 s, llm-chat 5 s, audio-and-chat 7 s) instead of each scenario's own length.")
    boolean quick;

    @Option(names = "--threads", description = "Simulations run at once (default: up to 2, the host's cores permitting; results do not depend on it).")
    Integer threads;

    @Option(names = "--json", description = "Print the table as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Set<Verdicts.Row> want = EnumSet.noneOf(Verdicts.Row.class);
        if (rows != null) for (String r : rows) want.add(Verdicts.Row.parse(r));
        int n = threads != null ? Math.max(1, threads) : Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        Verdicts.Result res = Verdicts.run(want, quick ? Verdicts.Durations.QUICK : Verdicts.Durations.STANDARD, n);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.write(document(res)) : render(res));
        out.flush();
        return 0;
    }

    /**
     * The JSON document: durations, then per row its rule and per policy the verdict, figure,
     * commands and numbers. Nothing in it depends on the host (no wall time): reruns give the same bytes.
     */
    static Map<String, Object> document(Verdicts.Result res) {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> dur = new LinkedHashMap<>();
        dur.put("camera_and_chat_s", res.durations().cameraChatS());
        dur.put("camera_alone_s", res.durations().cameraAloneS());
        dur.put("llm_chat_s", res.durations().llmChatS());
        dur.put("audio_and_chat_s", res.durations().audioChatS());
        doc.put("durations", dur);
        List<Object> rows = new ArrayList<>();
        for (Verdicts.RowResult r : res.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("row", r.row().key);
            m.put("title", r.row().title);
            m.put("axis", r.row().axis);
            m.put("rule", r.rule());
            Map<String, Object> cells = new LinkedHashMap<>();
            for (Map.Entry<Policy, Verdicts.Cell> e : r.cells().entrySet()) {
                Verdicts.Cell c = e.getValue();
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("verdict", c.verdict().label());
                cm.put("level", c.verdict().level().name().toLowerCase(Locale.ROOT));
                cm.put("because", c.verdict().because());
                cm.put("figure", c.figure());
                cm.put("commands", c.commands());
                cm.put("numbers", c.numbers());
                cells.put(e.getKey().key(), cm);
            }
            m.put("cells", cells);
            rows.add(m);
        }
        doc.put("rows", rows);
        return doc;
    }

    static String render(Verdicts.Result res) {
        StringBuilder sb = new StringBuilder();
        Verdicts.Durations d = res.durations();
        sb.append(String.format(Locale.ROOT, "npusim verdicts: every cell computed from fresh runs, seed 1 (camera-and-chat %s s, camera alone %s s, "
                        + "llm-chat %s s, audio-and-chat %s s%s); %.1f s wall on %d thread%s%n%n",
                n(d.cameraChatS()), n(d.cameraAloneS()), n(d.llmChatS()), n(d.audioChatS()),
                d.equals(Verdicts.Durations.STANDARD) ? "" : ", shortened with --quick", res.wallS(), res.threads(), res.threads() == 1 ? "" : "s"));
        List<String> head = new ArrayList<>(List.of("property"));
        for (Policy p : Verdicts.POLICIES) head.add(p.key());
        Table t = new Table(head.toArray(String[]::new));
        for (Verdicts.RowResult r : res.rows()) {
            List<Object> a = new ArrayList<>(List.of(r.row().title));
            List<Object> b = new ArrayList<>(List.of("  " + r.row().axis));
            for (Policy p : Verdicts.POLICIES) {
                Verdicts.Cell c = r.cells().get(p);
                a.add(mark(c.verdict().level()) + " " + c.verdict().label());
                b.add("  " + c.brief());
            }
            t.row(a.toArray());
            t.row(b.toArray());
        }
        sb.append(t.render());
        sb.append("  (+ good, ~ partial, - poor; vision and sound: camera p99, dropped camera frames + audio windows)\n");
        for (Verdicts.RowResult r : res.rows()) {
            sb.append('\n').append(r.row().title).append(" (").append(r.row().axis).append(")\n");
            sb.append("  rule: ").append(r.rule()).append('\n');
            for (Policy p : Verdicts.POLICIES) {
                Verdicts.Cell c = r.cells().get(p);
                sb.append(String.format(Locale.ROOT, "  %-8s  %s: %s%n", p.key(), c.verdict().label(), c.verdict().because()));
                sb.append("            ").append(c.figure()).append('\n');
                for (String cmd : c.commands()) sb.append("            $ ").append(cmd).append('\n');
            }
        }
        return sb.toString();
    }

    private static String mark(VerdictRules.Level l) {
        return switch (l) {
            case GOOD -> "+";
            case PARTIAL -> "~";
            case POOR -> "-";
        };
    }

    private static String n(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
