package io.npusim.system.isolation;

import io.npusim.core.event.Priority;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.NpuObserver;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.os.SimProcess;
import io.npusim.kernel.os.SimThread;
import io.npusim.system.board.Board;
import io.npusim.system.board.TaskLogTap;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.uapi.proposed.NpuIoctl;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.TaskPlan;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.proposed.ProposedJobPlan;
import io.npusim.workloads.runtime.proposed.ProposedSession;
import io.npusim.workloads.runtime.rknn.RknpuSession;
import io.npusim.workloads.runtime.rocket.RocketSession;
import io.npusim.workloads.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;

/**
 * Isolation between processes, measured: two processes open the policy's device on one board.
 * The victim allocates a buffer through its runtime's ordinary calls (an 8 MiB "weights" buffer,
 * then a 64 KiB "secret"); the attacker allocates only a register-command buffer and a small
 * output buffer, and submits one crafted data-movement task whose source is the victim's secret
 * at the victim's NPU address. The attacker is handed that address (IOVAs are predictable: the
 * allocators are first fit and a runtime loads its buffers in a fixed order, so knowing the
 * victim's model is enough to compute them).
 *
 * <p>What the hardware then reports decides the outcome: an IOMMU translation fault (the address
 * is not mapped in the attacker's domain: isolated), or a translation that succeeds into a region
 * owned by another process ({@link NpuObserver#foreignAccess}: the job read the victim's memory
 * and, the driver seeing nothing wrong, completed). rocket gives every open file its own IOMMU
 * domain; the proposed driver gives every context one; the vendor driver maps every process's
 * buffers into shared domains (domain 0 for RKNN and RKLLM), so the crafted job reads silently.
 *
 * <p>The attacker's own buffers are smaller than the victim's first buffer, so the secret's
 * address lies above everything the attacker mapped: under a per-client domain it is unmapped.
 * (Had it landed inside one of the attacker's own buffers, the job would have read the attacker's
 * own memory: no fault, and still no leak.)
 */
public final class CrossProcessProbe {
    /** Bytes the crafted task reads from the victim. */
    public static final long SECRET_BYTES = 64 * 1024;
    /** The victim's first buffer, standing for a model's weights. */
    public static final long VICTIM_WEIGHTS_BYTES = 8L << 20;
    /** Simulated time given to the probe: enough for every driver's job timeout (rocket 500 ms, proposed 1 s). */
    public static final double DURATION_S = 3.0;

    private CrossProcessProbe() {}

    /**
     * What happened to the crafted job.
     *
     * @param victimIova       the secret's NPU address in the victim's address space
     * @param submitRet        what the submit call returned to the attacker (0 or a negated errno)
     * @param waitRet          the job's outcome as the attacker learns it: rknpu, the blocking submit's return; proposed,
     *                         WAIT's return; rocket, whose PREP_BO does not report a job's error, -ETIME when the
     *                         driver completed the job with an error (its timeout), else 0
     * @param jobsCompleted    jobs the driver completed without error
     * @param jobsErrored      jobs the driver completed with an error (timeout after a fault)
     * @param iommuFaults      translation faults the IOMMUs recorded
     * @param foreignAccesses  DMA ranges the cores read or wrote in another process's buffer
     * @param foreignBytes     bytes of those ranges
     * @param tasksRun         tasks that ran to completion on the cores
     * @param failure          the first failure of either process while setting up (before the crafted submit), or null
     */
    public record Outcome(Policy policy, long victimIova, int submitRet, int waitRet, long jobsCompleted, long jobsErrored,
                          long iommuFaults, long foreignAccesses, long foreignBytes, long tasksRun, String failure) {
        /** The crafted job faulted and read nothing of the victim's. */
        public boolean faulted() {
            return iommuFaults > 0 && foreignAccesses == 0;
        }

        /** The crafted job read the victim's buffer and the hardware reported no fault. */
        public boolean readSilently() {
            return foreignAccesses > 0 && iommuFaults == 0;
        }
    }

    /** Runs the probe under one policy. */
    public static Outcome run(Policy policy) {
        Scenario empty = new Scenario("isolation-probe", "two processes; one submits a job that addresses the other's buffer",
                DURATION_S, 1L, null, List.of());
        RunSpec spec = new RunSpec("isolation-probe", policy, null, 1L, DURATION_S, null, null, null, List.of(), "none");
        Board board = new Board(spec, empty, TraceSink.NONE);
        Tap tap = new Tap(board);
        State st = new State();
        SimProcess victimProc = board.kernel().spawn("victim", board.hw().cpus().bigCpus());
        SimProcess attackerProc = board.kernel().spawn("attacker", board.hw().cpus().bigCpus());
        SimThread victim = victimProc.newThread("main");
        SimThread attacker = attackerProc.newThread("main");
        Side side = switch (policy) {
            case ROCKET -> new RocketSide(board, victim, attacker, st);
            case RKNPU -> new RknpuSide(board, victim, attacker, st);
            case PROPOSED -> new ProposedSide(board, victim, attacker, st);
        };
        board.sim().schedule(0, Priority.USER, (p, a) -> side.victim(() -> side.attack()));
        board.run();
        long faults = 0;
        for (Iommu m : board.hw().iommus()) faults += m.faults().size();
        return new Outcome(policy, st.victimIova, st.submitRet, st.waitRet, board.driver().jobsCompleted(), board.driver().jobsErrored(),
                faults, tap.foreign, tap.foreignBytes, tap.tasks, st.failure);
    }

