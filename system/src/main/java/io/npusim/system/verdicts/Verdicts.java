package io.npusim.system.verdicts;

import io.npusim.core.trace.TraceSink;
import io.npusim.system.Runner;
import io.npusim.system.isolation.CrossProcessProbe;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.system.verdicts.VerdictRules.OnTime;
import io.npusim.system.verdicts.VerdictRules.Verdict;
import io.npusim.workloads.scenario.Arrival;
import io.npusim.workloads.scenario.ClientSpec;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code npusim verdicts}: the project's question in one table. Rows are the properties an NPU
 * stack needs for vision and LLMs side by side, columns the three policies; each cell is a verdict
 * computed by {@link VerdictRules} from built-in scenarios run fresh, with the figure behind it and
 * the command that reproduces that figure. Runs are independent and deterministic, so they run on
 * a small thread pool; the result does not depend on the pool.
 */
public final class Verdicts {
    private Verdicts() {}

    /** The policies, in column order. */
    public static final List<Policy> POLICIES = List.of(Policy.ROCKET, Policy.RKNPU, Policy.PROPOSED);

    /** SRAM given to the NPU in the SRAM row's second run (all of the RK3588's system SRAM the NPU may use). */
    public static final int SRAM_KB = 956;

    /** The rows, in table order. */
    public enum Row {
        JOB_MODEL("job-model", "job model", "ioctl-only vs explicit jobs"),
        SRAM("sram", "on-chip SRAM", "invisible vs explicit"),
        PERSISTENCE("persistence", "persistence", "none vs managed residency"),
        SCHEDULING("scheduling", "scheduling", "userspace vs driver"),
        VISION_SOUND("vision-sound", "vision and sound", "tolerated vs works"),
        LLM("llm", "LLM viability", "constrained vs works"),
        ISOLATION("isolation", "isolation between processes", "leaks vs isolated");

        public final String key;
        public final String title;
        public final String axis;

        Row(String key, String title, String axis) {
            this.key = key;
            this.title = title;
            this.axis = axis;
        }

        public static Row parse(String s) {
            for (Row r : values()) if (r.key.equalsIgnoreCase(s.trim()) || r.name().equalsIgnoreCase(s.trim())) return r;
            List<String> keys = new ArrayList<>();
            for (Row r : values()) keys.add(r.key);
            throw new io.npusim.core.UserError("unknown verdict row '" + s + "'; valid: " + String.join(", ", keys));
        }
    }

    /**
     * Simulated seconds of each run. {@link #STANDARD} keeps each built-in scenario's own length
     * except the camera alone (20 s: its p99 is stable from the first second, nothing else runs);
     * {@link #QUICK} is for tests (the same verdicts, a few seconds each).
     */
    public record Durations(double cameraChatS, double cameraAloneS, double llmChatS, double audioChatS) {
        public static final Durations STANDARD = new Durations(60, 20, 10, 10);
        public static final Durations QUICK = new Durations(10, 3, 5, 7);
    }

    /**
     * One cell: the verdict, the measured figure behind it, the commands that reproduce the figure
     * and the numbers themselves (for --json).
     */
    public record Cell(Verdict verdict, String brief, String figure, List<String> commands, Map<String, Object> numbers) {}

    /** One row: its rule in words and a cell per policy. */
    public record RowResult(Row row, String rule, Map<Policy, Cell> cells) {}

    /** The table and how it was made. */
    public record Result(List<RowResult> rows, Durations durations, double wallS, int threads) {}

    // ---- the runs ------------------------------------------------------------------------------

    /** The scenario runs the rows need. */
    enum Run { LLM_CHAT, CAMERA_CHAT, CAMERA_CHAT_SRAM, CAMERA_ALONE, AUDIO_CHAT }

    /** What the table keeps of one run. */
    record Figures(Map<String, Object> summary, double chatCoresPerJob, long chatJobs) {}

