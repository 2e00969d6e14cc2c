package io.npusim.system.verdicts;

import io.npusim.hw.npu.TaskRecord;
import io.npusim.system.board.Board;
import io.npusim.system.board.TaskLogTap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Listens to the cores beside the board's task log (it forwards everything to it) and keeps, per
 * client, which cores each of its jobs ran on and when each of its tasks ran: enough to say how
 * many cores one job spans and whether one client ever has tasks on two cores at the same instant.
 * Attach it in a run's prepare hook: {@code Runner.run(spec, scenario, trace, b -> tap[0] = TaskTap.attach(b))}.
 */
public final class TaskTap extends TaskLogTap {
    private final boolean idsPerCore;
    private final Map<String, PerClient> clients = new LinkedHashMap<>();

    private static final class PerClient {
        final Map<Long, Integer> jobCores = new HashMap<>();
        long[] starts = new long[1024];
        long[] ends = new long[1024];
        int n;

        void add(TaskRecord r, boolean idsPerCore) {
            long key = idsPerCore ? r.job() * 4 + r.core() : r.job();
            jobCores.merge(key, 1 << r.core(), (a, b) -> a | b);
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
            }
            starts[n] = r.startPs();
            ends[n] = r.endPs();
            n++;
        }
    }

    private TaskTap(Board b) {
        super(b);
        this.idsPerCore = b.spec().policy() == io.npusim.system.spec.Policy.ROCKET;
    }

    /**
     * Puts a tap between the board's cores and its task log. Under rocket a job is known by its
     * core and id: drm_sched numbers jobs per scheduler (sched->job_id_count), one per core, and a
     * job runs on its scheduler's core; the other drivers number jobs device-wide.
     */
    public static TaskTap attach(Board b) {
        return new TaskTap(b);
    }

    @Override
    public void taskDone(TaskRecord r) {
        clients.computeIfAbsent(r.client(), k -> new PerClient()).add(r, idsPerCore);
        super.taskDone(r);
    }

    /** Jobs of the client that ran at least one task. */
    public long jobs(String client) {
        PerClient c = clients.get(client);
        return c == null ? 0 : c.jobCores.size();
    }

    /** Mean number of distinct cores a job of the client ran tasks on (0 when it ran none). */
    public double coresPerJob(String client) {
        PerClient c = clients.get(client);
        if (c == null || c.jobCores.isEmpty()) return 0;
        long sum = 0;
        for (int mask : c.jobCores.values()) sum += Integer.bitCount(mask);
        return sum / (double) c.jobCores.size();
    }

    /** Cores (bit i = core i) any task of the client ran on. */
    public int coresUsed(String client) {
        PerClient c = clients.get(client);
        int m = 0;
        if (c != null) for (int mask : c.jobCores.values()) m |= mask;
        return m;
    }

    /** The most tasks of the client that were running at one instant (1 = never two cores at once). */
    public int maxConcurrentTasks(String client) {
        PerClient c = clients.get(client);
        if (c == null || c.n == 0) return 0;
        long[][] ev = events(c);
        int cur = 0, max = 0;
        for (long[] e : ev) {
            cur += (int) e[1];
            max = Math.max(max, cur);
        }
        return max;
    }

    /** Share of the time the client had some task running during which it had two or more running. */
    public double overlapShare(String client) {
        PerClient c = clients.get(client);
        if (c == null || c.n == 0) return 0;
        long[][] ev = events(c);
        int cur = 0;
        long last = ev[0][0], busy = 0, multi = 0;
        for (long[] e : ev) {
            long dt = e[0] - last;
            if (cur >= 1) busy += dt;
            if (cur >= 2) multi += dt;
            last = e[0];
            cur += (int) e[1];
        }
        return busy == 0 ? 0 : multi / (double) busy;
    }

    /** Task starts (+1) and ends (-1) in time order; at one instant ends come first. */
    private static long[][] events(PerClient c) {
        long[][] ev = new long[c.n * 2][];
        for (int i = 0; i < c.n; i++) {
            ev[2 * i] = new long[] {c.starts[i], +1};
            ev[2 * i + 1] = new long[] {c.ends[i], -1};
        }
        Arrays.sort(ev, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        return ev;
    }
}
