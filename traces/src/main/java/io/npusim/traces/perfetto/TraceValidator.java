package io.npusim.traces.perfetto;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a Chrome Trace Event Format file (what {@link ChromeTraceWriter} writes, or any other)
 * the way Perfetto would trip over it, and summarises it for tests.
 *
 * <p>Problems reported, in file order and then per track: events without {@code ph}; non-metadata
 * events without a numeric {@code ts}; {@code X} without a numeric, non-negative {@code dur};
 * {@code C} whose {@code args} is not a non-empty object of numbers; async/flow events without
 * {@code id}; metadata names without {@code args.name}; then pids used without a
 * {@code process_name} and (pid, tid) pairs used without a {@code thread_name}; then {@code X}
 * slices on one (pid, tid) that partially overlap (they must nest). The first
 * {@value #MAX_LISTED_PROBLEMS} problems are listed, then one line counting the rest.
 *
 * <p>Times are read exactly from the JSON text and kept in picoseconds (microseconds with up to
 * 6 decimals are exact), so nesting is decided without floating-point error. Events are read
 * one at a time; only slice bounds are kept.
 */
public final class TraceValidator {
    /** Problems listed before the rest are only counted. */
    public static final int MAX_LISTED_PROBLEMS = 200;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private record Slice(long startPs, long endPs, String name, long index) {}

    private final List<String> problems = new ArrayList<>();
    private long unlistedProblems;
    private long events;
    private final Map<String, Long> countsByPhase = new TreeMap<>();
    private final Map<Integer, String> processNames = new TreeMap<>();
    private final Map<Integer, Map<Integer, String>> threadNames = new TreeMap<>();
    private final Map<Integer, Long> pidUses = new TreeMap<>();
    private final Map<Long, Long> threadUses = new TreeMap<>();
    private final Map<Long, List<Slice>> slicesByThread = new HashMap<>();
    /** pid -> cat -> total X duration in ps. */
    private final Map<Integer, Map<String, Long>> slicePsByPidCat = new TreeMap<>();
    private final Map<String, String> otherData = new LinkedHashMap<>();
    private String displayTimeUnit;

    private TraceValidator() {}

    // ------------------------------------------------------------------ entry points

    public static TraceValidator validate(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return validate(in);
        }
    }

    public static TraceValidator validate(byte[] json) {
        try {
            return validate(new ByteArrayInputStream(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen for an in-memory stream
        }
    }

    public static TraceValidator validate(String json) {
        return validate(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the whole stream (does not close it). Malformed JSON is a problem, not an exception. */
    public static TraceValidator validate(InputStream in) throws IOException {
        TraceValidator v = new TraceValidator();
        try (JsonParser p = MAPPER.getFactory().createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            v.readTop(p);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            v.problem("not valid JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
                    + " column " + loc.getColumnNr()) + ": " + e.getOriginalMessage());
        }
        v.finish();
        return v;
    }

    // ------------------------------------------------------------------ results

    /** Human-readable problems; empty when the trace is valid. */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        if (unlistedProblems > 0) all.add("... and " + unlistedProblems + " more problems not listed");
        return Collections.unmodifiableList(all);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** Number of entries in {@code traceEvents}. */
    public long eventCount() {
        return events;
    }

    /** Event counts by phase letter, sorted by phase. */
    public Map<String, Long> countsByPhase() {
        return Collections.unmodifiableMap(countsByPhase);
    }

    /** Count of events with phase {@code ph} (0 if none). */
    public long count(String ph) {
        return countsByPhase.getOrDefault(ph, 0L);
    }

    /** pid -> process_name, by ascending pid. */
    public Map<Integer, String> processNames() {
        return Collections.unmodifiableMap(processNames);
    }

    /** pid -> tid -> thread_name, by ascending pid and tid. */
    public Map<Integer, Map<Integer, String>> threadNames() {
        return Collections.unmodifiableMap(threadNames);
    }

    /** The pid of the process with this name (the lowest pid if several share it). */
    public Optional<Integer> pidOf(String processName) {
        for (Map.Entry<Integer, String> e : processNames.entrySet()) {
            if (e.getValue().equals(processName)) return Optional.of(e.getKey());
        }
        return Optional.empty();
    }

    /**
     * Total {@code X} duration on {@code pid} in picoseconds, over slices whose {@code cat}
     * equals {@code cat} or lists it among comma-separated categories; all slices when
     * {@code cat} is null. Exact for durations with at most 6 decimals of a microsecond,
     * otherwise each slice is rounded to the picosecond.
     */
    public long totalSlicePs(int pid, String cat) {
        Map<String, Long> byCat = slicePsByPidCat.get(pid);
        if (byCat == null) return 0;
        long sum = 0;
        for (Map.Entry<String, Long> e : byCat.entrySet()) {
            if (catMatches(e.getKey(), cat)) sum += e.getValue();
        }
        return sum;
    }

    /** {@link #totalSlicePs} in microseconds. */
    public double totalSliceUs(int pid, String cat) {
        return totalSlicePs(pid, cat) / (double) JsonNumbers.PS_PER_US;
    }

    /** {@link #totalSlicePs} for every pid that has slices, by ascending pid (zeros included). */
    public Map<Integer, Long> totalSlicePsByPid(String cat) {
        Map<Integer, Long> m = new TreeMap<>();
        for (Integer pid : slicePsByPidCat.keySet()) m.put(pid, totalSlicePs(pid, cat));
        return Collections.unmodifiableMap(m);
    }

    /** {@link #totalSliceUs} for every pid that has slices, by ascending pid (zeros included). */
    public Map<Integer, Double> totalSliceUsByPid(String cat) {
        Map<Integer, Double> m = new TreeMap<>();
        for (Integer pid : slicePsByPidCat.keySet()) m.put(pid, totalSliceUs(pid, cat));
        return Collections.unmodifiableMap(m);
    }

    /** {@code otherData}, values as text (numbers as written), in file order. */
    public Map<String, String> otherData() {
        return Collections.unmodifiableMap(otherData);
    }

    /** {@code displayTimeUnit}, if present. */
    public Optional<String> displayTimeUnit() {
        return Optional.ofNullable(displayTimeUnit);
    }

    // ------------------------------------------------------------------ reading

    private void readTop(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_ARRAY) {
            readEvents(p);
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            problem("top level is neither an object with traceEvents nor an array of events");
            return;
        }
        boolean sawEvents = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "traceEvents" -> {
                    if (v != JsonToken.START_ARRAY) {
                        problem("traceEvents is not an array");
                        p.skipChildren();
                    } else {
                        sawEvents = true;
                        readEvents(p);
                    }
                }
                case "displayTimeUnit" -> {
                    displayTimeUnit = p.getValueAsString();
                    if (!"ns".equals(displayTimeUnit) && !"ms".equals(displayTimeUnit)) {
                        problem("displayTimeUnit is '" + p.getText() + "', expected \"ns\" or \"ms\"");
                    }
                }
                case "otherData" -> {
                    JsonNode node = MAPPER.readTree(p);
                    if (node == null || !node.isObject()) {
                        problem("otherData is not an object");
                    } else {
                        for (Map.Entry<String, JsonNode> e : node.properties()) {
                            JsonNode val = e.getValue();
                            otherData.put(e.getKey(), val.isValueNode() ? val.asText() : val.toString());
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (!sawEvents) problem("no traceEvents array");
    }

    private void readEvents(JsonParser p) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == null) {
                problem("traceEvents array is not closed");
                return;
            }
            JsonNode e = MAPPER.readTree(p);
            event(e, events++);
        }
    }

    private void event(JsonNode e, long index) {
        if (e == null || !e.isObject()) {
            problem("event #" + index + " is not an object");
            return;
        }
        JsonNode phNode = e.get("ph");
        if (phNode == null || !phNode.isTextual() || phNode.asText().isEmpty()) {
            problem("event #" + index + " has no ph");
            return;
        }
        String ph = phNode.asText();
        countsByPhase.merge(ph, 1L, Long::sum);
        String name = e.path("name").asText("");
        String where = "event #" + index + " (ph " + ph + " '" + name + "')";
        int pid = intOr(e.get("pid"), 0);
        JsonNode tidNode = e.get("tid");
        Integer tid = tidNode != null && tidNode.canConvertToInt() ? tidNode.asInt() : null;

        if (ph.equals("M")) {
            metadata(e, name, pid, tid, where);
            return;
        }
        pidUses.merge(pid, 1L, Long::sum);
        if (tid != null) threadUses.merge(threadKey(pid, tid), 1L, Long::sum);

        Long tsPs = ps(e.get("ts"));
        if (tsPs == null) problem(where + " has no numeric ts");

        switch (ph) {
            case "X" -> {
                Long durPs = ps(e.get("dur"));
                if (durPs == null) {
                    problem(where + " has no numeric dur");
                } else if (durPs < 0) {
                    problem(where + " has negative dur");
                } else if (tsPs != null) {
                    slicesByThread.computeIfAbsent(threadKey(pid, tid == null ? pid : tid), k -> new ArrayList<>())
                            .add(new Slice(tsPs, tsPs + durPs, name, index));
                    String cat = e.path("cat").asText("");
                    slicePsByPidCat.computeIfAbsent(pid, k -> new TreeMap<>()).merge(cat, durPs, Long::sum);
                }
            }
            case "C" -> {
                JsonNode args = e.get("args");
                if (args == null || !args.isObject() || args.isEmpty()) {
                    problem(where + ": counter args must be a non-empty object of numbers");
                } else {
                    for (Map.Entry<String, JsonNode> a : args.properties()) {
                        if (!a.getValue().isNumber()) {
                            problem(where + ": counter series '" + a.getKey() + "' is not a number: " + a.getValue());
                        }
                    }
                }
            }
            case "b", "e", "n", "s", "t", "f" -> {
                JsonNode id = e.get("id");
                boolean hasId2 = e.has("id2");
                if (!hasId2 && (id == null || !(id.isTextual() || id.isIntegralNumber()))) {
                    problem(where + " has no id");
                }
            }
            default -> {}
        }
    }

    private void metadata(JsonNode e, String name, int pid, Integer tid, String where) {
        if (!name.equals("process_name") && !name.equals("thread_name")) return;
        JsonNode n = e.path("args").get("name");
        if (n == null || !n.isTextual()) {
            problem(where + " has no args.name");
            return;
        }
        if (name.equals("process_name")) {
            processNames.put(pid, n.asText());
        } else {
            threadNames.computeIfAbsent(pid, k -> new TreeMap<>()).put(tid == null ? pid : tid, n.asText());
        }
    }

    private void finish() {
        for (Map.Entry<Integer, Long> u : pidUses.entrySet()) {
            if (!processNames.containsKey(u.getKey())) {
                problem("pid " + u.getKey() + " is used by " + u.getValue() + " events but has no process_name");
            }
        }
        for (Map.Entry<Long, Long> u : threadUses.entrySet()) {
            int pid = (int) (u.getKey() >> 32);
            int tid = (int) (long) u.getKey();
            if (!threadNames.getOrDefault(pid, Map.of()).containsKey(tid)) {
                problem("pid " + pid + " tid " + tid + " is used by " + u.getValue() + " events but has no thread_name");
            }
        }
        List<Long> keys = new ArrayList<>(slicesByThread.keySet());
        Collections.sort(keys);
        for (Long key : keys) checkNesting((int) (key >> 32), (int) (long) key, slicesByThread.get(key));
    }

    /** Slices sorted by start, longer first; each must end by the end of every slice open around it. */
    private void checkNesting(int pid, int tid, List<Slice> slices) {
        slices.sort(Comparator.comparingLong(Slice::startPs)
                .thenComparing(Comparator.comparingLong(Slice::endPs).reversed())
                .thenComparingLong(Slice::index));
        List<Slice> open = new ArrayList<>();
        for (Slice s : slices) {
            while (!open.isEmpty() && open.get(open.size() - 1).endPs() <= s.startPs()) {
                open.remove(open.size() - 1);
            }
            if (!open.isEmpty()) {
                Slice parent = open.get(open.size() - 1);
                if (s.endPs() > parent.endPs()) {
                    problem("pid " + pid + " tid " + tid + ": slice " + describe(s)
                            + " partially overlaps " + describe(parent) + " (slices on one track must nest)");
                    continue; // keep the parent open; the offender is not pushed
                }
            }
            open.add(s);
        }
    }

    private static String describe(Slice s) {
        return "'" + s.name() + "' (event #" + s.index() + ") [" + JsonNumbers.psToUs(s.startPs()) + ", "
                + JsonNumbers.psToUs(s.endPs()) + ") us";
    }

    private void problem(String text) {
        if (problems.size() < MAX_LISTED_PROBLEMS) problems.add(text);
        else unlistedProblems++;
    }

    private static long threadKey(int pid, int tid) {
        return ((long) pid << 32) | (tid & 0xffff_ffffL);
    }

    private static int intOr(JsonNode n, int fallback) {
        return n != null && n.canConvertToInt() ? n.asInt() : fallback;
    }

    /** Microseconds (a JSON number) to picoseconds, or null if absent, not a number or out of range. */
    private static Long ps(JsonNode n) {
        if (n == null || !n.isNumber()) return null;
        try {
            BigDecimal us = n.decimalValue();
            return JsonNumbers.usToPs(us);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static boolean catMatches(String eventCat, String cat) {
        if (cat == null || eventCat.equals(cat)) return true;
        for (String c : eventCat.split(",", -1)) {
            if (c.trim().equals(cat)) return true;
        }
        return false;
    }
}
