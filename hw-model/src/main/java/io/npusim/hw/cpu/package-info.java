/** The SoC's CPUs (4 A55, 4 A76) with processor sharing and DDR traffic through the fabric. */
package io.npusim.hw.cpu;
