package io.npusim.traces.record;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npusim.core.account.Attribution;
import io.npusim.hw.npu.TaskOp;
import io.npusim.traces.format.TraceFormat;
import io.npusim.traces.format.TraceWriter;
import io.npusim.traces.format.Values;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.ProcessEnv;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserMapping;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.arrival.ClientStats;
import io.npusim.workloads.arrival.RequestListener;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Records a run at the UAPI boundary: a decorator around the system calls, the threads and the
 * mappings every runtime goes through, which writes each call it passes on (with its decoded
 * arguments, its return value and how long it took) and changes nothing of what it passes.
 *
 * <p>Causality is recorded, not guessed: every call gets an id when it is issued and names in
 * {@code after} the call whose completion was running when it was issued (-1 at the start of the
 * run). A replay issues each call when the one it follows completes, in the same order, so with
 * unchanged hardware every event happens at the same instant in the same order as recorded; with
 * other hardware the calls are re-timed but stay in causal order. CPU work between calls is
 * recorded as calls too ({@code cpu}, {@code sleep}): it is the recorded CPU gap, re-timed by the
 * CPU model on replay.
 *
 * <p>A call's line is written when it completes (so lines are in time order); calls still in
 * flight when the run ends are written by {@link #finish()} with {@code "pending": true}, then the
 * end line. Not thread-safe (a simulation is single-threaded).
 */
public final class UapiRecorder {
    private final TraceWriter out;
    private final Values values = new Values();
    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final Map<TaskOp, Integer> ops = new HashMap<>();
    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    private final IdentityHashMap<UserThread, RecordingThread> threads = new IdentityHashMap<>();
    private final IdentityHashMap<Attribution, Long> requests = new IdentityHashMap<>();
    private final Syscalls sys;
    private long nextId;
    private long cause = -1;
    private long nextRequest;
    private long calls;
    private boolean described;
    private boolean finished;

    /** A call issued and not yet complete. */
    private static final class Pending {
        final long id;
        final long after;
        final String type;
        final UserThread thread;
        final long atPs;
        final ObjectNode fields;

        Pending(long id, long after, String type, UserThread thread, long atPs, ObjectNode fields) {
            this.id = id;
            this.after = after;
            this.type = type;
            this.thread = thread;
            this.atPs = atPs;
            this.fields = fields;
        }
    }

    /**
     * A recorder writing to {@code out}, starting with {@code header}; {@code kernel} is what the
     * recorded calls go to.
     */
    public UapiRecorder(TraceWriter out, ObjectNode header, Syscalls kernel) {
        this.out = out;
        this.sys = new RecordingSyscalls(kernel);
        out.line(header);
    }

    // ---- what runtimes get ------------------------------------------------------------------

    /** The system calls, recorded. */
    public Syscalls syscalls() {
        return sys;
    }

    /** The thread as runtimes should see it: each call on it recorded. */
    public UserThread thread(UserThread t) {
        if (t instanceof RecordingThread r) return r;
        return threads.computeIfAbsent(t, RecordingThread::new);
    }

    /** A process's view with recorded system calls and threads. */
    public ProcessEnv env(ProcessEnv env) {
        return new ProcessEnv() {
            @Override
            public Syscalls sys() {
                return sys;
            }

            @Override
            public UserThread mainThread() {
                return thread(env.mainThread());
            }

            @Override
            public int[] cpus() {
                return env.cpus();
            }

            @Override
            public UserThread newThread(String name, int cpu) {
                UserThread t = env.newThread(name, cpu);
                if (described) threadLine(t.pid(), t.tid(), bareName(t), cpu);
                return thread(t);
            }
        };
    }

    private static String bareName(UserThread t) {
        String n = t.name();
        int slash = n.indexOf('/');
        return slash >= 0 ? n.substring(slash + 1) : n;
    }

    // ---- description ------------------------------------------------------------------------

    public void process(int pid, String name, int[] affinity) {
        ObjectNode n = json.objectNode();
        n.put("t", TraceFormat.PROCESS);
        n.put("pid", pid);
        n.put("name", name);
        ArrayNode a = n.putArray("affinity");
        for (int c : affinity) a.add(c);
        out.line(n);
    }

    public void thread(int pid, int tid, String name, int cpu) {
        threadLine(pid, tid, name, cpu);
    }

    private void threadLine(int pid, int tid, String name, int cpu) {
        ObjectNode n = json.objectNode();
        n.put("t", TraceFormat.THREAD);
        n.put("pid", pid);
        n.put("tid", tid);
        n.put("name", name);
        n.put("cpu", cpu);
        out.line(n);
    }

    /** A client of the workload level (kind: vision, llm, audio). */
    public void client(String name, int pid, int tid, String kind, String model, String runtime, Integer coreMask, String klass,
                       String scenarioClient) {
        ObjectNode n = json.objectNode();
        n.put("t", TraceFormat.CLIENT);
        n.put("name", name);
        n.put("pid", pid);
        n.put("tid", tid);
        n.put("kind", kind);
        n.put("model", model);
        n.put("runtime", runtime);
        if (coreMask == null) n.putNull("core_mask");
        else n.put("core_mask", coreMask);
        n.put("class", klass);
        n.put("scenario_client", scenarioClient);
        out.line(n);
    }

    /** Processes, threads and clients are described; threads created from now on get their own line. */
    public void described() {
        described = true;
    }

    // ---- workload hooks ---------------------------------------------------------------------

    /** Writes each request a client's arrival process produces (the workload level). */
    public RequestListener requests() {
        return (client, at, prompt, answer) -> {
            ObjectNode n = json.objectNode();
            n.put("t", TraceFormat.ARRIVAL);
            n.put("client", client);
            n.put("at_ps", at);
            n.put("prompt_tokens", prompt);
            n.put("answer_tokens", answer);
            out.line(n);
        };
    }

    /** Writes what client {@code client} (running on {@code thread}) records, as calls of its thread. */
    public ClientStats.Observer stats(String client, UserThread thread) {
        UserThread t = thread(thread);
        return new ClientStats.Observer() {
            @Override
            public void completed(long startPs, long latencyPs, long[] parts) {
                Attribution r = t.request();
                long now = t.now();
                boolean anchored = r != null && r.startPs() == startPs && latencyPs == now - startPs;
                instant(TraceFormat.STAT, t, f -> {
                    f.put("client", client);
                    f.put("what", "complete");
                    f.put("start_ps", startPs);
                    f.put("latency_ps", latencyPs);
                    ArrayNode a = f.putArray("parts");
                    for (long p : parts) a.add(p);
                    f.put("anchored", anchored);
                });
            }

            @Override
            public void ttft(long ps) {
                duration("ttft", "ps", 0, ps);
            }

            @Override
            public void tokens(long n, long ps) {
                duration("tokens", "n", n, ps);
            }

            private void duration(String what, String firstField, long first, long ps) {
                Attribution r = t.request();
                boolean anchored = r != null && ps == t.now() - r.startPs();
                instant(TraceFormat.STAT, t, f -> {
                    f.put("client", client);
                    f.put("what", what);
                    if (what.equals("tokens")) f.put(firstField, first);
                    f.put("ps", ps);
                    f.put("anchored", anchored);
                });
            }

            @Override
            public void dropped() {
                instant(TraceFormat.STAT, t, f -> {
                    f.put("client", client);
                    f.put("what", "drop");
                });
            }

            @Override
            public void deadlineMissed() {
                instant(TraceFormat.STAT, t, f -> {
                    f.put("client", client);
                    f.put("what", "deadline_miss");
                });
            }

            @Override
            public void failed(String why) {
                instant(TraceFormat.STAT, t, f -> {
                    f.put("client", client);
                    f.put("what", "fail");
                    f.put("why", why);
                });
            }
        };
    }

    // ---- the end ----------------------------------------------------------------------------

    /** Writes the calls still in flight (pending) and the end line. */
    public void finish() {
        if (finished) return;
        finished = true;
        for (Pending p : pending.values()) {
            ObjectNode n = base(p);
            n.put("pending", true);
            n.setAll(p.fields);
            out.line(n);
        }
        pending.clear();
        ObjectNode end = json.objectNode();
        end.put("t", TraceFormat.END);
        end.put("lines", out.lines() + 1);
        end.put("calls", calls);
        out.line(end);
    }

    // ---- machinery --------------------------------------------------------------------------

    private Pending issue(String type, UserThread t, Consumer<ObjectNode> fields) {
        ObjectNode f = json.objectNode();
        fields.accept(f);
        Pending p = new Pending(nextId++, cause, type, t, t.now(), f);
        pending.put(p.id, p);
        calls++;
        return p;
    }

    private ObjectNode base(Pending p) {
        ObjectNode n = json.objectNode();
        n.put("t", p.type);
        n.put("id", p.id);
        n.put("after", p.after);
        n.put("pid", p.thread.pid());
        n.put("tid", p.thread.tid());
        n.put("at_ps", p.atPs);
        return n;
    }

    /** Writes a completed call; {@code extra} adds fields known only now (out-fields). */
    private void complete(Pending p, int ret, Consumer<ObjectNode> extra) {
        pending.remove(p.id);
        ObjectNode n = base(p);
        n.put("dur_ps", p.thread.now() - p.atPs);
        n.put("ret", ret);
        n.setAll(p.fields);
        if (extra != null) extra.accept(n);
        out.line(n);
    }

    /** Runs {@code r} as the continuation of call {@code id}: what it issues follows that call. */
    private void runAs(long id, Runnable r) {
        long prev = cause;
        cause = id;
        try {
            r.run();
        } finally {
            cause = prev;
        }
    }

    /** A call that takes no time (a write, a request change, a statistic): written at once. */
    private void instant(String type, UserThread t, Consumer<ObjectNode> fields) {
        ObjectNode f = json.objectNode();
        fields.accept(f);
        Pending p = new Pending(nextId++, cause, type, t, t.now(), f);
        calls++;
        ObjectNode n = base(p);
        n.setAll(f);
        out.line(n);
    }

    private int opId(TaskOp op) {
        Integer id = ops.get(op);
        if (id != null) return id;
        int nid = ops.size();
        ops.put(op, nid);
        ObjectNode n = json.objectNode();
        n.put("t", TraceFormat.OP);
        n.put("id", nid);
        n.set("op", values.tree(op));
        out.line(n);
        return nid;
    }

    private static UserThread unwrap(UserThread t) {
        return t instanceof RecordingThread r ? r.delegate : t;
    }

    private final class RecordingSyscalls implements Syscalls {
        private final Syscalls kernel;

        RecordingSyscalls(Syscalls kernel) {
            this.kernel = kernel;
        }

        @Override
        public void open(UserThread thread, String path, IntResult done) {
            UserThread t = thread(thread);
            Pending p = issue(TraceFormat.OPEN, t, f -> f.put("path", path));
            kernel.open(unwrap(thread), path, r -> {
                complete(p, r, null);
                runAs(p.id, () -> done.done(r));
            });
        }

        @Override
        public void close(UserThread thread, int fd, IntResult done) {
            UserThread t = thread(thread);
            Pending p = issue(TraceFormat.CLOSE, t, f -> f.put("fd", fd));
            kernel.close(unwrap(thread), fd, r -> {
                complete(p, r, null);
                runAs(p.id, () -> done.done(r));
            });
        }

        @Override
        public void ioctl(UserThread thread, int fd, Ioctl arg, IoctlResult done) {
            UserThread t = thread(thread);
            ObjectNode argTree = values.tree(arg);
            Pending p = issue(TraceFormat.IOCTL, t, f -> {
                f.put("fd", fd);
                f.put("nr", Values.hex(arg.request()));
                f.put("name", arg.name());
                f.set("arg", argTree);
            });
            kernel.ioctl(unwrap(thread), fd, arg, (ret, o) -> {
                complete(p, ret, n -> {
                    if (o != null && o != arg && o.getClass() == arg.getClass()) {
                        ObjectNode d = values.changed(argTree, values.tree(o));
                        if (d != null) n.set("out", d);
                    }
                });
                runAs(p.id, () -> done.done(ret, o));
            });
        }

        @Override
        public void mmap(UserThread thread, int fd, long offset, long length, MmapResult done) {
            UserThread t = thread(thread);
            Pending p = issue(TraceFormat.MMAP, t, f -> {
                f.put("fd", fd);
                f.put("offset", offset);
                f.put("length", length);
            });
            kernel.mmap(unwrap(thread), fd, offset, length, (r, m) -> {
                complete(p, r, null);
                UserMapping rm = m == null ? null : new RecordingMapping(p.id, t, m);
                runAs(p.id, () -> done.done(r, rm));
            });
        }
    }

    /** A mapping whose writes are recorded: buffer contents the hardware will read. */
    private final class RecordingMapping implements UserMapping {
        private final long id;
        private final UserThread owner;
        private final UserMapping delegate;

        RecordingMapping(long id, UserThread owner, UserMapping delegate) {
            this.id = id;
            this.owner = owner;
            this.delegate = delegate;
        }

        @Override
        public long length() {
            return delegate.length();
        }

        @Override
        public void put(long offset, Object content) {
            ObjectNode value = values.writeValue(content, UapiRecorder.this::opId);
            instant(TraceFormat.WRITE, owner, f -> {
                f.put("map", id);
                f.put("offset", offset);
                f.set("value", value);
            });
            delegate.put(offset, content);
        }

        @Override
        public Object get(long offset) {
            return delegate.get(offset);
        }
    }

    /** A thread whose CPU work, sleeps and request changes are recorded. */
    private final class RecordingThread implements UserThread {
        private final UserThread delegate;

        RecordingThread(UserThread delegate) {
            this.delegate = delegate;
        }

        @Override
        public int pid() {
            return delegate.pid();
        }

        @Override
        public int tid() {
            return delegate.tid();
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public long now() {
            return delegate.now();
        }

        @Override
        public void compute(CpuWork work, Runnable then) {
            Pending p = issue(TraceFormat.CPU, this, f -> {
                f.put("name", work.name());
                f.put("ref_ps", work.refPs());
                f.put("ddr_bytes", work.ddrBytes());
                f.put("part", work.part().key());
            });
            delegate.compute(work, () -> {
                complete(p, 0, null);
                runAs(p.id, then);
            });
        }

        @Override
        public void sleepUntil(long timePs, Runnable then) {
            Pending p = issue(TraceFormat.SLEEP, this, f -> f.put("until_ps", timePs));
            delegate.sleepUntil(timePs, () -> {
                complete(p, 0, null);
                runAs(p.id, then);
            });
        }

        @Override
        public Attribution request() {
            return delegate.request();
        }

        @Override
        public void setRequest(Attribution request) {
            instant(TraceFormat.SET_REQUEST, this, f -> {
                if (request == null) {
                    f.putNull("req");
                } else {
                    Long key = requests.get(request);
                    if (key == null) requests.put(request, key = nextRequest++);
                    f.put("req", key);
                    f.put("start_ps", request.startPs());
                }
            });
            delegate.setRequest(request);
        }

        @Override
        public String toString() {
            return "recorded " + delegate;
        }
    }
}
