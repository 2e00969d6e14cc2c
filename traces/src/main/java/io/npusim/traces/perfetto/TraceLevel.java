package io.npusim.traces.perfetto;

import java.util.Locale;

/** How much a {@link ChromeTraceWriter} writes. */
public enum TraceLevel {
    /** Nothing at all: no bytes are written and {@link ChromeTraceWriter#enabled()} is false. */
    NONE,
    /** Only metadata ({@code M}: process and thread names) and counters ({@code C}). */
    SUMMARY,
    /** Every event, up to the writer's event cap (counters are kept past the cap). */
    FULL;

    /** Parses "none", "summary" or "full" (any case); the message names the accepted values. */
    public static TraceLevel parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        for (TraceLevel level : values()) {
            if (level.name().equals(t)) return level;
        }
        throw new IllegalArgumentException(
                "unknown trace level '" + text + "' (expected none, summary or full)");
    }
}
