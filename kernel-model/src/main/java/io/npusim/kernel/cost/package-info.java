/** The cost table of kernel paths, charged on the simulated CPUs. */
package io.npusim.kernel.cost;
