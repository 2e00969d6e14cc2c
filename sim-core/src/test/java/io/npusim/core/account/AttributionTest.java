package io.npusim.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributionTest {
    private static long p(long[] parts, Part part) {
        return parts[part.ordinal()];
    }

    @Test
    void uncoveredTimeIsRuntimeCpuAndPartsSumToLatency() {
        Attribution a = new Attribution(100);
        Attribution.Claim q = a.open(Part.QUEUED, 110);
        a.close(q, 150);
        long[] parts = a.finish(200);
        assertThat(p(parts, Part.QUEUED)).isEqualTo(40);
        assertThat(p(parts, Part.RUNTIME_CPU)).isEqualTo(60);
        assertThat(Arrays.stream(parts).sum()).isEqualTo(100);
    }

    @Test
    void overlappingClaimsGiveTheTimeToTheHigherPart() {
        Attribution a = new Attribution(0);
        Attribution.Claim queued = a.open(Part.QUEUED, 0);
        Attribution.Claim compute = a.open(Part.NPU_COMPUTE, 10);
        a.close(compute, 30);
        a.close(queued, 50);
        long[] parts = a.finish(50);
        assertThat(p(parts, Part.NPU_COMPUTE)).isEqualTo(20);
        assertThat(p(parts, Part.QUEUED)).isEqualTo(30);
    }

    @Test
    void aSplitClaimIsDividedInItsProportions() {
        Attribution a = new Attribution(0);
        Attribution.Claim task = a.openSplit(0);
        a.setShares(task, 0, 0.75, 0.25, 0, 0);
        a.setShares(task, 1000, 0.5, 0.0, 0.5, 0);
        a.close(task, 2000);
        long[] parts = a.finish(2000);
        assertThat(p(parts, Part.NPU_COMPUTE)).isEqualTo(750 + 500);
        assertThat(p(parts, Part.MEMORY_WAIT)).isEqualTo(250);
        assertThat(p(parts, Part.IOTLB_WALK)).isEqualTo(500);
    }

    @Test
    void twoCoresOfOneRequestDoNotCountTwice() {
        Attribution a = new Attribution(0);
        Attribution.Claim c0 = a.openSplit(0);
        Attribution.Claim c1 = a.openSplit(0);
        a.setShares(c0, 0, 0.6, 0.4, 0, 0);
        a.setShares(c1, 0, 0.5, 0.5, 0, 0);
        a.close(c0, 100);
        a.close(c1, 100);
        long[] parts = a.finish(100);
        assertThat(p(parts, Part.NPU_COMPUTE)).isEqualTo(60);
        assertThat(p(parts, Part.MEMORY_WAIT)).isEqualTo(40);
    }

    @Test
    void rejectsMisuse() {
        Attribution a = new Attribution(0);
        Attribution b = new Attribution(0);
        Attribution.Claim c = a.open(Part.JOB_OVERHEAD, 0);
        assertThatThrownBy(() -> b.close(c, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.setShares(c, 5, 0.9, 0.2, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        a.finish(10);
        assertThatThrownBy(() -> a.open(Part.QUEUED, 11)).isInstanceOf(IllegalStateException.class);
    }

    /** Whatever claims come and go, the parts sum to the latency exactly. */
    @Property(tries = 200)
    void partsAlwaysSumToLatency(@ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 1000) Integer> steps) {
        Attribution a = new Attribution(0);
        java.util.ArrayDeque<Attribution.Claim> open = new java.util.ArrayDeque<>();
        long t = 0;
        for (int s : steps) {
            t += s % 97;
            if (s % 3 == 0 && !open.isEmpty()) {
                a.close(open.poll(), t);
            } else if (s % 3 == 1) {
                Attribution.Claim c = a.openSplit(t);
                double x = (s % 10) / 10.0;
                a.setShares(c, t, x * 0.5, x * 0.3, (1 - x) * 0.1, 0.05);
                open.add(c);
            } else {
                open.add(a.open(Part.ALL[s % Part.COUNT], t));
            }
        }
        long[] parts = a.finish(t + 7);
        assertThat(Arrays.stream(parts).sum()).isEqualTo(t + 7);
        assertThat(Arrays.stream(parts).min().orElse(0)).isGreaterThanOrEqualTo(0);
    }
}
