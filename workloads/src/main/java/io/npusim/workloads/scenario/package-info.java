/** Scenarios: clients, arrival processes, hardware overrides, duration and seed, read from YAML. */
package io.npusim.workloads.scenario;
