package io.npusim.cli.report;

/** One layer of one inference of a client in the per-layer profile. */
public record LayerRow(String client, String layer, String op, String core, long cycles, double ddrMb, double macUtilPct, double timeMs) {}
