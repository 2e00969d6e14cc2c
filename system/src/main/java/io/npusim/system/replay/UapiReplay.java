package io.npusim.system.replay;

import io.npusim.core.UserError;
import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.kernel.os.Kernel;
import io.npusim.kernel.os.SimProcess;
import io.npusim.kernel.os.SimThread;
import io.npusim.system.board.Board;
import io.npusim.traces.format.Trace;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserMapping;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.arrival.Client;
import io.npusim.workloads.arrival.ClientStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays the UAPI level of a trace on a board: the recorded processes and threads, and for each
 * client a stand-in that issues the recorded calls. A call is issued when the call it followed
 * completes (in the recorded order among the calls that followed the same one), so with unchanged
 * hardware everything happens at the recorded instants, and with other hardware every job is
 * re-timed by the models while each thread keeps its causal order and its recorded CPU work.
 * Sleeps last as long as recorded ({@code until - at}), from when they are issued.
 */
final class UapiReplay implements Board.ClientSource {
    private final Trace trace;
    private final Map<Integer, UserThread> threads = new HashMap<>();
    private final Map<Long, UserMapping> maps = new HashMap<>();
    private final Map<Long, Attribution> requests = new HashMap<>();
    private final Map<String, ReplayClient> clients = new LinkedHashMap<>();
    private Syscalls sys;
    private long diverged;
    private long issued;
    private int line;

    UapiReplay(Trace trace) {
        this.trace = trace;
    }

    /** Calls whose return value differed from the recorded one. */
    long diverged() {
        return diverged;
    }

    long issued() {
        return issued;
    }

    /** The line of the last call issued. */
    int line() {
        return line;
    }

    @Override
    public List<Client> build(Board board) {
        Kernel kernel = board.kernel();
        sys = board.sys();
        Map<Integer, SimProcess> procs = new HashMap<>();
        for (Trace.Process p : trace.processes()) {
            SimProcess sp = kernel.spawn(p.name(), p.affinity());
            if (sp.pid() != p.pid()) {
                throw new UserError(trace.file() + ": process " + p.name() + " was pid " + p.pid() + ", the replay gives it " + sp.pid()
                        + " (processes must be described in the order they were started)");
            }
            procs.put(p.pid(), sp);
        }
        for (Trace.ThreadInfo t : trace.threads()) {
            SimThread st = procs.get(t.pid()).newThreadOn(t.name(), t.cpu());
            if (st.tid() != t.tid()) {
                throw new UserError(trace.file() + ": thread " + t.name() + " was tid " + t.tid() + ", the replay gives it " + st.tid()
                        + " (threads must be described in the order they were created)");
            }
            threads.put(t.tid(), board.view(st));
        }
        List<Client> out = new ArrayList<>();
        for (Trace.ClientInfo c : trace.clients()) {
            UserThread main = threads.get(c.tid());
            if (main == null) throw new UserError(trace.file() + ": client " + c.name() + " has no described main thread");
            ReplayClient rc = new ReplayClient(c.name(), c.kind(), c.model(), out.isEmpty() ? this::start : null,
                    ReplayClient.deadlineOf(trace, c));
            clients.put(c.name(), rc);
            out.add(rc);
        }
        if (out.isEmpty() && !trace.roots().isEmpty()) throw new UserError(trace.file() + ": a UAPI-level trace without clients");
        return out;
    }

    /** Issues the calls made when the run started, in their order. */
    private void start() {
        for (Trace.Call c : trace.roots()) issue(c);
    }

