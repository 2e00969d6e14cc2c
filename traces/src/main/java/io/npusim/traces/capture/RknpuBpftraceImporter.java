package io.npusim.traces.capture;

import io.npusim.core.UserError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what scripts/capture/rknpu-submit.bt prints on a board running the vendor rknpu driver:
 * optional "# key: value" metadata lines from capture-rknpu.sh, bpftrace's "Attaching N
 * probes..." line, the script's banner, then one line per event:
 * <pre>
 * SUBMIT ts=&lt;ns&gt; end=&lt;ns&gt; pid=&lt;n&gt; tid=&lt;n&gt; ret=&lt;n&gt; flags=0x&lt;x&gt; timeout=&lt;ms&gt; task_start=&lt;n&gt; task_number=&lt;n&gt;
 *        task_counter=&lt;n&gt; priority=&lt;n&gt; core_mask=0x&lt;x&gt; hw_elapse_ns=&lt;n&gt; sub=&lt;s:n&gt;,...x5 comm=&lt;comm&gt;
 * MEM_CREATE ts=.. end=.. pid=.. tid=.. ret=.. handle=.. flags=0x.. size=.. dma_addr=0x.. sram_size=.. domain=.. comm=..
 * DONE ts=&lt;ns&gt; core=&lt;n&gt; ret=&lt;n&gt;          (only when the completion probe could attach)
 * </pre>
 * Each successful submit becomes a job: submitted at ts, returned at end, its measured service
 * time hw_elapse_time (commit to completion, as the driver measures it); a non-blocking submit
 * (no hw_elapse_time returned) keeps submit-to-return as an upper bound.
 */
public final class RknpuBpftraceImporter {
    public static final String SOURCE = "rknpu-bpftrace";
    public static final String BANNER = "npusim-rknpu-capture v1";

    private static final List<String> SUBMIT_KEYS = List.of("ts", "end", "pid", "tid", "ret", "flags", "timeout", "task_start",
            "task_number", "task_counter", "priority", "core_mask", "hw_elapse_ns", "sub", "comm");
    private static final List<String> CREATE_KEYS = List.of("ts", "end", "pid", "tid", "ret", "handle", "flags", "size", "dma_addr",
            "sram_size", "domain", "comm");
    private static final List<String> DONE_KEYS = List.of("ts", "core", "ret");

    /** Parses the capture text; {@code file} names it in messages. */
    public Capture parse(List<String> lines, String file) {
        Capture.Meta meta = new Capture.Meta();
        Capture cap = null;
        boolean banner = false;
        int no = 0;
        long batch = 0;
        for (String raw : lines) {
            no++;
            String l = raw.strip();
            if (l.isEmpty()) continue;
            if (l.startsWith("#")) {
                meta.line(l);
                continue;
            }
            if (l.startsWith("Attaching ") && l.endsWith("...")) continue;
            if (l.equals(BANNER)) {
                banner = true;
                Capture.checkPlatform(file, meta);
                cap = new Capture(SOURCE, "rknpu", file, meta);
                continue;
            }
            if (!banner) {
                throw new UserError(file + ":" + no + ": expected the banner '" + BANNER + "' of rknpu-submit.bt before any event"
                        + " (is this the output of scripts/capture/rknpu-submit.bt?)");
            }
            String kind = l.indexOf(' ') > 0 ? l.substring(0, l.indexOf(' ')) : l;
            try {
                switch (kind) {
                    case "SUBMIT" -> {
                        Map<String, String> f = fields(l.substring(kind.length()), SUBMIT_KEYS);
                        cap.count("submits", 1);
                        int ret = i32(f, "ret");
                        if (ret != 0) {
                            cap.count("failed_submits", 1);
                            continue;
                        }
                        long ts = u64(f, "ts");
                        long end = u64(f, "end");
                        if (end < ts) throw new IllegalArgumentException("returns at " + end + " ns, before it was called at " + ts + " ns");
                        int flags = hex(f, "flags");
                        int taskNumber = i32(f, "task_number");
                        if (taskNumber < 1) throw new IllegalArgumentException("task_number " + taskNumber + " (the driver rejects 0)");
                        int mask = hex(f, "core_mask");
                        if (mask < 0 || mask > 7) throw new IllegalArgumentException("core_mask 0x" + Integer.toHexString(mask) + " is above 0x7 (the driver rejects it)");
                        long hw = i64(f, "hw_elapse_ns");
                        subcore(f.get("sub"));
                        boolean nonblock = (flags & 0x2) != 0;
                        long service = !nonblock && hw > 0 ? Math.min(hw, end - ts) : end - ts;
                        if (nonblock || hw <= 0) cap.count("jobs_without_hw_elapse_time", 1);
                        int tid = i32(f, "tid");
                        cap.add(new Capture.Job(comm(f), i32(f, "pid"), tid, batch++, ts, end - service, end, service, mask, taskNumber, null));
                    }
                    case "MEM_CREATE" -> {
                        Map<String, String> f = fields(l.substring(kind.length()), CREATE_KEYS);
                        u64(f, "ts");
                        u64(f, "size");
                        cap.count("mem_creates", 1);
                    }
                    case "DONE" -> {
                        Map<String, String> f = fields(l.substring(kind.length()), DONE_KEYS);
                        u64(f, "ts");
                        cap.count("completions", 1);
                    }
                    default -> throw new IllegalArgumentException("unknown event '" + clip(kind) + "' (rknpu-submit.bt prints SUBMIT, MEM_CREATE, DONE)");
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new UserError(file + ":" + no + ": " + e.getMessage());
            }
        }
        if (cap == null) throw new UserError(file + ": no rknpu-submit.bt output found (its banner '" + BANNER + "' is missing)");
        return cap;
    }

    /** key=value pairs in the given order; comm, last, takes the rest of the line (it may hold spaces). */
    static Map<String, String> fields(String s, List<String> keys) {
        Map<String, String> m = new HashMap<>();
        String rest = s.strip();
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            if (!rest.startsWith(key + "=")) {
                throw new IllegalArgumentException("expected '" + key + "=' at '" + clip(rest) + "'");
            }
            rest = rest.substring(key.length() + 1);
            if (key.equals("comm")) {
                m.put(key, rest);
                rest = "";
                break;
            }
            int sp = rest.indexOf(' ');
            String v = sp < 0 ? rest : rest.substring(0, sp);
            m.put(key, v);
            rest = sp < 0 ? "" : rest.substring(sp + 1).stripLeading();
        }
        if (!rest.isEmpty()) throw new IllegalArgumentException("unexpected text after the last field: '" + clip(rest) + "'");
        for (String key : keys) if (!m.containsKey(key)) throw new IllegalArgumentException("missing field '" + key + "'");
        return m;
    }

