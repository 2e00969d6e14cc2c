package io.npusim.cli.report;

import static io.npusim.cli.report.Text.coord;
import static io.npusim.cli.report.Text.esc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small, dependency-free SVG chart writer: line charts with several series and stacked horizontal bars.
 *
 * <p>Output is deterministic (same input, same bytes: coordinates are rounded to 0.1 px and numbers are
 * formatted without the default locale), every text is escaped, and long series are downsampled to at most
 * {@link #MAX_POINTS} points per line, keeping each bucket's minimum and maximum so that spikes survive.
 * Each chart is one standalone, well-formed {@code <svg>} element that can be inlined in HTML.
 */
public final class SvgPlot {
    /** The most points one line is drawn with. */
    public static final int MAX_POINTS = 600;

    /** Okabe–Ito colours (colour-blind safe); yellow last because it is faint on white. */
    public static final List<String> PALETTE = List.of(
            "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442");

    /** Dash patterns cycled together with the colours so lines stay apart in grey-scale print. */
    static final List<String> DASHES = List.of("", "6 3", "2 2", "8 3 2 3", "1 3", "10 4");

    private static final String FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
    private static final double CHAR_W = 6.2; // estimated width of one character at 11 px

    private SvgPlot() {}

    /** One line of a line chart; {@code style} picks colour and dash (index into {@link #PALETTE}), -1 = by position. */
    public record Line(String name, double[] x, double[] y, int style) {
        public Line(String name, double[] x, double[] y) {
            this(name, x, y, -1);
        }
    }

    /**
     * A line chart. Null bounds come from the data (y starts at 0 unless the data goes below it); axes are
     * extended to round numbers.
     */
    public record LineChart(String title, String xTitle, String yTitle, List<Line> lines,
                            Double xMin, Double xMax, Double yMin, Double yMax, int width, int plotHeight) {
        public static LineChart of(String title, String xTitle, String yTitle, List<Line> lines) {
            return new LineChart(title, xTitle, yTitle, lines, null, null, null, null, 640, 220);
        }

        public LineChart withY(Double min, Double max) {
            return new LineChart(title, xTitle, yTitle, lines, xMin, xMax, min, max, width, plotHeight);
        }

        public LineChart withX(Double min, Double max) {
            return new LineChart(title, xTitle, yTitle, lines, min, max, yMin, yMax, width, plotHeight);
        }

        public LineChart withSize(int width, int plotHeight) {
            return new LineChart(title, xTitle, yTitle, lines, xMin, xMax, yMin, yMax, width, plotHeight);
        }
    }

    /** One bar of a stacked bar chart: its parts in the order of {@link BarChart#parts()}; bars with the same group sit together. */
    public record Bar(String group, String label, double[] values) {}

    /** Stacked horizontal bars; {@code valueTitle} names the value axis with its unit. */
    public record BarChart(String title, String valueTitle, List<String> parts, List<Bar> bars, int width) {
        public static BarChart of(String title, String valueTitle, List<String> parts, List<Bar> bars) {
            return new BarChart(title, valueTitle, parts, bars, 720);
        }
    }

    // ------------------------------------------------------------------------------------------------ lines

    /** Renders a line chart as one {@code <svg>} element. */
    public static String lines(LineChart c) {
        List<Line> in = c.lines() == null ? List.of() : c.lines();
        List<double[][]> pts = new ArrayList<>();
        double xlo = Double.POSITIVE_INFINITY, xhi = Double.NEGATIVE_INFINITY, ylo = Double.POSITIVE_INFINITY, yhi = Double.NEGATIVE_INFINITY;
        for (Line l : in) {
            double[][] p = downsample(l.x(), l.y(), MAX_POINTS);
            pts.add(p);
            for (int i = 0; i < p[0].length; i++) {
                xlo = Math.min(xlo, p[0][i]);
                xhi = Math.max(xhi, p[0][i]);
                ylo = Math.min(ylo, p[1][i]);
                yhi = Math.max(yhi, p[1][i]);
            }
        }
        boolean empty = xlo > xhi;
        if (empty) {
            xlo = 0;
            xhi = 1;
            ylo = 0;
            yhi = 1;
        }
        if (c.xMin() != null) xlo = c.xMin();
        if (c.xMax() != null) xhi = c.xMax();
        ylo = c.yMin() != null ? c.yMin() : Math.min(0, ylo);
        if (c.yMax() != null) yhi = c.yMax();
        double[] xt = niceTicks(xlo, xhi, 7);
        double[] yt = niceTicks(ylo, yhi, 5);
        String[] xl = tickLabels(xt);
        String[] yl = tickLabels(yt);
        // When a bound was fixed by the caller, keep it exactly (do not widen to the next round number).
        double ax0 = c.xMin() != null ? c.xMin() : xt[0], ax1 = c.xMax() != null ? c.xMax() : xt[xt.length - 1];
        double ay0 = c.yMin() != null ? c.yMin() : yt[0], ay1 = c.yMax() != null ? c.yMax() : yt[yt.length - 1];
        if (!(ax1 > ax0)) ax1 = ax0 + 1;
        if (!(ay1 > ay0)) ay1 = ay0 + 1;

        int w = Math.max(240, c.width());
        int ph = Math.max(60, c.plotHeight());
        int maxYLabel = Arrays.stream(yl).mapToInt(String::length).max().orElse(1);
        double left = Math.max(52, 34 + CHAR_W * maxYLabel);
        double right = 18, top = 30;
        double pw = w - left - right;
        // legend layout
        List<double[]> legendPos = new ArrayList<>();
        List<String> legendText = new ArrayList<>();
        double lx = left, ly = top + ph + 52;
        for (Line l : in) {
            String name = shorten(l.name(), 48);
            double itemW = 30 + CHAR_W * name.length() + 16;
            if (lx > left && lx + itemW > w - right) {
                lx = left;
                ly += 18;
            }
            legendPos.add(new double[] {lx, ly});
            legendText.add(name);
            lx += itemW;
        }
        double h = in.isEmpty() ? top + ph + 46 : ly + 12;

        StringBuilder sb = new StringBuilder(4096);
        open(sb, w, h, c.title());
        sb.append("<text x=\"").append(coord(w / 2.0)).append("\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">")
                .append(esc(c.title())).append("</text>\n");
        double y0 = top, y1 = top + ph, x0 = left, x1 = left + pw;
        // grid and ticks
        sb.append("<g stroke=\"#e0e0e0\" stroke-width=\"1\">\n");
        for (double t : yt) {
            if (t < ay0 - 1e-12 || t > ay1 + 1e-12) continue;
            double y = sy(t, ay0, ay1, y0, y1);
            sb.append("<line x1=\"").append(coord(x0)).append("\" y1=\"").append(coord(y)).append("\" x2=\"").append(coord(x1))
                    .append("\" y2=\"").append(coord(y)).append("\"/>\n");
        }
        for (double t : xt) {
            if (t < ax0 - 1e-12 || t > ax1 + 1e-12) continue;
            double x = sx(t, ax0, ax1, x0, x1);
            sb.append("<line x1=\"").append(coord(x)).append("\" y1=\"").append(coord(y0)).append("\" x2=\"").append(coord(x))
                    .append("\" y2=\"").append(coord(y1)).append("\"/>\n");
        }
        sb.append("</g>\n<g fill=\"#333\">\n");
        for (int i = 0; i < yt.length; i++) {
            if (yt[i] < ay0 - 1e-12 || yt[i] > ay1 + 1e-12) continue;
            double y = sy(yt[i], ay0, ay1, y0, y1);
            sb.append("<text x=\"").append(coord(x0 - 6)).append("\" y=\"").append(coord(y + 4)).append("\" text-anchor=\"end\">")
                    .append(esc(yl[i])).append("</text>\n");
        }
        for (int i = 0; i < xt.length; i++) {
            if (xt[i] < ax0 - 1e-12 || xt[i] > ax1 + 1e-12) continue;
            double x = sx(xt[i], ax0, ax1, x0, x1);
            sb.append("<text x=\"").append(coord(x)).append("\" y=\"").append(coord(y1 + 15)).append("\" text-anchor=\"middle\">")
                    .append(esc(xl[i])).append("</text>\n");
        }
        sb.append("</g>\n");
        sb.append("<rect x=\"").append(coord(x0)).append("\" y=\"").append(coord(y0)).append("\" width=\"").append(coord(pw))
                .append("\" height=\"").append(coord(ph)).append("\" fill=\"none\" stroke=\"#777\"/>\n");
        // axis titles
        sb.append("<text x=\"").append(coord(x0 + pw / 2)).append("\" y=\"").append(coord(y1 + 34))
                .append("\" text-anchor=\"middle\" font-size=\"12\">").append(esc(c.xTitle())).append("</text>\n");
        sb.append("<text transform=\"translate(14,").append(coord(y0 + ph / 2.0)).append(") rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">")
                .append(esc(c.yTitle())).append("</text>\n");
        if (empty) {
            sb.append("<text x=\"").append(coord(x0 + pw / 2)).append("\" y=\"").append(coord(y0 + ph / 2.0))
                    .append("\" text-anchor=\"middle\" fill=\"#777\">no data</text>\n");
        }
        // lines
        for (int k = 0; k < in.size(); k++) {
            Line l = in.get(k);
            double[][] p = pts.get(k);
            int style = l.style() >= 0 ? l.style() : k;
            String colour = colour(style);
            String dash = dash(style);
            if (p[0].length == 0) continue;
            sb.append("<g>").append("<title>").append(esc(l.name())).append("</title>");
            if (p[0].length == 1) {
                sb.append("<circle cx=\"").append(coord(sx(p[0][0], ax0, ax1, x0, x1))).append("\" cy=\"")
                        .append(coord(sy(clamp(p[1][0], ay0, ay1), ay0, ay1, y0, y1))).append("\" r=\"3\" fill=\"").append(colour).append("\"/>");
            } else {
                sb.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.6\" stroke-linejoin=\"round\"");
                if (!dash.isEmpty()) sb.append(" stroke-dasharray=\"").append(dash).append('"');
                sb.append(" points=\"");
                String prev = null;
                for (int i = 0; i < p[0].length; i++) {
                    String pt = coord(sx(clamp(p[0][i], ax0, ax1), ax0, ax1, x0, x1)) + "," + coord(sy(clamp(p[1][i], ay0, ay1), ay0, ay1, y0, y1));
                    if (pt.equals(prev)) continue;
                    if (prev != null) sb.append(' ');
                    sb.append(pt);
                    prev = pt;
                }
                sb.append("\"/>");
            }
            sb.append("</g>\n");
        }
        // legend
        for (int k = 0; k < in.size(); k++) {
            Line l = in.get(k);
            int style = l.style() >= 0 ? l.style() : k;
            double[] p = legendPos.get(k);
            String dash = dash(style);
            sb.append("<line x1=\"").append(coord(p[0])).append("\" y1=\"").append(coord(p[1] - 4)).append("\" x2=\"").append(coord(p[0] + 24))
                    .append("\" y2=\"").append(coord(p[1] - 4)).append("\" stroke=\"").append(colour(style)).append("\" stroke-width=\"2.5\"");
            if (!dash.isEmpty()) sb.append(" stroke-dasharray=\"").append(dash).append('"');
            sb.append("/>\n<text x=\"").append(coord(p[0] + 30)).append("\" y=\"").append(coord(p[1])).append("\">")
                    .append(esc(legendText.get(k))).append("</text>\n");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------ bars

    /** Renders stacked horizontal bars (one per {@link Bar}, grouped) with a value axis and a legend of the parts. */
    public static String stackedBars(BarChart c) {
        List<String> parts = c.parts() == null ? List.of() : c.parts();
        List<Bar> bars = c.bars() == null ? List.of() : c.bars();
        double max = 0;
        int maxLabel = 4;
        for (Bar b : bars) {
            max = Math.max(max, total(b));
            maxLabel = Math.max(maxLabel, shorten(b.label(), 32).length());
        }
        double[] ticks = niceTicks(0, max > 0 ? max : 1, 6);
        String[] tl = tickLabels(ticks);
        double a1 = ticks[ticks.length - 1];
        int w = Math.max(320, c.width());
        double left = Math.min(240, 16 + CHAR_W * maxLabel);
        double right = 64, top = 30;
        double pw = w - left - right;
        double rowPitch = 20, barH = 14, groupH = 18;

        // rows: y position of each bar and each group heading
        List<Object[]> rows = new ArrayList<>();
        double y = top + 4;
        String prevGroup = null;
        for (Bar b : bars) {
            String g = b.group() == null ? "" : b.group();
            if (!g.isEmpty() && !g.equals(prevGroup)) {
                rows.add(new Object[] {"group", g, y});
                y += groupH;
            }
            prevGroup = g;
            rows.add(new Object[] {"bar", b, y});
            y += rowPitch;
        }
        double plotTop = top, plotBottom = Math.max(y, top + 24);
        double ly = plotBottom + 52;
        List<double[]> legendPos = new ArrayList<>();
        double lx = 8;
        for (String p : parts) {
            double itemW = 18 + CHAR_W * p.length() + 16;
            if (lx > 8 && lx + itemW > w - 8) {
                lx = 8;
                ly += 18;
            }
            legendPos.add(new double[] {lx, ly});
            lx += itemW;
        }
        double h = ly + 12;

        StringBuilder sb = new StringBuilder(4096);
        open(sb, w, h, c.title());
        sb.append("<text x=\"").append(coord(w / 2.0)).append("\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">")
                .append(esc(c.title())).append("</text>\n");
        sb.append("<g stroke=\"#e0e0e0\" stroke-width=\"1\">\n");
        for (double t : ticks) {
            double x = sx(t, 0, a1, left, left + pw);
            sb.append("<line x1=\"").append(coord(x)).append("\" y1=\"").append(coord(plotTop)).append("\" x2=\"").append(coord(x))
                    .append("\" y2=\"").append(coord(plotBottom)).append("\"/>\n");
        }
        sb.append("</g>\n<g fill=\"#333\">\n");
        for (int i = 0; i < ticks.length; i++) {
            double x = sx(ticks[i], 0, a1, left, left + pw);
            sb.append("<text x=\"").append(coord(x)).append("\" y=\"").append(coord(plotBottom + 15)).append("\" text-anchor=\"middle\">")
                    .append(esc(tl[i])).append("</text>\n");
        }
        sb.append("</g>\n");
        sb.append("<line x1=\"").append(coord(left)).append("\" y1=\"").append(coord(plotTop)).append("\" x2=\"").append(coord(left))
                .append("\" y2=\"").append(coord(plotBottom)).append("\" stroke=\"#777\"/>\n");
        sb.append("<line x1=\"").append(coord(left)).append("\" y1=\"").append(coord(plotBottom)).append("\" x2=\"").append(coord(left + pw))
                .append("\" y2=\"").append(coord(plotBottom)).append("\" stroke=\"#777\"/>\n");
        sb.append("<text x=\"").append(coord(left + pw / 2)).append("\" y=\"").append(coord(plotBottom + 34))
                .append("\" text-anchor=\"middle\" font-size=\"12\">").append(esc(c.valueTitle())).append("</text>\n");
        if (bars.isEmpty()) {
            sb.append("<text x=\"").append(coord(left + pw / 2)).append("\" y=\"").append(coord(plotTop + 16))
                    .append("\" text-anchor=\"middle\" fill=\"#777\">no data</text>\n");
        }
        for (Object[] r : rows) {
            double ry = (double) r[2];
            if (r[0].equals("group")) {
                sb.append("<text x=\"4\" y=\"").append(coord(ry + 12)).append("\" font-weight=\"bold\">").append(esc(shorten((String) r[1], 60)))
                        .append("</text>\n");
                continue;
            }
            Bar b = (Bar) r[1];
            sb.append("<g><title>").append(esc(barTitle(b, parts))).append("</title>\n");
            sb.append("<text x=\"").append(coord(left - 6)).append("\" y=\"").append(coord(ry + barH - 3)).append("\" text-anchor=\"end\">")
                    .append(esc(shorten(b.label(), 32))).append("</text>\n");
            double cum = 0;
            double[] v = b.values() == null ? new double[0] : b.values();
            for (int i = 0; i < v.length; i++) {
                double val = Double.isFinite(v[i]) && v[i] > 0 ? v[i] : 0;
                if (val <= 0) continue;
                double xa = sx(cum, 0, a1, left, left + pw), xb = sx(cum + val, 0, a1, left, left + pw);
                cum += val;
                if (xb - xa < 0.05) continue;
                sb.append("<rect x=\"").append(coord(xa)).append("\" y=\"").append(coord(ry)).append("\" width=\"").append(coord(xb - xa))
                        .append("\" height=\"").append(coord(barH)).append("\" fill=\"").append(colour(i)).append("\"><title>")
                        .append(esc(shorten(b.label(), 60) + ": " + (i < parts.size() ? parts.get(i) : "part " + i) + " " + value(val)))
                        .append("</title></rect>\n");
            }
            sb.append("<text x=\"").append(coord(sx(cum, 0, a1, left, left + pw) + 4)).append("\" y=\"").append(coord(ry + barH - 3))
                    .append("\" fill=\"#333\">").append(esc(Arrays.stream(v).anyMatch(Double::isFinite) ? value(cum) : Text.DASH))
                    .append("</text>\n</g>\n");
        }
        for (int i = 0; i < parts.size(); i++) {
            double[] p = legendPos.get(i);
            sb.append("<rect x=\"").append(coord(p[0])).append("\" y=\"").append(coord(p[1] - 10)).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(colour(i)).append("\"/>\n<text x=\"").append(coord(p[0] + 18)).append("\" y=\"").append(coord(p[1])).append("\">")
                    .append(esc(parts.get(i))).append("</text>\n");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Thins a line to at most {@code maxPoints} points: the first and last points are kept and the rest is cut
     * into buckets of consecutive points, each contributing its lowest and highest point in their original order.
     * Non-finite points are dropped. Returns {@code {x, y}}.
     */
    public static double[][] downsample(double[] x, double[] y, int maxPoints) {
        if (x == null || y == null) return new double[][] {new double[0], new double[0]};
        int n0 = Math.min(x.length, y.length);
        double[] fx = new double[n0], fy = new double[n0];
        int n = 0;
        for (int i = 0; i < n0; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                fx[n] = x[i];
                fy[n] = y[i];
                n++;
            }
        }
        int cap = Math.max(4, maxPoints);
        if (n <= cap) return new double[][] {Arrays.copyOf(fx, n), Arrays.copyOf(fy, n)};
        int buckets = (cap - 2) / 2;
        double[] ox = new double[cap], oy = new double[cap];
        int m = 0;
        ox[m] = fx[0];
        oy[m++] = fy[0];
        int inner = n - 2;
        for (int b = 0; b < buckets; b++) {
            int lo = 1 + (int) ((long) b * inner / buckets);
            int hi = 1 + (int) ((long) (b + 1) * inner / buckets);
            if (hi <= lo) continue;
            int iMin = lo, iMax = lo;
            for (int i = lo + 1; i < hi; i++) {
                if (fy[i] < fy[iMin]) iMin = i;
                if (fy[i] > fy[iMax]) iMax = i;
            }
            int a = Math.min(iMin, iMax), c = Math.max(iMin, iMax);
            ox[m] = fx[a];
            oy[m++] = fy[a];
            if (c != a) {
                ox[m] = fx[c];
                oy[m++] = fy[c];
            }
        }
        ox[m] = fx[n - 1];
        oy[m++] = fy[n - 1];
        return new double[][] {Arrays.copyOf(ox, m), Arrays.copyOf(oy, m)};
    }

    /** Round-number ticks (1, 2 or 5 times a power of ten) covering {@code [min, max]}, about {@code target} of them. */
    public static double[] niceTicks(double min, double max, int target) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            min = 0;
            max = 1;
        }
        if (max < min) {
            double t = min;
            min = max;
            max = t;
        }
        if (max == min) {
            double d = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= min == 0 ? 0 : d;
            max += d;
        }
        double range = nice(max - min, false);
        double step = nice(range / Math.max(1, target - 1), true);
        double lo = Math.floor(min / step + 1e-9) * step;
        double hi = Math.ceil(max / step - 1e-9) * step;
        int count = (int) Math.round((hi - lo) / step) + 1;
        if (count < 2) count = 2;
        double[] t = new double[count];
        for (int i = 0; i < count; i++) {
            double v = lo + i * step;
            t[i] = Math.abs(v) < step * 1e-9 ? 0 : v;
        }
        return t;
    }

    private static double nice(double x, boolean round) {
        double exp = Math.floor(Math.log10(x));
        double f = x / Math.pow(10, exp);
        double nf;
        if (round) nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        else nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nf * Math.pow(10, exp);
    }

    /** Labels for ticks: as many decimals as the step needs, no more. */
    static String[] tickLabels(double[] t) {
        double step = t.length > 1 ? Math.abs(t[1] - t[0]) : 1;
        int dec = step <= 0 ? 0 : Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        dec = Math.min(dec, 12);
        String[] out = new String[t.length];
        for (int i = 0; i < t.length; i++) out[i] = Text.fixed(t[i], dec);
        return out;
    }

    /** A value with a precision that suits its size. */
    static String value(double v) {
        double a = Math.abs(v);
        return Text.fixed(v, a >= 1000 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
    }

    static String colour(int style) {
        return PALETTE.get(Math.floorMod(style, PALETTE.size()));
    }

    static String dash(int style) {
        return DASHES.get(Math.floorMod(style, DASHES.size()));
    }

    private static void open(StringBuilder sb, double w, double h, String title) {
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(coord(w)).append("\" height=\"").append(coord(h))
                .append("\" viewBox=\"0 0 ").append(coord(w)).append(' ').append(coord(h)).append("\" role=\"img\" font-family=\"")
                .append(esc(FONT)).append("\" font-size=\"11\">\n<title>").append(esc(title)).append("</title>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    }

    private static double total(Bar b) {
        double s = 0;
        if (b.values() != null) for (double v : b.values()) if (Double.isFinite(v) && v > 0) s += v;
        return s;
    }

    private static String barTitle(Bar b, List<String> parts) {
        StringBuilder sb = new StringBuilder();
        if (b.group() != null && !b.group().isEmpty()) sb.append(b.group()).append(" / ");
        sb.append(b.label()).append(": total ").append(value(total(b)));
        double[] v = b.values() == null ? new double[0] : b.values();
        for (int i = 0; i < v.length; i++) sb.append(", ").append(i < parts.size() ? parts.get(i) : "part " + i).append(' ').append(value(v[i]));
        return sb.toString();
    }

    private static double sx(double v, double a0, double a1, double p0, double p1) {
        return p0 + (v - a0) / (a1 - a0) * (p1 - p0);
    }

    private static double sy(double v, double a0, double a1, double p0, double p1) {
        return p1 - (v - a0) / (a1 - a0) * (p1 - p0);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static String shorten(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }
}
