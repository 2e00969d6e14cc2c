package io.npusim.traces.capture;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npusim.core.UserError;
import io.npusim.traces.format.TraceFormat;
import io.npusim.traces.format.TraceWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * What an importer found in a board capture, written as the workload level of an npusim trace:
 * one client per submitting thread, one job line per job with its measured service time, times
 * in picoseconds from the capture's first event.
 */
public final class Capture {
    /** A job as captured; times in nanoseconds of the board's monotonic clock. */
    public record Job(String comm, int pid, int tid, long batch, long submitNs, Long startNs, long endNs, long serviceNs, int coreMask,
                      int tasks, Integer core) {}

    /** Metadata the capture scripts write as "# key: value" lines before the tool's output. */
    public static final class Meta {
        private final Map<String, String> values = new LinkedHashMap<>();

        /** Reads one "# key: value" line (other comments are ignored). */
        public void line(String l) {
            String s = l.substring(1).trim();
            int colon = s.indexOf(':');
            if (colon <= 0) return;
            String key = s.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (!key.matches("[a-z_]+")) return;
            values.put(key, s.substring(colon + 1).trim());
        }

        public String get(String key) {
            return values.get(key);
        }

        public Map<String, String> all() {
            return values;
        }
    }

    private final String source;
    private final String policy;
    private final String file;
    private final Meta meta;
    private final List<Job> jobs = new ArrayList<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();

    public Capture(String source, String policy, String file, Meta meta) {
        this.source = source;
        this.policy = policy;
        this.file = file;
        this.meta = meta;
    }

    public void add(Job j) {
        jobs.add(j);
    }

    /** A count for the header (submits seen, failed, incomplete jobs...). */
    public void count(String what, long n) {
        counts.merge(what, n, Long::sum);
    }

    public List<Job> jobs() {
        return List.copyOf(jobs);
    }

    /** Refuses a capture whose metadata names another platform. */
    public static void checkPlatform(String file, Meta meta) {
        String p = meta.get("platform");
        if (p == null) return;
        String low = p.toLowerCase(Locale.ROOT);
        if (!low.contains("rk3588")) {
            throw new UserError(file + ": the capture is from platform '" + p + "'; npusim models " + TraceFormat.PLATFORM
                    + " only and will not import it as one");
        }
    }

    /**
     * The NPU clock of the capture: {@code override}, else the metadata's, else the driver's usual
     * one (rknpu 1000 MHz, rocket's mainline device tree 200 MHz).
     */
    long npuMhz(Integer override) {
        if (override != null) return override;
        String v = meta.get("npu_mhz");
        if (v != null) {
            try {
                long mhz = Long.parseLong(v.trim());
                if (mhz >= 1 && mhz <= 10_000) return mhz;
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
            throw new UserError(file + ": metadata npu_mhz '" + v + "' is not a clock rate in MHz");
        }
        return policy.equals("rocket") ? 200 : 1000;
    }

    /** Writes the workload-level trace. */
    public void write(TraceWriter out, Integer npuMhzOverride) {
        if (jobs.isEmpty()) throw new UserError(file + ": no complete jobs found in the capture");
        List<Job> sorted = new ArrayList<>(jobs);
        sorted.sort(Comparator.comparingLong(Job::submitNs).thenComparingInt(Job::tid));
        long origin = sorted.get(0).submitNs();
        long last = 0;
        for (Job j : sorted) last = Math.max(last, j.endNs() - origin);
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode h = f.objectNode();
        h.put("t", TraceFormat.HEADER);
        h.put("format", TraceFormat.NAME);
        h.put("version", TraceFormat.VERSION);
        h.put("simulator", "npusim trace import");
        h.put("platform", TraceFormat.PLATFORM);
        h.putArray("levels").add(TraceFormat.LEVEL_WORKLOAD);
        h.put("source", source);
        h.put("policy", policy);
        ObjectNode d = h.putObject("driver");
        d.put("name", policy);
        d.put("version", meta.get("driver") == null ? "unknown" : meta.get("driver"));
        h.put("npu_mhz", npuMhz(npuMhzOverride));
        h.put("duration_ps", ps(last) + ps(10_000_000)); // 10 ms after the last job ends
        h.put("seed", 1);
        ObjectNode cap = h.putObject("capture");
        cap.put("file", file);
        cap.put("origin_ns", origin);
        for (Map.Entry<String, String> e : meta.all().entrySet()) cap.put(e.getKey(), e.getValue());
        for (Map.Entry<String, Long> e : counts.entrySet()) cap.put(e.getKey(), e.getValue());
        out.line(h);
        Map<String, Job> clients = new LinkedHashMap<>();
        for (Job j : sorted) clients.putIfAbsent(client(j), j);
        for (Map.Entry<String, Job> e : clients.entrySet()) {
            ObjectNode c = f.objectNode();
            c.put("t", TraceFormat.CLIENT);
            c.put("name", e.getKey());
            c.put("pid", e.getValue().pid());
            c.put("tid", e.getValue().tid());
            c.put("kind", "measured");
            c.put("comm", e.getValue().comm());
            out.line(c);
        }
        Map<String, Long> seq = new LinkedHashMap<>();
        for (Job j : sorted) {
            ObjectNode n = f.objectNode();
            n.put("t", TraceFormat.JOB);
            String name = client(j);
            n.put("client", name);
            n.put("seq", seq.merge(name, 1L, Long::sum) - 1);
            n.put("batch", j.batch());
            n.put("submit_ps", ps(j.submitNs() - origin));
            if (j.startNs() == null) n.putNull("start_ps");
            else n.put("start_ps", ps(j.startNs() - origin));
            n.put("end_ps", ps(j.endNs() - origin));
            n.put("service_ps", ps(Math.min(j.serviceNs(), j.endNs() - j.submitNs())));
            n.put("core_mask", j.coreMask());
            n.put("tasks", j.tasks());
            if (j.core() == null) n.putNull("core");
            else n.put("core", j.core());
            out.line(n);
        }
        ObjectNode end = f.objectNode();
        end.put("t", TraceFormat.END);
        end.put("lines", out.lines() + 1);
        end.put("calls", 0);
        out.line(end);
    }

    static String client(Job j) {
        return j.comm() + "-" + j.tid();
    }

    static long ps(long ns) {
        return Math.multiplyExact(ns, 1000L);
    }
}
