package io.npusim.cli.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;

/** Escaping and locale-independent number formatting shared by the SVG and HTML writers. */
final class Text {
    static final String DASH = "-";

    private Text() {}

    /** Escapes text for XML and HTML content and attribute values; drops characters XML 1.0 forbids. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
                    if (c == 0xFFFE || c == 0xFFFF) continue;
                    if (Character.isSurrogate(c)) {
                        boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                        if (!pair) continue;
                        sb.append(c).append(s.charAt(++i));
                        continue;
                    }
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /** Fixed-point with {@code decimals} places, "-" for null, NaN or infinities; never "-0". */
    static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) return DASH;
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        if (s.startsWith("-") && s.chars().skip(1).allMatch(ch -> ch == '0' || ch == '.')) s = s.substring(1);
        return s;
    }

    /** A value from a summary map as a number with {@code decimals} places; integers stay integers; "-" when missing. */
    static String num(Object v, int decimals) {
        if (v == null) return DASH;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof BigDecimal bd) return fixed(bd.setScale(decimals, RoundingMode.HALF_EVEN).doubleValue(), decimals);
        if (v instanceof Number n) return fixed(n.doubleValue(), decimals);
        if (v instanceof Boolean) return v.toString();
        if (v instanceof String s) return s.isBlank() ? DASH : s;
        return DASH;
    }

    /** A count: whole numbers without decimals. */
    static String count(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d)) return fixed(d, 0);
        }
        return num(v, 0);
    }

    /** A value as a double, NaN when missing or not a number. */
    static double toDouble(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** An SVG coordinate: at most one decimal place, no trailing ".0", never "-0". */
    static String coord(double v) {
        long tenths = Math.round(v * 10);
        if (tenths == 0) return "0";
        String sign = tenths < 0 ? "-" : "";
        long a = Math.abs(tenths);
        return a % 10 == 0 ? sign + (a / 10) : sign + (a / 10) + "." + (a % 10);
    }

    /** Bytes with thousands separators (comma, locale-independent). */
    static String bytes(long b) {
        return String.format(Locale.ROOT, "%,d", b);
    }

    /** Bytes in a binary unit, e.g. "11.8 MiB". */
    static String humanBytes(long b) {
        double v = b;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? b + " B" : fixed(v, 1) + " " + units[u];
    }
}
