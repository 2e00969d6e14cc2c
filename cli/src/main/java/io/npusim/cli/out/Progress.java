package io.npusim.cli.out;

import java.io.PrintStream;
import java.util.function.DoubleConsumer;

/**
 * A one-line progress bar on stderr for runs that last more than about a second of wall time.
 * Silent when stderr is not a terminal (no console) or with --quiet, so pipes and CI logs stay clean.
 */
public final class Progress implements DoubleConsumer {
    private static final long SHOW_AFTER_NS = 1_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final String label;
    private final boolean enabled;
    private final long startNs = System.nanoTime();
    private boolean shown;
    private int lastPercent = -1;

    private Progress(PrintStream err, String label, boolean enabled) {
        this.err = err;
        this.label = label;
        this.enabled = enabled;
    }

    /** A bar for one run, shown only on an interactive terminal and without --quiet. */
    public static Progress forRun(String label, boolean quiet) {
        return new Progress(System.err, label, !quiet && System.console() != null);
    }

    @Override
    public void accept(double fraction) {
        if (!enabled) return;
        if (!shown && System.nanoTime() - startNs < SHOW_AFTER_NS && fraction < 1) return;
        if (!shown && fraction >= 1) return; // finished before the bar was worth showing
        shown = true;
        int pct = (int) Math.round(100 * fraction);
        if (pct == lastPercent) return;
        lastPercent = pct;
        int filled = (int) Math.round(WIDTH * fraction);
        err.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + pct + "%");
        if (fraction >= 1) err.print("\r" + " ".repeat(label.length() + WIDTH + 8) + "\r");
        err.flush();
    }
}
