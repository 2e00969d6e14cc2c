package io.npusim.kernel.sched;

import io.npusim.core.account.Attribution;
import io.npusim.core.event.Priority;
import io.npusim.core.event.Simulator;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.Rk3588;
import io.npusim.hw.config.ParamTable;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.drm.DmaFence;
import io.npusim.kernel.os.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A kernel with N mock schedulers, like the kernel's KUnit drm_sched tests (tests/mock_scheduler.c):
 * the mock "hardware" signals a job's fence {@code durationPs} after run_job, or never (a hang).
 */
final class SchedRig {
    final Simulator sim = new Simulator();
    final Kernel k;
    final List<DrmGpuScheduler> scheds = new ArrayList<>();
    final List<MockBackend> backends = new ArrayList<>();
    final List<MockJob> jobs = new ArrayList<>();
    /** Every run_job in order, as "label@sched". */
    final List<String> runLog = new ArrayList<>();

    SchedRig(int n, int creditLimit, long timeoutPs, SchedPolicy policy) {
        this(n, creditLimit, timeoutPs, policy, TraceSink.NONE);
    }

    SchedRig(int n, int creditLimit, long timeoutPs, SchedPolicy policy, TraceSink trace) {
        ParamTable params = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/kernel.yaml");
        Rk3588 hw = new Rk3588(sim, params, Rk3588.IommuTopology.PER_CORE, trace);
        k = new Kernel(sim, hw, KernelCosts.from(params), trace);
        for (int i = 0; i < n; i++) {
            MockBackend b = new MockBackend(this, i);
            DrmGpuScheduler s = new DrmGpuScheduler(k, b, DrmSchedInitArgs.of("mock" + i, i, creditLimit, timeoutPs).withPolicy(policy));
            b.sched = s;
            scheds.add(s);
            backends.add(b);
        }
    }

    SchedEntity entity(String name, DrmSchedPriority prio, int... schedIdx) {
        List<DrmGpuScheduler> l = new ArrayList<>();
        if (schedIdx.length == 0) l.addAll(scheds);
        for (int i : schedIdx) l.add(scheds.get(i));
        return new SchedEntity(k, name, prio, l);
    }

    /** Submits at {@code atPs}: init, arm, {@code deps} (after arm, so it may read fences), push. */
    MockJob submit(long atPs, SchedEntity e, String label, long durationPs, int credits, Consumer<MockJob> deps) {
        MockJob j = new MockJob(label, durationPs, null);
        jobs.add(j);
        sim.schedule(atPs, Priority.USER, (p, a) -> push(j, e, credits, deps));
        return j;
    }

    MockJob submit(long atPs, SchedEntity e, String label, long durationPs) {
        return submit(atPs, e, label, durationPs, 1, null);
    }

    /** Submits now (inside an event). */
    void push(MockJob j, SchedEntity e, int credits, Consumer<MockJob> deps) {
        if (j.init(e, credits) != 0) throw new IllegalStateException("init failed");
        j.arm();
        if (deps != null) deps.accept(j);
        e.pushJob(j);
    }

    void run() {
        sim.run();
    }

    int[] scores() {
        int[] s = new int[scheds.size()];
        for (int i = 0; i < s.length; i++) s[i] = scheds.get(i).score();
        return s;
    }

    /** A job whose hardware part lasts {@code durationPs} (negative: hangs). */
    static final class MockJob extends SchedJob {
        final long durationPs;
        long runAtPs = -1;
        DmaFence hw;

        MockJob(String label, long durationPs, Attribution request) {
            super(label, request);
            this.durationPs = durationPs;
        }

        int schedIndex() {
            return sched().index();
        }
    }

    static final class MockBackend implements SchedBackend {
        final SchedRig rig;
        final int idx;
        final long hwContext;
        DrmGpuScheduler sched;
        long seq;
        int inFlight;
        int maxInFlight;
        int resets;
        final List<SchedJob> timedOut = new ArrayList<>();
        final List<Long> timedOutAtPs = new ArrayList<>();
        final List<SchedJob> freed = new ArrayList<>();
        final List<MockJob> onHw = new ArrayList<>();

        MockBackend(SchedRig rig, int idx) {
            this.rig = rig;
            this.idx = idx;
            this.hwContext = rig.k.fenceContexts().alloc(1);
        }

        @Override
        public DmaFence runJob(SchedJob job) {
            MockJob mj = (MockJob) job;
            mj.runAtPs = rig.sim.now();
            rig.runLog.add(job.label() + "@" + idx);
            DmaFence hw = new DmaFence(hwContext, ++seq, "mock-hw" + idx);
            mj.hw = hw;
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            onHw.add(mj);
            if (mj.durationPs >= 0) {
                rig.sim.scheduleIn(mj.durationPs, Priority.HARDWARE, (p, a) -> {
                    if (!onHw.remove(mj)) return; // reset meanwhile
                    inFlight--;
                    hw.signal(rig.sim.now());
                });
            }
            return hw;
        }

        /** Like rocket_job_timedout: drm_sched_stop, core reset (drops what is on the hardware), start. */
        @Override
        public TimeoutStatus timedOutJob(SchedJob job) {
            timedOut.add(job);
            timedOutAtPs.add(rig.sim.now());
            sched.stop(job);
            resets++;
            onHw.clear();
            inFlight = 0;
            sched.start(0);
            return TimeoutStatus.RESET;
        }

        @Override
        public void freeJob(SchedJob job) {
            freed.add(job);
        }
    }
}
