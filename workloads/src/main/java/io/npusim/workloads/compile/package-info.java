/** Compilers from operator graphs to NPU tasks, CPU work and buffers, one per userspace runtime. */
package io.npusim.workloads.compile;