    static String comm(Map<String, String> f) {
        String c = f.get("comm");
        if (c.isEmpty() || c.length() > 16) throw new IllegalArgumentException("comm '" + clip(c) + "' is not a task name (1 to 16 characters)");
        for (char ch : c.toCharArray()) if (ch < 0x20 || ch == 0x7f) throw new IllegalArgumentException("comm holds a control character");
        return c.replace(' ', '_');
    }

    static long u64(Map<String, String> f, String k) {
        long v = i64(f, k);
        if (v < 0) throw new IllegalArgumentException("field '" + k + "' must not be negative, got " + v);
        return v;
    }

    static long i64(Map<String, String> f, String k) {
        try {
            return Long.parseLong(f.get(k));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + k + "' is not a number: '" + clip(f.get(k)) + "'");
        }
    }

    static int i32(Map<String, String> f, String k) {
        long v = i64(f, k);
        if (v < Integer.MIN_VALUE || v > 0xffff_ffffL) throw new IllegalArgumentException("field '" + k + "' is out of range: " + v);
        return (int) v;
    }

    static int hex(Map<String, String> f, String k) {
        String v = f.get(k);
        if (!v.startsWith("0x")) throw new IllegalArgumentException("field '" + k + "' must be hexadecimal (0x...), got '" + clip(v) + "'");
        try {
            long x = Long.parseLong(v.substring(2), 16);
            if (x > 0xffff_ffffL) throw new NumberFormatException();
            return (int) x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + k + "' is not a 32-bit hexadecimal number: '" + clip(v) + "'");
        }
    }

    static void subcore(String s) {
        String[] parts = s.split(",", -1);
        if (parts.length != 5) throw new IllegalArgumentException("sub must list 5 start:number pairs, got '" + clip(s) + "'");
        for (String p : parts) {
            int c = p.indexOf(':');
            if (c <= 0) throw new IllegalArgumentException("sub entry '" + clip(p) + "' is not start:number");
            try {
                Long.parseLong(p.substring(0, c));
                Long.parseLong(p.substring(c + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sub entry '" + clip(p) + "' is not start:number");
            }
        }
    }

    static String clip(String s) {
        if (s == null) return "";
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder b = new StringBuilder();
        for (char c : t.toCharArray()) b.append(c < 0x20 || c == 0x7f ? '?' : c);
        return b.toString();
    }
}
