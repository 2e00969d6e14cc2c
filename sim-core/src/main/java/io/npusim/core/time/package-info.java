/** Integer picosecond time and clock domains (cycles to time and back, rate changes). */
package io.npusim.core.time;
