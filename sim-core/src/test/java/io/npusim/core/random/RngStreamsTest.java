package io.npusim.core.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RngStreamsTest {
    @Test
    void sameSeedAndPathGiveTheSameSequence() {
        RngStream a = new RngStreams(7).stream("client/camera/arrivals");
        RngStream b = new RngStreams(7).stream("client/camera/arrivals");
        for (int i = 0; i < 100; i++) assertThat(a.nextLong()).isEqualTo(b.nextLong());
    }

    @Test
    void pathsAndSeedsGiveDifferentSequences() {
        long a = new RngStreams(7).stream("a").nextLong();
        long b = new RngStreams(7).stream("b").nextLong();
        long c = new RngStreams(8).stream("a").nextLong();
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void sequenceIsPinned() {
        // Pins the generator: a change here changes every result of every scenario.
        RngStream s = new RngStreams(1).stream("pin");
        long first = s.nextLong();
        RngStream again = new RngStreams(1).stream("pin");
        assertThat(again.nextLong()).isEqualTo(first);
        assertThat(RngStreams.fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(RngStreams.fnv1a64("a")).isEqualTo(0xaf63dc4c8601ec8cL);
    }

    @Test
    void distributionsHaveTheirMoments() {
        RngStream s = new RngStreams(3).stream("moments");
        int n = 200_000;
        double sum = 0, sumSq = 0, exp = 0, ln = 0;
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            double g = s.gaussian();
            sum += g;
            sumSq += g * g;
            exp += s.exponential(2.0);
            ln += s.logNormal(5.0, 0.5);
            long u = s.uniform(-3, 3);
            lo = Math.min(lo, u);
            hi = Math.max(hi, u);
        }
        assertThat(sum / n).isCloseTo(0, within(0.01));
        assertThat(sumSq / n).isCloseTo(1, within(0.02));
        assertThat(exp / n).isCloseTo(2.0, within(0.03));
        assertThat(ln / n).isCloseTo(5.0, within(0.05));
        assertThat(lo).isEqualTo(-3);
        assertThat(hi).isEqualTo(3);
    }
}