    private void issue(Trace.Call c) {
        issued++;
        line = c.line();
        UserThread t = threads.get(c.tid());
        try {
            Trace.Action a = c.action();
            if (a instanceof Trace.Open o) {
                sys.open(t, o.path(), r -> done(c, r));
            } else if (a instanceof Trace.Close x) {
                sys.close(t, x.fd(), r -> done(c, r));
            } else if (a instanceof Trace.IoctlCall i) {
                sys.ioctl(t, i.fd(), i.arg(), (r, o) -> done(c, r));
            } else if (a instanceof Trace.Mmap m) {
                sys.mmap(t, m.fd(), m.offset(), m.length(), (r, map) -> {
                    if (map != null) maps.put(c.id(), map);
                    done(c, r);
                });
            } else if (a instanceof Trace.Cpu w) {
                t.compute(w.work(), () -> done(c, 0));
            } else if (a instanceof Trace.Sleep s) {
                t.sleepUntil(t.now() + (s.untilPs() - c.atPs()), () -> done(c, 0));
            } else if (a instanceof Trace.Write w) {
                UserMapping m = maps.get(w.map());
                if (m == null) diverged++; // the mmap failed in this replay
                else m.put(w.offset(), w.value());
            } else if (a instanceof Trace.SetRequest r) {
                if (r.key() == null) {
                    t.setRequest(null);
                } else {
                    Attribution at = requests.get(r.key());
                    if (at == null) {
                        at = new Attribution(t.now() - r.startOffsetPs());
                        // a request taken up after it arrived waited for the previous one: that wait is queueing
                        if (r.startOffsetPs() > 0) at.close(at.open(Part.QUEUED, at.startPs()), t.now());
                        requests.put(r.key(), at);
                    }
                    t.setRequest(at);
                }
            } else if (a instanceof Trace.Stat s) {
                clients.get(s.client()).stat(s, t);
            } else {
                throw new IllegalStateException("unknown call " + a);
            }
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserError(trace.file() + ":" + c.line() + ": replaying this " + c.type() + " failed: " + e);
        }
    }

    private void done(Trace.Call c, int ret) {
        if (c.ret() != null && c.ret() != ret) diverged++;
        for (Trace.Call child : trace.children(c.id())) issue(child);
    }

    /** A recorded client's stand-in: its statistics come from the recorded ones, re-measured where they can be. */
    static final class ReplayClient implements Client {
        private final String name;
        private final ClientStats stats;
        private final Runnable start;
        private final long deadlinePs;

        ReplayClient(String name, String kind, String model, Runnable start, long deadlinePs) {
            this.name = name;
            this.stats = new ClientStats(name, kind, model == null ? "?" : model);
            this.start = start;
            this.deadlinePs = deadlinePs;
        }

        /** The deadline of a client from the scenario in the header (0: none, or not known). */
        static long deadlineOf(Trace trace, Trace.ClientInfo c) {
            return Scenarios.deadlinePs(trace, c);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start(long endPs) {
            if (start != null) start.run();
        }

        @Override
        public ClientStats stats() {
            return stats;
        }

        /** Applies a recorded statistic on {@code t}, re-measuring durations that ran from the current request's start. */
        void stat(Trace.Stat s, UserThread t) {
            Attribution r = t.request();
            long now = t.now();
            boolean measure = s.anchored() && r != null;
            switch (s.what()) {
                case "complete" -> {
                    long start = measure ? r.startPs() : s.a();
                    long lat = measure ? now - start : s.b();
                    long[] parts = measure ? r.finish(now) : s.parts();
                    stats.complete(start, lat, parts);
                    if (deadlinePs > 0 && lat > deadlinePs) stats.deadlineMiss();
                }
                case "ttft" -> {
                    long ps = measure ? now - r.startPs() : s.a();
                    if (measure && !r.isFinished()) r.finish(now);
                    stats.ttft(ps);
                }
                case "tokens" -> stats.tokens(s.a(), measure ? now - r.startPs() : s.b());
                case "drop" -> stats.drop();
                case "deadline_miss" -> {
                    if (deadlinePs <= 0) stats.deadlineMiss(); // else decided again on completion
                }
                case "fail" -> stats.fail(s.why());
                default -> throw new IllegalStateException("unknown stat " + s.what());
            }
        }
    }
}
