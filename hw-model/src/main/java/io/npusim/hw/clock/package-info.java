/** The NPU clock with its OPP table, boot rate and thermal cap. */
package io.npusim.hw.clock;