    /** What the two processes learnt. */
    private static final class State {
        long victimIova = -1;
        int submitRet = Integer.MIN_VALUE;
        int waitRet = Integer.MIN_VALUE;
        String failure;

        void fail(RuntimeFailure f) {
            if (f != null && failure == null) failure = f.what() + ": " + f.message();
        }
    }

    /** Counts foreign accesses (with their bytes) and finished tasks, then hands on to the board's task log. */
    private static final class Tap extends TaskLogTap {
        long foreign;
        long foreignBytes;
        long tasks;

        Tap(Board b) {
            super(b);
        }

        @Override
        public void taskDone(TaskRecord r) {
            tasks++;
            super.taskDone(r);
        }

        @Override
        public void foreignAccess(int core, int ownerPid, long iova, long nowPs) {
            foreign++;
            foreignBytes += SECRET_BYTES; // the probe's only DMA range that can be foreign
            super.foreignAccess(core, ownerPid, iova, nowPs);
        }
    }

    /** The crafted task: copy {@link #SECRET_BYTES} from buffer {@code src} to buffer {@code dst}. */
    static TaskPlan craftedCopy(int src, int dst) {
        int c = 16, h = 64, w = (int) (SECRET_BYTES / (c * h));
        return new TaskPlan("copy victim secret", "crafted", TaskOp.Kind.COPY, Dtype.INT8, TaskOp.Shape.elementwise(c, h, w),
                TaskOp.Cbuf.NONE, TaskOp.Post.NONE,
                List.of(new TaskPlan.Dma(TaskOp.Operand.FEATURE, src, 0, SECRET_BYTES), new TaskPlan.Dma(TaskOp.Operand.OUTPUT, dst, 0, SECRET_BYTES)),
                0, 16);
    }

    private interface Side {
        void victim(Runnable then);

        void attack();
    }

    // ---- rocket: a file, a domain -----------------------------------------------------------------

    private static final class RocketSide implements Side {
        private final Board b;
        private final RocketSession vs;
        private final RocketSession as;
        private final State st;

        RocketSide(Board b, SimThread victim, SimThread attacker, State st) {
            this.b = b;
            this.st = st;
            this.vs = new RocketSession("victim", b.kernel(), victim);
            this.as = new RocketSession("attacker", b.kernel(), attacker);
        }

        @Override
        public void victim(Runnable then) {
            List<BufferPlan> plans = List.of(new BufferPlan(0, "weights", BufferPlan.Kind.WEIGHT, VICTIM_WEIGHTS_BYTES, false),
                    new BufferPlan(1, "secret", BufferPlan.Kind.INPUT, SECRET_BYTES, false));
            vs.open(() -> vs.createAll(plans, p -> true, () -> {
                st.fail(vs.failure());
                if (vs.bo(1) != null) st.victimIova = vs.bo(1).dmaAddress();
                then.run();
            }));
        }

        @Override
        public void attack() {
            // program ids: 0 regcmd, 1 output, 2 the victim's secret (not ours: no BO, only its address)
            List<BufferPlan> plans = List.of(new BufferPlan(0, "regcmd", BufferPlan.Kind.REGCMD, 4096, false),
                    new BufferPlan(1, "out", BufferPlan.Kind.OUTPUT, SECRET_BYTES, false));
            as.open(() -> as.createAll(plans, p -> true, () -> {
                st.fail(as.failure());
                if (as.failure() != null || st.victimIova < 0) return;
                long[] iova = {as.bo(0).dmaAddress(), as.bo(1).dmaAddress(), st.victimIova};
                JobPlan job = JobPlan.single("crafted", List.of(craftedCopy(2, 1)), List.of(), List.of(1));
                var jobs = as.writeJobs(List.of(job), List.of(0), id -> id, iova);
                as.submit("attacker", jobs, 0, () -> {
                    st.submitRet = as.failure() == null ? 0 : -as.failure().errno();
                    as.prepBo(1, () -> st.waitRet = b.driver().jobsErrored() > 0 ? -io.npusim.uapi.Errno.ETIME : 0);
                });
            }));
        }
    }

    // ---- rknpu: shared domain 0 ---------------------------------------------------------------------

