package io.npusim.hw.ddr;

/** What limits an activity's progress at the moment. */
public enum Binding {
    /** Its own compute rate (the MAC array, a CPU's share): memory keeps up. */
    COMPUTE,
    /** Its share of DDR bandwidth. */
    DDR,
    /** Its share of system-SRAM bandwidth. */
    SRAM,
    /** Its master's AXI port limit. */
    PORT,
    /** The IOMMU page walker (IOTLB misses). */
    WALK,
    /** Nothing yet: no bandwidth left for it. */
    STARVED
}
