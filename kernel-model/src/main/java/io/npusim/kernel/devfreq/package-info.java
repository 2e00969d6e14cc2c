/** devfreq: a load-following governor of the shared NPU clock. */
package io.npusim.kernel.devfreq;
