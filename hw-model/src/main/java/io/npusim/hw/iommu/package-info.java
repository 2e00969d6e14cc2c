/** Rockchip IOMMU v2: paging domains, per-bank IOTLBs, commands, faults; both topologies. */
package io.npusim.hw.iommu;
