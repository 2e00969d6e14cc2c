package io.npusim.traces.perfetto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class JsonNumbersTest {
    @Test
    void picosecondsBecomeExactMicroseconds() {
        assertThat(JsonNumbers.psToUs(0)).isEqualTo("0");
        assertThat(JsonNumbers.psToUs(1)).isEqualTo("0.000001");
        assertThat(JsonNumbers.psToUs(10)).isEqualTo("0.00001");
        assertThat(JsonNumbers.psToUs(1_000_000)).isEqualTo("1");
        assertThat(JsonNumbers.psToUs(1_250_000)).isEqualTo("1.25");
        assertThat(JsonNumbers.psToUs(-1_500_000)).isEqualTo("-1.5");
        assertThat(JsonNumbers.psToUs(-1)).isEqualTo("-0.000001");
        assertThat(JsonNumbers.psToUs(Long.MAX_VALUE)).isEqualTo("9223372036854.775807");
        assertThat(JsonNumbers.psToUs(Long.MIN_VALUE)).isEqualTo("-9223372036854.775808");
    }

    @Property
    void microsecondTextReadsBackAsTheSamePicoseconds(@ForAll long ps) {
        String us = JsonNumbers.psToUs(ps);
        assertThat(JsonNumbers.usToPs(new BigDecimal(us))).isEqualTo(ps);
        assertThat(us).doesNotEndWith("0.").doesNotContain("E");
        if (us.contains(".")) assertThat(us).doesNotEndWith("0");
    }

    @Test
    void doublesUseTheShortestTextThatReadsBack() {
        assertThat(JsonNumbers.formatDouble(3.0)).isEqualTo("3");
        assertThat(JsonNumbers.formatDouble(-0.0)).isEqualTo("0");
        assertThat(JsonNumbers.formatDouble(0.1)).isEqualTo("0.1");
        assertThat(JsonNumbers.formatDouble(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(JsonNumbers.formatDouble(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(JsonNumbers.formatDouble(2e-7)).isEqualTo("2E-7");
        assertThat(JsonNumbers.formatDouble(1.5e20)).isEqualTo("1.5E+20");
        assertThat(JsonNumbers.formatDouble(123456.789)).isEqualTo("123456.789");
        // JDK 17's Double.toString gives "2.0E-3" style and, for some values, non-shortest digits
        assertThat(JsonNumbers.formatDouble(2.0e-3)).isEqualTo("0.002");
    }

    @Property
    void doubleTextIsValidJsonAndReadsBackExactly(@ForAll double d) {
        if (!Double.isFinite(d)) return;
        String s = JsonNumbers.formatDouble(d);
        assertThat(s).matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        assertThat(Double.parseDouble(s)).isEqualTo(d == 0 ? 0.0 : d);
    }

    @Property
    void fastPathAgreesWithTheReferenceAlgorithm(@ForAll double d) {
        if (!Double.isFinite(d)) return;
        assertThat(JsonNumbers.formatDouble(d)).isEqualTo(JsonNumbers.formatDoubleSlow(d));
    }

    @Property(tries = 5000)
    void fastPathAgreesOnDecimalLikeValues(
            @ForAll @LongRange(min = -99_999_999_999_999_999L, max = 99_999_999_999_999_999L) long m,
            @ForAll @IntRange(min = 0, max = 22) int k,
            @ForAll @IntRange(min = 1, max = 17) int digits) {
        long kept = m % (long) Math.pow(10, digits);
        double d = kept / Math.pow(10, k);
        assertThat(JsonNumbers.formatDouble(d)).isEqualTo(JsonNumbers.formatDoubleSlow(d));
        assertThat(Double.parseDouble(JsonNumbers.formatDouble(d))).isEqualTo(d == 0 ? 0.0 : d);
    }
}
