package io.npusim.system.verdicts;

import java.util.Locale;

/**
 * The rules that turn measured figures into the verdicts of {@code npusim verdicts}. Every
 * verdict is computed here from numbers a run produced; nothing is written in per policy. The
 * thresholds are constants with the reason for their value, and docs/VERDICTS.md states the same
 * rules for readers. A verdict has a level (poor, partial, good) for machines and a label for people.
 */
public final class VerdictRules {
    private VerdictRules() {}

    /** How good a verdict is, for sorting and tests. */
    public enum Level { POOR, PARTIAL, GOOD }

    /** A verdict: its label, its level, and the rule that gave it, with the numbers filled in. */
    public record Verdict(String label, Level level, String because) {}

    // ---- thresholds --------------------------------------------------------------------------

    /**
     * Job model: a submission is an explicit job when the kernel spreads it over cores itself, i.e.
     * an LLM decode job's tasks ran on this many distinct cores on average. 1.0 means every job is
     * one core's work (the runtime issues one ioctl per core and does the placement itself); the
     * proposed job carries per-core task ranges and lands near 3.
     */
    public static final double EXPLICIT_JOB_MIN_CORES_PER_JOB = 1.5;

    /** SRAM: the NPU must hold some SRAM and the latency client must save at least this share of its DDR bytes per frame. */
    public static final double SRAM_MIN_DDR_SAVING = 0.01;

    /** Persistence: at least one IOMMU attach per token means the domain (and a cold IOTLB) comes back with every job. */
    public static final double PERSISTENCE_MAX_ATTACHES_PER_TOKEN = 1.0;

    /**
     * Persistence: managed residency leaves per-job kernel work (job_overhead: ioctl, fences,
     * attach, wake-up) at most this share of a decode token; above it, buffers stay mapped but each
     * job still pays for being an isolated call.
     */
    public static final double RESIDENCY_MAX_JOB_OVERHEAD_SHARE = 0.05;

    /**
     * Scheduling: beside the camera the chat must keep at least this share of the decode rate it
     * has alone. The camera alone takes about 16% of the NPU's core time (48% of one core) and 14%
     * of the DDR bandwidth; a scheduler that shares by need costs the chat well under 40%, while
     * per-core FIFO queues make the chat's per-core parts wait behind whole camera frames.
     */
    public static final double SCHEDULING_MIN_CHAT_RETAINED = 0.60;

    /** Vision and sound: below "works" (every frame and window on time), this share on time is "tolerated". */
    public static final double TOLERATED_MIN_ON_TIME = 0.90;

    /** LLM: decode at least this fast: 1.5 times a reader's pace (about 4-5 words, 6-7 tokens, per second). */
    public static final double LLM_MIN_DECODE_TOKENS_PER_S = 10.0;

    /** LLM: the first token of a 128-token prompt within this time (the ~1 s limit of an uninterrupted exchange). */
    public static final double LLM_MAX_TTFT_MS = 1000.0;

    // ---- inputs ------------------------------------------------------------------------------

    /**
     * A latency client's frames or windows: completed, dropped, past their deadline, p99.
     *
     * @param deadlineMs the deadline of one frame or window
     */
    public record OnTime(long done, long dropped, long misses, double p99Ms, double deadlineMs) {
        /** Frames or windows that arrived. */
        public long arrived() {
            return done + dropped;
        }

        /** Share of the arrived frames or windows delivered within the deadline. */
        public double share() {
            long a = arrived();
            return a == 0 ? 0 : (done - misses) / (double) a;
        }

        /** Nothing dropped, nothing late, the p99 under the deadline. */
        public boolean all() {
            return done > 0 && dropped == 0 && misses == 0 && p99Ms <= deadlineMs;
        }

        public String text() {
            return String.format(Locale.ROOT, "p99 %.1f ms, %d dropped of %d", p99Ms, dropped, arrived());
        }
    }

    // ---- rules -------------------------------------------------------------------------------

    public static Verdict jobModel(double coresPerJob) {
        String n = f2(coresPerJob) + " cores per job";
        if (coresPerJob >= EXPLICIT_JOB_MIN_CORES_PER_JOB) {
            return new Verdict("explicit jobs", Level.GOOD, n + " >= " + EXPLICIT_JOB_MIN_CORES_PER_JOB + ": one submission spans cores, the kernel places it");
        }
        return new Verdict("ioctl-only", Level.POOR, n + " < " + EXPLICIT_JOB_MIN_CORES_PER_JOB + ": each ioctl is one core's work, placed by the runtime");
    }

