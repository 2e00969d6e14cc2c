/** Results of a run: the deterministic summary, wall-clock run information. */
package io.npusim.system.result;
