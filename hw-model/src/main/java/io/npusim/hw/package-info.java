/** The RK3588 hardware model: NPU cores, memory system, IOMMU, clocks, power, CPUs. */
package io.npusim.hw;
