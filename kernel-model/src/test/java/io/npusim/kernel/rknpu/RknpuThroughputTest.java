package io.npusim.kernel.rknpu;

import static io.npusim.kernel.rknpu.RknpuRig.PC_PP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.npusim.core.time.Time;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.uapi.rknpu.SubcoreTask;
import io.npusim.uapi.rknpu.Submit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Closed-loop clients: scaling over the three cores, and the serialisation of 0x7 jobs. */
class RknpuThroughputTest {
    private static final long WARMUP = Time.ms(5);
    private static final long WINDOW = Time.ms(60);

    /** The jobs of one client that completed in the measurement window. */
    private record Window(List<RknpuRig.Loop.Result> jobs) {
        double meanLatencyMs() {
            return jobs.stream().mapToLong(r -> r.endPs() - r.startPs()).average().orElseThrow() / Time.PS_PER_MS;
        }
    }

    /** A run: its board and the window of each client. */
    private record Run(RknpuRig rig, List<Window> windows) {
        double jobsPerSecond() {
            return windows.stream().mapToInt(l -> l.jobs().size()).sum() / Time.toSeconds(WINDOW);
        }

        double meanLatencyMs() {
            return windows.stream().mapToDouble(Window::meanLatencyMs).average().orElseThrow();
        }

        /** DDR GB/s of one core while it runs a task. */
        double coreDdrGbps() {
            double bytes = 0, ps = 0;
            for (TaskRecord r : rig.records) {
                bytes += r.ddrBytes();
                ps += r.durationPs();
            }
            return bytes / ps * 1000;
        }

        /** What DDR delivers to the NPU: peak x efficiency minus the always-on background traffic. */
        double ddrCapacityGbps() {
            return rig.hw.ddrPeakGbps() * rig.params.fraction("ddr.efficiency") - rig.params.nonNegative("ddr.background_gbps", "GB/s");
        }
    }

    /** {@code clients} closed-loop clients, each with its own mask, submitting 12-task jobs of {@code op}. */
    private static Run run(int clients, int[] masks, boolean threeCoreJobs, Function<RknpuRig.Client, TaskOp> op) {
        RknpuRig rig = new RknpuRig();
        List<RknpuRig.Loop> loops = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            RknpuRig.Client c = rig.client("client" + i).withBuffers(64);
            TaskOp t = op.apply(c);
            Submit s;
            if (threeCoreJobs) {
                int a = c.chain(4, t), b = c.chain(4, t), d = c.chain(4, t);
                s = c.submit(PC_PP, masks[i], 2000, a, 12, List.of(SubcoreTask.NONE, SubcoreTask.NONE,
                        new SubcoreTask(a, 4), new SubcoreTask(b, 4), new SubcoreTask(d, 4)));
            } else {
                int a = c.chain(12, t);
                s = c.single(PC_PP, masks[i], 2000, a, 12);
            }
            loops.add(new RknpuRig.Loop(c, s));
        }
        long t0 = rig.sim.now();
        for (RknpuRig.Loop l : loops) {
            l.stopPs = t0 + WARMUP + WINDOW;
            l.start();
        }
        rig.runFor(WARMUP + WINDOW + Time.ms(10));
        List<Window> out = new ArrayList<>();
        for (RknpuRig.Loop l : loops) {
            assertThat(l.errors()).isZero();
            out.add(new Window(l.between(t0 + WARMUP, t0 + WARMUP + WINDOW)));
        }
        assertThat(rig.dev.softResets()).isZero();
        return new Run(rig, out);
    }

    /** A compute-bound 3x3 tile (~40 us, a few GB/s of DDR). */
    private static TaskOp compute(RknpuRig.Client c) {
        return c.conv("compute", 64, 32, 64, 3);
    }

    /** A weight-streaming tile: 2.4 MB of weights for a 8x8 output, near one core's port limit. */
    private static TaskOp weights(RknpuRig.Client c) {
        return c.conv("weights", 512, 8, 512, 3);
    }

    @Test
    void threeSingleCoreClientsOnThreeCoresScaleToThreeTimesOneMinusDdrContention() {
        // 2.3/6.1: per-core FIFO queues, one job per core at a time; three clients with masks
        // 0x1/0x2/0x4 run in parallel and only share DDR bandwidth (DESIGN.md hardware model).
        Run one = run(1, new int[] {0x1}, false, RknpuThroughputTest::compute);
        Run three = run(3, new int[] {0x1, 0x2, 0x4}, false, RknpuThroughputTest::compute);
        assertThat(3 * one.coreDdrGbps()).isLessThan(one.ddrCapacityGbps()); // no contention to speak of
        assertThat(three.jobsPerSecond() / one.jobsPerSecond()).isBetween(2.8, 3.05);
        assertThat(three.meanLatencyMs() / one.meanLatencyMs()).isBetween(0.97, 1.1);

        // three cores that each want more than a third of DDR: the aggregate rate is bounded by
        // DDR (about an even split of it), and nobody queues behind anybody
        Run oneW = run(1, new int[] {0x1}, false, RknpuThroughputTest::weights);
        Run threeW = run(3, new int[] {0x1, 0x2, 0x4}, false, RknpuThroughputTest::weights);
        double demand = 3 * oneW.coreDdrGbps();
        assertThat(demand).isGreaterThan(oneW.ddrCapacityGbps() * 1.15);
        double evenSplit = 3 * oneW.ddrCapacityGbps() / demand;
        double scale = threeW.jobsPerSecond() / oneW.jobsPerSecond();
        assertThat(scale).isGreaterThanOrEqualTo(evenSplit * 0.9).isLessThan(2.8);
        assertThat(threeW.meanLatencyMs() / oneW.meanLatencyMs()).isGreaterThan(1.05).isLessThan(3.0 / evenSplit * 1.1);
    }

    @Test
    void clientsThatAllAskForAllThreeCoresAreSerialised() {
        // 2.4/6.2: a 0x7 job is gang-scheduled on all three cores, so 0x7 jobs of different
        // clients run one at a time: the aggregate rate stays flat and each client's latency grows
        // with the number of clients.
        int[] all = {0x7, 0x7, 0x7};
        double[] rate = new double[4];
        double[] latency = new double[4];
        for (int n = 1; n <= 3; n++) {
            Run r = run(n, all, true, RknpuThroughputTest::compute);
            rate[n] = r.jobsPerSecond();
            latency[n] = r.meanLatencyMs();
        }
        assertThat(rate[2] / rate[1]).isCloseTo(1.0, within(0.15));
        assertThat(rate[3] / rate[1]).isCloseTo(1.0, within(0.15));
        assertThat(latency[2] / latency[1]).isCloseTo(2.0, within(0.3));
        assertThat(latency[3] / latency[1]).isCloseTo(3.0, within(0.45));
    }
}
