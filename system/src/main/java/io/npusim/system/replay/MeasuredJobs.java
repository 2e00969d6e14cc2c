package io.npusim.system.replay;

import io.npusim.core.UserError;
import io.npusim.core.account.Attribution;
import io.npusim.core.time.Time;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.NpuParams;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskTiming;
import io.npusim.kernel.os.SimProcess;
import io.npusim.kernel.os.SimThread;
import io.npusim.system.board.Board;
import io.npusim.system.spec.Policy;
import io.npusim.traces.format.Trace;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserThread;
import io.npusim.uapi.rocket.RocketJob;
import io.npusim.workloads.arrival.Client;
import io.npusim.workloads.arrival.ClientStats;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.TaskPlan;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.rknn.RknpuSession;
import io.npusim.workloads.runtime.rocket.RocketSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays jobs known only from a board capture (their core mask, task count and measured service
 * time) through a policy's UAPI: one process per captured thread, each job lowered as the policy's
 * userspace would submit it (rknpu: a blocking PC submit per job with the captured mask; rocket:
 * one SUBMIT per captured batch on one core, then PREP_BO on its output) with synthetic tasks
 * whose hardware time at the capture's clock is the measured service time. At another NPU clock
 * the tasks' cycles stay, so the service time scales by the clock ratio. Each thread replays
 * causally: a batch is issued when the previous one returned plus the recorded gap between them.
 */
final class MeasuredJobs implements Board.ClientSource {
    /** Register commands per synthetic task (a small conv setup plus the 4 PC tail entries). */
    static final int REGCMD_ENTRIES = 16;

    private final Trace trace;
    private final Policy policy;
    private final long captureMhz;

    MeasuredJobs(Trace trace, Policy policy, long captureMhz) {
        if (policy != Policy.RKNPU && policy != Policy.ROCKET) {
            throw new UserError("jobs known only by their measured service time replay under rknpu or rocket, not " + policy.key());
        }
        this.trace = trace;
        this.policy = policy;
        this.captureMhz = captureMhz;
    }

    @Override
    public List<Client> build(Board board) {
        Map<String, List<Trace.Job>> byClient = new LinkedHashMap<>();
        for (Trace.ClientInfo c : trace.clients()) byClient.put(c.name(), new ArrayList<>());
        for (Trace.Job j : trace.jobs()) byClient.get(j.client()).add(j);
        List<Client> out = new ArrayList<>();
        for (Map.Entry<String, List<Trace.Job>> e : byClient.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            SimProcess proc = board.kernel().spawn(e.getKey(), board.hw().cpus().bigCpus());
            SimThread thread = proc.newThread("main");
            out.add(new CaptureClient(e.getKey(), board.view(thread), board.sys(), e.getValue(), board.hw().npuParams()));
        }
        if (out.isEmpty()) throw new UserError(trace.file() + ": the capture holds no jobs");
        return out;
    }

    /** Cycles of one synthetic task that takes {@code ps} at the capture's clock (pipeline setup and drain included). */
    long cycles(long ps, NpuParams p) {
        long c = Math.round(ps * (double) captureMhz / 1e6) - p.taskSetupCycles() - p.taskDrainCycles();
        return Math.max(1, c);
    }

    /** A 1x1 convolution (M x K x N matmul) with no memory traffic whose pipeline takes at least {@code cycles}, the fewest such. */
    static TaskOp.Shape shape(long cycles, NpuParams p) {
        int n = p.weightAtomKernels();
        for (int m = 1; m <= 1 << 24; m *= 16) {
            int lo = 1, hi = 1 << 30;
            if (cost(m, hi, n, p) < cycles) continue;
            while (lo < hi) {
                int mid = lo + (hi - lo) / 2;
                if (cost(m, mid, n, p) >= cycles) hi = mid;
                else lo = mid + 1;
            }
            return TaskOp.Shape.matmul(m, lo, n);
        }
        throw new UserError("a measured task of " + cycles + " cycles is too long to replay");
    }

    private static long cost(int m, int k, int n, NpuParams p) {
        // the sizing op moves no data, so its cycles do not depend on the clock passed here
        return TaskTiming.cost(op("sizing", TaskOp.Shape.matmul(m, k, n)), p, 1_000_000).cycles();
    }

    static TaskOp op(String label, TaskOp.Shape s) {
        return new TaskOp(label, TaskOp.Kind.CONV, Dtype.INT8, s, TaskOp.Cbuf.NONE, TaskOp.Post.NONE, List.of(),
                (long) s.outW() * s.inC() * s.outC());
    }

    /** One captured thread's jobs, submitted again. */
    private final class CaptureClient implements Client {
        private final String name;
        private final UserThread thread;
        private final List<List<Trace.Job>> batches = new ArrayList<>();
        private final ClientStats stats;
        private final RknpuSession rknpu;
        private final RocketSession rocket;
        private final Map<Trace.Job, Integer> slot = new HashMap<>();
        private final List<JobPlan> plans = new ArrayList<>();
        private final NpuParams params;
        private List<RknpuSession.Prepared> prepared = List.of();
        private List<RocketJob> rocketJobs = List.of();
        private long endPs;

