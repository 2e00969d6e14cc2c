package io.npusim.traces.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.os.CpuWork;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace read and checked: its header, the processes, threads and clients it describes, the
 * calls of the UAPI level as a forest (each call's children are the calls its completion issued,
 * in issue order), and the requests and measured jobs of the workload level.
 */
public final class Trace {
    /** The header line: format, version, platform, levels, and what the run was. */
    public record Header(ObjectNode node, int version, String platform, List<String> levels, String source, String policy,
                         String variant, long durationPs, Long npuMhz, Long seed, ObjectNode run, ObjectNode scenario) {
        public boolean has(String level) {
            return levels.contains(level);
        }
    }

    public record Process(int pid, String name, int[] affinity) {}

    public record ThreadInfo(int pid, int tid, String name, int cpu) {}

    /** A client of the workload level: its process and main thread, what it ran. */
    public record ClientInfo(String name, int pid, int tid, String kind, String model, String runtime, Integer coreMask, String klass,
                             String scenarioClient) {}

    /** What a call asked for. */
    public sealed interface Action {}

    public record Open(String path) implements Action {}

    public record Close(int fd) implements Action {}

    public record IoctlCall(int fd, Ioctl arg) implements Action {}

    public record Mmap(int fd, long offset, long length) implements Action {}

    public record Cpu(CpuWork work) implements Action {}

    /** {@code untilPs} as recorded; a causal replay sleeps for {@code untilPs - atPs}. */
    public record Sleep(long untilPs) implements Action {}

    /** A value written at {@code offset} through the mapping returned by mmap call {@code map}. */
    public record Write(long map, long offset, Object value) implements Action {}

    /** The thread's current request: {@code key} (null: none) started {@code startOffsetPs} before this call. */
    public record SetRequest(Long key, long startOffsetPs) implements Action {}

    /**
     * What a client recorded: complete (a, b = start, latency; parts), ttft (a = ps), tokens (a = n,
     * b = ps), drop, deadline_miss, fail (why). {@code anchored}: the duration ran from the start
     * of the thread's current request to this call, so a replay measures it again.
     */
    public record Stat(String client, String what, long a, long b, long[] parts, String why, boolean anchored) implements Action {}

    /** One call of the UAPI level; {@code durPs} is -1 for a call still pending when the run ended. */
    public record Call(long id, long after, int line, String type, int pid, int tid, long atPs, long durPs, Integer ret, Action action) {
        public boolean pending() {
            return durPs < 0;
        }
    }

    /** A request of the workload level. */
    public record Arrival(String client, long atPs, int promptTokens, int answerTokens, int line) {}

    /** A job known from a capture: when it was submitted, ran and finished, its measured service time. */
    public record Job(String client, long seq, long batch, long submitPs, Long startPs, long endPs, long servicePs, int coreMask,
                      int tasks, Integer core, int line) {}

    private final String file;
    private final Header header;
    private final List<Process> processes;
    private final List<ThreadInfo> threads;
    private final List<ClientInfo> clients;
    private final List<Call> calls;
    private final Map<Long, List<Call>> children;
    private final List<Call> roots;
    private final List<Arrival> arrivals;
    private final List<Job> jobs;
    private final int lines;

    Trace(String file, Header header, List<Process> processes, List<ThreadInfo> threads, List<ClientInfo> clients, List<Call> calls,
          List<Arrival> arrivals, List<Job> jobs, int lines) {
        this.file = file;
        this.header = header;
        this.processes = List.copyOf(processes);
        this.threads = List.copyOf(threads);
        this.clients = List.copyOf(clients);
        List<Call> sorted = new ArrayList<>(calls);
        sorted.sort((x, y) -> Long.compare(x.id(), y.id()));
        this.calls = Collections.unmodifiableList(sorted);
        Map<Long, List<Call>> ch = new HashMap<>();
        List<Call> r = new ArrayList<>();
        for (Call c : sorted) {
            if (c.after() < 0) r.add(c);
            else ch.computeIfAbsent(c.after(), k -> new ArrayList<>()).add(c);
        }
        this.children = ch;
        this.roots = List.copyOf(r);
        this.arrivals = List.copyOf(arrivals);
        this.jobs = List.copyOf(jobs);
        this.lines = lines;
    }

    public String file() {
        return file;
    }

    public Header header() {
        return header;
    }

    public List<Process> processes() {
        return processes;
    }

    public List<ThreadInfo> threads() {
        return threads;
    }

    public List<ClientInfo> clients() {
        return clients;
    }

    /** Every call, by id (issue order). */
    public List<Call> calls() {
        return calls;
    }

    /** The calls issued when call {@code id} completed, in issue order. */
    public List<Call> children(long id) {
        List<Call> l = children.get(id);
        return l == null ? List.of() : l;
    }

    /** The calls issued when the run started (outside any call's completion), in issue order. */
    public List<Call> roots() {
        return roots;
    }

    public List<Arrival> arrivals() {
        return arrivals;
    }

    public List<Job> jobs() {
        return jobs;
    }

    public int lines() {
        return lines;
    }

    public boolean hasUapi() {
        return header.has(TraceFormat.LEVEL_UAPI) && !calls.isEmpty();
    }
}
