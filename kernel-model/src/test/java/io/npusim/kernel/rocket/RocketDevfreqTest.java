package io.npusim.kernel.rocket;

import static io.npusim.kernel.rocket.RocketRig.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.rocket.RocketRig.Bo;
import io.npusim.kernel.rocket.RocketRig.Client;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rocket.devfreq switch: simple_ondemand over the vendor OPP table (300..1000 MHz), sampled
 * every 50 ms. Rocket as merged never changes the clock (RocketClockTest).
 */
class RocketDevfreqTest {
    private static final long HZ_PER_MHZ = 1_000_000L;

    @Test
    void simpleOndemandFollowsTheLinuxFormula() {
        // upthreshold 90, downdifferential 5 (the Linux defaults)
        long cur = 500 * HZ_PER_MHZ;
        assertThat(io.npusim.kernel.devfreq.SimpleOndemand.simpleOndemandHz(91, 100, cur, 90, 5)).isEqualTo(Long.MAX_VALUE); // busy enough: max
        assertThat(io.npusim.kernel.devfreq.SimpleOndemand.simpleOndemandHz(86, 100, cur, 90, 5)).isEqualTo(cur); // within the differential: keep
        // below: busy x current / total x 100 / (90 - 5/2 = 88)
        assertThat(io.npusim.kernel.devfreq.SimpleOndemand.simpleOndemandHz(44, 100, cur, 90, 5)).isEqualTo(44L * 500 * HZ_PER_MHZ / 100 * 100 / 88);
        assertThat(io.npusim.kernel.devfreq.SimpleOndemand.simpleOndemandHz(0, 100, cur, 90, 5)).isZero();
        assertThat(io.npusim.kernel.devfreq.SimpleOndemand.simpleOndemandHz(0, 0, cur, 90, 5)).isEqualTo(Long.MAX_VALUE);
        // large windows are shifted right by 7 first, as the kernel does against overflow
        long ns50ms = 50_000_000L;
        assertThat(io.npusim.kernel.devfreq.SimpleOndemand.simpleOndemandHz(ns50ms / 2, ns50ms, cur, 90, 5))
                .isEqualTo((ns50ms / 2 >> 7) * cur / (ns50ms >> 7) * 100 / 88);

        // the devfreq core then takes the lowest OPP at or above the wanted rate, within the table
        RocketRig r = new RocketRig("rocket.devfreq=true");
        io.npusim.kernel.devfreq.SimpleOndemand gov = new io.npusim.kernel.devfreq.SimpleOndemand(r.k, r.p.governor(), "kernel: rocket");
        assertThat(gov.recommendedOpp(0)).isEqualTo(300);
        assertThat(gov.recommendedOpp(250 * HZ_PER_MHZ)).isEqualTo(300);
        assertThat(gov.recommendedOpp(500 * HZ_PER_MHZ)).isEqualTo(500);
        assertThat(gov.recommendedOpp(501 * HZ_PER_MHZ)).isEqualTo(600);
        assertThat(gov.recommendedOpp(Long.MAX_VALUE)).isEqualTo(1000);
    }

    @Test
    void theGovernorRaisesTheClockUnderLoadAndLowersItWhenIdle() {
        RocketRig r = new RocketRig("rocket.devfreq=true");
        assertThat(r.hw.clock().mhz()).isEqualTo(200); // it starts where the DT left the clock
        Client a = r.client("A");
        Bo out = a.buf();
        // 200 ms of work at 200 MHz: ten jobs of ten 2 ms tasks, back to back on one core
        List<io.npusim.uapi.rocket.RocketJob> jobs = new ArrayList<>();
        double[] tasks = new double[10];
        java.util.Arrays.fill(tasks, 2000);
        for (int j = 0; j < 10; j++) jobs.add(a.job("J" + j, a.buf(), out, tasks));
        assertThat(a.submit(jobs.toArray(io.npusim.uapi.rocket.RocketJob[]::new))).isZero();

        // first sample at 50 ms: the NPU was busy the whole window, so the highest OPP
        long transition = r.p.governor().transitionPs();
        r.runUntil(50 * MS + transition - 1);
        assertThat(r.hw.clock().mhz()).isEqualTo(200);
        r.runUntil(50 * MS + transition);
        assertThat(r.hw.clock().mhz()).isEqualTo(1000);
        assertThat(r.dev.devfreqRaises()).isEqualTo(1);

        a.waitFor(out);
        long doneAt = r.nowPs();
        // tasks started after the change ran at 1 GHz, the earlier ones at 200 MHz
        boolean fast = false;
        for (TaskRecord t : r.records) {
            if (t.startPs() >= 50 * MS + transition) {
                assertThat(t.clockKhz()).isEqualTo(1_000_000);
                fast = true;
            } else if (t.endPs() <= 50 * MS + transition) {
                assertThat(t.clockKhz()).isEqualTo(200_000);
            }
        }
        assertThat(fast).isTrue();
        // 50 ms at 200 MHz covered 25 of the 100 tasks; the other 75 (150 ms at 200 MHz) took ~30 ms at 1 GHz
        assertThat(doneAt).isLessThan(100 * MS);

        // idle: the next samples see little or no busy time and step down to the lowest OPP
        r.runUntil(doneAt + 150 * MS);
        assertThat(r.hw.clock().mhz()).isEqualTo(300);
        assertThat(r.dev.devfreqLowers()).isPositive();
        assertThat(r.dev.devfreqSamples()).isEqualTo((doneAt + 150 * MS) / (50 * MS));
        assertThat(r.hw.clock().meanMhz(r.nowPs())).isBetween(300.0, 1000.0);
    }

    @Test
    void withoutTheSwitchNothingSamplesAndTheClockStays() {
        RocketRig r = new RocketRig();
        Client a = r.client("A");
        Bo out = a.buf();
        a.submit(a.job("J", a.buf(), out, 2000, 2000));
        a.waitFor(out);
        r.runUntil(r.nowPs() + 200 * MS);
        assertThat(r.dev.devfreqSamples()).isZero();
        assertThat(r.hw.clock().changes()).isZero();
        assertThat(r.hw.clock().mhz()).isEqualTo(200);
    }

    @Test
    void aLongerTransitionDelaysTheRaiseByExactlyThatMuch() {
        // rocket.devfreq_transition_us is assumed: doubling it moves the instant of the change by its own size only
        for (String us : List.of("100", "200")) {
            RocketRig r = new RocketRig("rocket.devfreq=true", "rocket.devfreq_transition_us=" + us);
            Client a = r.client("A");
            Bo out = a.buf();
            double[] tasks = new double[40];
            java.util.Arrays.fill(tasks, 2000);
            a.submit(a.job("J", a.buf(), out, tasks));
            long at = 50 * MS + Long.parseLong(us) * RocketRig.US;
            r.runUntil(at - 1);
            assertThat(r.hw.clock().mhz()).isEqualTo(200);
            r.runUntil(at);
            assertThat(r.hw.clock().mhz()).isEqualTo(1000);
        }
    }
}
