package io.npusim.traces.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npusim.core.UserError;
import io.npusim.core.account.Part;
import io.npusim.hw.npu.TaskOp;
import io.npusim.uapi.os.CpuWork;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks a trace before anything replays it. A problem (not JSON, a missing or
 * mistyped field, a call that refers to one not seen before it, time going backwards, no end
 * line, a newer version, another platform) is a {@link UserError} naming the file, the line and
 * what is wrong; nothing else escapes.
 */
public final class TraceReader {
    private final ObjectMapper lines = TraceFormat.lines();
    private final Values values = new Values();

    /** Reads a trace file. */
    public Trace read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new UserError("trace " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError("cannot read trace " + file + ": " + e.getMessage());
        }
    }

    /** Longest line read (a corrupt file without line breaks is refused, not loaded). */
    static final int MAX_LINE_BYTES = 64 << 20;

    /** Reads a trace from a stream; {@code name} names it in messages. */
    public Trace read(InputStream in, String name) {
        State s = new State(name);
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteLines lines = new ByteLines(new BufferedInputStream(in, 1 << 16));
            byte[] cur = lines.next(s.lineNo + 1, name);
            while (cur != null) {
                byte[] next = lines.next(s.lineNo + 2, name);
                boolean cutShort = next == null && !lines.endedWithNewline();
                s.lineNo++;
                String line;
                try {
                    line = decoder.decode(ByteBuffer.wrap(cur)).toString();
                } catch (CharacterCodingException e) {
                    throw s.error("not UTF-8 text");
                }
                if (s.ended) throw s.error("a line after the end line");
                if (line.isBlank()) throw s.error("empty line");
                JsonNode n;
                try {
                    n = lines().readTree(line);
                } catch (JacksonException e) {
                    if (cutShort) throw s.error("the line is cut short: the trace was truncated");
                    throw s.error("not a JSON object (" + Values.oneLine(e.getOriginalMessage()) + ")");
                }
                if (n == null || !n.isObject()) throw s.error("not a JSON object");
                try {
                    s.line((ObjectNode) n);
                } catch (UserError e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw s.error(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                }
                cur = next;
            }
        } catch (IOException e) {
            throw new UserError("cannot read trace " + name + ": " + e.getMessage());
        }
        if (s.lineNo == 0) throw new UserError(name + ": empty file, not an npusim trace");
        if (!s.ended) {
            throw new UserError(name + ": truncated after line " + s.lineNo + ": no end line (the trace was cut short)");
        }
        return new Trace(name, s.header, s.processes, s.threads, s.clients, s.calls, s.arrivals, s.jobs, s.lineNo);
    }

    private ObjectMapper lines() {
        return lines;
    }

    /** Lines as bytes (decoded one by one, so a bad byte is reported on its own line). */
    private static final class ByteLines {
        private final InputStream in;
        private boolean newline = true;

        ByteLines(InputStream in) {
            this.in = in;
        }

        byte[] next(int lineNo, String name) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(256);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    newline = true;
                    return b.toByteArray();
                }
                if (b.size() >= MAX_LINE_BYTES) throw new UserError(name + ":" + lineNo + ": a line longer than " + (MAX_LINE_BYTES >> 20) + " MiB");
                b.write(c);
            }
            if (b.size() == 0) return null;
            newline = false;
            return b.toByteArray();
        }

        boolean endedWithNewline() {
            return newline;
        }
    }

    /** What has been read so far. */
    private final class State {
        final String name;
        int lineNo;
        boolean ended;
        Trace.Header header;
        final List<Trace.Process> processes = new ArrayList<>();
        final Map<Integer, Trace.Process> pids = new HashMap<>();
        final List<Trace.ThreadInfo> threads = new ArrayList<>();
        final Map<Integer, Trace.ThreadInfo> tids = new HashMap<>();
        final List<Trace.ClientInfo> clients = new ArrayList<>();
        final Set<String> clientNames = new HashSet<>();
        final Map<Integer, TaskOp> ops = new HashMap<>();
        final List<Trace.Call> calls = new ArrayList<>();
        final Map<Long, Trace.Call> byId = new HashMap<>();
        final Set<Long> maps = new HashSet<>();
        final List<Trace.Arrival> arrivals = new ArrayList<>();
        final List<Trace.Job> jobs = new ArrayList<>();
        long lastPs;
        long lastSubmitPs = Long.MIN_VALUE;
        boolean pendingSeen;

        State(String name) {
            this.name = name;
        }

        UserError error(String what) {
            return new UserError(name + ":" + lineNo + ": " + what);
        }

        void line(ObjectNode n) {
            if (lineNo == 1) {
                header(n);
                return;
            }
            String t = Lines.text(n, "t");
            switch (t) {
                case TraceFormat.HEADER -> throw error("a second header");
                case TraceFormat.PROCESS -> process(n);
                case TraceFormat.THREAD -> thread(n);
                case TraceFormat.CLIENT -> client(n);
                case TraceFormat.OP -> op(n);
                case TraceFormat.ARRIVAL -> arrival(n);
                case TraceFormat.JOB -> job(n);
                case TraceFormat.END -> end(n);
                default -> {
                    if (TraceFormat.CALLS.contains(t)) call(t, n);
                    else throw error("unknown line type '" + t + "' (version " + TraceFormat.VERSION + " has: "
                            + String.join(", ", TraceFormat.TYPES) + ")");
                }
            }
        }

        void header(ObjectNode n) {
            JsonNode t = n.get("t");
            JsonNode format = n.get("format");
            if (t == null || !"header".equals(t.asText()) || format == null || !TraceFormat.NAME.equals(format.asText())) {
                throw error("not an npusim trace: the first line must be a header with \"format\": \"" + TraceFormat.NAME + "\""
                        + (format != null && format.isTextual() ? " (found format '" + format.asText() + "')" : ""));
            }
            JsonNode v = n.get("version");
            if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) throw error("header: 'version' must be an integer");
            int version = v.asInt();
            if (version > TraceFormat.VERSION) {
                throw error("trace format version " + version + " is newer than this npusim reads (" + TraceFormat.VERSION
                        + "); use a newer npusim");
            }
            if (version < 1) throw error("header: version " + version + " does not exist (versions start at 1)");
            String platform = Lines.text(n, "platform");
            if (!TraceFormat.PLATFORM.equals(platform)) {
                throw error("the trace is from platform '" + platform + "'; npusim models " + TraceFormat.PLATFORM
                        + " only and will not replay it as one");
            }
            JsonNode lv = Lines.field(n, "levels");
            if (!lv.isArray() || lv.isEmpty()) throw error("header: 'levels' must be a non-empty list");
            List<String> levels = new ArrayList<>();
            for (JsonNode x : lv) {
                if (!x.isTextual() || !(x.asText().equals(TraceFormat.LEVEL_UAPI) || x.asText().equals(TraceFormat.LEVEL_WORKLOAD))) {
                    throw error("header: unknown level " + x + " (known: uapi, workload)");
                }
                levels.add(x.asText());
            }
            String source = Lines.text(n, "source");
            String policy = Lines.text(n, "policy");
            long dur = Lines.longValue(n, "duration_ps");
            if (dur <= 0) throw error("header: duration_ps must be positive");
            Long mhz = Lines.longOrNull(n, "npu_mhz");
            if (mhz != null && (mhz < 1 || mhz > 10_000)) throw error("header: npu_mhz " + mhz + " is not a clock rate");
            ObjectNode run = objectOrNull(n, "run");
            ObjectNode scenario = objectOrNull(n, "scenario");
            if (levels.contains(TraceFormat.LEVEL_UAPI) && (run == null || scenario == null)) {
                throw error("header: a UAPI-level trace needs its 'run' and 'scenario'");
            }
            header = new Trace.Header(n, version, platform, List.copyOf(levels), source, policy, Lines.textOrNull(n, "variant"), dur, mhz,
                    Lines.longOrNull(n, "seed"), run, scenario);
        }

        ObjectNode objectOrNull(JsonNode n, String f) {
            JsonNode v = n.get(f);
            if (v == null || v.isNull()) return null;
            if (!v.isObject()) throw new IllegalArgumentException("header: '" + f + "' must be an object");
            return (ObjectNode) v;
        }

        void process(ObjectNode n) {
            int pid = Lines.integer(n, "pid");
            if (pids.containsKey(pid)) throw error("process " + pid + " described twice");
            JsonNode a = Lines.field(n, "affinity");
            if (!a.isArray() || a.isEmpty()) throw error("process " + pid + ": 'affinity' must be a non-empty list of CPUs");
            int[] cpus = new int[a.size()];
            for (int i = 0; i < cpus.length; i++) {
                if (!a.get(i).canConvertToInt() || !a.get(i).isIntegralNumber() || a.get(i).asInt() < 0 || a.get(i).asInt() > 7) {
                    throw error("process " + pid + ": CPU " + a.get(i) + " does not exist (0..7)");
                }
                cpus[i] = a.get(i).asInt();
            }
            Trace.Process p = new Trace.Process(pid, Lines.text(n, "name"), cpus);
            processes.add(p);
            pids.put(pid, p);
        }

        void thread(ObjectNode n) {
            int pid = Lines.integer(n, "pid");
            int tid = Lines.integer(n, "tid");
            if (!pids.containsKey(pid)) throw error("thread " + tid + " of process " + pid + ", which no earlier line describes");
            if (tids.containsKey(tid)) throw error("thread " + tid + " described twice");
            int cpu = Lines.integer(n, "cpu");
            if (cpu < 0 || cpu > 7) throw error("thread " + tid + ": CPU " + cpu + " does not exist (0..7)");
            Trace.ThreadInfo ti = new Trace.ThreadInfo(pid, tid, Lines.text(n, "name"), cpu);
            threads.add(ti);
            tids.put(tid, ti);
        }

        void client(ObjectNode n) {
            String cname = Lines.text(n, "name");
            if (!clientNames.add(cname)) throw error("client '" + cname + "' described twice");
            Integer pid = Lines.integerOrNull(n, "pid");
            Integer tid = Lines.integerOrNull(n, "tid");
            if (header.has(TraceFormat.LEVEL_UAPI)) {
                if (pid == null || !pids.containsKey(pid)) throw error("client '" + cname + "': process " + pid + " is not described before it");
                if (tid == null || !tids.containsKey(tid)) throw error("client '" + cname + "': thread " + tid + " is not described before it");
            }
            Integer mask = Lines.integerOrNull(n, "core_mask");
            if (mask != null && (mask < 0 || mask > 7)) throw error("client '" + cname + "': core_mask 0x" + Integer.toHexString(mask) + " is not in 0x0..0x7");
            clients.add(new Trace.ClientInfo(cname, pid == null ? -1 : pid, tid == null ? -1 : tid, Lines.text(n, "kind"),
                    Lines.textOrNull(n, "model"), Lines.textOrNull(n, "runtime"), mask, Lines.textOrNull(n, "class"),
                    Lines.textOrNull(n, "scenario_client")));
        }

        void op(ObjectNode n) {
            int id = Lines.integer(n, "id");
            if (ops.containsKey(id)) throw error("op " + id + " defined twice");
            ops.put(id, values.op(Lines.field(n, "op")));
        }

        void arrival(ObjectNode n) {
            String c = Lines.text(n, "client");
            if (!clientNames.contains(c)) throw error("arrival for client '" + c + "', which no earlier line describes");
            long at = Lines.nonNegative(n, "at_ps");
            time(at);
            int p = Lines.integer(n, "prompt_tokens");
            int a = Lines.integer(n, "answer_tokens");
            if (p < 0 || a < 0) throw error("negative token count");
            arrivals.add(new Trace.Arrival(c, at, p, a, lineNo));
        }

        void job(ObjectNode n) {
            String c = Lines.text(n, "client");
            if (!clientNames.contains(c)) throw error("job of client '" + c + "', which no earlier line describes");
            long submit = Lines.nonNegative(n, "submit_ps");
            Long start = Lines.longOrNull(n, "start_ps");
            long end = Lines.nonNegative(n, "end_ps");
            long service = Lines.nonNegative(n, "service_ps");
            if (submit < lastSubmitPs) throw error("job submitted at " + submit + " ps, before the job on an earlier line (" + lastSubmitPs
                    + " ps): jobs must be in submit order (the trace is reordered)");
            lastSubmitPs = submit;
            if (end < submit) throw error("job ends at " + end + " ps, before it was submitted at " + submit + " ps");
            if (start != null && (start < submit || start > end)) throw error("job starts at " + start + " ps, outside its submit..end");
            if (service > end - submit) throw error("job service time " + service + " ps is longer than submit to end (" + (end - submit) + " ps)");
            int mask = Lines.integer(n, "core_mask");
            if (mask < 0 || mask > 7) throw error("core_mask 0x" + Integer.toHexString(mask) + " is not in 0x0..0x7");
            int tasks = Lines.integer(n, "tasks");
            if (tasks < 1 || tasks > 1 << 20) throw error("task count " + tasks + " is not in 1..1048576");
            Integer core = Lines.integerOrNull(n, "core");
            if (core != null && (core < 0 || core > 2)) throw error("core " + core + " does not exist (0..2)");
            jobs.add(new Trace.Job(c, Lines.nonNegative(n, "seq"), Lines.nonNegative(n, "batch"), submit, start, end, service, mask, tasks, core, lineNo));
        }

        void end(ObjectNode n) {
            long expect = Lines.longValue(n, "lines");
            if (expect != lineNo) throw error("end line says the trace has " + expect + " lines, but this is line " + lineNo
                    + " (lines are missing or added)");
            long c = Lines.longValue(n, "calls");
            if (c != calls.size()) throw error("end line counts " + c + " calls, the trace holds " + calls.size());
            ended = true;
        }

        void time(long at) {
            if (at < lastPs) throw error("time goes backwards: " + at + " ps after " + lastPs + " ps on an earlier line (the trace is reordered)");
            lastPs = at;
        }

        void call(String t, ObjectNode n) {
            long id = Lines.nonNegative(n, "id");
            if (byId.containsKey(id)) throw error("call " + id + " appears twice");
            long after = Lines.longValue(n, "after");
            int pid = Lines.integer(n, "pid");
            int tid = Lines.integer(n, "tid");
            Trace.ThreadInfo th = tids.get(tid);
            if (th == null) throw error("call " + id + " on thread " + tid + ", which no earlier line describes");
            if (th.pid() != pid) throw error("call " + id + ": thread " + tid + " belongs to process " + th.pid() + ", not " + pid);
            long at = Lines.nonNegative(n, "at_ps");
            boolean timed = TraceFormat.TIMED_CALLS.contains(t);
            boolean pending = n.has("pending") && Lines.bool(n, "pending");
            long dur = 0;
            Integer ret = null;
            if (timed && !pending) {
                dur = Lines.nonNegative(n, "dur_ps");
                ret = Lines.integer(n, "ret");
                if (pendingSeen) throw error("a completed call after the pending ones (the trace is reordered)");
                time(Math.addExact(at, dur));
            } else if (pending) {
                if (!timed) throw error("a " + t + " cannot be pending");
                dur = -1;
                if (at > header.durationPs()) throw error("pending call " + id + " issued at " + at + " ps, after the end of the run");
                pendingSeen = true;
            } else {
                if (pendingSeen) throw error("a " + t + " after the pending calls (the trace is reordered)");
                time(at);
            }
            if (after >= 0) {
                Trace.Call parent = byId.get(after);
                if (parent == null) throw error("call " + id + " follows call " + after + ", which no earlier line holds (the trace is reordered or cut)");
                if (!TraceFormat.TIMED_CALLS.contains(parent.type()) || parent.pending()) {
                    throw error("call " + id + " follows call " + after + ", a " + parent.type() + (parent.pending() ? " that never completed" : " that has no completion"));
                }
                if (id <= after) throw error("call " + id + " follows call " + after + " but was issued before it");
                if (at != parent.atPs() + parent.durPs()) {
                    throw error("call " + id + " starts at " + at + " ps, but call " + after + " it follows completed at "
                            + (parent.atPs() + parent.durPs()) + " ps");
                }
            } else if (after != -1) {
                throw error("'after' must be a call id or -1, got " + after);
            }
            Trace.Action action = action(t, n, at);
            Trace.Call c = new Trace.Call(id, after, lineNo, t, pid, tid, at, dur, ret, action);
            if (t.equals(TraceFormat.MMAP) && ret != null && ret >= 0) maps.add(id);
            calls.add(c);
            byId.put(id, c);
        }

        Trace.Action action(String t, ObjectNode n, long at) {
            return switch (t) {
                case TraceFormat.OPEN -> new Trace.Open(Lines.text(n, "path"));
                case TraceFormat.CLOSE -> new Trace.Close(Lines.integer(n, "fd"));
                case TraceFormat.IOCTL -> {
                    String nr = Lines.text(n, "nr");
                    long request;
                    try {
                        if (!nr.startsWith("0x")) throw new NumberFormatException();
                        request = Long.parseUnsignedLong(nr.substring(2), 16);
                    } catch (NumberFormatException e) {
                        throw error("ioctl request number '" + nr + "' is not hexadecimal (0x...)");
                    }
                    String ioctl = Lines.text(n, "name");
                    yield new Trace.IoctlCall(Lines.integer(n, "fd"), values.ioctl(request, ioctl, Lines.field(n, "arg")));
                }
                case TraceFormat.MMAP -> new Trace.Mmap(Lines.integer(n, "fd"), Lines.longValue(n, "offset"), Lines.nonNegative(n, "length"));
                case TraceFormat.CPU -> {
                    String part = Lines.text(n, "part");
                    Part p = null;
                    for (Part x : Part.ALL) if (x.key().equals(part)) p = x;
                    if (p == null) throw error("unknown part '" + part + "'");
                    yield new Trace.Cpu(new CpuWork(Lines.text(n, "name"), Lines.nonNegative(n, "ref_ps"), Lines.nonNegative(n, "ddr_bytes"), p));
                }
                case TraceFormat.SLEEP -> new Trace.Sleep(Lines.nonNegative(n, "until_ps"));
                case TraceFormat.WRITE -> {
                    long map = Lines.longValue(n, "map");
                    if (!maps.contains(map)) throw error("write through mapping " + map + ", which no earlier successful mmap returned");
                    yield new Trace.Write(map, Lines.nonNegative(n, "offset"), values.readWriteValue(Lines.field(n, "value"), ops::get));
                }
                case TraceFormat.SET_REQUEST -> {
                    Long key = Lines.longOrNull(n, "req");
                    long off = 0;
                    if (key != null) {
                        long start = Lines.nonNegative(n, "start_ps");
                        if (start > at) throw error("request " + key + " starts at " + start + " ps, after it is set at " + at + " ps");
                        off = at - start;
                    }
                    yield new Trace.SetRequest(key, off);
                }
                case TraceFormat.STAT -> stat(n);
                default -> throw error("unknown call type " + t);
            };
        }

        Trace.Stat stat(ObjectNode n) {
            String c = Lines.text(n, "client");
            if (!clientNames.contains(c)) throw error("stat of client '" + c + "', which no earlier line describes");
            String what = Lines.text(n, "what");
            boolean anchored = n.has("anchored") && Lines.bool(n, "anchored");
            return switch (what) {
                case "complete" -> {
                    JsonNode p = Lines.field(n, "parts");
                    if (!p.isArray() || p.size() != Part.COUNT) throw error("'parts' must list " + Part.COUNT + " integers");
                    long[] parts = new long[Part.COUNT];
                    for (int i = 0; i < parts.length; i++) {
                        if (!p.get(i).isIntegralNumber() || !p.get(i).canConvertToLong()) throw error("'parts' must list integers");
                        parts[i] = p.get(i).asLong();
                    }
                    yield new Trace.Stat(c, what, Lines.nonNegative(n, "start_ps"), Lines.nonNegative(n, "latency_ps"), parts, null, anchored);
                }
                case "ttft" -> new Trace.Stat(c, what, Lines.nonNegative(n, "ps"), 0, null, null, anchored);
                case "tokens" -> new Trace.Stat(c, what, Lines.nonNegative(n, "n"), Lines.nonNegative(n, "ps"), null, null, anchored);
                case "drop", "deadline_miss" -> new Trace.Stat(c, what, 0, 0, null, null, false);
                case "fail" -> new Trace.Stat(c, what, 0, 0, null, Lines.text(n, "why"), false);
                default -> throw error("unknown stat '" + what + "' (known: complete, ttft, tokens, drop, deadline_miss, fail)");
            };
        }
    }
}
