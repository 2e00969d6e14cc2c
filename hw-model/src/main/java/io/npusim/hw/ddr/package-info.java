/** DDR and SRAM bandwidth shared among masters: a fluid max-min model with port limits. */
package io.npusim.hw.ddr;
