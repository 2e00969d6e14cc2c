/** Statistics: counters, HdrHistogram-backed latency recorders, time-weighted averages, bucketed series. */
package io.npusim.core.stats;
