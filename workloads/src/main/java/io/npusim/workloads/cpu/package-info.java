/** CPU cost of operators and runtime work on the SoC's CPUs. */
package io.npusim.workloads.cpu;
