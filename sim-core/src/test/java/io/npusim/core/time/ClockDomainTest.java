package io.npusim.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ClockDomainTest {
    @Test
    void convertsExactlyAtRoundRates() {
        ClockDomain npu = ClockDomain.mhz("npu", 1000);
        assertThat(npu.cyclesToPs(1)).isEqualTo(1_000);
        assertThat(npu.cyclesToPs(1_000_000)).isEqualTo(Time.ms(1));
        ClockDomain slow = ClockDomain.mhz("npu", 200);
        assertThat(slow.cyclesToPs(1)).isEqualTo(5_000);
        assertThat(slow.psToCycles(Time.ms(1))).isEqualTo(200_000);
    }

    @Test
    void roundsUpAtRatesThatDoNotDivideASecond() {
        ClockDomain c = ClockDomain.mhz("npu", 300);
        assertThat(c.cyclesToPs(1)).isEqualTo(3_334); // 3333.33 ps rounded up
        assertThat(c.cyclesToPs(3)).isEqualTo(10_000);
        assertThat(c.psToCycles(10_000)).isEqualTo(3);
    }

    @Test
    void doesNotOverflowForLongSpans() {
        ClockDomain cpu = ClockDomain.mhz("cpu", 2352);
        long cycles = 2_352_000_000L * 3600 * 24; // one day of cycles
        assertThat(cpu.cyclesToPs(cycles)).isEqualTo(Time.seconds(3600L * 24));
    }

    @Property
    void cyclesRoundTrip(@ForAll @LongRange(min = 0, max = 1L << 40) long cycles,
                         @ForAll @LongRange(min = 200, max = 3000) long mhz) {
        ClockDomain c = ClockDomain.mhz("x", mhz);
        long ps = c.cyclesToPs(cycles);
        assertThat(c.psToCycles(ps)).isEqualTo(cycles);
    }

    @Test
    void rateChangeNotifiesListeners() {
        ClockDomain c = ClockDomain.mhz("npu", 1000);
        List<String> seen = new ArrayList<>();
        c.addListener((d, o, n, t) -> seen.add(o + "->" + n + "@" + t));
        c.setKhz(500_000, 42);
        c.setKhz(500_000, 43); // no change, no notification
        assertThat(seen).containsExactly("1000000->500000@42");
        assertThat(c.cyclesToPs(1)).isEqualTo(2_000);
        assertThatThrownBy(() -> c.setKhz(0, 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