    private static Set<Run> runsFor(Set<Row> rows) {
        Set<Run> s = EnumSet.noneOf(Run.class);
        for (Row r : rows) {
            switch (r) {
                case JOB_MODEL, PERSISTENCE, LLM -> s.add(Run.LLM_CHAT);
                case SRAM -> {
                    s.add(Run.CAMERA_CHAT);
                    s.add(Run.CAMERA_CHAT_SRAM);
                }
                case SCHEDULING -> {
                    s.add(Run.CAMERA_ALONE);
                    s.add(Run.CAMERA_CHAT);
                    s.add(Run.LLM_CHAT);
                }
                case VISION_SOUND -> {
                    s.add(Run.CAMERA_CHAT);
                    s.add(Run.AUDIO_CHAT);
                }
                case ISOLATION -> { }
            }
        }
        return s;
    }

    /** The built-in camera-and-chat with its camera alone (what docs/lessons/scenarios/camera-alone.yaml holds). */
    public static Scenario cameraAlone() {
        Scenario s = new ScenarioLoader().load("camera-and-chat");
        List<ClientSpec> cams = new ArrayList<>();
        for (ClientSpec c : s.clients()) if (c.arrival() instanceof Arrival.Camera) cams.add(c);
        return new Scenario("camera-alone", "camera-and-chat without the chat", 20.0, s.seed(), s.hardware(), cams);
    }

    private static String scenarioName(Run r) {
        return switch (r) {
            case LLM_CHAT -> "llm-chat";
            case CAMERA_CHAT, CAMERA_CHAT_SRAM -> "camera-and-chat";
            case CAMERA_ALONE -> "camera-alone";
            case AUDIO_CHAT -> "audio-and-chat";
        };
    }

    /** The scenario argument a user types to reproduce the run. */
    private static String scenarioArg(Run r) {
        return r == Run.CAMERA_ALONE ? "docs/lessons/scenarios/camera-alone.yaml" : scenarioName(r);
    }

    private static double duration(Run r, Durations d) {
        return switch (r) {
            case LLM_CHAT -> d.llmChatS();
            case CAMERA_CHAT, CAMERA_CHAT_SRAM -> d.cameraChatS();
            case CAMERA_ALONE -> d.cameraAloneS();
            case AUDIO_CHAT -> d.audioChatS();
        };
    }

    private static double defaultDuration(Run r) {
        return switch (r) {
            case CAMERA_ALONE -> 20;
            default -> new ScenarioLoader().load(scenarioName(r)).duration();
        };
    }

    /** The command that reproduces one run. */
    static String command(Run r, Policy p, Durations d) {
        StringBuilder sb = new StringBuilder("./npusim run ").append(scenarioArg(r)).append(" --policy ").append(p.key());
        double dur = duration(r, d);
        if (dur != defaultDuration(r)) sb.append(" --duration ").append(num(dur));
        if (r == Run.CAMERA_CHAT_SRAM) sb.append(" --sram-kb ").append(SRAM_KB);
        return sb.toString();
    }

    private static Figures execute(Run r, Policy p, Durations d) {
        Scenario sc = r == Run.CAMERA_ALONE ? cameraAlone() : new ScenarioLoader().load(scenarioName(r));
        RunSpec spec = new RunSpec(scenarioName(r), p, null, null, duration(r, d), null, null,
                r == Run.CAMERA_CHAT_SRAM ? SRAM_KB : null, List.of(), "none");
        TaskTap[] tap = new TaskTap[1];
        RunResult res = Runner.run(spec, sc, TraceSink.NONE, b -> tap[0] = TaskTap.attach(b));
        Map<String, Object> sum = res.summary();
        Map<String, Object> chat = client(sum, "llm");
        String name = chat == null ? null : (String) chat.get("name");
        return new Figures(sum, name == null ? 0 : tap[0].coresPerJob(name), name == null ? 0 : tap[0].jobs(name));
    }

    // ---- the table --------------------------------------------------------------------------------

