package io.npusim.hw.mem;

/** Which physical memory backs a region. */
public enum MemKind { DDR, SRAM }