        CaptureClient(String name, UserThread thread, Syscalls sys, List<Trace.Job> jobs, NpuParams params) {
            this.name = name;
            this.thread = thread;
            this.params = params;
            this.stats = new ClientStats(name, "measured", "captured jobs");
            this.rknpu = policy == Policy.RKNPU ? new RknpuSession(name, sys, thread, 6000) : null;
            this.rocket = policy == Policy.ROCKET ? new RocketSession(name, sys, thread) : null;
            List<Trace.Job> cur = null;
            long batch = -1;
            Map<String, Integer> distinct = new HashMap<>();
            for (Trace.Job j : jobs) {
                if (cur == null || j.batch() != batch) {
                    cur = new ArrayList<>();
                    batches.add(cur);
                    batch = j.batch();
                }
                cur.add(j);
                JobPlan plan = plan(j);
                String key = j.coreMask() + "/" + plan.perCore().size() + "/" + plan.taskCount() + "/" + plan.perCore().get(0).get(0).shape();
                Integer s = distinct.get(key);
                if (s == null) {
                    distinct.put(key, s = plans.size());
                    plans.add(plan);
                }
                slot.put(j, s);
            }
        }

        /** The job as the policy's userspace would lay it out: tasks split over the cores its mask names. */
        private JobPlan plan(Trace.Job j) {
            int cores = policy == Policy.RKNPU && (j.coreMask() == 0x3 || j.coreMask() == 0x7) ? Integer.bitCount(j.coreMask()) : 1;
            int perCore = (j.tasks() + cores - 1) / cores;
            long taskPs = j.servicePs() / perCore;
            TaskOp.Shape shape = shape(cycles(taskPs, params), params);
            List<List<TaskPlan>> lists = new ArrayList<>();
            int left = j.tasks();
            for (int c = 0; c < cores; c++) {
                int n = Math.min(perCore, left);
                left -= n;
                List<TaskPlan> l = new ArrayList<>();
                for (int i = 0; i < Math.max(1, n); i++) {
                    l.add(new TaskPlan("captured job task " + i, "captured job", TaskOp.Kind.CONV, Dtype.INT8, shape, TaskOp.Cbuf.NONE,
                            TaskOp.Post.NONE, List.of(), (long) shape.outW() * shape.inC() * shape.outC(), REGCMD_ENTRIES));
                }
                lists.add(l);
            }
            return new JobPlan("captured job", lists, List.of(), List.of(1));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ClientStats stats() {
            return stats;
        }

        private int totalTasks() {
            int n = 0;
            for (JobPlan p : plans) n += p.taskCount();
            return n;
        }

        @Override
        public void start(long endPs) {
            this.endPs = endPs;
            int tasks = totalTasks();
            long regcmd = Math.max(4096, (long) tasks * ((REGCMD_ENTRIES * 8 + 63) / 64 * 64));
            if (rknpu != null) {
                List<BufferPlan> bufs = List.of(new BufferPlan(0, "tasks", BufferPlan.Kind.TASKS, Math.max(4096, tasks * 40L), false),
                        new BufferPlan(1, "regcmd", BufferPlan.Kind.REGCMD, regcmd, false));
                rknpu.open(() -> {
                    if (failed(rknpu.failure())) return;
                    rknpu.createAll(bufs, b -> 0, () -> {
                        if (failed(rknpu.failure())) return;
                        prepared = rknpu.writeJobs(plans, rknpu.iovas(2), 0, 1, 0);
                        batch(0);
                    });
                });
            } else {
                List<BufferPlan> bufs = List.of(new BufferPlan(0, "regcmd", BufferPlan.Kind.REGCMD, regcmd, false),
                        new BufferPlan(1, "output", BufferPlan.Kind.OUTPUT, 4096, false));
                rocket.open(() -> {
                    if (failed(rocket.failure())) return;
                    rocket.createAll(bufs, b -> b.kind() == BufferPlan.Kind.REGCMD, () -> {
                        if (failed(rocket.failure())) return;
                        List<Integer> regcmdOf = new ArrayList<>();
                        for (int i = 0; i < plans.size(); i++) regcmdOf.add(0);
                        rocketJobs = rocket.writeJobs(plans, regcmdOf, i -> i, rocket.iovas(2, i -> i));
                        batch(0);
                    });
                });
            }
        }

        private boolean failed(RuntimeFailure f) {
            if (f == null) return false;
            stats.fail(f.message());
            thread.setRequest(null);
            return true;
        }

        /** Batch {@code i}: the first at its captured submit time, the others after the captured gap. */
        private void batch(int i) {
            if (i >= batches.size()) return;
            List<Trace.Job> b = batches.get(i);
            long at;
            if (i == 0) {
                at = Math.max(thread.now(), b.get(0).submitPs());
            } else {
                List<Trace.Job> prev = batches.get(i - 1);
                at = thread.now() + Math.max(0, b.get(0).submitPs() - prev.get(prev.size() - 1).endPs());
            }
            if (at >= endPs) return;
            thread.sleepUntil(at, () -> run(i, b));
        }

        private void run(int i, List<Trace.Job> b) {
            long start = thread.now();
            Attribution req = new Attribution(start);
            thread.setRequest(req);
            Runnable finished = () -> {
                if (failed(rknpu != null ? rknpu.failure() : rocket.failure())) return;
                long now = thread.now();
                stats.complete(start, now - start, req.finish(now));
                thread.setRequest(null);
                batch(i + 1);
            };
            if (rknpu != null) {
                Async.loop(b.size(), (k, next) -> rknpu.submit(thread, prepared.get(slot.get(b.get(k))), b.get(k).coreMask(), next), finished);
            } else {
                List<RocketJob> jobs = new ArrayList<>();
                for (Trace.Job j : b) jobs.add(rocketJobs.get(slot.get(j)));
                rocket.submit(name, jobs, Time.fromUs(0), () -> rocket.prepBo(1, finished));
            }
        }
    }
}