    /** Runs what the rows need under every policy and computes the table. */
    public static Result run(Set<Row> rows, Durations d, int threads) {
        long t0 = System.nanoTime();
        Set<Row> want = rows == null || rows.isEmpty() ? EnumSet.allOf(Row.class) : EnumSet.copyOf(rows);
        int n = Math.max(1, threads);
        Map<Run, Map<Policy, Future<Figures>>> futures = new EnumMap<>(Run.class);
        Map<Policy, Future<CrossProcessProbe.Outcome>> probes = new EnumMap<>(Policy.class);
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "verdicts");
            t.setDaemon(true);
            return t;
        });
        try {
            // the longest runs first, so the pool ends together
            List<Run> order = new ArrayList<>(runsFor(want));
            order.sort((a, b) -> Double.compare(duration(b, d), duration(a, d)));
            for (Run r : order) {
                Map<Policy, Future<Figures>> m = new EnumMap<>(Policy.class);
                for (Policy p : POLICIES) m.put(p, pool.submit(() -> execute(r, p, d)));
                futures.put(r, m);
            }
            if (want.contains(Row.ISOLATION)) for (Policy p : POLICIES) probes.put(p, pool.submit(() -> CrossProcessProbe.run(p)));
            Map<Run, Map<Policy, Figures>> figs = new EnumMap<>(Run.class);
            for (var e : futures.entrySet()) {
                Map<Policy, Figures> m = new EnumMap<>(Policy.class);
                for (var f : e.getValue().entrySet()) m.put(f.getKey(), get(f.getValue()));
                figs.put(e.getKey(), m);
            }
            Map<Policy, CrossProcessProbe.Outcome> probe = new EnumMap<>(Policy.class);
            for (var e : probes.entrySet()) probe.put(e.getKey(), get(e.getValue()));
            List<RowResult> out = new ArrayList<>();
            for (Row r : Row.values()) if (want.contains(r)) out.add(row(r, figs, probe, d));
            return new Result(out, d, (System.nanoTime() - t0) / 1e9, n);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The result of a run on the pool; a run's own runtime exception passes through. */
    static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    static RowResult row(Row r, Map<Run, Map<Policy, Figures>> figs, Map<Policy, CrossProcessProbe.Outcome> probe, Durations d) {
        Map<Policy, Cell> cells = new LinkedHashMap<>();
        for (Policy p : POLICIES) {
            cells.put(p, switch (r) {
                case JOB_MODEL -> jobModel(figs.get(Run.LLM_CHAT).get(p), p, d);
                case SRAM -> sram(figs.get(Run.CAMERA_CHAT).get(p), figs.get(Run.CAMERA_CHAT_SRAM).get(p), p, d);
                case PERSISTENCE -> persistence(figs.get(Run.LLM_CHAT).get(p), p, d);
                case SCHEDULING -> scheduling(figs.get(Run.CAMERA_ALONE).get(p), figs.get(Run.CAMERA_CHAT).get(p), figs.get(Run.LLM_CHAT).get(p), p, d);
                case VISION_SOUND -> visionSound(figs.get(Run.CAMERA_CHAT).get(p), figs.get(Run.AUDIO_CHAT).get(p), p, d);
                case LLM -> llm(figs.get(Run.LLM_CHAT).get(p), p, d);
                case ISOLATION -> isolation(probe.get(p));
            });
        }
        return new RowResult(r, rule(r), cells);
    }

    /** The rule of a row in words (the same thresholds as {@link VerdictRules}). */
    public static String rule(Row r) {
        return switch (r) {
            case JOB_MODEL -> "llm-chat: mean distinct cores an LLM job's tasks ran on; >= " + VerdictRules.EXPLICIT_JOB_MIN_CORES_PER_JOB
                    + " is explicit jobs (one submission the kernel spreads over cores), else ioctl-only";
            case SRAM -> "camera-and-chat with --sram-kb " + SRAM_KB + " vs 0: SRAM held by the NPU and the camera's DDR bytes per frame; "
                    + "nothing held or < " + pct(VerdictRules.SRAM_MIN_DDR_SAVING) + " saved is invisible, else explicit";
            case PERSISTENCE -> "llm-chat: IOMMU attaches per token >= " + num(VerdictRules.PERSISTENCE_MAX_ATTACHES_PER_TOKEN)
                    + " is none; else job_overhead <= " + pct(VerdictRules.RESIDENCY_MAX_JOB_OVERHEAD_SHARE)
                    + " of a token is managed residency, more is mapped once";
            case SCHEDULING -> "camera p99 alone (camera-alone) and beside the chat (camera-and-chat), chat decode rate beside the camera over "
                    + "alone (llm-chat): driver when the camera keeps every frame on time and the chat keeps >= "
                    + pct(VerdictRules.SCHEDULING_MIN_CHAT_RETAINED) + ", else userspace";
            case VISION_SOUND -> "camera frames (camera-and-chat) and audio windows (audio-and-chat) next to a chat: works when all are on time "
                    + "(none dropped or late, p99 under the deadline), tolerated when >= " + pct(VerdictRules.TOLERATED_MIN_ON_TIME)
                    + " are, else fails";
            case LLM -> "llm-chat, qwen2.5-1.5b: works at >= " + num(VerdictRules.LLM_MIN_DECODE_TOKENS_PER_S) + " decode tokens/s and TTFT <= "
                    + num(VerdictRules.LLM_MAX_TTFT_MS) + " ms, constrained below, fails without a token";
            case ISOLATION -> "a crafted job of one process reads another's buffer at its NPU address: isolated when the IOMMU faults and "
                    + "nothing foreign is read, leaks when the hardware reads the other process's memory";
        };
    }

    private static Cell jobModel(Figures f, Policy p, Durations d) {
        Map<String, Object> chat = client(f.summary(), "llm");
        long tokens = lng(chat, "inferences");
        double coresPerJob = f.chatCoresPerJob();
        double jobsPerToken = tokens == 0 ? 0 : f.chatJobs() / (double) tokens;
        double ioctlsPerToken = tokens == 0 ? 0 : lng(f.summary(), "kernel", "ioctls") / (double) tokens;
        Verdict v = VerdictRules.jobModel(coresPerJob);
        Map<String, Object> nums = nums("cores_per_job", round(coresPerJob, 2), "jobs_per_token", round(jobsPerToken, 1),
                "ioctls_per_token", round(ioctlsPerToken, 1));
        return new Cell(v, String.format(Locale.ROOT, "%.2f cores/job", coresPerJob),
                String.format(Locale.ROOT, "%.2f cores per job, %.0f jobs and %.0f ioctls per token", coresPerJob, jobsPerToken, ioctlsPerToken),
                List.of(command(Run.LLM_CHAT, p, d)), nums);
    }

    private static Cell sram(Figures without, Figures with, Policy p, Durations d) {
        Map<String, Object> c0 = latencyClient(without.summary());
        Map<String, Object> c1 = latencyClient(with.summary());
        double mb0 = dbl(c0, "ddr_mb_per_inference"), mb1 = dbl(c1, "ddr_mb_per_inference");
        double held = dbl(with.summary(), "npu", "sram_kb_used");
        Verdict v = VerdictRules.sram(held, mb0, mb1);
        double saved = mb0 - mb1;
        String fig = String.format(Locale.ROOT, "%.0f KiB held; camera DDR %.1f -> %.1f MB/frame (%.1f MB saved)", held, mb0, mb1, saved);
        String brief = held <= 0 ? "0 KiB used" : String.format(Locale.ROOT, "-%.1f MB/frame (-%.0f%%)", saved, mb0 > 0 ? 100 * saved / mb0 : 0);
        return new Cell(v, brief, fig, List.of(command(Run.CAMERA_CHAT, p, d), command(Run.CAMERA_CHAT_SRAM, p, d)),
                nums("sram_kb_held", held, "camera_ddr_mb_per_frame_without", mb0, "camera_ddr_mb_per_frame_with", mb1,
                        "camera_ddr_mb_saved_per_frame", round(saved, 4)));
    }

    private static Cell persistence(Figures f, Policy p, Durations d) {
        Map<String, Object> chat = client(f.summary(), "llm");
        long tokens = lng(chat, "inferences");
        double attaches = tokens == 0 ? 0 : lng(f.summary(), "npu", "iommu", "attaches") / (double) tokens;
        double jobMs = dbl(chat, "breakdown_ms", "job_overhead");
        double tokenMs = dbl(chat, "latency_ms", "mean");
        Verdict v = VerdictRules.persistence(attaches, jobMs, tokenMs);
        String fig = String.format(Locale.ROOT, "%.1f IOMMU attaches and %.2f ms job_overhead per token (of %.1f ms)", attaches, jobMs, tokenMs);
        String brief = String.format(Locale.ROOT, "%.0f attach, %.1f ms/token", attaches, jobMs);
        return new Cell(v, brief, fig, List.of(command(Run.LLM_CHAT, p, d)),
                nums("iommu_attaches_per_token", round(attaches, 2), "job_overhead_ms_per_token", jobMs, "token_ms", tokenMs));
    }

    private static Cell scheduling(Figures alone, Figures both, Figures chatAlone, Policy p, Durations d) {
        OnTime a = onTime(latencyClient(alone.summary()), cameraDeadlineMs());
        OnTime b = onTime(latencyClient(both.summary()), cameraDeadlineMs());
        double c0 = dbl(client(chatAlone.summary(), "llm"), "decode_tokens_per_s");
        double c1 = dbl(client(both.summary(), "llm"), "decode_tokens_per_s");
        Verdict v = VerdictRules.scheduling(a, b, c0, c1);
        String fig = String.format(Locale.ROOT, "camera p99 %.1f -> %.1f ms (%d dropped) with the chat; chat %.1f -> %.1f tokens/s",
                a.p99Ms(), b.p99Ms(), b.dropped(), c0, c1);
        String brief = String.format(Locale.ROOT, "p99 %.0f->%.0f ms, chat %.0f%%", a.p99Ms(), b.p99Ms(), c0 > 0 ? 100 * c1 / c0 : 0);
        return new Cell(v, brief, fig, List.of(command(Run.CAMERA_ALONE, p, d), command(Run.CAMERA_CHAT, p, d), command(Run.LLM_CHAT, p, d)),
                nums("camera_p99_ms_alone", a.p99Ms(), "camera_p99_ms_with_chat", b.p99Ms(), "camera_dropped_with_chat", b.dropped(),
                        "chat_tokens_per_s_alone", c0, "chat_tokens_per_s_with_camera", c1, "chat_retained", round(c0 > 0 ? c1 / c0 : 0, 3)));
    }

    private static Cell visionSound(Figures cam, Figures audio, Policy p, Durations d) {
        OnTime c = onTime(latencyClient(cam.summary()), cameraDeadlineMs());
        OnTime a = onTime(client(audio.summary(), "audio"), audioDeadlineMs());
        Verdict v = VerdictRules.visionAndSound(c, a);
        String fig = String.format(Locale.ROOT, "camera %s; audio p99 %.0f ms, %d of %d windows dropped", c.text(), a.p99Ms(), a.dropped(), a.arrived());
        String brief = String.format(Locale.ROOT, "p99 %.0f ms, %d+%d dropped", c.p99Ms(), c.dropped(), a.dropped());
        return new Cell(v, brief, fig, List.of(command(Run.CAMERA_CHAT, p, d), command(Run.AUDIO_CHAT, p, d)),
                nums("camera_p99_ms", c.p99Ms(), "camera_dropped", c.dropped(), "camera_late", c.misses(), "camera_frames", c.arrived(),
                        "audio_p99_ms", a.p99Ms(), "audio_dropped", a.dropped(), "audio_late", a.misses(), "audio_windows", a.arrived()));
    }

    private static Cell llm(Figures f, Policy p, Durations d) {
        Map<String, Object> chat = client(f.summary(), "llm");
        long tokens = lng(chat, "inferences");
        double tps = dbl(chat, "decode_tokens_per_s");
        double ttft = dbl(chat, "ttft_ms", "mean");
        Verdict v = VerdictRules.llm(tokens, tps, ttft);
        String fig = String.format(Locale.ROOT, "%.1f decode tokens/s, TTFT %.0f ms", tps, ttft);
        Object failure = chat == null ? null : chat.get("failure");
        if (failure != null) fig += " (" + failure + ")";
        String brief = String.format(Locale.ROOT, "%.1f tok/s, TTFT %.0f ms", tps, ttft);
        return new Cell(v, brief, fig, List.of(command(Run.LLM_CHAT, p, d)), nums("decode_tokens_per_s", tps, "ttft_ms", ttft, "tokens", tokens));
    }

    private static Cell isolation(CrossProcessProbe.Outcome o) {
        Verdict v = VerdictRules.isolation(o.iommuFaults(), o.foreignAccesses());
        String fig = o.foreignAccesses() > 0
                ? String.format(Locale.ROOT, "crafted job read %d KiB of the victim's at 0x%x, completed (ret %d)", o.foreignBytes() / 1024, o.victimIova(), o.waitRet())
                : String.format(Locale.ROOT, "crafted job's read of 0x%x faulted in the attacker's domain (%d fault), the driver failed the job on its timeout, 0 bytes read",
                        o.victimIova(), o.iommuFaults());
        String brief = o.foreignAccesses() > 0 ? String.format(Locale.ROOT, "read %d KiB, no fault", o.foreignBytes() / 1024)
                : o.iommuFaults() > 0 ? "IOMMU fault, job failed" : "nothing read";
        return new Cell(v, brief, fig, List.of("./npusim verdicts --rows isolation"),
                nums("victim_iova", o.victimIova(), "iommu_faults", o.iommuFaults(), "foreign_accesses", o.foreignAccesses(),
                        "foreign_bytes", o.foreignBytes(), "jobs_completed", o.jobsCompleted(), "jobs_errored", o.jobsErrored(),
                        "wait_ret", o.waitRet()));
    }

    // ---- summary access --------------------------------------------------------------------------

    static double cameraDeadlineMs() {
        for (ClientSpec c : new ScenarioLoader().load("camera-and-chat").clients()) {
            if (c.arrival() instanceof Arrival.Camera cam) return cam.deadline();
        }
        throw new IllegalStateException("camera-and-chat has no camera");
    }

    static double audioDeadlineMs() {
        for (ClientSpec c : new ScenarioLoader().load("audio-and-chat").clients()) {
            if (c.arrival() instanceof Arrival.Audio a) return a.deadline();
        }
        throw new IllegalStateException("audio-and-chat has no audio client");
    }

    static OnTime onTime(Map<String, Object> c, double deadlineMs) {
        if (c == null) return new OnTime(0, 0, 0, 0, deadlineMs);
        return new OnTime(lng(c, "inferences"), lng(c, "dropped_frames"), lng(c, "deadline_misses"), dbl(c, "latency_ms", "p99"), deadlineMs);
    }

    /** The first client of a kind ("vision", "audio", "llm") in a summary, or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> client(Map<String, Object> summary, String kind) {
        for (Map<String, Object> c : (List<Map<String, Object>>) summary.get("clients")) if (kind.equals(c.get("kind"))) return c;
        return null;
    }

    /** The first client with frames or windows (a vision or audio client). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> latencyClient(Map<String, Object> summary) {
        for (Map<String, Object> c : (List<Map<String, Object>>) summary.get("clients")) if (!"llm".equals(c.get("kind"))) return c;
        return null;
    }

    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> m, String... path) {
        Object o = m;
        for (String k : path) {
            if (!(o instanceof Map)) return null;
            o = ((Map<String, Object>) o).get(k);
        }
        return o;
    }

    static double dbl(Map<String, Object> m, String... path) {
        Object o = m == null ? null : at(m, path);
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    static long lng(Map<String, Object> m, String... path) {
        Object o = m == null ? null : at(m, path);
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static Map<String, Object> nums(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static double round(double v, int digits) {
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }

    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }
}
