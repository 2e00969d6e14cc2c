package io.npusim.kernel.sched;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.time.Time;
import io.npusim.core.trace.TraceArgs;
import io.npusim.core.trace.TraceSink;
import io.npusim.kernel.drm.DmaResv;
import io.npusim.kernel.sched.SchedRig.MockJob;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Same inputs, same outputs; attribution and trace hooks. */
class DeterminismTest {
    private static final long US = Time.PS_PER_US;
    private static final long TIMEOUT = Time.ms(500);

    private static List<String> scenario(SchedPolicy policy) {
        SchedRig r = new SchedRig(3, 1, TIMEOUT, policy);
        List<SchedEntity> es = new ArrayList<>();
        for (int i = 0; i < 4; i++) es.add(r.entity("fd" + i, i == 3 ? DrmSchedPriority.HIGH : DrmSchedPriority.NORMAL));
        DmaResv shared = new DmaResv();
        for (int n = 0; n < 40; n++) {
            SchedEntity e = es.get((n * 7) % 4);
            long at = n * 37 * US;
            long dur = (50 + (n * 13) % 120) * US;
            r.submit(at, e, "j" + n, dur, 1, j -> {
                j.addImplicitDependencies(shared, (j.label().hashCode() & 1) == 0);
                shared.add(j.finishedFence(), DmaResv.Usage.WRITE);
            });
        }
        r.run();
        List<String> log = new ArrayList<>();
        for (MockJob j : r.jobs) {
            log.add(j.label() + " sched=" + j.schedIndex() + " run=" + j.runAtPs + " fin=" + j.finishedAtPs());
        }
        log.add("scores=" + java.util.Arrays.toString(r.scores()) + " end=" + r.sim.now());
        return log;
    }

    @Test
    void sameSequenceGivesSameOrderAndTimes() {
        for (SchedPolicy p : SchedPolicy.values()) {
            List<String> a = scenario(p);
            List<String> b = scenario(p);
            assertThat(a).as(p.name()).isEqualTo(b);
            assertThat(a).as(p.name()).noneMatch(s -> s.contains("run=-1"));
        }
    }

    @Test
    void queuedTimeAndSchedulerOverheadAreAttributedToTheRequest() {
        SchedRig r = new SchedRig(1, 1, TIMEOUT, SchedPolicy.FIFO);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        r.submit(0, e, "first", 200 * US);
        Attribution req = new Attribution(0);
        MockJob j = new MockJob("second", 100 * US, req);
        r.jobs.add(j);
        long[][] parts = new long[1][];
        r.sim.schedule(0, io.npusim.core.event.Priority.USER, (p, a) -> {
            r.push(j, e, 1, null);
            j.finishedFence().addCallback(() -> parts[0] = req.finish(r.sim.now()));
        });
        r.run();
        long queued = parts[0][Part.QUEUED.ordinal()];
        long overhead = parts[0][Part.JOB_OVERHEAD.ordinal()];
        // Waits behind "first" (200 µs) in the entity queue, then pays the scheduler's work items.
        assertThat(queued).isGreaterThan(200 * US);
        assertThat(overhead).isGreaterThan(0);
        assertThat(req.openClaims()).isZero();
    }

    @Test
    void tracesAsyncJobSpansAndTimeouts() {
        List<String> events = new ArrayList<>();
        TraceSink sink = new TraceSink() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int track(String process, String thread) {
                return 1;
            }

            @Override
            public void slice(int track, String cat, String name, long startPs, long durPs, TraceArgs args) {}

            @Override
            public void instant(int track, String cat, String name, long tPs, TraceArgs args) {
                if (cat.equals("drm_sched")) events.add("I " + name);
            }

            @Override
            public void counter(int track, String name, long tPs, String series, double value) {}

            @Override
            public void asyncBegin(int track, String cat, String name, long id, long tPs, TraceArgs args) {
                if (cat.equals("drm_sched")) events.add("B " + name);
            }

            @Override
            public void asyncEnd(int track, String cat, String name, long id, long tPs) {
                if (cat.equals("drm_sched")) events.add("E " + name);
            }

            @Override
            public void flow(int track, String cat, String name, long id, long tPs, FlowPhase phase) {}
        };
        SchedRig r = new SchedRig(1, 1, Time.ms(5), SchedPolicy.FIFO, sink);
        SchedEntity e = r.entity("E", DrmSchedPriority.NORMAL, 0);
        r.submit(0, e, "ok", 100 * US);
        r.submit(0, e, "hang", -1);
        r.run();
        assertThat(events).containsExactly("B ok", "B hang", "E ok", "I timeout hang", "I drm_sched_stop", "E hang",
                "I drm_sched_start");
    }
}
