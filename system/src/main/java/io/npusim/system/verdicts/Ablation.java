package io.npusim.system.verdicts;

import io.npusim.core.trace.TraceSink;
import io.npusim.system.Runner;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code npusim ablation}: what each mechanism of the proposed driver buys. The scenario runs under
 * rknpu, rocket and proposed, then under proposed with one mechanism switched off at a time
 * ({@code proposed.*} in kernel.yaml), then with all of them off. For the latency client (the
 * first vision or audio client: its p99 and dropped frames) and the chat (the first LLM client:
 * decode tokens/s), each mechanism's share of the gap is
 *
 * <pre>  share = (proposed − proposed without it) / (proposed − baseline)</pre>
 *
 * signed so that a positive share is the part of proposed's advantage over the baseline (rknpu,
 * or rocket) that the mechanism accounts for: 100% means switching it off loses the whole
 * advantage; above 100%, proposed without it is worse than the baseline; 0%, it changes nothing
 * in this scenario; negative, the scenario runs better without it. Shares need not add up to
 * 100%: the mechanisms interact, and part of the gap comes from what no switch turns off (the
 * explicit job itself, class queues shared by all cores).
 */
public final class Ablation {
    private Ablation() {}

    /** SRAM given to the NPU for the mechanisms that need it (sram_by_class). */
    public static final int SRAM_KB = Verdicts.SRAM_KB;

    /**
     * A mechanism and how to switch it off.
     *
     * @param needsSram compared at {@link #SRAM_KB} KiB of SRAM (both the baseline proposed run and the ablated one)
     */
    public record Mechanism(String name, String what, List<String> off, boolean needsSram) {}

    /** The mechanisms, in the order of docs/PROPOSED_UAPI.md. */
    public static final List<Mechanism> MECHANISMS = List.of(
            new Mechanism("preemption", "stop throughput work at its next batch boundary for latency work",
                    List.of("proposed.preemption=false"), false),
            new Mechanism("keep_iommu_attached", "keep a context's domain attached across its batches",
                    List.of("proposed.keep_iommu_attached=false"), false),
            new Mechanism("variant_choice", "pick a job's 1- or 3-core variant from its deadline and the load",
                    List.of("proposed.variant_choice=false"), false),
            new Mechanism("sram_by_class", "latency contexts outrank the others for SRAM (with " + SRAM_KB + " KiB)",
                    List.of("proposed.sram_by_class=false"), true),
            new Mechanism("explicit_sync", "jobs wait only for the fences they name",
                    List.of("proposed.explicit_sync=false"), false),
            new Mechanism("residency", "buffers resident once, not mapped per job",
                    List.of("proposed.residency=false"), false),
            new Mechanism("batch_tasks", "hardware task chaining in batches of 16 (off: one task and one interrupt per batch)",
                    List.of("proposed.batch_tasks=1"), false));

    /** What one run gave for the two clients (NaN where the scenario has no such client). */
    public record Point(String label, List<String> sets, Integer sramKb, String latencyClient, double p99Ms, long dropped,
                        String chatClient, double chatTokensPerS) {}

    /** A gap share: (proposed − ablated) / (proposed − baseline), or NaN when the baseline equals proposed. */
    public record Share(double vsRknpu, double vsRocket) {}

    /** One row: the mechanism, its run, and its shares of the p99, drops and tokens/s gaps. */
    public record Row(Mechanism mechanism, Point off, Point base, Share p99, Share dropped, Share tokens) {}

    /** @param scenario the scenario as given (a built-in name or a file path) */
    public record Result(String scenario, double durationS, Point rknpu, Point rocket, Point proposed, Point proposedSram,
                         List<Row> rows, Row allOff, double wallS) {}

    /** The command that reproduces one point. */
    public static String command(String scenario, Point p, Double durationS) {
        StringBuilder sb = new StringBuilder("./npusim compare ").append(scenario).append(" --variants ").append(variant(p));
        if (durationS != null) sb.append(" --duration ").append(Verdicts.num(durationS));
        if (p.sramKb() != null) sb.append(" --sram-kb ").append(p.sramKb());
        return sb.toString();
    }

    /**
     * Two compare commands that reproduce every run of a result: the runs without SRAM side by side,
     * then the two at {@link #SRAM_KB} KiB.
     */
    public static List<String> commands(Result r, Double durationS) {
        List<String> plain = new ArrayList<>(List.of("rknpu", "rocket", "proposed"));
        List<String> sram = new ArrayList<>(List.of("proposed"));
        List<Row> all = new ArrayList<>(r.rows());
        all.add(r.allOff());
        for (Row row : all) (row.off().sramKb() == null ? plain : sram).add(variant(row.off()));
        String dur = durationS == null ? "" : " --duration " + Verdicts.num(durationS);
        return List.of("./npusim compare " + r.scenario() + dur + " --trace none --variants " + String.join(",", plain),
                "./npusim compare " + r.scenario() + dur + " --trace none --sram-kb " + SRAM_KB + " --variants " + String.join(",", sram));
    }

