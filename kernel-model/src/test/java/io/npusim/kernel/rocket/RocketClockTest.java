package io.npusim.kernel.rocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.rocket.RocketRig.Bo;
import io.npusim.kernel.rocket.RocketRig.Client;
import org.junit.jupiter.api.Test;

/**
 * The NPU clock under upstream: the mainline DT assigns 200 MHz and rocket has no devfreq or OPP
 * code, so it never changes the rate (rocket-upstream.md 2.1, 5.5).
 */
class RocketClockTest {

    @Test
    void theDefaultRocketNpuClockIs200MhzAndTheDriverNeverChangesIt() {
        ParamTable t = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/kernel.yaml");
        assertThat(t.integer("rocket.npu_mhz", "MHz")).isEqualTo(200);
        assertThat(t.flag("rocket.devfreq")).isFalse();

        RocketRig r = new RocketRig(); // the board as a rocket run configures it
        assertThat(r.hw.clock().mhz()).isEqualTo(200);
        Client a = r.client("A");
        Bo out = a.buf();
        assertThat(a.submit(a.job("J0", a.buf(), out, 1000), a.job("J1", a.buf(), out, 1000, 1000))).isZero();
        assertThat(a.waitFor(out).ret()).isPositive();
        for (TaskRecord rec : r.records) {
            assertThat(rec.clockKhz()).isEqualTo(200_000);
            // A MAC-bound task: its pipeline cycles at 5 ns each.
            assertThat(rec.computePs()).isCloseTo(rec.pipelineCycles() * 5_000.0, within(rec.pipelineCycles() * 50.0));
        }
        assertThat(r.hw.clock().changes()).isZero();
        assertThat(r.hw.clock().mhz()).isEqualTo(200);
    }

    @Test
    void theSameTaskIsFiveTimesFasterAtTheVendorsOneGigahertz() {
        // The clock is the board's (DT), not the driver's: the rocket model runs at whatever rate it
        // is given; 200 MHz against 1 GHz is a factor 5 on compute-bound work.
        RocketRig slow = new RocketRig();
        RocketRig fast = new RocketRig("clock.npu.mhz=1000");
        assertThat(fast.hw.clock().mhz()).isEqualTo(1000);
        Client a = slow.client("A");
        Client b = fast.client("A");
        int w = (int) slow.widthForUs(2000);
        Bo o1 = a.buf();
        Bo o2 = b.buf();
        a.submit(a.job("J", a.buf(), o1, 2000));
        b.submit(b.job("J", b.buf(), o2, 400)); // the same width at 1 GHz
        assertThat(fast.widthForUs(400)).isEqualTo(w);
        a.waitFor(o1);
        b.waitFor(o2);
        TaskRecord s = slow.first("J");
        TaskRecord f = fast.first("J");
        assertThat(s.pipelineCycles()).isEqualTo(f.pipelineCycles());
        assertThat(s.computePs() / f.computePs()).isCloseTo(5.0, within(0.01));
    }
}