    private static final class RknpuSide implements Side {
        private final RknpuSession vs;
        private final RknpuSession as;
        private final SimThread attacker;
        private final State st;

        RknpuSide(Board b, SimThread victim, SimThread attacker, State st) {
            this.st = st;
            this.attacker = attacker;
            this.vs = new RknpuSession("victim", b.kernel(), victim, 6000);
            this.as = new RknpuSession("attacker", b.kernel(), attacker, 6000);
        }

        @Override
        public void victim(Runnable then) {
            List<BufferPlan> plans = List.of(new BufferPlan(0, "weights", BufferPlan.Kind.WEIGHT, VICTIM_WEIGHTS_BYTES, false),
                    new BufferPlan(1, "secret", BufferPlan.Kind.INPUT, SECRET_BYTES, false));
            vs.open(() -> vs.createAll(plans, p -> 0, () -> { // RKNN and RKLLM put everything in domain 0
                st.fail(vs.failure());
                if (vs.buffer(1) != null) st.victimIova = vs.buffer(1).iova();
                then.run();
            }));
        }

        @Override
        public void attack() {
            // plan ids: 0 regcmd, 1 task array, 2 output; index 3 of the address table is the victim's secret
            List<BufferPlan> plans = List.of(new BufferPlan(0, "regcmd", BufferPlan.Kind.REGCMD, 4096, false),
                    new BufferPlan(1, "tasks", BufferPlan.Kind.TASKS, 4096, false),
                    new BufferPlan(2, "out", BufferPlan.Kind.OUTPUT, SECRET_BYTES, false));
            as.open(() -> as.createAll(plans, p -> 0, () -> {
                st.fail(as.failure());
                if (as.failure() != null || st.victimIova < 0) return;
                long[] iova = {as.buffer(0).iova(), as.buffer(1).iova(), as.buffer(2).iova(), st.victimIova};
                JobPlan job = JobPlan.single("crafted", List.of(craftedCopy(3, 2)), List.of(), List.of(2));
                var prepared = as.writeJobs(List.of(job), iova, 1, 0, 0);
                as.submit(attacker, prepared.get(0), 0x1, () -> { // a blocking submit: returns when the job is done
                    st.submitRet = as.failure() == null ? 0 : -as.failure().errno();
                    st.waitRet = st.submitRet;
                });
            }));
        }
    }

    // ---- proposed: a context, a domain ----------------------------------------------------------------

    private static final class ProposedSide implements Side {
        private final ProposedSession vs;
        private final ProposedSession as;
        private final State st;

        ProposedSide(Board b, SimThread victim, SimThread attacker, State st) {
            this.st = st;
            this.vs = new ProposedSession("victim", b.kernel(), victim);
            this.as = new ProposedSession("attacker", b.kernel(), attacker);
        }

        @Override
        public void victim(Runnable then) {
            List<BufferPlan> plans = List.of(new BufferPlan(0, "weights", BufferPlan.Kind.WEIGHT, VICTIM_WEIGHTS_BYTES, false),
                    new BufferPlan(1, "secret", BufferPlan.Kind.INPUT, SECRET_BYTES, false));
            vs.open(NpuIoctl.CLASS_THROUGHPUT, 0, () -> vs.createResident(plans, id -> id, p -> true, () -> {
                st.fail(vs.failure());
                if (vs.failure() == null) st.victimIova = vs.iovas(2)[1];
                then.run();
            }));
        }

        @Override
        public void attack() {
            List<BufferPlan> plans = List.of(new BufferPlan(0, "regcmd", BufferPlan.Kind.REGCMD, 4096, false),
                    new BufferPlan(1, "out", BufferPlan.Kind.OUTPUT, SECRET_BYTES, false));
            as.open(NpuIoctl.CLASS_THROUGHPUT, 0, () -> as.createResident(plans, id -> id, p -> true, () -> {
                st.fail(as.failure());
                if (as.failure() != null || st.victimIova < 0) return;
                long[] own = as.iovas(2);
                long[] addr = {own[0], own[1], st.victimIova};
                ProposedJobPlan job = new ProposedJobPlan("crafted", List.of(new ProposedJobPlan.Variant(1,
                        List.of(List.of(List.of(craftedCopy(2, 1)))))));
                var prepared = as.prepare(job, 0, addr);
                as.submitAndWait(prepared, List.of(), 0, () -> {
                    RuntimeFailure f = as.failure(); // the job's own error, not a set-up failure
                    st.submitRet = f != null && f.call().contains("SUBMIT") ? -f.errno() : 0;
                    st.waitRet = f == null ? 0 : -f.errno();
                });
            }));
        }
    }

    /** Runs the probe under every policy, in the order given. */
    public static List<Outcome> runAll(List<Policy> policies) {
        List<Outcome> out = new ArrayList<>();
        for (Policy p : policies) out.add(run(p));
        return out;
    }
}
