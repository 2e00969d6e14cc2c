/** Power domains with power-on latency, and the energy estimate. */
package io.npusim.hw.power;
