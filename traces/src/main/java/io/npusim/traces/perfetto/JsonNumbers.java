package io.npusim.traces.perfetto;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number text for trace JSON, identical on every JDK: timestamps are exact decimal microseconds
 * from integer picoseconds, doubles are the shortest of 15, 16 or 17 significant digits that
 * reads back as the same double (computed with BigDecimal, not {@code Double.toString}, whose
 * output changed in JDK 19).
 */
final class JsonNumbers {
    static final long PS_PER_US = 1_000_000L;
    /** Room for a sign, 19 digits of a long, a point and 6 decimals. */
    static final int MAX_US_CHARS = 32;

    private static final MathContext[] CONTEXTS = {
        new MathContext(15, RoundingMode.HALF_EVEN),
        new MathContext(16, RoundingMode.HALF_EVEN),
        new MathContext(17, RoundingMode.HALF_EVEN),
    };

    /** 10^0 .. 10^22, all exact doubles. */
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private JsonNumbers() {}

    /**
     * Writes {@code ps} as microseconds (up to 6 decimals, trailing zeros and a bare point
     * trimmed) into {@code buf} from index 0; returns the length. 1 ps gives "0.000001".
     */
    static int psToUs(long ps, char[] buf) {
        long whole = ps / PS_PER_US;
        long frac = ps % PS_PER_US;
        int n = 0;
        if (ps < 0) {
            buf[n++] = '-';
            whole = -whole; // |ps / 1e6| < Long.MAX_VALUE, so negation never overflows
            frac = -frac;
        }
        n = writeDigits(whole, buf, n);
        if (frac != 0) {
            buf[n++] = '.';
            int digits = 6;
            while (frac % 10 == 0) {
                frac /= 10;
                digits--;
            }
            for (int i = n + digits - 1; i >= n; i--) {
                buf[i] = (char) ('0' + frac % 10);
                frac /= 10;
            }
            n += digits;
        }
        return n;
    }

    /** {@link #psToUs(long, char[])} as a String. */
    static String psToUs(long ps) {
        char[] buf = new char[MAX_US_CHARS];
        return new String(buf, 0, psToUs(ps, buf));
    }

    /** Microsecond text (any JSON number) to picoseconds, rounded half-even to 1 ps. */
    static long usToPs(BigDecimal us) {
        return us.movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /**
     * Text of a finite double: integers below 1e15 without a point, otherwise the shortest of
     * 15..17 significant digits that parses back to {@code d}; plain notation between 1e-6 and
     * 1e15, scientific ("1.5E-7") outside. Negative zero is "0".
     */
    static String formatDouble(double d) {
        if (!Double.isFinite(d)) throw new IllegalArgumentException("not a finite number: " + d);
        if (d == 0) return "0";
        double abs = Math.abs(d);
        if (abs < 1e15 && d == Math.rint(d)) return Long.toString((long) d);
        if (abs >= 1e-6 && abs < 1e15) {
            // Fast path, same result as the slow one: the fewest decimals k whose integer
            // r = rint(d * 10^k) < 1e15 gives back d. r and 10^k are exact doubles, so r / 10^k is
            // the double nearest the decimal r * 10^-k, i.e. what parsing that text yields; and
            // two decimals of at most 15 significant digits never parse to the same double.
            for (int k = 1; k < POW10.length; k++) {
                double r = Math.rint(d * POW10[k]);
                if (Math.abs(r) >= 1e15) break;
                if (r / POW10[k] == d) return decimal((long) r, k);
            }
        }
        return formatDoubleSlow(d);
    }

    /** The reference algorithm behind {@link #formatDouble} (BigDecimal rounding, 15..17 digits). */
    static String formatDoubleSlow(double d) {
        if (!Double.isFinite(d)) throw new IllegalArgumentException("not a finite number: " + d);
        if (d == 0) return "0";
        double abs = Math.abs(d);
        BigDecimal exact = new BigDecimal(d);
        BigDecimal r = null;
        for (MathContext mc : CONTEXTS) {
            r = exact.round(mc).stripTrailingZeros();
            if (Double.parseDouble(r.toString()) == d) break;
        }
        return abs >= 1e-6 && abs < 1e15 ? r.toPlainString() : r.toString();
    }

    /** {@code r * 10^-k} as plain decimal text with trailing zeros trimmed; k >= 1. */
    private static String decimal(long r, int k) {
        while (k > 0 && r % 10 == 0) {
            r /= 10;
            k--;
        }
        StringBuilder sb = new StringBuilder(24);
        if (r < 0) sb.append('-');
        String digits = Long.toString(Math.abs(r));
        if (k == 0) return sb.append(digits).toString();
        if (digits.length() <= k) {
            sb.append("0.");
            for (int i = digits.length(); i < k; i++) sb.append('0');
            return sb.append(digits).toString();
        }
        int point = digits.length() - k;
        return sb.append(digits, 0, point).append('.').append(digits, point, digits.length()).toString();
    }

    private static int writeDigits(long v, char[] buf, int at) {
        if (v == 0) {
            buf[at] = '0';
            return at + 1;
        }
        int len = 0;
        for (long t = v; t != 0; t /= 10) len++;
        for (int i = at + len - 1; i >= at; i--) {
            buf[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return at + len;
    }
}
