package io.npusim.traces.perfetto;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.npusim.core.trace.TraceArgs;
import io.npusim.core.trace.TraceSink;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Streams {@link TraceSink} calls as a Chrome Trace Event Format file (JSON Object Format:
 * {@code {"traceEvents":[...],"displayTimeUnit":"ns","otherData":{...}}}), which Perfetto and
 * chrome://tracing open. Events are written as they arrive, one per line; nothing but the track
 * table is kept in memory. Not thread-safe.
 *
 * <p>Mapping: {@link #track} gives each process a pid (1, 2, ... in order of first declaration)
 * and each thread a tid within its process (1, 2, ...), and writes {@code M} events
 * {@code process_name}, {@code process_sort_index}, {@code thread_name}, {@code thread_sort_index}
 * once. {@code slice} is {@code X} ({@code ts} and {@code dur} in microseconds, exact to the
 * picosecond), {@code instant} is {@code i} with {@code s:"t"}, {@code counter} is {@code C}
 * with {@code args:{series:value}} on the track's pid (and tid), {@code asyncBegin/End} are
 * {@code b}/{@code e}, {@code flow} is {@code s}/{@code t}/{@code f} ({@code f} has
 * {@code bp:"e"}, binding to the enclosing slice). Async and flow ids are strings
 * {@code "0x<hex>"}.
 *
 * <p>Levels: {@link TraceLevel#NONE} writes no byte at all; {@link TraceLevel#SUMMARY} writes
 * only {@code M} and {@code C}; {@link TraceLevel#FULL} writes everything until
 * {@link #eventsWritten()} reaches the cap, after which slices, instants, async and flow events
 * are dropped and counted, while counters and metadata are still written. {@code otherData}
 * holds the caller's metadata (insertion order), then {@code trace_level}, {@code events_written},
 * {@code events_dropped} and a {@code dropped} sentence.
 *
 * <p>The output is a function of the call sequence only (no hash-order iteration; numbers are
 * formatted by {@link JsonNumbers}). The writer does not reorder or check nesting: use
 * {@link TraceValidator}.
 */
public final class ChromeTraceWriter implements TraceSink, Closeable {
    /** Default cap on events written before non-counter events are dropped. */
    public static final long DEFAULT_MAX_EVENTS = 1_000_000L;

    /** otherData keys this writer fills in itself. */
    public static final String KEY_TRACE_LEVEL = "trace_level";
    public static final String KEY_EVENTS_WRITTEN = "events_written";
    public static final String KEY_EVENTS_DROPPED = "events_dropped";
    public static final String KEY_DROPPED = "dropped";

    private static final JsonFactory FACTORY = new JsonFactory();

    /** Phases that can be dropped past the cap, in the order the "dropped" line lists them. */
    private enum Droppable {
        SLICE("X", "slice", "slices"),
        INSTANT("i", "instant", "instants"),
        ASYNC_BEGIN("b", "async begin", "async begins"),
        ASYNC_END("e", "async end", "async ends"),
        FLOW_START("s", "flow start", "flow starts"),
        FLOW_STEP("t", "flow step", "flow steps"),
        FLOW_END("f", "flow end", "flow ends");

        final String ph;
        final String one;
        final String many;

        Droppable(String ph, String one, String many) {
            this.ph = ph;
            this.one = one;
            this.many = many;
        }
    }

    private static final class Process {
        final int pid;
        final Map<String, Integer> trackByThread = new HashMap<>(); // lookup only, never iterated
        int threads;

        Process(int pid) {
            this.pid = pid;
        }
    }

    private final TraceLevel level;
    private final long maxEvents;
    private final Map<String, String> metadata;
    private final OutputStream out;
    private final JsonGenerator gen;

    private final Map<String, Process> processes = new HashMap<>(); // lookup only, never iterated
    private int[] trackPid = new int[16];
    private int[] trackTid = new int[16];
    private int tracks;

    private long written;
    private final long[] dropped = new long[Droppable.values().length];
    private final char[] num = new char[JsonNumbers.MAX_US_CHARS];
    private boolean closed;

    /** A writer with the default cap of {@value #DEFAULT_MAX_EVENTS} events. */
    public ChromeTraceWriter(OutputStream out, TraceLevel level, Map<String, String> metadata) {
        this(out, level, metadata, DEFAULT_MAX_EVENTS);
    }

    /**
     * @param out where the JSON goes; closed by {@link #close()} (nothing is written to it at
     *     level NONE, which also accepts null)
     * @param metadata free-form strings for {@code otherData}, written in this map's iteration
     *     order (pass a LinkedHashMap or TreeMap); may be null; must not use the writer's own keys
     * @param maxEvents events written before non-counter events are dropped; at least 0
     */
    public ChromeTraceWriter(
            OutputStream out, TraceLevel level, Map<String, String> metadata, long maxEvents) {
        this.level = Objects.requireNonNull(level, "level");
        if (maxEvents < 0) throw new IllegalArgumentException("maxEvents must be >= 0: " + maxEvents);
        this.maxEvents = maxEvents;
        this.metadata = copyMetadata(metadata);
        this.out = out;
        if (level == TraceLevel.NONE) {
            this.gen = null;
            return;
        }
        Objects.requireNonNull(out, "out");
        try {
            gen = FACTORY.createGenerator(out, JsonEncoding.UTF8);
            gen.setPrettyPrinter(new OneEventPerLine());
            gen.writeStartObject();
            gen.writeArrayFieldStart("traceEvents");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A writer to {@code file} with the default cap. At level NONE the file is neither created
     * nor touched.
     */
    public static ChromeTraceWriter open(Path file, TraceLevel level, Map<String, String> metadata)
            throws IOException {
        return open(file, level, metadata, DEFAULT_MAX_EVENTS);
    }

    /** A writer to {@code file}; at level NONE the file is neither created nor touched. */
    public static ChromeTraceWriter open(
            Path file, TraceLevel level, Map<String, String> metadata, long maxEvents)
            throws IOException {
        OutputStream os = level == TraceLevel.NONE ? null : Files.newOutputStream(file);
        return new ChromeTraceWriter(os, level, metadata, maxEvents);
    }

    private static Map<String, String> copyMetadata(Map<String, String> metadata) {
        if (metadata == null) return Collections.emptyMap();
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String k = Objects.requireNonNull(e.getKey(), "metadata key");
            if (k.equals(KEY_TRACE_LEVEL) || k.equals(KEY_EVENTS_WRITTEN)
                    || k.equals(KEY_EVENTS_DROPPED) || k.equals(KEY_DROPPED)) {
                throw new IllegalArgumentException("metadata key '" + k + "' is reserved for the trace writer");
            }
            copy.put(k, Objects.requireNonNull(e.getValue(), "metadata value of " + k));
        }
        return Collections.unmodifiableMap(copy);
    }

    // ------------------------------------------------------------------ TraceSink

    @Override
    public boolean enabled() {
        return level != TraceLevel.NONE;
    }

    public TraceLevel level() {
        return level;
    }

    public long maxEvents() {
        return maxEvents;
    }

    /**
     * The id of the (process, thread) pair: a dense index 0, 1, 2, ... in order of first
     * declaration of the pair; the same pair always gets the same id.
     */
    @Override
    public int track(String process, String thread) {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(thread, "thread");
        Process p = processes.get(process);
        boolean newProcess = p == null;
        if (newProcess) {
            p = new Process(processes.size() + 1);
            processes.put(process, p);
        }
        Integer existing = p.trackByThread.get(thread);
        if (existing != null) return existing;
        int tid = ++p.threads;
        int id = tracks++;
        if (id == trackPid.length) {
            trackPid = Arrays.copyOf(trackPid, id * 2);
            trackTid = Arrays.copyOf(trackTid, id * 2);
        }
        trackPid[id] = p.pid;
        trackTid[id] = tid;
        p.trackByThread.put(thread, id);
        if (gen != null) {
            ensureOpen();
            try {
                // Process metadata names the process's first thread as tid, so no phantom thread appears.
                if (newProcess) {
                    metaString("process_name", p.pid, tid, process);
                    metaSortIndex("process_sort_index", p.pid, tid, p.pid);
                }
                metaString("thread_name", p.pid, tid, thread);
                metaSortIndex("thread_sort_index", p.pid, tid, tid);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return id;
    }

    @Override
    public void slice(int track, String cat, String name, long startPs, long durPs, TraceArgs args) {
        if (durPs < 0) throw new IllegalArgumentException("negative slice duration " + durPs + " ps: " + name);
        if (!admit(Droppable.SLICE, track)) return;
        try {
            head("X", cat, name, track, startPs);
            gen.writeFieldName("dur");
            writeUs(durPs);
            writeArgs(args);
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void instant(int track, String cat, String name, long tPs, TraceArgs args) {
        if (!admit(Droppable.INSTANT, track)) return;
        try {
            head("i", cat, name, track, tPs);
            gen.writeStringField("s", "t");
            writeArgs(args);
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException if {@code value} is NaN or infinite (JSON has no such number) */
    @Override
    public void counter(int track, String name, long tPs, String series, double value) {
        if (level == TraceLevel.NONE) return;
        checkTrack(track);
        ensureOpen();
        Objects.requireNonNull(series, "series");
        String text = JsonNumbers.formatDouble(value);
        try {
            head("C", null, name, track, tPs);
            gen.writeObjectFieldStart("args");
            gen.writeFieldName(series);
            gen.writeNumber(text);
            gen.writeEndObject();
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void asyncBegin(int track, String cat, String name, long id, long tPs, TraceArgs args) {
        if (!admit(Droppable.ASYNC_BEGIN, track)) return;
        try {
            head("b", cat, name, track, tPs);
            gen.writeStringField("id", hexId(id));
            writeArgs(args);
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void asyncEnd(int track, String cat, String name, long id, long tPs) {
        if (!admit(Droppable.ASYNC_END, track)) return;
        try {
            head("e", cat, name, track, tPs);
            gen.writeStringField("id", hexId(id));
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flow(int track, String cat, String name, long id, long tPs, FlowPhase phase) {
        Droppable d = switch (Objects.requireNonNull(phase, "phase")) {
            case START -> Droppable.FLOW_START;
            case STEP -> Droppable.FLOW_STEP;
            case END -> Droppable.FLOW_END;
        };
        if (!admit(d, track)) return;
        try {
            head(d.ph, cat, name, track, tPs);
            gen.writeStringField("id", hexId(id));
            if (phase == FlowPhase.END) gen.writeStringField("bp", "e");
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ accounting

    /** Events written so far, all phases (metadata and counters included). */
    public long eventsWritten() {
        return written;
    }

    /** Events dropped past the cap so far (never counters or metadata). */
    public long eventsDropped() {
        long sum = 0;
        for (long d : dropped) sum += d;
        return sum;
    }

    /** Dropped events by phase letter ("X", "i", "b", "e", "s", "t", "f"), non-zero ones only, fixed order. */
    public Map<String, Long> droppedByPhase() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Droppable d : Droppable.values()) {
            if (dropped[d.ordinal()] > 0) m.put(d.ph, dropped[d.ordinal()]);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * The sentence written as {@code otherData.dropped}, e.g. "412345 slices, 1200 instants
     * dropped past the 1000000-event cap; counters kept".
     */
    public String droppedSummary() {
        if (level == TraceLevel.SUMMARY) return "summary level: only metadata and counters written";
        StringBuilder sb = new StringBuilder();
        for (Droppable d : Droppable.values()) {
            long n = dropped[d.ordinal()];
            if (n == 0) continue;
            if (sb.length() > 0) sb.append(", ");
            sb.append(n).append(' ').append(n == 1 ? d.one : d.many);
        }
        if (sb.length() == 0) return "nothing dropped (cap " + maxEvents + " events)";
        return sb.append(" dropped past the ").append(maxEvents).append("-event cap; counters kept").toString();
    }

    /** Pushes buffered events to the output stream. */
    public void flush() throws IOException {
        if (gen != null && !closed) gen.flush();
    }

    /** Ends the event array, writes displayTimeUnit and otherData, and closes the stream. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (gen == null) {
            if (out != null) out.close();
            return;
        }
        try {
            gen.writeEndArray();
            gen.writeStringField("displayTimeUnit", "ns");
            gen.writeObjectFieldStart("otherData");
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
            gen.writeStringField(KEY_TRACE_LEVEL, level.name().toLowerCase(Locale.ROOT));
            gen.writeNumberField(KEY_EVENTS_WRITTEN, written);
            gen.writeNumberField(KEY_EVENTS_DROPPED, eventsDropped());
            gen.writeStringField(KEY_DROPPED, droppedSummary());
            gen.writeEndObject();
            gen.writeEndObject();
            gen.writeRaw('\n');
        } finally {
            gen.close(); // flushes and closes out
        }
    }

    // ------------------------------------------------------------------ internals

    /** Whether a droppable event is written; counts it as dropped past the cap. */
    private boolean admit(Droppable d, int track) {
        if (level != TraceLevel.FULL) return false;
        checkTrack(track);
        ensureOpen();
        if (written >= maxEvents) {
            dropped[d.ordinal()]++;
            return false;
        }
        return true;
    }

    private void checkTrack(int track) {
        if (track < 0 || track >= tracks) {
            throw new IllegalArgumentException("unknown trace track " + track + " (declare it with track())");
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("trace writer is closed");
    }

    private void head(String ph, String cat, String name, int track, long tPs) throws IOException {
        written++;
        gen.writeStartObject();
        gen.writeStringField("ph", ph);
        if (cat != null) gen.writeStringField("cat", cat);
        gen.writeStringField("name", Objects.requireNonNull(name, "name"));
        gen.writeNumberField("pid", trackPid[track]);
        gen.writeNumberField("tid", trackTid[track]);
        gen.writeFieldName("ts");
        writeUs(tPs);
    }

    private void metaString(String what, int pid, int tid, String value) throws IOException {
        written++;
        gen.writeStartObject();
        gen.writeStringField("ph", "M");
        gen.writeStringField("name", what);
        gen.writeNumberField("pid", pid);
        gen.writeNumberField("tid", tid);
        gen.writeObjectFieldStart("args");
        gen.writeStringField("name", value);
        gen.writeEndObject();
        gen.writeEndObject();
    }

    private void metaSortIndex(String what, int pid, int tid, int index) throws IOException {
        written++;
        gen.writeStartObject();
        gen.writeStringField("ph", "M");
        gen.writeStringField("name", what);
        gen.writeNumberField("pid", pid);
        gen.writeNumberField("tid", tid);
        gen.writeObjectFieldStart("args");
        gen.writeNumberField("sort_index", index);
        gen.writeEndObject();
        gen.writeEndObject();
    }

    private void writeUs(long ps) throws IOException {
        int n = JsonNumbers.psToUs(ps, num);
        gen.writeNumber(num, 0, n);
    }

    private void writeArgs(TraceArgs args) throws IOException {
        if (args == null || args.isEmpty()) return;
        gen.writeObjectFieldStart("args");
        for (TraceArgs.Arg a : args.args()) {
            gen.writeFieldName(a.key());
            writeValue(a.value());
        }
        gen.writeEndObject();
    }

    private void writeValue(Object v) throws IOException {
        if (v == null) {
            gen.writeNull();
        } else if (v instanceof String s) {
            gen.writeString(s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            gen.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) gen.writeNumber(JsonNumbers.formatDouble(d));
            else gen.writeString(Double.toString(d)); // "NaN", "Infinity": JSON has no such numbers
        } else if (v instanceof Boolean b) {
            gen.writeBoolean(b);
        } else {
            gen.writeString(String.valueOf(v));
        }
    }

    private static String hexId(long id) {
        return "0x" + Long.toHexString(id);
    }

    /**
     * One trace event per line: a newline before the first event and after each comma of the
     * event array, and after each entry of the top-level object; events themselves are compact.
     */
    private static final class OneEventPerLine extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            g.writeRaw(nrOfValues > 0 ? "\n]" : "]");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            var parent = g.getOutputContext().getParent();
            g.writeRaw(parent != null && parent.inRoot() ? ",\n" : ",");
        }
    }
}
