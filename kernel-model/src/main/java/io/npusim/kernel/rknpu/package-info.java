/** The vendor rknpu 0.9.8 driver: memory, submit, per-core queues, interrupts, timeouts, power, load. */
package io.npusim.kernel.rknpu;
