package io.npusim.cli.report;

/** One line of a client's memory report: what is held, how many bytes, a note. */
public record MemoryRow(String client, String what, long bytes, String note) {}
