package io.npusim.cli.out;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header row, data rows, columns padded; numbers right-aligned. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) r.add(c == null ? "-" : String.valueOf(c));
        rows.add(r);
        return this;
    }

    public String render() {
        int n = header.size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < n && i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder sb = new StringBuilder();
        line(sb, header, w, true);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < n; i++) rule.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        sb.append(rule).append('\n');
        for (List<String> r : rows) line(sb, r, w, false);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w, boolean head) {
        for (int i = 0; i < w.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            if (i > 0) sb.append("  ");
            boolean num = !head && i > 0 && c.matches("-?[0-9.,%]+");
            if (num) sb.append(" ".repeat(w[i] - c.length())).append(c);
            else sb.append(c).append(" ".repeat(w[i] - c.length()));
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') end--;
        sb.setLength(end);
        sb.append('\n');
    }
}
