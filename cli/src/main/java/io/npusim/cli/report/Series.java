package io.npusim.cli.report;

/** A named series of points {@code (x[i], y[i])}, x ascending. */
public record Series(String name, double[] x, double[] y) {}