    /** The --variants text of a point: proposed+preemption=false, ... */
    public static String variant(Point p) {
        StringBuilder sb = new StringBuilder(p.label().startsWith("proposed") ? "proposed" : p.label());
        for (String s : p.sets()) sb.append('+').append(s.substring(s.indexOf('.') + 1));
        return sb.toString();
    }

    /** Runs the ablation of a scenario (built-in or file), over {@code threads} threads. */
    public static Result run(String scenarioName, Double durationS, int threads) {
        long t0 = System.nanoTime();
        Scenario sc = new ScenarioLoader().load(scenarioName);
        double dur = durationS != null ? durationS : sc.duration();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "ablation");
            t.setDaemon(true);
            return t;
        });
        try {
            List<String> allOff = new ArrayList<>();
            for (Mechanism m : MECHANISMS) allOff.addAll(m.off());
            Future<Point> rknpu = pool.submit(() -> point(scenarioName, sc, "rknpu", Policy.RKNPU, List.of(), null, dur));
            Future<Point> rocket = pool.submit(() -> point(scenarioName, sc, "rocket", Policy.ROCKET, List.of(), null, dur));
            Future<Point> prop = pool.submit(() -> point(scenarioName, sc, "proposed", Policy.PROPOSED, List.of(), null, dur));
            Future<Point> propSram = pool.submit(() -> point(scenarioName, sc, "proposed", Policy.PROPOSED, List.of(), SRAM_KB, dur));
            Map<Mechanism, Future<Point>> offs = new LinkedHashMap<>();
            for (Mechanism m : MECHANISMS) {
                offs.put(m, pool.submit(() -> point(scenarioName, sc, "proposed-" + m.name(), Policy.PROPOSED, m.off(),
                        m.needsSram() ? SRAM_KB : null, dur)));
            }
            Future<Point> none = pool.submit(() -> point(scenarioName, sc, "proposed-all", Policy.PROPOSED, allOff, null, dur));
            Point r = Verdicts.get(rknpu), o = Verdicts.get(rocket), pr = Verdicts.get(prop), ps = Verdicts.get(propSram);
            List<Row> rows = new ArrayList<>();
            for (Mechanism m : MECHANISMS) {
                Point base = m.needsSram() ? ps : pr;
                rows.add(row(m, Verdicts.get(offs.get(m)), base, r, o));
            }
            Row all = row(new Mechanism("all", "every mechanism above off", allOff, false), Verdicts.get(none), pr, r, o);
            return new Result(scenarioName, dur, r, o, pr, ps, rows, all, (System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A mechanism's row. The shares compare the ablated run with the proposed run it differs from
     * (at the same SRAM), over the gap between plain proposed and each baseline.
     */
    static Row row(Mechanism m, Point off, Point base, Point rknpu, Point rocket) {
        Share p99 = new Share(share(base.p99Ms(), off.p99Ms(), rknpu.p99Ms()), share(base.p99Ms(), off.p99Ms(), rocket.p99Ms()));
        Share drop = new Share(share(base.dropped(), off.dropped(), rknpu.dropped()), share(base.dropped(), off.dropped(), rocket.dropped()));
        Share tok = new Share(share(base.chatTokensPerS(), off.chatTokensPerS(), rknpu.chatTokensPerS()),
                share(base.chatTokensPerS(), off.chatTokensPerS(), rocket.chatTokensPerS()));
        return new Row(m, off, base, p99, drop, tok);
    }

    /**
     * (proposed − ablated) / (proposed − baseline): the same sign convention for a lower-is-better
     * figure (p99, drops) and a higher-is-better one (tokens/s), because both differences are taken
     * from proposed. NaN when proposed equals the baseline (no gap to account for) or a figure is missing.
     */
    public static double share(double proposed, double ablated, double baseline) {
        double gap = proposed - baseline;
        if (Double.isNaN(gap) || Double.isNaN(ablated) || Math.abs(gap) < 1e-9) return Double.NaN;
        return (proposed - ablated) / gap;
    }

    private static Point point(String scenarioName, Scenario sc, String label, Policy p, List<String> sets, Integer sramKb, double dur) {
        RunSpec spec = new RunSpec(scenarioName, p, null, null, dur, null, null, sramKb, sets, "none");
        RunResult res = Runner.run(spec, sc, TraceSink.NONE);
        Map<String, Object> lat = Verdicts.latencyClient(res.summary());
        Map<String, Object> chat = Verdicts.client(res.summary(), "llm");
        return new Point(label, sets, sramKb,
                lat == null ? null : (String) lat.get("name"), lat == null ? Double.NaN : Verdicts.dbl(lat, "latency_ms", "p99"),
                lat == null ? 0 : Verdicts.lng(lat, "dropped_frames"),
                chat == null ? null : (String) chat.get("name"), chat == null ? Double.NaN : Verdicts.dbl(chat, "decode_tokens_per_s"));
    }
}
