/** Physical memory: DDR and system-SRAM regions with owners and the typed contents software wrote. */
package io.npusim.hw.mem;
