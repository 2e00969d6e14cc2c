package io.npusim.workloads.arrival;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.event.Priority;
import io.npusim.core.event.Simulator;
import io.npusim.core.time.Time;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.VisionRuntime;
import org.junit.jupiter.api.Test;

class AudioClientTest {

    /** A thread on a bare simulator: CPU work takes its reference time, nothing is shared. */
    static final class Thread implements UserThread {
        final Simulator sim = new Simulator();
        Attribution request;

        @Override public int pid() { return 1; }
        @Override public int tid() { return 1; }
        @Override public String name() { return "asr"; }
        @Override public long now() { return sim.now(); }

        @Override
        public void compute(CpuWork work, Runnable then) {
            sleepUntil(sim.now() + work.refPs(), then);
        }

        @Override
        public void sleepUntil(long timePs, Runnable then) {
            sim.schedule(Math.max(timePs, sim.now()), Priority.USER, (p, a) -> then.run());
        }

        @Override public Attribution request() { return request; }
        @Override public void setRequest(Attribution r) { request = r; }
    }

    /** A runtime whose run takes a fixed time; inputs and outputs take none. */
    static final class Fixed implements VisionRuntime {
        final Thread thread;
        final long runPs;
        final boolean failLoad;
        int runs;
        int inputs;
        RuntimeFailure failure;

        Fixed(Thread thread, double runMs, boolean failLoad) {
            this.thread = thread;
            this.runPs = Time.fromMs(runMs);
            this.failLoad = failLoad;
        }

        @Override public String name() { return "fixed"; }

        @Override
        public void load(Runnable done) {
            if (failLoad) failure = new RuntimeFailure("asr", "RKNPU_MEM_CREATE of weights", 12, 1 << 20, 0);
            thread.sleepUntil(thread.now(), done);
        }

        @Override
        public void setInputs(Runnable done) {
            inputs++;
            thread.sleepUntil(thread.now(), done);
        }

        @Override
        public void run(Runnable done) {
            runs++;
            thread.sleepUntil(thread.now() + runPs, done);
        }

        @Override public void getOutputs(Runnable done) { thread.sleepUntil(thread.now(), done); }
        @Override public RuntimeFailure failure() { return failure; }
        @Override public Program program() { return null; }
        @Override public long allocatedBytes() { return 0; }
    }

    private record Run(AudioClient client, Fixed encoder, Fixed decoder) {}

    /** Windows every 100 ms for 0.99 s; a window takes encoder + tokens x decoder step. */
    private static Run run(double encoderMs, double stepMs, int tokens, Double deadlineMs, boolean drop) {
        Thread t = new Thread();
        Fixed enc = new Fixed(t, encoderMs, false);
        Fixed dec = new Fixed(t, stepMs, false);
        AudioClient c = new AudioClient("asr", "whisper_base", t, enc, dec,
                AudioClient.Pattern.of(0.1, deadlineMs == null ? 100.0 : deadlineMs, drop, tokens));
        long end = Time.fromMs(990);
        c.start(end);
        t.sim.runUntil(end);
        return new Run(c, enc, dec);
    }

    @Test
    void aWindowThatFitsItsPeriodRunsTheEncoderOnceAndTheDecoderOncePerToken() {
        Run r = run(20, 5, 6, null, true); // 50 ms per window
        ClientStats s = r.client().stats();
        assertThat(r.client().windows()).isEqualTo(9); // at 100, 200, ..., 900 ms
        assertThat(s.requests()).isEqualTo(9);
        assertThat(s.dropped()).isZero();
        assertThat(s.deadlineMisses()).isZero();
        assertThat(s.latency().maxPs()).isEqualTo(Time.fromMs(50));
        assertThat(r.encoder().runs).isEqualTo(9);
        assertThat(r.decoder().runs).isEqualTo(9 * 6);
        assertThat(r.decoder().inputs).as("cross-attention K/V handed over once per window").isEqualTo(9);
        assertThat(s.tokens()).isEqualTo(9 * 6);
        assertThat(s.decodePs()).isEqualTo(9 * Time.fromMs(30));
    }

    @Test
    void aWindowArrivingWhileThePreviousRunsIsDroppedAndALateWindowMissesItsDeadline() {
        Run r = run(30, 30, 5, null, true); // 180 ms per window, period 100 ms
        ClientStats s = r.client().stats();
        // 100: runs to 280; 200: dropped; 300: runs to 480; 400: dropped; ... 900: still running at the end
        assertThat(r.client().windows()).isEqualTo(9);
        assertThat(s.requests()).isEqualTo(4);
        assertThat(s.dropped()).isEqualTo(4);
        assertThat(s.deadlineMisses()).as("deadline defaults to the period").isEqualTo(4);
        assertThat(s.latency().maxPs()).isEqualTo(Time.fromMs(180));
    }

    @Test
    void aGivenDeadlineReplacesThePeriod() {
        Run r = run(30, 30, 5, 200.0, true);
        assertThat(r.client().stats().deadlineMisses()).isZero();
        assertThat(r.client().stats().dropped()).isEqualTo(4);
    }

    @Test
    void withoutDroppingAWindowWaitsItsTurnAndTheWaitIsQueued() {
        Run r = run(30, 30, 5, null, false); // 180 ms of work every 100 ms: the backlog grows
        ClientStats s = r.client().stats();
        assertThat(s.dropped()).isZero();
        // back to back from 100 ms: windows finish at 280, 460, 640, 820, 1000 (after the end, not counted)
        assertThat(s.requests()).isEqualTo(4);
        assertThat(s.latency().maxPs()).isEqualTo(Time.fromMs(820 - 400));
        long[] parts = s.breakdownPs();
        assertThat(parts[Part.QUEUED.ordinal()]).isEqualTo(Time.fromMs((280 - 200) + (460 - 300) + (640 - 400)));
        long sum = 0;
        for (long p : parts) sum += p;
        assertThat(sum).isEqualTo(s.latency().sumPs());
    }

    @Test
    void aFailedLoadIsReportedAndNoWindowRuns() {
        Thread t = new Thread();
        Fixed enc = new Fixed(t, 10, true);
        Fixed dec = new Fixed(t, 10, false);
        AudioClient c = new AudioClient("asr", "whisper_base", t, enc, dec, AudioClient.Pattern.of(0.1, 100, true, 4));
        c.start(Time.fromMs(500));
        t.sim.runUntil(Time.fromMs(500));
        assertThat(c.stats().failures()).isEqualTo(1);
        assertThat(c.stats().failure()).contains("MEM_CREATE");
        assertThat(c.windows()).isZero();
        assertThat(enc.runs + dec.runs).isZero();
    }
}
