package io.npusim.traces.capture;

import io.npusim.core.UserError;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code trace-cmd report} output of the gpu_scheduler events on a board running the
 * upstream rocket driver (scripts/capture/capture-rocket.sh). Accepts the events under their names
 * since the 2025 rename ({@code drm_sched_job_queue}, {@code drm_sched_job_run},
 * {@code drm_sched_job_done}: "dev=.., fence=CTX:SEQNO, ring=.., job count:.., hw job count:..,
 * client_id:..", and "fence=CTX:SEQNO signaled") and the older ones ({@code drm_sched_job},
 * {@code drm_run_job}, {@code drm_sched_process_job}: "entity=0x.., id=N, fence=0x.., ring=..,
 * job count:.., hw job count:.." and "fence=0x.. signaled"). A job is matched from queue to run
 * to done by its fence; its client is the thread that queued it; its measured service time is run
 * to done. {@code sys_enter_ioctl}/{@code sys_exit_ioctl} of the rocket SUBMIT (cmd 0x40186441)
 * group the jobs of one SUBMIT into a batch; without them, a thread's jobs queued before any of
 * its earlier batch finished form one batch.
 */
public final class DrmSchedFtraceImporter {
    public static final String SOURCE = "drm-sched-ftrace";
    /** DRM_IOCTL_ROCKET_SUBMIT. */
    static final long ROCKET_SUBMIT = 0x40186441L;
    /** Without ioctl events: a thread's jobs queued this close together (ns) count as one SUBMIT. */
    static final long BATCH_GAP_NS = 100_000;

    private static final Pattern EVENT = Pattern.compile(
            "^\\s*(?<comm>.*?)-(?<pid>\\d+)\\s+(?:\\(\\s*[-\\d]+\\)\\s+)?\\[(?<cpu>\\d+)\\]\\s+(?:[\\w.]{4,6}\\s+)?(?<ts>\\d+\\.\\d+):\\s+(?<event>\\w+):\\s*(?<data>.*)$");
    private static final List<String> QUEUE = List.of("drm_sched_job_queue", "drm_sched_job");
    private static final List<String> RUN = List.of("drm_sched_job_run", "drm_run_job");
    private static final List<String> DONE = List.of("drm_sched_job_done", "drm_sched_process_job");
    /** The RK3588 NPU cores' device names (the scheduler's ring name is dev_name of the core). */
    private static final List<String> CORES = List.of("fdab0000.npu", "fdac0000.npu", "fdad0000.npu");

    private static final class Open {
        String comm;
        int tid;
        long batch;
        long queueNs;
        Long runNs;
        Integer core;
    }

    public Capture parse(List<String> lines, String file) {
        Capture.Meta meta = new Capture.Meta();
        boolean metaChecked = false;
        Capture cap = null;
        Map<String, Open> open = new HashMap<>();
        Map<Integer, Long> inSubmit = new HashMap<>(); // tid -> batch of the SUBMIT it is in
        Map<Integer, Long> lastBatch = new HashMap<>();
        Map<Integer, Integer> outstanding = new HashMap<>(); // tid -> jobs of its last batch not done
        Map<Integer, Long> lastQueue = new HashMap<>(); // tid -> when it last queued a job
        Map<String, Integer> rings = new LinkedHashMap<>();
        long batches = 0;
        int no = 0;
        int events = 0;
        for (String raw : lines) {
            no++;
            String l = raw.strip();
            if (l.isEmpty()) continue;
            if (l.startsWith("#")) {
                meta.line(l);
                continue;
            }
            if (!metaChecked) {
                Capture.checkPlatform(file, meta);
                cap = new Capture(SOURCE, "rocket", file, meta);
                metaChecked = true;
            }
            if (l.startsWith("cpus=") || l.startsWith("version =") || l.startsWith("CPU ") || l.startsWith("TRACE:")) continue;
            Matcher m = EVENT.matcher(raw);
            if (!m.matches()) {
                if (mentionsOurs(l)) throw new UserError(file + ":" + no + ": a gpu_scheduler event line that does not parse as trace-cmd report output");
                continue;
            }
            String event = m.group("event");
            boolean q = QUEUE.contains(event), r = RUN.contains(event), d = DONE.contains(event);
            boolean ioctl = event.equals("sys_enter_ioctl") || event.equals("sys_exit_ioctl");
            if (!q && !r && !d && !ioctl) continue;
            try {
                long ts = nanos(m.group("ts"));
                int tid = Integer.parseInt(m.group("pid"));
                String comm = m.group("comm").strip();
                Map<String, String> f = fields(m.group("data"));
                if (event.equals("sys_enter_ioctl")) {
                    String cmd = f.get("cmd");
                    if (cmd != null && parseHex(cmd, "cmd") == ROCKET_SUBMIT) inSubmit.put(tid, batches++);
                    continue;
                }
                if (event.equals("sys_exit_ioctl")) {
                    inSubmit.remove(tid);
                    continue;
                }
                String fence = f.get("fence");
                if (fence == null || fence.isEmpty()) throw new IllegalArgumentException(event + " without a fence");
                if (d) {
                    if (!fence.endsWith(" signaled")) throw new IllegalArgumentException(event + ": expected 'fence=... signaled'");
                    fence = fence.substring(0, fence.length() - " signaled".length()).strip();
                }
                checkFence(fence);
                events++;
                if (q) {
                    Open o = new Open();
                    o.comm = comm.isEmpty() ? "task" : comm.replace(' ', '_');
                    o.tid = tid;
                    o.queueNs = ts;
                    Long b = inSubmit.get(tid);
                    if (b == null) {
                        // no ioctl events: jobs a thread queues back to back (within BATCH_GAP_NS of each other,
                        // none of the batch done yet) came from one SUBMIT
                        Long last = lastBatch.get(tid);
                        Long lq = lastQueue.get(tid);
                        boolean same = last != null && lq != null && ts - lq <= BATCH_GAP_NS && outstanding.getOrDefault(tid, 0) > 0;
                        b = same ? last : batches++;
                    }
                    lastQueue.put(tid, ts);
                    if (!b.equals(lastBatch.get(tid))) outstanding.put(tid, 0);
                    lastBatch.put(tid, b);
                    outstanding.merge(tid, 1, Integer::sum);
                    o.batch = b;
                    ring(f, rings);
                    open.put(fence, o);
                } else if (r) {
                    Open o = open.get(fence);
                    if (o == null) {
                        cap.count("runs_without_queue", 1);
                        continue;
                    }
                    if (ts < o.queueNs) throw new IllegalArgumentException("job runs at " + ts + " ns, before it was queued (the report is reordered)");
                    o.runNs = ts;
                    o.core = ring(f, rings);
                } else {
                    Open o = open.remove(fence);
                    if (o == null) {
                        cap.count("done_without_queue", 1);
                        continue;
                    }
                    outstanding.merge(o.tid, -1, Integer::sum);
                    long start = o.runNs == null ? o.queueNs : o.runNs;
                    if (ts < start) throw new IllegalArgumentException("job done at " + ts + " ns, before it ran (the report is reordered)");
                    cap.add(new Capture.Job(o.comm, o.tid, o.tid, o.batch, o.queueNs, o.runNs, ts, ts - start, 0, 1, o.core));
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new UserError(file + ":" + no + ": " + e.getMessage());
            }
        }
        if (cap == null || events == 0) {
            throw new UserError(file + ": no gpu_scheduler job events found (is this `trace-cmd report` output of scripts/capture/capture-rocket.sh?)");
        }
        if (!open.isEmpty()) cap.count("incomplete_jobs", open.size());
        return cap;
    }


    private static boolean mentionsOurs(String l) {
        return l.contains("drm_sched_job") || l.contains("drm_run_job") || l.contains("drm_sched_process_job");
    }

    /** The core of a ring (scheduler) name: the RK3588 core address, else order of first appearance. */
    private static Integer ring(Map<String, String> f, Map<String, Integer> rings) {
        String ring = f.get("ring");
        if (ring == null) return null;
        int known = CORES.indexOf(ring);
        if (known >= 0) return known;
        Integer c = rings.get(ring);
        if (c == null) {
            if (rings.size() >= 3) throw new IllegalArgumentException("a fourth scheduler ring '" + RknpuBpftraceImporter.clip(ring) + "': RK3588 has 3 NPU cores");
            rings.put(ring, c = rings.size());
        }
        return c;
    }

    /** "a=b, c:d, e=f g" into a map (the value of the last field runs to the end). */
    static Map<String, String> fields(String data) {
        Map<String, String> m = new HashMap<>();
        for (String part : data.split(", ")) {
            int eq = part.indexOf('=');
            int colon = part.indexOf(':');
            int cut = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
            if (cut <= 0) continue;
            m.put(part.substring(0, cut).strip(), part.substring(cut + 1).strip());
        }
        return m;
    }

    /** A fence as the events print it: CTX:SEQNO (since 2025) or a pointer (before). */
    private static void checkFence(String fence) {
        if (fence.matches("\\d{1,20}:\\d{1,20}") || fence.matches("(0x)?[0-9a-f]{1,16}")) return;
        throw new IllegalArgumentException("fence '" + RknpuBpftraceImporter.clip(fence) + "' is neither CONTEXT:SEQNO nor a pointer");
    }

    /** "1873.504011" (µs) or "1873.504011123" (ns) seconds as nanoseconds, exactly. */
    static long nanos(String ts) {
        int dot = ts.indexOf('.');
        String frac = ts.substring(dot + 1);
        if (frac.length() > 9) throw new IllegalArgumentException("timestamp " + ts + " has more than 9 decimals");
        long s = Long.parseLong(ts.substring(0, dot));
        long f = Long.parseLong((frac + "000000000").substring(0, 9));
        return Math.addExact(Math.multiplyExact(s, 1_000_000_000L), f);
    }

    static long parseHex(String v, String what) {
        String s = v.strip();
        if (!s.startsWith("0x")) throw new IllegalArgumentException(what + " '" + RknpuBpftraceImporter.clip(v) + "' is not hexadecimal");
        try {
            return Long.parseUnsignedLong(s.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + RknpuBpftraceImporter.clip(v) + "' is not hexadecimal");
        }
    }

}