    /**
     * @param sramKbUsed    peak SRAM the NPU's buffers held with SRAM available
     * @param ddrMbWithout  the latency client's NPU DDR MB per frame without SRAM
     * @param ddrMbWith     the same with SRAM
     */
    public static Verdict sram(double sramKbUsed, double ddrMbWithout, double ddrMbWith) {
        double saving = ddrMbWithout > 0 ? (ddrMbWithout - ddrMbWith) / ddrMbWithout : 0;
        if (sramKbUsed <= 0 || saving < SRAM_MIN_DDR_SAVING) {
            return new Verdict("invisible", Level.POOR, String.format(Locale.ROOT, "%.0f KiB held, %.1f%% DDR saved (< %.0f%%)",
                    sramKbUsed, 100 * saving, 100 * SRAM_MIN_DDR_SAVING));
        }
        return new Verdict("explicit", Level.GOOD, String.format(Locale.ROOT, "%.0f KiB held, %.1f%% DDR saved (>= %.0f%%)",
                sramKbUsed, 100 * saving, 100 * SRAM_MIN_DDR_SAVING));
    }

    public static Verdict persistence(double attachesPerToken, double jobOverheadMsPerToken, double tokenMs) {
        double share = tokenMs > 0 ? jobOverheadMsPerToken / tokenMs : 0;
        if (attachesPerToken >= PERSISTENCE_MAX_ATTACHES_PER_TOKEN) {
            return new Verdict("none", Level.POOR, f1(attachesPerToken) + " IOMMU attaches per token (>= 1): the domain is attached per job");
        }
        if (share <= RESIDENCY_MAX_JOB_OVERHEAD_SHARE) {
            return new Verdict("managed residency", Level.GOOD, String.format(Locale.ROOT,
                    "no attach per job, job_overhead %.1f%% of a token (<= %.0f%%)", 100 * share, 100 * RESIDENCY_MAX_JOB_OVERHEAD_SHARE));
        }
        return new Verdict("mapped once", Level.PARTIAL, String.format(Locale.ROOT,
                "no attach per job, but job_overhead %.1f%% of a token (> %.0f%%)", 100 * share, 100 * RESIDENCY_MAX_JOB_OVERHEAD_SHARE));
    }

    /**
     * @param chatAlone       the chat's decode tokens/s alone
     * @param chatWithCamera  the same beside the camera
     */
    public static Verdict scheduling(OnTime cameraAlone, OnTime cameraWithChat, double chatAlone, double chatWithCamera) {
        double kept = chatAlone > 0 ? chatWithCamera / chatAlone : 0;
        String k = String.format(Locale.ROOT, "chat keeps %.0f%% of its rate", 100 * kept);
        if (!cameraAlone.all()) {
            return new Verdict("userspace", Level.POOR, "the camera misses its deadline even alone (" + cameraAlone.text() + ")");
        }
        if (!cameraWithChat.all()) {
            return new Verdict("userspace", Level.POOR, "the camera misses its deadline beside the chat (" + cameraWithChat.text() + ")");
        }
        if (kept < SCHEDULING_MIN_CHAT_RETAINED) {
            return new Verdict("userspace", Level.PARTIAL, "camera on time, but " + k + " (< " + pct(SCHEDULING_MIN_CHAT_RETAINED) + ")");
        }
        return new Verdict("driver", Level.GOOD, "camera on time and " + k + " (>= " + pct(SCHEDULING_MIN_CHAT_RETAINED) + ")");
    }

    public static Verdict visionAndSound(OnTime camera, OnTime audio) {
        if (camera.all() && audio.all()) return new Verdict("works", Level.GOOD, "every frame and window on time");
        double worst = Math.min(camera.share(), audio.share());
        if (worst >= TOLERATED_MIN_ON_TIME) {
            return new Verdict("tolerated", Level.PARTIAL, String.format(Locale.ROOT, "%.1f%% on time at worst (>= %s)", 100 * worst, pct(TOLERATED_MIN_ON_TIME)));
        }
        return new Verdict("fails", Level.POOR, String.format(Locale.ROOT, "%.1f%% on time at worst (< %s)", 100 * worst, pct(TOLERATED_MIN_ON_TIME)));
    }

    public static Verdict llm(long tokens, double decodeTokensPerS, double ttftMs) {
        if (tokens <= 0) return new Verdict("fails", Level.POOR, "no token decoded");
        boolean fast = decodeTokensPerS >= LLM_MIN_DECODE_TOKENS_PER_S;
        boolean quick = ttftMs <= LLM_MAX_TTFT_MS;
        String n = f1(decodeTokensPerS) + " tokens/s " + (fast ? ">=" : "<") + " " + f1(LLM_MIN_DECODE_TOKENS_PER_S)
                + ", TTFT " + f1(ttftMs) + " ms " + (quick ? "<=" : ">") + " " + f1(LLM_MAX_TTFT_MS);
        if (fast && quick) return new Verdict("works", Level.GOOD, n);
        return new Verdict("constrained", Level.PARTIAL, n);
    }

    public static Verdict isolation(long faults, long foreignAccesses) {
        if (foreignAccesses > 0) {
            return new Verdict("leaks", Level.POOR, foreignAccesses + " read(s) of another process's buffer, " + faults + " fault(s)");
        }
        if (faults > 0) return new Verdict("isolated", Level.GOOD, faults + " IOMMU fault(s), nothing of the victim's read");
        return new Verdict("inconclusive", Level.PARTIAL, "no fault and no foreign read: the crafted job read nothing");
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }
}
