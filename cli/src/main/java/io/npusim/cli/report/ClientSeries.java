package io.npusim.cli.report;

/** A client's latency CDF: {@code latencyCdf[i] = {latency ms, cumulative fraction 0..1}}, latency ascending. */
public record ClientSeries(String client, double[][] latencyCdf) {}
